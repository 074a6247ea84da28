-- Table array part: filling with t[#t+1] and t[i], summing with numeric for and ipairs.
local n = 300000
local total = 0
for round = 1, 20 do
  local t = {}
  for i = 1, n do t[#t + 1] = i * round end
  local u = {}
  for i = 1, n do u[i] = t[i] + 1 end
  local s = 0
  for i = 1, #u do s = s + u[i] end
  for _, v in ipairs(t) do s = s - v end
  total = total + s
end
print("checksum", total)
