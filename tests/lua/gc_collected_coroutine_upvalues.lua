-- A suspended coroutine is collected while closures it made still hold its locals as open
-- upvalues: the locals must move into the upvalues (the seeds' scenario: a coroutine parked
-- forever, its callback kept in a table). Every collector mode runs the same checks.

local function churn(n)
  local keep = {}
  for i = 1, n do keep[i % 64 + 1] = {i, tostring(i)} end
  for i = 1, n do coroutine.create(print) end
end

local function scenario(mode)
  collectgarbage(mode)

  -- one closure, one captured number
  local co = coroutine.wrap(function()
    local a = 10
    coroutine.yield(function() a = a + 1 return a end)
  end)
  local f = co(); co = nil
  collectgarbage(); churn(1000)
  print(mode, "single", f(), f())

  -- many parked coroutines, each handing out two closures that share a local table
  local getters, setters = {}, {}
  for i = 1, 2000 do
    local w = coroutine.wrap(function()
      local box = {i}
      local name = "co" .. i
      coroutine.yield(function() return box[1], name end, function(v) box[1] = v end)
    end)
    getters[i], setters[i] = w()
  end
  collectgarbage(); churn(2000); collectgarbage()
  local sum = 0
  for i = 1, 2000, 3 do setters[i](i * 2) end
  for i = 1, 2000 do local v = getters[i]() sum = sum + v end
  print(mode, "shared", sum, select(2, getters[1999]()))

  -- the coroutine writes a fresh table into the captured local after the closure escaped,
  -- then parks: the closure must see the last value, alive
  -- (`hold` stores into a closed upvalue: its barrier marks the closure mid-cycle)
  local later = {}
  local hold = (function() local h; return function(v) h = v end end)()
  for i = 1, 300 do
    local w = coroutine.wrap(function()
      local slot = "old"
      coroutine.yield(function() return slot end)
      slot = {tag = "new" .. i}
      coroutine.yield()
    end)
    later[i] = w()
    hold(later[i])
    for j = 1, 20 do local _ = {} end
    w()
  end
  collectgarbage(); churn(500); collectgarbage()
  local ok = 0
  for i = 1, 300 do if later[i]().tag == "new" .. i then ok = ok + 1 end end
  print(mode, "rewritten", ok)

  -- a coroutine that grew its stack before parking (the upvalue points into a moved stack)
  local deep
  do
    local w = coroutine.wrap(function()
      local x = "deep"
      local function grow(n) if n > 0 then return grow(n - 1) + 0 end coroutine.yield(function() return x end) return 0 end
      grow(200)
    end)
    deep = w()
  end
  collectgarbage(); churn(500)
  print(mode, "deep", deep())

  -- dropped closures and dropped coroutines together: nothing to read, nothing to crash
  for i = 1, 500 do
    local w = coroutine.wrap(function() local z = {i} coroutine.yield(function() return z end) end)
    w()
  end
  collectgarbage(); collectgarbage()
  print(mode, "dropped", "ok")
end

scenario("incremental")
scenario("generational")
scenario("incremental")
