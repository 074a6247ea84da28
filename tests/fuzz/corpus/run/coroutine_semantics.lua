-- Pins down the coroutine library: statuses, resume/yield values, wrap errors with positions,
-- isyieldable, running, close, errors for dead/running/normal coroutines, yield across pcall.
local co = coroutine.create(function(a, b)
  print("start", a, b, coroutine.status(coroutine.running()), coroutine.isyieldable())
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2, "two")
  return d + e, "end"
end)
print(coroutine.status(co))
print(coroutine.resume(co, 1, 2))
print(coroutine.status(co))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 3, 4))
print(coroutine.status(co))
print(coroutine.resume(co))
-- main thread
local main, ismain = coroutine.running()
print(type(main), ismain, coroutine.isyieldable(), coroutine.status(main))
print(pcall(coroutine.yield, 1))
-- normal status and resuming a non-suspended coroutine
local outer
outer = coroutine.create(function()
  local inner = coroutine.create(function()
    print("outer is", coroutine.status(outer))
    print(coroutine.resume(outer))
  end)
  coroutine.resume(inner)
  print(coroutine.resume(coroutine.running()))
end)
coroutine.resume(outer)
-- errors: resume returns false + message; wrap raises with position
local bad = coroutine.create(function() error("boom") end)
print(coroutine.resume(bad))
print(coroutine.status(bad))
local w = coroutine.wrap(function() error("wrapped boom") end)
print(pcall(w))
local w2 = coroutine.wrap(function() error({code = 7}) end)
local ok, e = pcall(w2)
print(ok, type(e), e.code)
local w3 = coroutine.wrap(function() return 1 end)
w3()
print(pcall(w3))
-- yield across pcall and xpcall inside a coroutine
local p = coroutine.wrap(function()
  local ok1, v1 = pcall(function() return coroutine.yield("in pcall") .. "!" end)
  local ok2, v2 = xpcall(function() error(coroutine.yield("in xpcall")) end, function(m) return "handled " .. m end)
  return ok1, v1, ok2, v2
end)
print(p())
print(p("x"))
print(p("y"))
-- generic for over a coroutine iterator
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local sum = 0
for i in range(10) do sum = sum + i end
print("sum", sum)
-- close
local c1 = coroutine.create(function() coroutine.yield() end)
coroutine.resume(c1)
print(coroutine.close(c1), coroutine.status(c1))
local c2 = coroutine.create(function() error("died") end)
coroutine.resume(c2)
print(coroutine.close(c2))
local c3 = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function() print("closing x") end})
  coroutine.yield()
end)
coroutine.resume(c3)
print(coroutine.close(c3))
print(pcall(coroutine.close, coroutine.running()))
-- argument errors
print(pcall(coroutine.create, 1))
print(pcall(coroutine.resume, 1))
print(pcall(coroutine.status, nil))
print(pcall(coroutine.wrap))
-- many values through yield and resume
local many = coroutine.wrap(function(...)
  local t = {coroutine.yield(select("#", ...), ...)}
  return #t, table.unpack(t)
end)
print(many(1, nil, 3))
print(many("a", "b"))
