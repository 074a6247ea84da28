-- Pins down tostring on every basic value: -0.0, integers vs floats, inf/nan, booleans, nil.
print(tostring(0), tostring(-0), tostring(0.0), tostring(-0.0))
print(tostring(1), tostring(1.0), tostring(-1.5), tostring(1e100), tostring(1e-100))
print(tostring(math.maxinteger), tostring(math.mininteger), tostring(2^63))
print(tostring(1/0), tostring(-1/0), tostring(0/0) == tostring(0/0))
print(tostring(nil), tostring(true), tostring(false))
print(tostring("str"), tostring(""), tostring("with\0zero") == "with\0zero")
print(tostring(123456789012), tostring(1234567890123456789))
print(tostring(0.1), tostring(1/3), tostring(100 / 3), tostring(2^24), tostring(1e15))
print(tostring(3) == "3", tostring(3.0) == "3.0", #tostring(12345))
print(type(tostring({})), tostring({}):sub(1, 7), tostring(print):sub(1, 10))
print(select("#", tostring(1, 2, 3)))
-- tostring result is a fresh string equal to literal
local s = tostring(42)
print(s == "42", type(s))
-- integer-valued floats always show .0
for _, v in ipairs({2.0, -2.0, 1e14, 1e15, 123.0, 2^52}) do io.write(tostring(v), " ") end
print()
-- floats that need exponent
for _, v in ipairs({1e16, 1.5e20, 1e-5, 0.00012, 5e-324}) do io.write(tostring(v), " ") end
print()
