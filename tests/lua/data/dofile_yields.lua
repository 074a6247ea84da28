-- Helper chunk for base_dofile_yield.lua: yields twice, then returns what it was given.
local a = coroutine.yield(1)
local b = coroutine.yield(a + 1)
return a, b, ...
