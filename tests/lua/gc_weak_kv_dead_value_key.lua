-- In a fully weak table (__mode = "kv"), an entry whose value is collected takes its key with
-- it in the same cycle: a large string key is freed by that one collection, not the next.
local function kilobytes() return collectgarbage("count") end
collectgarbage("incremental")  -- first, so that a mode switch collects nothing measured below
collectgarbage()

local t = setmetatable({}, {__mode = "kv"})
do
  local key = string.rep("k", 200000)
  t[key] = {}  -- the value is garbage at once; the key is only in t
end
local before = kilobytes()
collectgarbage()
local freed = before - kilobytes()
print("entry gone", next(t) == nil)
print("key freed by the first cycle", freed > 150)

-- the same with a string value that stays (strings are never weak): the entry stays
local keep = setmetatable({}, {__mode = "kv"})
do keep[string.rep("a", 1000)] = string.rep("b", 1000) end
collectgarbage()
local k, v = next(keep)
print("string entry kept", #k, #v)

-- generational mode too
collectgarbage("generational")
local g = setmetatable({}, {__mode = "kv"})
do g[string.rep("g", 200000)] = {} end
before = kilobytes()
collectgarbage()
print("generational: entry gone", next(g) == nil, before - kilobytes() > 150)
collectgarbage("incremental")
