-- Pins down the errors of string.pack / unpack / packsize: bad options, sizes out of limits,
-- alignment, overflow, short data, wide integers, and argument types.
local function e(f, ...) print(select(2, pcall(f, ...))) end

-- format errors, raised the same way by all three functions
for _, fmt in ipairs({"y", "i17", "i0", "I99", "s0", "s17", "!17", "!0", "c", "cx", "X", "Xc1",
                      "Xz", "Xs", "X ", "X<", "X!", "bX", "!3 i4", "!4 i3", "!4 Xi3 ", "!8 i5",
                      "c2147483647", "i2147483647", "%", "\255"}) do
  local a = select(2, pcall(string.pack, fmt, 1, 1))
  local b = select(2, pcall(string.packsize, fmt))
  local c = select(2, pcall(string.unpack, fmt, string.rep("\0", 64)))
  print(fmt, a, b, c)
end

-- packsize refuses variable-length formats and sizes beyond an int
e(string.packsize, "s")
e(string.packsize, "z")
e(string.packsize, "i4 s1")
e(string.packsize, string.rep("c1000000000", 3))
print(string.packsize(string.rep("c1000000000", 2)), string.packsize("c2147483639"))
print(string.packsize("c2147483639 i8"), string.packsize("c1999999999"))
e(string.packsize, "c2147483639 i9")
e(string.packsize, "!8 c2147483639 d")

-- values out of range
e(string.pack, "i1", 128)
e(string.pack, "i1", -129)
print(#string.pack("i1 i1", 127, -128))
e(string.pack, "I1", 256)
e(string.pack, "I1", -1)
e(string.pack, "i2", 32768)
e(string.pack, "I3", 1 << 24)
e(string.pack, "i7", 1 << 55)
print(#string.pack("i7 I7", -(1 << 55), (1 << 56) - 1), #string.pack("I8 i9 I16", -1, math.mininteger, -1))
e(string.pack, "b b", 1, 1000)
e(string.pack, "c2", "abc")
e(string.pack, "b c2", 1, "abc")
e(string.pack, "s1", string.rep("x", 256))
print(#string.pack("s1", string.rep("x", 255)), #string.pack("s2", string.rep("x", 256)))
e(string.pack, "z", "a\0b")
e(string.pack, "z z", "a", "\0")

-- argument types
e(string.pack, "i", 1.5)
e(string.pack, "i", "1.5")
e(string.pack, "i", "x")
e(string.pack, "i")
e(string.pack, "i i", 1)
e(string.pack, "d", "x")
e(string.pack, "f", {})
e(string.pack, "s", {})
e(string.pack, "z", nil)
e(string.pack, "c3", true)
e(string.pack)
e(string.pack, {})
e(string.unpack, "i")
e(string.unpack, nil, "")
e(string.unpack, "i", "abcd", "x")
e(string.unpack, "i", "abcd", 1.5)
e(string.packsize)

-- short data, bad positions, wide integers
e(string.unpack, "i4", "abc")
e(string.unpack, "i4", "abcdabc", 5)
e(string.unpack, "b i4", "\1abc")
e(string.unpack, "!4 b i4", "\1\0\0\0abc")
e(string.unpack, "c4", "abc")
e(string.unpack, "c2147483639", "abc")
e(string.unpack, "s1", "\5abc")
e(string.unpack, "s1", "")
e(string.unpack, "<s4", "\255\255\255\255")
e(string.unpack, "z", "abc")
e(string.unpack, "z", "")
e(string.unpack, "z z", "a\0b")
e(string.unpack, "i4", "abcd", 6)
e(string.unpack, "i4", "abcd", math.maxinteger)
print(pcall(string.unpack, "i4", "abcd", 5))
e(string.unpack, "<i16", string.rep("\255", 8) .. string.rep("\1", 8))
e(string.unpack, "<i9", string.rep("\0", 7) .. "\128\0")
e(string.unpack, "<I9", string.rep("\255", 8) .. "\255")
e(string.unpack, ">i12", "\0\0\0\1" .. string.rep("\0", 8))
print(string.unpack("<i9", string.rep("\255", 9)), string.unpack("<I9", string.rep("\255", 8) .. "\0"))
print(string.unpack("<i16", string.rep("\0", 7) .. "\128" .. string.rep("\255", 8)))

-- through a Lua caller
print(pcall(function() return string.pack("i17", 1) end))
print(pcall(function() return string.unpack("i4", "") end))
print(pcall(function() return ("i1"):pack(300) end))
