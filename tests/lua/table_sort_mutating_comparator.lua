-- table.sort reads and writes a plain table's array part directly; a comparator may change the
-- table under it (grow it, shrink it, give it a metatable, drop elements and collect them). The
-- sort must then behave as getI/setI would: the same result as lua5.4, never a stale element.
local function show(t, n)
  local parts = {}
  for i = 1, n or #t do parts[i] = tostring(t[i]) end
  return table.concat(parts, " ")
end

-- deterministic input
local seed = 777
local function rand(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n + 1
end
local function fresh(n)
  local t = {}
  for i = 1, n do t[i] = rand(1000) end
  return t
end

-- Elements in the hash part (built backwards): the sort falls back to the table's own lookup.
local back = {}
for i = 12, 1, -1 do back[i] = (i * 5) % 13 end
table.sort(back)
print("hash part", show(back))

-- The comparator empties a slot and gives the table a metatable midway: a later write into
-- the empty slot goes through __newindex, as lua_seti's would.
local t = fresh(40)
local writes = 0
local calls = 0
table.sort(t, function(a, b)
  calls = calls + 1
  if calls == 25 then
    t[3] = nil
    setmetatable(t, {__newindex = function(tt, k, v) writes = writes + 1 rawset(tt, k, v) end})
  end
  return (a or 1e9) < (b or 1e9)
end)
print("metatable set midway", show(t, 40), "newindex writes", writes)

-- The comparator grows the table far past its array part (the array moves) and shrinks it back.
local g = fresh(60)
local n = #g
calls = 0
table.sort(g, function(a, b)
  calls = calls + 1
  if calls % 7 == 0 then
    for i = n + 1, n + 200 do g[i] = 0 end
    for i = n + 200, n + 1, -1 do g[i] = nil end
    collectgarbage()
  end
  return a < b
end)
print("grown and shrunk", show(g, n))

-- The comparator empties slots and collects: objects it dropped must not come back dangling.
local objs = {}
for i = 1, 50 do objs[i] = {v = rand(100)} end
local dropped = 0
local ok, err = pcall(table.sort, objs, function(a, b)
  if a == nil or b == nil then error("nil compared") end
  if dropped < 5 then
    dropped = dropped + 1
    objs[50 - dropped] = {v = -dropped}
    collectgarbage()
  end
  return a.v < b.v
end)
local intact = true
for i = 1, 50 do intact = intact and type(objs[i]) == "table" and type(objs[i].v) == "number" end
print("dropped and collected", ok, err, intact)

-- Strings and numbers with no comparator take the `<` of the language, metamethods included.
local mt = {__lt = function(a, b) return a.k < b.k end}
local boxes = {}
for i = 1, 30 do boxes[i] = setmetatable({k = rand(50)}, mt) end
table.sort(boxes)
local ks = {}
for i = 1, #boxes do ks[i] = boxes[i].k end
print("__lt boxes", table.concat(ks, " "))
print(pcall(table.sort, {1, "x", 2}))

-- An inconsistent comparator on a plain table is caught, not run off the array's end.
local bad = fresh(300)
print(pcall(table.sort, bad, function(a, b) return true end))
