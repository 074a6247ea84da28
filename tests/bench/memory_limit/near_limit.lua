-- A live heap of LIVE_MB megabytes (small tables), then a loop that allocates small garbage
-- (3 million one-slot tables). Usage: near_limit.lua LIVE_MB
local liveMb = tonumber(arg[1]) or 51
local keep = {}
local i = 0
while collectgarbage("count") < liveMb * 1024 do
  i = i + 1
  keep[i] = {i, i + 1, i + 2}
end
local ok, err = pcall(function()
  local sum = 0
  for j = 1, 3000000 do
    local t = {j}
    sum = sum + t[1]
  end
  return sum
end)
print("outcome", ok and "finished" or tostring(err))
print("live", #keep)
