-- utf8.codepoint and utf8.offset: positions, negative indexes, strict and lax, errors.
local function try(f, ...)
  print(pcall(f, ...))
end

local s = "a€b\u{10348}c"  -- 1, 3, 1, 4, 1 bytes
print(#s, utf8.codepoint(s), utf8.codepoint(s, 2), utf8.codepoint(s, 5), utf8.codepoint(s, -1))
print(utf8.codepoint(s, 1, -1))
print(utf8.codepoint(s, 1, 2))  -- a sequence starting in range is decoded whole
print(utf8.codepoint(s, 6, 6))
print(select("#", utf8.codepoint(s, 3, 2)), select("#", utf8.codepoint("", 1, 0)))
print(utf8.codepoint("\u{7FFFFFFF}", 1, 1, true), utf8.codepoint("\u{D800}", 1, 1, true))
print(utf8.codepoint("abc", -2, -1))
try(utf8.codepoint, "abc", -10, 0)
try(utf8.codepoint, s, 3)  -- continuation byte
try(utf8.codepoint, "\xff")
try(utf8.codepoint, "\u{D800}")
try(utf8.codepoint, "\u{110000}")
try(utf8.codepoint, "\xe4\xb8")
try(utf8.codepoint, "abc", 0)
try(utf8.codepoint, "abc", 1, 4)
try(utf8.codepoint, "abc", -10)
try(utf8.codepoint, "", 1)
try(utf8.codepoint)
try(utf8.codepoint, "abc", "x")
print(pcall(function() return utf8.codepoint("a\xffb", 1, -1) end))
print(utf8.codepoint(65))

-- offset: forwards
local t = "héllo€"
for n = 1, 8 do io.write(tostring(utf8.offset(t, n)), " ") end
print()
print(utf8.offset(t, 1, 2), utf8.offset(t, 2, 2), utf8.offset(t, 3, 4), utf8.offset(t, 1, #t + 1))
print(utf8.offset(t, 2, #t + 1), utf8.offset("", 1), utf8.offset("", 2))
-- backwards
for n = -1, -8, -1 do io.write(tostring(utf8.offset(t, n)), " ") end
print()
print(utf8.offset(t, -1, 4), utf8.offset(t, -2, 4), utf8.offset(t, -1, 1), utf8.offset("", -1))
-- n == 0: start of the character containing byte i
for i = 1, #t + 1 do io.write(tostring(utf8.offset(t, 0, i)), " ") end
print()
print(utf8.offset(t, 0), utf8.offset(t, 0, -1), utf8.offset("\x80\x80", 0, 2))
-- errors
try(utf8.offset, t, 1, 3)
try(utf8.offset, t, -1, 3)
try(utf8.offset, t, 1, 0)
try(utf8.offset, t, 1, #t + 2)
try(utf8.offset, t, 1, -100)
try(utf8.offset, t)
try(utf8.offset, t, 1.5)
try(utf8.offset, nil, 1)
print(pcall(function() return utf8.offset("\u{20AC}", 1, 2) end))
print(utf8.offset("abc", 5), utf8.offset("abc", 4), utf8.offset("abc", -4), utf8.offset("abc", -3))
