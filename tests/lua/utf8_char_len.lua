-- utf8.char, utf8.charpattern and utf8.len (strict and lax, ranges, invalid input).
local function try(f, ...)
  print(pcall(f, ...))
end
local function bytes(s)
  return table.concat({string.byte(s, 1, -1)}, " ")
end

print(utf8.char(72, 101, 108, 108, 111))
print("[" .. utf8.char() .. "]", #utf8.char(0), utf8.char(0) == "\0")
print(bytes(utf8.char(0x7F)), bytes(utf8.char(0x80)), bytes(utf8.char(0x7FF)), bytes(utf8.char(0x800)))
print(bytes(utf8.char(0xFFFF)), bytes(utf8.char(0x10000)), bytes(utf8.char(0x10FFFF)))
print(bytes(utf8.char(0x110000)), bytes(utf8.char(0x1FFFFF)), bytes(utf8.char(0x200000)))
print(bytes(utf8.char(0x3FFFFFF)), bytes(utf8.char(0x4000000)), bytes(utf8.char(0x7FFFFFFF)))
print(bytes(utf8.char(0xD800)), utf8.char(0x20AC, 0x41, 0xE9), utf8.char("65", 66.0))
try(utf8.char, -1)
try(utf8.char, 0x80000000)
try(utf8.char, 65, math.maxinteger)
try(utf8.char, 65, 1.5)
try(utf8.char, "x")
try(utf8.char, 65, nil)
print(pcall(function() return utf8.char(65, -2) end))

print(string.format("%q", utf8.charpattern))
local count = 0
for c in ("héllo wörld €"):gmatch(utf8.charpattern) do count = count + 1 end
print(count)

-- len
print(utf8.len(""), utf8.len("abc"), utf8.len("héllo"), utf8.len("€€€"), utf8.len("\0\0"))
print(utf8.len("héllo", 2), utf8.len("héllo", 3), utf8.len("héllo", 1, 2), utf8.len("héllo", -1))
print(utf8.len("abc", 4), utf8.len("abc", 1, 0), utf8.len("abc", 2, 1), utf8.len("abc", -3, -2))
print(utf8.len("abc", 1, -4), utf8.len("", 1, 0), utf8.len("", 1, -1))
print(utf8.len("\xff"), utf8.len("a\x80b"), utf8.len("ab\xe4\xb8"), utf8.len("ok\xc0\x80"))
print(utf8.len("\xed\xa0\x80"), utf8.len("\xed\xa0\x80", 1, -1, true))
print(utf8.len("\xf4\x90\x80\x80"), utf8.len("\xf4\x90\x80\x80", 1, -1, true))
print(utf8.len("\xfd\xbf\xbf\xbf\xbf\xbf", 1, -1, true), utf8.len("\xfe", 1, -1, true))
print(utf8.len("h\xc3\xa9", 3))  -- starting on a continuation byte
try(utf8.len, "abc", 5)
try(utf8.len, "abc", 0)
try(utf8.len, "abc", 1, 4)
try(utf8.len, "abc", -5)
try(utf8.len)
try(utf8.len, {})
try(utf8.len, "abc", 1.5)
print(pcall(function() return utf8.len("abc", 9) end))
print(utf8.len(12345), utf8.len(1.5))
