-- Resurrection: an object stored somewhere by its finalizer lives on, usable, and is collected
-- in a later cycle without its finalizer running again (unless it is marked again). Weak
-- tables see resurrected objects as the manual (2.5.4) says: removed from weak values before
-- the finalizers run, removed from weak keys only when actually freed.

local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

-- 1. a finalizer stores its object in a global: it is usable afterwards
local saved
local gcCount = 0
local function makeResurrecting()
  setmetatable({name = "phoenix", data = {1, 2, 3}}, {__gc = function(o)
    gcCount = gcCount + 1
    saved = o
  end})
end
makeResurrecting()
collectgarbage()
print("resurrected", saved and saved.name, saved and #saved.data, gcCount)

-- 2. the resurrected object keeps its metatable but the finalizer does not run again
local mtKept = getmetatable(saved) ~= nil
saved = nil
collectgarbage()
collectgarbage()
print("after drop", gcCount, mtKept)

-- 3. re-registering (setmetatable again with __gc) makes it run again
local reruns = 0
local keep
local function reRegister()
  local mt = {}
  mt.__gc = function(o)
    reruns = reruns + 1
    if reruns < 3 then
      keep = o
      setmetatable(o, mt)   -- marks it again for finalization
    end
  end
  setmetatable({}, mt)
end
reRegister()
for _ = 1, 3 do
  keep = nil
  collectgarbage()
end
print("re-registered runs", reruns)
keep = nil
collectgarbage()
collectgarbage()
print("final runs", reruns)

-- 4. weak values are cleared before the finalizer runs; weak keys keep the resurrected key
local wk = setmetatable({}, {__mode = "k"})
local wv = setmetatable({}, {__mode = "v"})
local seen = {}
local function watched()
  local o = setmetatable({}, {__gc = function(o)
    seen.key = wk[o]
    seen.value = wv[1]
    seen.same = wk[o] ~= nil
  end})
  wk[o] = "key entry"
  wv[1] = o
end
watched()
-- Counted right after the cycle, before anything allocates (a stress mode could run another).
collectgarbage()
local keysLeft, valuesLeft = count(wk), count(wv)
print("in finalizer: weak key", seen.key, "weak value", seen.value)
print("after first cycle", keysLeft, valuesLeft)
collectgarbage()
print("after second cycle", count(wk), count(wv))

-- 5. an object reachable only from a finalizable object is resurrected with it and dropped
--    from weak values in the same cycle
local wv2 = setmetatable({}, {__mode = "v"})
local gotChild
local function withChild()
  local kid = {tag = "kid"}
  wv2.kid = kid
  setmetatable({kid = kid}, {__gc = function(o) gotChild = o.kid.tag end})
end
withChild()
collectgarbage()
print("child", gotChild, wv2.kid)

-- 6. resurrected into a weak-value table: gone in the next cycle, its finalizer not re-run
local cache = setmetatable({}, {__mode = "v"})
local finals = 0
local function intoCache()
  setmetatable({}, {__gc = function(o)
    finals = finals + 1
    cache[1] = o
  end})
end
intoCache()
collectgarbage()
local cached = cache[1] ~= nil
print("cached", cached, finals)
collectgarbage()
print("cache next cycle", cache[1], finals)

-- 7. resurrected into a weak-key table as key: present until the next cycle
local wk2 = setmetatable({}, {__mode = "k"})
local function intoKeys()
  setmetatable({}, {__gc = function(o) wk2[o] = true end})
end
intoKeys()
collectgarbage()
local resurrectedKeys = count(wk2)
print("weak key resurrected", resurrectedKeys)
collectgarbage()
print("weak key next cycle", count(wk2))

-- 8. a resurrected object's fields can be changed and read later
local r
local function mutable()
  setmetatable({n = 1}, {__gc = function(o) o.n = o.n + 1; r = o end})
end
mutable()
collectgarbage()
r.n = r.n * 10
collectgarbage()
print("mutated", r.n)
r = nil
collectgarbage()

-- 9. a chain of resurrections: each finalizer creates the next finalizable object
local generations = {}
local function generation(n)
  setmetatable({}, {__gc = function()
    generations[#generations + 1] = n
    if n < 4 then generation(n + 1) end
  end})
end
generation(1)
for _ = 1, 6 do collectgarbage() end
print("generations", table.concat(generations, " "))

-- 10. a finalizer resurrecting another finalizable object that was collected in the same cycle
local log = {}
local function pair()
  local a = setmetatable({name = "a"}, {__gc = function(o) log[#log + 1] = "a:" .. tostring(o.peer.name) end})
  local b = setmetatable({name = "b"}, {__gc = function(o) log[#log + 1] = "b:" .. tostring(o.peer.name) end})
  a.peer, b.peer = b, a
end
pair()
collectgarbage()
print("pair", table.concat(log, " "))
