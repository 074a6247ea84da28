-- Footprint: 100,000 coroutines, each resumed once and parked at a yield, all alive at once
-- (the shape of a server holding one coroutine per waiting client).
local n = tonumber(arg and arg[1]) or 100000
local t = {}
local function body(id)
  local got = coroutine.yield(id)
  return id + got
end
for i = 1, n do
  local co = coroutine.create(body)
  coroutine.resume(co, i)
  t[i] = co
end
print("heap_kb", collectgarbage("count"))
local s = 0
for i = 1, n, 97 do
  local _, r = coroutine.resume(t[i], 1)
  s = s + r
end
print("checksum", s)
