-- Pins down string.find: plain and pattern searches, init (negative, zero, past the end), the
-- plain flag, specials detection, and captures returned after the indices.
local function show(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end print(table.concat(t, " ")) end

show(string.find("hello world", "o"))
show(string.find("hello world", "o", 6))
show(string.find("hello world", "o", -3))
show(string.find("hello world", "o", -100))
show(string.find("hello world", "o", 0))
show(string.find("hello world", "xyz"))
show(string.find("hello world", ""))
show(string.find("hello world", "", 12))
show(string.find("hello world", "", 13))
show(string.find("hello world", "", 100))
show(string.find("", ""))
show(string.find("", "", 1))
show(string.find("", "", 2))
show(string.find("", "a"))
show(string.find("abc", "c", math.maxinteger))
show(string.find("abc", "a", math.mininteger))

-- plain searches: explicit flag, or no special characters at all
show(string.find("a.b.c", ".", 1, true))
show(string.find("a.b.c", "."))
show(string.find("a+b", "+", 1, true))
show(string.find("a+b", "a+b"))
show(string.find("a+b", "a+b", 1, true))
show(string.find("x]y)z", "]y)"))
show(string.find("f(x)", "(", 1, true))
show(string.find("%d", "%d", 1, true))
show(string.find("a\0b\0c", "\0c"))
show(string.find("a\0b\0c", "\0", 3))
show(string.find("abc", "b", 1, false))
show(string.find("abc", "b", 1, nil))
show(string.find("a.c", ".", 1, 1))
show(string.find("abcabc", "cab"))
show(string.find("aaa", "aa", 2))

-- pattern searches
show(string.find("hello world", "o%s*w"))
show(string.find("hello world", "^hello"))
show(string.find("hello world", "^world"))
show(string.find("hello world", "world$"))
show(string.find("hello world", "^h.-o$"))
show(string.find("hello world", "^h.*o"))
show(string.find("  key = value  ", "(%w+)%s*=%s*(%w+)"))
show(string.find("hello", "()ll()"))
show(string.find("hello", "(h)(e)(l)(l)(o)"))
show(string.find("abc", "^", 2))
show(string.find("abc", "$"))
show(string.find("abc", "^$"))
show(string.find("", "^$"))
show(string.find("abc", "b*"))
show(string.find("abc", "b*", 2))
show(string.find("a$b", "$b"))
show(string.find("a^b", "a^"))
show(string.find("12ab34", "%a+", 3))
show(string.find("12ab34", "%d+", -2))
show(string.find(12345, 3))
show(string.find(12345, 3.0))
show(string.find(1e15, "e"))
show(string.find("x = 0x1F;", "0x(%x+)"))
show(("method"):find("th"))

-- results are positions in the whole string even when starting later
for _, init in ipairs({1, 2, 3, 4, 5, 6, -1, -2, -6, -7}) do
  show(init, string.find("banana", "an", init), string.find("banana", "a.a", init))
end

-- errors
local function e(...) print(select(2, pcall(...))) end
e(string.find)
e(string.find, "a")
e(string.find, "a", {})
e(string.find, "a", "a", "x")
e(string.find, "a", "a", 1.5)
e(function() return ("x"):find() end)
