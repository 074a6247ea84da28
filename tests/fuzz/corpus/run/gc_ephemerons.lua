-- Ephemeron tables (weak keys, strong values): a value keeps its key's entry alive only through
-- the key; a key reachable only from its own value (or from values of other dead entries) is
-- collected, however long the chain.

local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

local function ephemeron() return setmetatable({}, {__mode = "k"}) end

-- 1. the value refers back to its key: the entry goes
local e = ephemeron()
local function selfRef(t, n)
  for _ = 1, n do
    local k = {}
    t[k] = {key = k}
  end
end
selfRef(e, 10)
collectgarbage()
print("self reference", count(e))

-- 2. the value is a closure capturing the key
local function captured(t, n)
  for i = 1, n do
    local k = {i}
    t[k] = function() return k[1] end
  end
end
captured(e, 10)
collectgarbage()
print("closure capture", count(e))

-- 3. a chain k1 -> v1 -> k2 -> v2 -> ... inside one table, with the head anchored: all live
local head = {}
local function chain(t, first, n)
  local k = first
  for i = 1, n do
    local nextKey = {i}
    t[k] = {nextKey = nextKey, n = i}
    k = nextKey
  end
end
local chained = ephemeron()
chain(chained, head, 50)
collectgarbage()
print("anchored chain", count(chained))
local walk, k = 0, head
while chained[k] do walk = walk + 1; k = chained[k].nextKey end
print("walked", walk)

-- 4. dropping the head frees the whole chain
head = nil
collectgarbage()
print("dropped chain", count(chained))

-- 5. a chain built in reverse insertion order converges all the same
local head2 = {}
local rev = ephemeron()
local function reverseChain(t, first, n)
  local keys = {first}
  for i = 2, n + 1 do keys[i] = {i} end
  for i = n, 1, -1 do t[keys[i]] = {nextKey = keys[i + 1]} end
end
reverseChain(rev, head2, 40)
collectgarbage()
print("reverse chain", count(rev))
head2 = nil
collectgarbage()
print("reverse dropped", count(rev))

-- 6. a chain that crosses between two ephemeron tables
local a, b = ephemeron(), ephemeron()
local root = {}
local function crossChain(first, n)
  local k = first
  for i = 1, n do
    local t = (i % 2 == 1) and a or b
    local nextKey = {}
    t[k] = nextKey
    k = nextKey
  end
end
crossChain(root, 20)
collectgarbage()
print("cross chain", count(a), count(b))
root = nil
collectgarbage()
print("cross dropped", count(a), count(b))

-- 7. a value that refers to a key of another entry keeps that entry alive
local e2 = ephemeron()
local anchorKey = {}
local function linked(t)
  local inner = {}
  t[inner] = "inner value"
  t[anchorKey] = {ref = inner}
end
linked(e2)
collectgarbage()
print("linked", count(e2))
anchorKey = nil
collectgarbage()
print("linked dropped", count(e2))

-- 8. an ephemeron value that holds its key strongly through a strong table
local strongHolder = {}
local e3 = ephemeron()
local function viaHolder(t)
  local k = {}
  strongHolder[1] = k
  t[k] = {k}
end
viaHolder(e3)
collectgarbage()
print("via holder", count(e3))
strongHolder[1] = nil
collectgarbage()
print("holder cleared", count(e3))

-- 9. an ephemeron table used as a key of another ephemeron whose value refers to it
local outer = ephemeron()
local function nested()
  local inner = ephemeron()
  local k = {}
  inner[k] = outer
  outer[inner] = k
end
nested()
collectgarbage()
print("nested", count(outer))

-- 10. values that are strings or numbers survive as long as their keys
local e4 = ephemeron()
local liveKeys = {}
for i = 1, 5 do liveKeys[i] = {} e4[liveKeys[i]] = "v" .. i end
collectgarbage()
local values = {}
for i = 1, 5 do values[i] = e4[liveKeys[i]] end
print("string values", table.concat(values, " "))

-- 11. a key whose value is the key of a strong table entry: that strong table anchors nothing
local e5 = ephemeron()
local registry = {}
local function reg()
  local k = {}
  local v = {}
  e5[k] = v
  registry[v] = true      -- v is strongly held, but it does not hold k
end
reg()
collectgarbage()
print("value held, key not", count(e5), count(registry))

-- 12. a long ring of ephemeron entries with no external reference is collected entirely
local ring = ephemeron()
local function makeRing(n)
  local keys = {}
  for i = 1, n do keys[i] = {} end
  for i = 1, n do ring[keys[i]] = keys[i % n + 1] end
end
makeRing(200)
collectgarbage()
print("ring", count(ring))
