-- __gc finalizers: which objects are marked for finalization, how often and in what order the
-- finalizers run.

-- 1. finalizers of objects collected in one cycle run in reverse order of marking
local log = {}
local function gcLogger(name)
  return setmetatable({}, {__gc = function() log[#log + 1] = name end})
end
-- All become garbage together (the list goes when makeSome returns), even if a collection
-- runs while they are being made.
local function makeSome()
  local list = {}
  for i = 1, 5 do list[i] = gcLogger("o" .. i) end
end
makeSome()
collectgarbage()
print("order", table.concat(log, " "))

-- 2. marking order, not creation order: setmetatable on older objects later
log = {}
local function markLater()
  local objs = {}
  for i = 1, 4 do objs[i] = {name = "m" .. i} end
  local mt = {__gc = function(o) log[#log + 1] = o.name end}
  for _, i in ipairs({3, 1, 4, 2}) do setmetatable(objs[i], mt) end
end
markLater()
collectgarbage()
print("marked order", table.concat(log, " "))

-- 3. a __gc field added after setmetatable does not mark the object
log = {}
local function addedLater()
  local mt = {}
  setmetatable({}, mt)
  mt.__gc = function() log[#log + 1] = "late" end
end
addedLater()
collectgarbage()
print("added later", #log)

-- 4. a __gc field present at setmetatable time marks the object even if it changes later;
--    the finalizer called is the one in the metatable when the object is collected
log = {}
local function changedLater()
  local mt = {__gc = function() log[#log + 1] = "first" end}
  setmetatable({}, mt)
  mt.__gc = function() log[#log + 1] = "second" end
end
changedLater()
collectgarbage()
print("changed later", table.concat(log, " "))

-- 5. any non-nil __gc marks (false or a table too); a marked object whose __gc is later
--    replaced by a function is finalized
log = {}
local function placeholder()
  local mt = {__gc = true}
  setmetatable({}, mt)
  mt.__gc = function() log[#log + 1] = "placeholder" end
end
placeholder()
collectgarbage()
print("placeholder", table.concat(log, " "))

-- 6. a finalizer runs once, even across several collections
local runs = 0
local function once()
  setmetatable({}, {__gc = function() runs = runs + 1 end})
end
once()
for _ = 1, 4 do collectgarbage() end
print("runs", runs)

-- 7. setting the metatable again with __gc does not mark an object twice
local twice = 0
local function again()
  local mt = {__gc = function() twice = twice + 1 end}
  local o = setmetatable({}, mt)
  setmetatable(o, mt)
  setmetatable(o, nil)
  setmetatable(o, mt)
end
again()
collectgarbage()
collectgarbage()
print("marked twice", twice)

-- 8. the finalizer receives the object itself, with its fields intact
local function fields()
  setmetatable({x = 1, y = "two", z = {3}}, {__gc = function(o)
    print("fields", o.x, o.y, o.z[1])
  end})
end
fields()
collectgarbage()

-- 9. a live object is not finalized
local alive = setmetatable({}, {__gc = function() print("should not run yet") end})
collectgarbage()
print("alive kept", type(alive))

-- 10. an object reachable from a finalizable object is kept until the finalizer ran
local function child()
  local kid = {name = "kid"}
  setmetatable({kid = kid}, {__gc = function(o) print("parent sees", o.kid.name) end})
end
child()
collectgarbage()

-- 11. finalizers may allocate, create finalizable objects and call collectgarbage("count")
local nested = {}
local function allocating()
  setmetatable({}, {__gc = function()
    local t = {}
    for i = 1, 100 do t[i] = {i} end
    nested[#nested + 1] = #t
    setmetatable({}, {__gc = function() nested[#nested + 1] = "inner" end})
  end})
end
allocating()
collectgarbage()
collectgarbage()
print("allocating", table.concat(nested, " "))

-- 12. objects of many finalizable kinds in one cycle, sorted by their finalizer order
log = {}
local function many(n)
  local mt = {__gc = function(o) log[#log + 1] = o[1] end}
  local list = {}
  for i = 1, n do list[i] = setmetatable({i}, mt) end
end
many(20)
collectgarbage()
local ok = #log == 20
for i = 1, #log do ok = ok and log[i] == 21 - i end
print("twenty reversed", ok)

-- 13. collectgarbage() inside a finalizer is ignored / harmless
local function selfCollect()
  setmetatable({}, {__gc = function() collectgarbage() print("collect inside __gc") end})
end
selfCollect()
collectgarbage()
print("done")
