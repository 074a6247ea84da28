-- Pins down every string escape: \a \b \f \n \r \t \v \\ \" \' \z \xXX \ddd \u{XXX} and newline.
local function bytes(s)
  local out = {}
  for i = 1, #s do out[#out + 1] = s:byte(i) end
  return #s .. ":" .. table.concat(out, ",")
end
print(bytes("\a\b\f\n\r\t\v"))
print(bytes("\\\"\'"))
print(bytes('\'"'))
print(bytes("\x41\x62\xff\x00\xAa"))
print(bytes("\0\1\12\123\255\0009"))
print(bytes("\u{41}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"))
print(bytes("\u{7FFFFFFF}"))
print(bytes("\u{0}\u{00000041}"))
print(bytes("a\z
             b\z   c"))
print(bytes("line1\
line2"))
print(bytes("x\z

   y"))
print("tab\there", "quote\"s", 'single\'s', "back\\slash")
print(#"\65\066\0677", "\65\066\0677")
-- invalid escapes are syntax errors
local function try(src)
  local f, err = load("return " .. src, "=esc")
  print(err)
end
try([["\q"]])
try([["\x4"]])
try([["\xg0"]])
try([["\256"]])
try([["\999"]])
try([["\u{110000000}"]])
try([["\u{80000000}"]])
try([["\u41"]])
try([["\u{41"]])
try([["\u{}"]])
try('"unfinished')
try('"line\nbreak"')
try("'abc")
