-- Errors raised by __gc finalizers never propagate: they become warnings (stderr, not compared
-- here) and the program, and the other finalizers, go on.

warn("@on")

local log = {}
local function failing(name, value)
  return setmetatable({}, {__gc = function()
    log[#log + 1] = name
    error(value)
  end})
end

-- 1. a failing finalizer during an explicit collection
local function one() failing("one", "first failure") end
one()
local ok = pcall(collectgarbage)
print("collect ok", ok, table.concat(log, " "))

-- 2. several failing and succeeding finalizers in one cycle: all run, in order
log = {}
local function mixed()
  local list = {}
  for i = 1, 6 do
    if i % 2 == 0 then
      list[i] = failing("f" .. i, {code = i})
    else
      list[i] = setmetatable({}, {__gc = function() log[#log + 1] = "s" .. i end})
    end
  end
end
mixed()
collectgarbage()
print("mixed", table.concat(log, " "))

-- 3. error values of any type (string, table, nil, number)
log = {}
local function variety()
  local list = {failing("str", "text"), failing("tbl", {}), failing("nil", nil),
                failing("num", 42)}
end
variety()
collectgarbage()
print("variety", table.concat(log, " "))

-- 4. a failing finalizer inside pcall'ed code does not make the pcall fail
log = {}
local status = pcall(function()
  local function inner() failing("in pcall", "x") end
  inner()
  collectgarbage()
  return "fine"
end)
print("pcall status", status, table.concat(log, " "))

-- 5. a non-function __gc that is not callable: nothing runs, nothing breaks
local function notCallable()
  local list = {setmetatable({}, {__gc = 42}), setmetatable({}, {__gc = "text"})}
end
notCallable()
collectgarbage()
print("not callable ok")

-- 6. a callable table as __gc is called
local function callableTable()
  local callable = setmetatable({}, {__call = function(self, o) print("callable __gc", o.id) end})
  setmetatable({id = 7}, {__gc = callable})
end
callableTable()
collectgarbage()

-- 7. a finalizer that errors after resurrecting its object: the object stays alive
local phoenix
local function resurrectThenFail()
  setmetatable({v = "still here"}, {__gc = function(o)
    phoenix = o
    error("after resurrection")
  end})
end
resurrectThenFail()
collectgarbage()
print("resurrected despite error", phoenix and phoenix.v)

-- 8. warnings can be turned off and on again without affecting finalizers
warn("@off")
log = {}
local function quiet() failing("quiet", "silent") end
quiet()
collectgarbage()
warn("@on")
print("quiet", table.concat(log, " "))

-- 9. an error raised by a finalizer running at state close is a warning too; output before it
--    stays and the exit status is 0
failingAtClose = failing("close", "at close")
print("end")
