-- utf8.codes: iteration, lax mode, and how invalid bytes are reported (5.4.4 skips stray
-- continuation bytes after a character but rejects invalid sequences).
local function iterate(s, lax)
  local out = {}
  local ok, err = pcall(function()
    for p, c in utf8.codes(s, lax) do out[#out + 1] = p .. ":" .. c end
  end)
  print(ok, table.concat(out, " "), err)
end

iterate("")
iterate("abc")
iterate("héllo€")
iterate("\u{10348}\u{7F}\u{80}")
iterate("\0a\0")
iterate("\x80")
iterate("\x80abc")
iterate("a\x80")
iterate("a\x80\x80b")
iterate("\u{20AC}\x80z")
iterate("ab\xe4\xb8")
iterate("ab\xff")
iterate("x\xc0\x80")
iterate("\u{D800}")
iterate("\u{D800}", true)
iterate("\u{110000}")
iterate("\u{110000}", true)
iterate("\u{7FFFFFFF}x", true)
iterate("\xfe", true)

-- the iterator itself
local f, s, i = utf8.codes("hé")
print(type(f), s, i)
print(f(s, i))
print(f(s, 1))
print(f(s, 2))
print(f(s, 3))
print(f(s, 4))
print(f(s, -1))
print(f(s, 100))
print(pcall(f, "\xff", 0))
print(pcall(utf8.codes))
print(pcall(utf8.codes, {}))
print(pcall(f, {}, 0))
print(select("#", utf8.codes("a")))
for p, c in utf8.codes(123) do io.write(p, "=", c, " ") end
print()
