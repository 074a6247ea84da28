-- Pins down constant expressions: folding must not change results or turn runtime errors into
-- compile errors (1//0, 1%0, bitwise on non-integral floats, string arithmetic).
local function compiles(src) return load(src) ~= nil end
print(compiles("local x = 1 // 0"), compiles("local x = 1 % 0"), compiles("local x = 1.5 | 0"))
print(compiles("local x = 'a' + 1"), compiles("local x = {} .. 1"), compiles("return -{}"))
print(pcall(load("return 1 // 0")))
print(pcall(load("return 1 % 0")))
print(pcall(load("return 1.5 | 0")))
print(pcall(load("return 2^63 | 0")))
print(pcall(load("return -nil")))
print(pcall(load("return #5")))
-- folded values have the right subtypes
print(1 + 2, 1 + 2.0, 2^2, 7 // 2, 7.0 // 2, 7 % 2, 3 / 1, -(-3), ~0, 0x10 | 0x01)
print(math.maxinteger + 1, math.mininteger - 1, -(-9223372036854775807 - 1))
print(0.0 == -0.0, 1 / 0.0, 1 / -0.0, -(0.0), 0.0 * -1)
print(0 / 0 ~= 0 / 0, -(0 / 0) ~= -(0 / 0))
-- constants through locals with <const>
local A <const> = 10
local B <const> = A // 3
local C <const> = A / 4
local D <const> = "x" .. A
print(A, B, C, D, math.type(B), math.type(C))
local Z <const> = 0
print(pcall(function() return A // Z end))
print(pcall(function() return A % Z end))
print(A // 0.0, -A // 0.0, A % math.huge)
-- comparisons of constants
print(1 < 2, 1.0 == 1, "a" < "b", 2^53 == 2^53 + 1)
-- string constants are never folded with numbers at compile time
print("10" + 0, "0x10" * 1, "1e1" // 1)
-- large constant expressions
print(((((1 + 2) * 3 - 4) / 5) ^ 2) // 1, (1 << 10) >> 5 & 0xf ~ 3)
-- negative zero constants keep their sign
local nz = -0.0
print(nz, 1 / nz, 0.0, -0.0 + 0)
