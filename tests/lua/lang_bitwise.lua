-- Pins down bitwise operators on integers, on floats with exact integer values, and their errors.
print(5 & 3, 5 | 3, 5 ~ 3, ~5, 1 << 4, 256 >> 4)
print(-1 & 0xff, -1 | 0, -1 ~ -1, ~-1, 0xf0 ~ 0xff)
print(3.0 & 1, 2.0 | 1.0, 4.0 ~ 1, ~0.0, 1.0 << 2, 8.0 >> 1.0)
print(math.type(3.0 & 1), math.type(2.0 | 1.0))
print(2^53 | 0, -2^63 | 0, math.type(2^53 | 0))
print(1 << 62, 1 << 63, 1 << 64, 1 >> 64, -1 >> 60, -1 << 60)
print(1 << -2, 16 >> -2, 0x7fffffffffffffff >> 62)
-- precedence: shifts below concat/arith, & above ~ above |
print(1 + 1 << 2, 1 << 2 + 1, 6 & 3 | 8, 6 | 3 & 8, 5 ~ 3 & 1, 1 | 2 ~ 3)
print(~0 >> 60, -(~0), ~~5, - ~5)
-- errors
local function e(f) print(select(2, pcall(f))) end
e(function() return 1.5 & 1 end)
e(function() return 1 | 2^63 end)
e(function() return ~1e100 end)
e(function() return (0/0) | 0 end)
e(function() return math.huge >> 1 end)
e(function() return "1.5" | 0 end)
e(function() return "abc" | 0 end)
e(function() return {} & 1 end)
e(function() return 1 ~ nil end)
e(function() local x = 2.5; return x << 1 end)
e(function() local s = "x"; return ~s end)
e(function() return true | 1 end)
-- strings are not coerced by bitwise operators
e(function() return "3" & 1 end)
e(function() local s = "8"; return s >> 1 end)
