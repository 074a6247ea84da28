-- Coroutines created, resumed once (each parks at a yield) and dropped, 1.5 million times: the
-- seeds' leak pattern with the leak fixed. It measures what a coroutine's life costs (its
-- allocation, the registry's record, its collection), inspector included.
local n = tonumber(arg and arg[1]) or 1500000
local live = {}
local sum = 0
for i = 1, n do
  local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b end)
  local _, v = coroutine.resume(co, i)
  sum = sum + v
  live[i % 64 + 1] = co  -- a few stay reachable for a while, the rest are garbage at once
end
print("checksum", sum)
