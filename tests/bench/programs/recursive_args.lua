-- Recursive calls with several arguments: Takeuchi's tak (three arguments, deep non-tail
-- recursion) and Ackermann (two arguments, mixed tail and non-tail calls).
local function tak(x, y, z)
  if y >= x then return z end
  return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
end

local function ack(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end

local t = 0
for i = 0, 3 do t = t + tak(22 + i, 16, 8) end
local a = 0
for i = 1, 3 do a = a + ack(3, 8) + ack(2, 200 * i) end
print("checksum", t, a)
