-- Hello from Lunette: a tiny tour of what the VM runs.
-- Watch: the output shows closures, coroutines and the collector's view of the heap.

local function counter()
  local n = 0
  return function() n = n + 1; return n end
end

local next_id = counter()
print("closures:", next_id(), next_id(), next_id())

local gen = coroutine.wrap(function()
  for i = 1, 3 do coroutine.yield(i * i) end
end)
print("coroutine squares:", gen(), gen(), gen())

local before = collectgarbage("count")
local garbage = {}
for i = 1, 10000 do garbage[i] = { i } end
garbage = nil
collectgarbage("collect")
print(string.format("heap grew and shrank: %s", collectgarbage("count") <= before + 64))
