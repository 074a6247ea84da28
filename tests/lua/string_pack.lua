-- Pins down string.pack / unpack / packsize: every option of manual 6.4.2, byte order,
-- alignment, round trips, the returned next position, and the reference's native sizes.
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local function show(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end print(table.concat(t, " ")) end

-- sizes of the native options (64-bit Linux, like the reference build)
for _, f in ipairs({"b", "B", "h", "H", "i", "I", "l", "L", "j", "J", "T", "f", "d", "n", "x",
                    "i1", "i2", "i3", "i7", "i8", "i9", "i16", "I5", "c0", "c10", "", " ", "<>=!"}) do
  io.write(f, "=", string.packsize(f), " ")
end
print()

-- integers in both byte orders
print(hex(string.pack("<i4", 1)), hex(string.pack(">i4", 1)), hex(string.pack("=i4", 1)))
print(hex(string.pack("<i2 >i2 <i2", 0x102, 0x102, -2)))
print(hex(string.pack("b B h H", -128, 255, -32768, 65535)))
print(hex(string.pack("<i3", -2)), hex(string.pack(">I3", 0xabcdef)), hex(string.pack("<j", math.mininteger)))
print(hex(string.pack("<i16", -1)), hex(string.pack(">i16", 1)), hex(string.pack("<I9", -1)))
print(hex(string.pack("<i12", math.mininteger)), hex(string.pack(">J", -1)))
print(hex(string.pack("<T", 258)), hex(string.pack("<l L", -1, 1)))

-- round trips of every integer option
local fmt = "<b B h H i I l L j J T i3 I3 i5 I7 i16 I16"
local vals = {-100, 200, -30000, 60000, -2^31, 2^32 - 1, math.mininteger, -1, math.maxinteger,
              math.mininteger, 12345, -8388608, 16777215, -2^39, (1 << 56) - 1, math.mininteger, math.maxinteger}
local packed = string.pack(fmt, table.unpack(vals))
print(#packed, string.packsize(fmt))
show(string.unpack(fmt, packed))
show(string.unpack(">" .. fmt:sub(2), string.pack(">" .. fmt:sub(2), table.unpack(vals))))

-- floats
print(hex(string.pack("<f", 1.5)), hex(string.pack(">d", 1.5)), hex(string.pack("<n", -0.0)))
show(string.unpack("<f", string.pack("<f", 0.1)))
show(string.unpack(">d n", string.pack(">d n", 0.1, -1e300)))
show(string.unpack("f d", string.pack("f d", 1/0, -1/0)))
show(string.unpack("<f", string.pack("<f", 1e300)), string.unpack("<f", string.pack("<f", 3)))
local nan = string.unpack("d", string.pack("d", 0/0))
print(nan ~= nan, math.type(string.unpack("f", string.pack("f", 2))))

-- strings
print(hex(string.pack("z", "hi")), hex(string.pack("<s1", "hi")), hex(string.pack(">s2", "hi")))
print(hex(string.pack("<s", "a")), hex(string.pack("c5", "abc")), hex(string.pack("c0", "")))
show(string.unpack("z z", "one\0two\0rest"))
show(string.unpack("s1 s1", "\3abc\0"))
show(string.unpack("c3 c2", "abcde"))
show(string.unpack("<s4", string.pack("<s4", string.rep("x", 300))):len())
print(string.unpack("z", "\0") == "", select("#", string.unpack("c0", "")))
print(hex(string.pack("s1", "")), hex(string.pack("z", "")), hex(string.pack("s16", "x")))

-- padding and alignment
print(hex(string.pack("b x b", 1, 2)), hex(string.pack("bxxb", 1, 2)))
print(hex(string.pack("!4 b i4", 1, 2)), hex(string.pack("!2 b i4", 1, 2)), hex(string.pack("! b j", 1, 2)))
print(hex(string.pack("!8 b d", 1, 1)), hex(string.pack("!8 b f", 1, 1)), hex(string.pack("!8 b h", 1, 2)))
print(hex(string.pack("!4 b Xi4 b", 1, 2)), hex(string.pack("!8 b Xh b", 1, 2)))
print(hex(string.pack("!4 z i4", "ab", 7)), hex(string.pack("!4 s1 i4", "ab", 7)), hex(string.pack("!4 c3 i4", "ab", 7)))
for _, f in ipairs({"!8 i1 i8", "<i1 !2 i8", "!i1d", "!4 i1 Xi8", "i1 i8", "!16 i1 i16", "!1 b j",
                    "!2 b Xj b", "b Xi16", "!8 bXd", "! b Xf", "!4 i3", "!3 i4", "!2 i3"}) do
  io.write(f, "=", tostring(select(2, pcall(string.packsize, f))), " ")
end
print()
show(string.unpack("!4 b i4 b", string.pack("!4 b i4 b", 7, 8, 9)))
show(string.unpack("!8 b d", string.pack("!8 b d", 1, 2.5)))

-- unpack's start position and the next position it returns
local data = string.pack("i4 i4 i4", 10, 20, 30)
show(string.unpack("i4", data))
show(string.unpack("i4", data, 5))
show(string.unpack("i4", data, -4))
show(string.unpack("i4", data, -100))
show(string.unpack("i4 i4", data, 5))
show(string.unpack("", data, 13))
show(string.unpack("", "", 1))
show(string.unpack("b", "xyz", 0))
show(string.unpack(" ", "abc", 2))

-- spaces and endianness switches anywhere; the format stops at an embedded zero
print(hex(string.pack(" < i2 > i2 = i2 ", 1, 1, 1)), hex(string.pack("b\0b", 1, 2)))
print(string.packsize("b\0b"), select("#", string.unpack("b\0b", "\1\2")))

-- numbers where strings are expected and vice versa
print(hex(string.pack("z", 12)), hex(string.pack("i", "7")), hex(string.pack("d", "0.5")))
print(hex(string.pack("i", 3.0)), string.unpack("i2", 258 .. ""))
