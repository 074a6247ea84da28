-- Weak-value tables (__mode = "v") and fully weak tables (__mode = "kv"): entries whose value
-- (or, for "kv", key or value) is a collectable object with no other reference are removed;
-- strings and numbers are values, never removed.

local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

local function sortedValues(t)
  local out = {}
  for _, v in pairs(t) do out[#out + 1] = tostring(v) end
  table.sort(out)
  return table.concat(out, ",")
end

-- 1. weak values in the array part
local wv = setmetatable({}, {__mode = "v"})
local anchor
local function fillArray(t, n)
  for i = 1, n do
    local v = {i}
    if i == 5 then anchor = v end
    t[i] = v
  end
end
fillArray(wv, 20)
collectgarbage()
print("array", count(wv), wv[5] == anchor, wv[5][1], wv[1], wv[20])

-- 2. weak values in the hash part
local anchor2
local function fillHash(t, n)
  for i = 1, n do
    local v = {i}
    if i == 7 then anchor2 = v end
    t["k" .. i] = v
  end
end
local wh = setmetatable({}, {__mode = "v"})
fillHash(wh, 20)
collectgarbage()
print("hash", count(wh), wh.k7[1], wh.k1)

-- 3. strings, numbers and booleans are never removed from weak values
local ws = setmetatable({}, {__mode = "v"})
local function fillScalars(t)
  t[1] = "short"
  t[2] = string.rep("long string ", 20)
  t[3] = 12345
  t[4] = 2.5
  t[5] = true
  t[6] = false
  t.x = "x" .. 1
  t.y = 1 << 40
end
fillScalars(ws)
collectgarbage()
collectgarbage()
print("scalars", count(ws), ws[1], #ws[2], ws[3], ws[4], ws[5], ws[6], ws.x, ws.y)

-- 4. closures and coroutines as weak values
local wf = setmetatable({}, {__mode = "v"})
local keepCo
local function fillFunctions(t)
  for i = 1, 5 do
    t[i] = function() return i end
    local co = coroutine.create(function() return i end)
    if i == 3 then keepCo = co end
    t["co" .. i] = co
  end
end
fillFunctions(wf)
collectgarbage()
print("functions", count(wf), coroutine.resume(keepCo))

-- 5. a weak value that is also referenced by a strong table survives
local strong = {}
local function share(n)
  for i = 1, n do
    local v = {i}
    wv[100 + i] = v
    if i % 3 == 0 then strong[#strong + 1] = v end
  end
end
share(9)
collectgarbage()
local got = {}
for i = 101, 109 do got[#got + 1] = wv[i] and wv[i][1] or "-" end
print("shared", table.concat(got, " "))

-- 6. "kv": an entry goes when either its key or its value is collectable garbage
local kv = setmetatable({}, {__mode = "kv"})
local keepKey, keepValue = {}, {}
local function fillKv(t)
  t[keepKey] = {}              -- value is garbage: removed
  t[{}] = keepValue            -- key is garbage: removed
  t[keepKey] = nil
  t.name = {}                  -- string key, garbage value: removed
  t[{}] = "str"                -- garbage key, string value: removed
  t.fixed = "constant"         -- both scalars: stays
  t[keepValue] = keepKey       -- both alive: stays
  t[10] = 20                   -- numbers: stays
end
fillKv(kv)
collectgarbage()
print("kv", count(kv), kv.fixed, kv[keepValue] == keepKey, kv[10], kv.name)

-- 7. "kv" with both sides alive through a cycle between them that nothing else holds
local function cyc(t)
  local a, b = {}, {}
  a.other, b.other = b, a
  t[a] = b
end
cyc(kv)
collectgarbage()
print("kv cycle", count(kv))

-- 8. a value referenced only from a weak value table inside a strong table goes
local holder = {cache = setmetatable({}, {__mode = "v"})}
local function cacheIt() holder.cache.item = {data = 1} end
cacheIt()
collectgarbage()
print("cache", holder.cache.item)

-- 9. weak values: values stored after the collection are present
wv[1] = "again"
wv[2] = {}
local keepTwo = wv[2]
collectgarbage()
print("restore", wv[1], wv[2] == keepTwo)

-- 10. a table used as its own weak value
local self = setmetatable({}, {__mode = "v"})
self.me = self
collectgarbage()
print("self", self.me == self)

-- 11. sorted survivors of a mixed weak-value table
local mixed = setmetatable({}, {__mode = "v"})
local function fillMixed(t)
  for i = 1, 10 do
    if i % 2 == 0 then t[i] = "s" .. i else t[i] = {} end
  end
end
fillMixed(mixed)
collectgarbage()
print("mixed", sortedValues(mixed))
