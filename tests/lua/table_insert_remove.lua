-- table.insert and table.remove: positions, shifting, bounds, argument errors.
local function show(t, n)
  local parts = {}
  for i = 1, n or #t do parts[#parts + 1] = tostring(t[i]) end
  return "{" .. table.concat(parts, ",") .. "}"
end
local function try(f, ...)
  print(pcall(f, ...))
end

local t = {}
table.insert(t, "a")
table.insert(t, "b")
table.insert(t, 1, "z")
table.insert(t, 2, "y")
table.insert(t, #t + 1, "end")
print(show(t), #t)

-- insert at every valid position of a small list
for pos = 1, 4 do
  local u = {1, 2, 3}
  table.insert(u, pos, "x")
  print(pos, show(u))
end

-- position errors
try(table.insert, {1, 2, 3}, 0, "x")
try(table.insert, {1, 2, 3}, 5, "x")
try(table.insert, {1, 2, 3}, -1, "x")
try(table.insert, {}, math.mininteger, "x")
try(table.insert, {}, math.maxinteger, "x")
try(table.insert, {}, 1.5, "x")
try(table.insert, {}, "2", "x")
try(table.insert, {}, "two", "x")
try(table.insert, {1}, 1.0, "float position")
-- argument count and type errors
try(table.insert, {})
try(table.insert, {}, 1, 2, 3)
try(table.insert)
try(table.insert, nil, 1)
try(table.insert, "str", 1)
try(table.insert, 42, 1)
print(pcall(function() table.insert({}, 1, 2, 3) end))
print(pcall(function() table.insert(nil, 1) end))
print(pcall(function() local t = {} t.insert = table.insert t:insert(1, 2, 3) end))

-- inserting nil is allowed
local n = {1, 2, 3}
table.insert(n, 2, nil)
print(show(n, 4))

-- remove
local r = {10, 20, 30, 40}
print(table.remove(r), show(r))
print(table.remove(r, 1), show(r))
print(table.remove(r, 2), show(r))
print(table.remove(r), show(r))
print(table.remove(r), show(r), #r)
print(table.remove(r), #r)
print(table.remove({}, 0), table.remove({}, 1), select("#", table.remove({})))
print(table.remove({1, 2, 3}, 4))
print(select("#", table.remove({1, 2, 3}, 4)))
try(table.remove, {1, 2, 3}, 5)
try(table.remove, {1, 2, 3}, 0)
try(table.remove, {1, 2, 3}, -1)
try(table.remove, {}, -1)
try(table.remove, {}, 2)
try(table.remove, {1}, 1.5)
try(table.remove)
try(table.remove, true)
print(pcall(function() return table.remove({1, 2}, 7) end))

-- remove(t, #t + 1) clears that slot
local z = {1, 2, 3}
z[4] = nil
print(table.remove(z, 4), #z)

-- remove at 0 of an empty table reads and clears t[0]
local zero = {[0] = "zero"}
print(table.remove(zero, 0), zero[0])
local zero2 = {[0] = "zero"}
print(table.remove(zero2), zero2[0])

-- long lists shift correctly
local long = {}
for i = 1, 100 do long[i] = i end
table.insert(long, 1, 0)
print(#long, long[1], long[2], long[101])
for _ = 1, 50 do table.remove(long, 1) end
print(#long, long[1], long[51])

-- plain tables have their array slots moved directly: the same results at the ends of the
-- array part, past it (the hash part), with holes, and with collectable values while the
-- collector runs in small steps (a moved value must stay reachable)
local big = {}
for i = 1, 100 do big[i] = {i} end
collectgarbage("collect")
for round = 1, 60 do
  collectgarbage("step", 1)
  table.insert(big, (round * 7) % #big + 1, {1000 + round})
  local gone = table.remove(big, (round * 13) % #big + 1)
  table.insert(big, {gone[1]})
  if round % 5 == 0 then table.remove(big) end
end
collectgarbage("collect")
local sum = 0
for i = 1, #big do sum = sum + big[i][1] end
print(#big, sum, big[1][1], big[#big][1])
local sparse = {1, 2, 3, nil, 5}
table.insert(sparse, 2, "x")
print(#sparse, sparse[2], sparse[6])
local hashed = {}
hashed[1], hashed[2], hashed[3] = "a", "b", "c"  -- in the hash part
table.insert(hashed, 1, "z")
print(show(hashed), table.remove(hashed, 2), show(hashed))
local proxy = setmetatable({}, {__index = function(_, k) return "i" .. k end})
proxy[1], proxy[2] = 1, 2
table.insert(proxy, 1, 0)
print(rawget(proxy, 1), rawget(proxy, 3), table.remove(proxy, 1), rawget(proxy, 3))
