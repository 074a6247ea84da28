-- Pins down basic arithmetic: / and ^ always float, + - * keep integers, unary minus, exactness.
print(1 + 1, 1 - 1, 2 * 3, 7 / 7, 2 ^ 2, -(3), 4 - -4)
print(math.type(1 + 1), math.type(7 / 7), math.type(2 ^ 2), math.type(-3))
print(1 + 1.0, 3 * 1.0, 10 - 0.5, 1e15 + 1, 1e16 + 1)
print(0.1 * 3, 1 / 3 * 3, 2 ^ 0.5, 10 ^ -2, (-8) ^ (1 / 3) ~= (-8) ^ (1 / 3))
print(2 ^ 63, 2 ^ 64, (-2) ^ 63, 0 ^ 0, 0 ^ -1)
print(1e308 + 1e308, -1e308 - 1e308, 1e-320 / 10)
print(6 / 4, -6 / 4, 6 / -4, 0 / 1, -0 / 1, 0 / -1)
print(3 - 3.0, -(0), -(0.0), 0 * -1, 0.0 * -1)
print(math.maxinteger / 1, math.maxinteger * 1.0 == 2 ^ 63)
print(123456789 * 987654321, 123456789.0 * 987654321)
-- constant folded and runtime forms agree
local a, b = 7, 2
print(a / b, a // b, a % b, a ^ b, -a, a * b, a - b, a + b)
local fa, fb = 7.0, 2
print(fa / fb, fa // fb, fa % fb, fa ^ fb, -fa, fa * fb, fa - fb, fa + fb)
-- sums of many small floats
local s = 0
for i = 1, 10 do s = s + 0.1 end
print(s, s == 1, string.format("%.17g", s))
-- integer sums stay exact
local big = 0
for i = 1, 100000 do big = big + i end
print(big)
