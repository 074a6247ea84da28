-- Coroutine switching: resume/yield ping-pong passing values in both directions.
local co = coroutine.create(function(x)
  local sum = 0
  while true do
    sum = sum + x
    x = coroutine.yield(sum)
  end
end)
local last
for i = 1, 3000000 do
  local ok, v = coroutine.resume(co, i)
  last = v
end
print("checksum", last, coroutine.status(co))
