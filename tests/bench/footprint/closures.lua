-- Footprint: one million closures, each with its own captured variable, all alive at once.
local n = tonumber(arg and arg[1]) or 1000000
local t = {}
for i = 1, n do t[i] = function() return i end end
print("heap_kb", collectgarbage("count"))
local s = 0
for i = 1, n, 997 do s = s + t[i]() end
print("checksum", s)
