-- What the WebAssembly build answers where a browser has no shell and only the "C" locale
-- (corpus.test.mjs pins this output; natively these call the real shell and locales).
print(os.execute())
print(os.execute("true"))
print(pcall(io.popen, "true"))
print(os.setlocale("C"), os.setlocale(""), os.setlocale("POSIX"), os.setlocale("C.UTF-8"))
print(os.setlocale(nil, "time"), os.date("%Z %z", 0), os.date("*t", 0).isdst)
