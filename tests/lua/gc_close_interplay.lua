-- To-be-closed variables and finalizers: __close runs at scope exit (normal, break, error,
-- return), its errors propagate like ordinary errors, and the closed object stays an ordinary
-- object for the collector (finalized once, when unreachable).

local log = {}
-- Every closer stays anchored here until release(), so it becomes garbage at a known point even
-- if a stress mode collects while errors unwind.
local anchors = {}
local function release() anchors = {} end
local function closer(name, fail)
  local o = {name = name}
  anchors[#anchors + 1] = o
  return setmetatable(o, {
    __close = function(o, err)
      log[#log + 1] = "close " .. o.name .. (err and (" err=" .. tostring(err)) or "")
      if fail then error(fail, 0) end
    end,
    __gc = function(o) log[#log + 1] = "gc " .. o.name end,
  })
end
local function flush(label)
  print(label, table.concat(log, " | "))
  log = {}
end

-- 1. normal exit: __close runs at once, __gc only when collected
do
  local a <close> = closer("a")
end
flush("scope exit")
release()
collectgarbage()
flush("collected")

-- 2. closing order is reverse declaration order, then finalizers in reverse marking order
local function twoVars()
  local x <close> = closer("x")
  local y <close> = closer("y")
end
twoVars()
flush("two closed")
release()
collectgarbage()
flush("two collected")

-- 3. an error in the body: __close receives it, pcall returns it
local ok, err = pcall(function()
  local c <close> = closer("c")
  error("body failed", 0)
end)
flush("error body " .. tostring(ok) .. " " .. tostring(err))
release()
collectgarbage()
flush("after error")

-- 4. an error in __close replaces the normal result
ok, err = pcall(function()
  local d <close> = closer("d", "close failed")
  return "unreached"
end)
flush("close error " .. tostring(ok) .. " " .. tostring(err))
release()
collectgarbage()
flush("after close error")

-- 5. an error in __close while another error propagates: the later error wins, both closes run
ok, err = pcall(function()
  local e1 <close> = closer("e1", "first close error")
  local e2 <close> = closer("e2", "second close error")
  error("original", 0)
end)
flush("chained " .. tostring(ok) .. " " .. tostring(err))
release()
collectgarbage()
flush("after chained")

-- 6. a to-be-closed object resurrected by its finalizer can be closed again by a new scope
local saved
local function resurrecting()
  local r <close> = setmetatable({n = 0}, {
    __close = function(o) o.n = o.n + 1 end,
    __gc = function(o) saved = o end,
  })
end
resurrecting()
collectgarbage()
print("resurrected closable", saved.n)
do
  local again <close> = saved
end
print("closed again", saved.n)
saved = nil
collectgarbage()

-- 7. break and goto out of a loop close the variable each iteration
local closes = 0
for i = 1, 3 do
  local l <close> = setmetatable({}, {__close = function() closes = closes + 1 end})
  if i == 2 then break end
end
print("loop closes", closes)

-- 8. a coroutine killed with coroutine.close runs pending __close; its objects are collected
local co = coroutine.create(function()
  local k <close> = closer("co")
  coroutine.yield()
end)
coroutine.resume(co)
print("close coroutine", coroutine.close(co))
co = nil
release()
collectgarbage()
flush("coroutine")

-- 9. nil and false are allowed as to-be-closed values
do
  local n <close> = nil
  local f <close> = false
end
print("nil and false ok")

-- 10. a value without __close is an error at declaration
print(pcall(function() local bad <close> = {} end))

-- 11. a __close that collects garbage while closing
local function collectingClose()
  local g <close> = setmetatable({}, {__close = function()
    collectgarbage()
    log[#log + 1] = "collected inside close"
  end})
  closer("temp")
  release()  -- garbage from here on
end
collectingClose()
flush("collect in close")

-- 12. an error object that is a table with __gc survives while pcall returns it
ok, err = pcall(function()
  error(setmetatable({msg = "table error"}, {__gc = function() log[#log + 1] = "gc err" end}))
end)
collectgarbage()
print("error table", ok, err.msg, #log)
err = nil
collectgarbage()
flush("error table collected")
