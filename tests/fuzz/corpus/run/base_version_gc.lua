-- Pins down _VERSION and the deterministic parts of collectgarbage (result types, options).
print(_VERSION)
print(type(_VERSION))
print(type(collectgarbage("count")), math.type(collectgarbage("count")))
print(collectgarbage("count") > 0)
print(collectgarbage())
print(collectgarbage("collect"))
print(type(collectgarbage("step")))
print(collectgarbage("isrunning"))
collectgarbage("stop")
print(collectgarbage("isrunning"))
collectgarbage("restart")
print(collectgarbage("isrunning"))
-- mode switches return the previous mode
print(collectgarbage("incremental"))
print(collectgarbage("generational"))
print(collectgarbage("incremental"))
-- memory is reclaimed after dropping a large structure
local before = collectgarbage("count")
local junk = {}
for i = 1, 10000 do junk[i] = {i} end
local during = collectgarbage("count")
junk = nil
collectgarbage()
local after = collectgarbage("count")
print(during > before, after < during)
print(pcall(collectgarbage, "bogus"))
