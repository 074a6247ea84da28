-- Pins down integer/float subtypes: which operations yield which subtype and how each prints.
print(3, 3.0, -3, -3.0)
print(math.type(3), math.type(3.0), math.type("3"), math.type(nil))
print(3 == 3.0, math.type(3 + 0.0), math.type(3 * 1))
print(1e100, 1e15, 1e16, 123456789012345678)
print(2^53, 2^53 + 1, math.type(2^53))
print(2^63, -2^63, math.maxinteger, math.mininteger)
print(math.maxinteger + 0.0, math.mininteger + 0.0)
print(10 / 2, 7 / 2, 1 / 3, 2 ^ 2, 2 ^ 0.5)
print(7 // 2, 7.0 // 2, 7 // 2.0, -7 // 2, -7.0 // 2)
print(7 % 3, 7.0 % 3, -7 % 3, 7 % -3, -7 % -3)
print(1 + 2, 1 + 2.0, 1.5 + 1.5, 0.1 + 0.2)
print(100000000000000, 1e14, 10 ^ 14)
print(0x10, 0xff, 0XA, 0x7fffffffffffffff, 0xffffffffffffffff, 0x10000000000000000)
print(0x1p4, 0x.8, 0xA.8p1, 0x1P-2)
print(1e2, 1E2, .5, 5., 3e-2, 0.0, -0.0)
print(math.type(0x10), math.type(1e2), math.type(0x1p4))
-- integer literal that does not fit becomes a float
print(9223372036854775807, 9223372036854775808, -9223372036854775808)
print(math.type(9223372036854775807), math.type(9223372036854775808))
-- unary minus on integer limits
print(-math.mininteger, -(-9223372036854775807))
print(math.mininteger // -1, math.mininteger % -1)
-- conversions float -> integer in keys
local t = {}
t[1.0] = "one"; t[2] = "two"
print(t[1], t[2.0], #t)
t[2^53] = "big"
print(t[2^53], t[math.tointeger(2^53)])
-- floats that print like integers keep .0
print(1.0, -1.0, 1e0, 100.0, 2^10)
print(tostring(1e15), tostring(1e16), tostring(-1e15))
print(3 | 0, 3.0 | 0, math.type(3.0 | 0))
print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger(-0.0), math.tointeger(2^63))
print(string.format("%.14g", 0.1), string.format("%.17g", 0.1))
print(255 // 1, 255.0 // 1, 1e300 * 1e10, -1e300 * 1e10)
print(5 // 0.0, -5 // 0.0, 0/0 ~= 0/0, 5 % math.huge, -5 % math.huge)
