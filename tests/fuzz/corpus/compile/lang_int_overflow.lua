-- Pins down integer overflow: + - * wrap around modulo 2^64; floats do not.
local max, min = math.maxinteger, math.mininteger
print(max + 1 == min, min - 1 == max)
print(max + 1, min - 1)
print(max * 2, min * 2, max * max, min * -1)
print(-min == min, -min)
print(max + 1.0, min - 1.0)
print(max // -1, min // -1)
print(min % -1, max % -1)
print(2^62 * 2, math.type(2^62 * 2))
local big = 1 << 62
print(big * 2, big * 4, big + big)
print(0x7fffffffffffffff + 1, 0xffffffffffffffff, 0xffffffffffffffff + 1)
-- accumulation wraps silently
local x = 1
for i = 1, 70 do x = x * 2 end
print(x)
local f = 1
for i = 1, 25 do f = f * i end
print(f)
local ff = 1.0
for i = 1, 25 do ff = ff * i end
print(ff)
-- shifts beyond 63 give 0
print(1 << 63, 1 << 64, 1 << 100, -1 >> 1, -1 >> 63, -1 >> 64, 1 << -1, 2 >> -1)
print(max | 0, min & max, ~0, ~max, ~min)
-- comparison across the boundary
print(max < max + 0.0, max + 0.0 == 2^63, max == 2^63)
print(min == -2^63, min < -2^63, min <= -2^63)
