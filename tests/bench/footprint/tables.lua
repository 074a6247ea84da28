-- Footprint: one million small tables (records with two fields), all alive at once.
local n = tonumber(arg and arg[1]) or 1000000
local t = {}
for i = 1, n do t[i] = {x = i, y = -i} end
print("heap_kb", collectgarbage("count"))
local s = 0
for i = 1, n, 997 do s = s + t[i].x - t[i].y end
print("checksum", s)
