-- Generator pipeline: producer -> filter -> map -> consumer, each stage a coroutine.wrap generator.
local function producer(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i) end
  end)
end
local function filter(pred, src)
  return coroutine.wrap(function()
    for v in src do if pred(v) then coroutine.yield(v) end end
  end)
end
local function map(f, src)
  return coroutine.wrap(function()
    for v in src do coroutine.yield(f(v)) end
  end)
end
local count, sum = 0, 0
local function double(x) return x * 2 end
local function notMultipleOf3(x) return x % 3 ~= 0 end
for v in map(double, filter(notMultipleOf3, producer(1200000))) do
  count = count + 1
  sum = sum + v
end
print("checksum", count, sum)
