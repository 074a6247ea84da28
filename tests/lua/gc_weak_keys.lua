-- Weak-key tables (__mode = "k"): collectable keys with no other reference disappear after a
-- full collection; strings, numbers and booleans are values and are never removed.

local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

-- Fresh keys created in a helper, so no stale register of this chunk refers to them.
local function addTables(t, n)
  for i = 1, n do t[{}] = i end
end

-- 1. tables as weak keys
local wk = setmetatable({}, {__mode = "k"})
addTables(wk, 50)
collectgarbage()
print("tables after", count(wk))

-- 2. a key that is still referenced elsewhere stays, with its value
local kept = {}
wk[kept] = "kept value"
addTables(wk, 10)
collectgarbage()
print("kept", count(wk), wk[kept])

-- 3. strings, numbers and booleans are never removed from weak keys
local function addValues(t)
  t["a string key"] = 1
  t[string.rep("x", 100)] = 2
  t[42] = 3
  t[3.5] = 4
  t[true] = 5
  t[math.maxinteger] = 6
  for i = 1, 20 do t["k" .. i] = i end
end
local wv = setmetatable({}, {__mode = "k"})
addValues(wv)
collectgarbage()
collectgarbage()
print("values kept", count(wv), wv["a string key"], wv[42], wv[3.5], wv[true], wv.k20)

-- 4. functions (closures) and coroutines as keys
local function addOthers(t)
  for i = 1, 5 do
    t[function() return i end] = "closure"
    t[coroutine.create(function() end)] = "thread"
  end
end
local wo = setmetatable({}, {__mode = "k"})
addOthers(wo)
collectgarbage()
print("others after", count(wo))

-- 5. a closure kept alive by a local stays, the others go
local keepFn = function() return "alive" end
wo[keepFn] = 1
addOthers(wo)
collectgarbage()
print("closure kept", count(wo), wo[keepFn], keepFn())

-- 6. values of weak-key entries are strong: the value survives while its key lives
local key = {}
local function setStrongValue() wk[key] = {payload = "deep"} end
setStrongValue()
collectgarbage()
print("strong value", wk[key].payload)

-- 7. a weak table as a key of another weak table
local outer = setmetatable({}, {__mode = "k"})
local function nest()
  local inner = setmetatable({}, {__mode = "k"})
  inner[{}] = 1
  outer[inner] = true
end
nest()
collectgarbage()
print("nested", count(outer))

-- 8. the mode is read at collection time: setting __mode later makes the table weak
local late = {}
local lateMt = {}
setmetatable(late, lateMt)
addTables(late, 7)
collectgarbage()
print("late strong", count(late))
lateMt.__mode = "k"
collectgarbage()
print("late weak", count(late))

-- 9. removing the weak mode makes the table strong again
local switch = setmetatable({}, {__mode = "k"})
local switchKeys = {}
for i = 1, 4 do switchKeys[i] = {} switch[switchKeys[i]] = i end
collectgarbage()
print("weak while anchored", count(switch))
getmetatable(switch).__mode = nil
switchKeys = nil
collectgarbage()
print("unweakened", count(switch))

-- 10. a weak-key table survives many cycles with live keys intact
local live = {}
for i = 1, 100 do live[i] = {} end
local big = setmetatable({}, {__mode = "k"})
for i = 1, 100 do big[live[i]] = i end
addTables(big, 100)
for _ = 1, 3 do collectgarbage() end
local sum = 0
for k, v in pairs(big) do sum = sum + v end
print("live keys", count(big), sum)
live = nil
collectgarbage()
print("dropped keys", count(big))

-- 11. next() over a weak table after collection stays consistent
local iter = setmetatable({}, {__mode = "k"})
local anchors = {}
for i = 1, 10 do
  local k = {}
  if i % 2 == 0 then anchors[#anchors + 1] = k end
  iter[k] = i
end
collectgarbage()
local evens = {}
for _, v in pairs(iter) do evens[#evens + 1] = v end
table.sort(evens)
print("evens", table.concat(evens, " "))
