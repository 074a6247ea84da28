-- Pins down string.len, sub, reverse, lower, upper, rep, byte, char and dump, with their errors.
local function e(...) print(select(2, pcall(...))) end

-- len counts bytes, embedded zeros included; numbers are converted
print(string.len(""), string.len("abc"), string.len("a\0b\0"), string.len(12.5), #"\xff\xfe")
print(("hello"):len(), string.len(-0.0), string.len(2^63))

-- sub: positive, negative, zero and out-of-range indices
local s = "hello world"
print(s:sub(1, 5), s:sub(7), s:sub(-5), s:sub(-5, -3), s:sub(0), s:sub(3, 2))
print(s:sub(-100, 3), s:sub(5, 100), s:sub(100), s:sub(12), s:sub(11), s:sub(-1, -1))
print(s:sub(2, -2), s:sub(math.mininteger, math.maxinteger), s:sub(math.maxinteger))
print(s:sub(3.0, 4), string.sub("12345", "2", "3"), string.sub(12345, 2, -2))
print(("x"):sub(0, 0) == "", ("abc"):sub(-3, -3), ("abc"):sub(-4, -3), ("abc"):sub(4, 3))

-- reverse, lower, upper (ASCII only; other bytes are untouched)
print(string.reverse("abc"), string.reverse(""), string.reverse("a\0b") == "b\0a", string.reverse(123))
print(string.lower("HeLLo 123 ÀÉ"), string.upper("hello, World! àé"), string.upper(1e3))
print(("MiXeD\0CaSe"):lower() == "mixed\0case", ("[@`{"):upper(), ("[@`{"):lower())

-- rep with and without separator
print(string.rep("ab", 3), string.rep("ab", 3, ","), string.rep("x", 1, ","), string.rep("x", 0, ","))
print(string.rep("x", -5) == "", string.rep("", 5, "") == "", string.rep("", 3, "-"), string.rep(7, 2, 8))
print(#string.rep("abc", 1000), #string.rep("a", 100, "bc"), string.rep("a\0", 2) == "a\0a\0")
e(string.rep, "ab", 2^30)
e(string.rep, "x", 2^31)
e(string.rep, "", 2^31, "x")
e(string.rep, "x", math.maxinteger, "y")
e(string.rep, "x", 1.5)
e(string.rep, "x")
e(string.rep, {}, 2)

-- byte
print(string.byte("ABC"), string.byte("ABC", 2), string.byte("ABC", -1), string.byte("ABC", 1, 3))
print(string.byte("ABC", 1, -1), string.byte("ABC", 0, 10), string.byte("ABC", 3, 1))
print(select("#", string.byte("")), select("#", string.byte("abc", 4)), string.byte("\0\255", 1, 2))
print(string.byte("abc", -10, -2), string.byte(65), string.byte("hello", 2.0, "3"))
e(string.byte, "abc", 1.5)
e(string.byte, "abc", "x")
e(string.byte)

-- char
print(string.char(72, 105), string.char() == "", string.char(0, 255) == "\0\255", string.char("65", 66.0))
e(string.char, 256)
e(string.char, -1)
e(string.char, 65, 300)
e(string.char, 1.5)
e(string.char, "x")
e(string.char, 65, nil)

-- dump refuses native functions and non-functions the same way (binary_chunks.lua dumps)
e(string.dump, print)
e(string.dump)
e(string.dump, 42)

-- numbers are accepted as strings everywhere
print(string.len(100), string.sub(3.5, 2), string.upper(0x10), string.rep(1, 3))
