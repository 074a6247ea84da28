-- Seed kept from a fuzz finding (2026-12-06): line 39 moves a range of 2^63 elements, which ran
-- beyond the budget until table.move counted its elements (State::chargeNativeWork).
-- table.move, table.pack and table.unpack: ranges, overlap, other destinations, limits.
local function show(t, first, last)
  local parts = {}
  for i = first or 1, last or #t do parts[#parts + 1] = tostring(t[i]) end
  return table.concat(parts, ",")
end
local function try(f, ...)
  print(pcall(f, ...))
end

-- move within one table, both directions of overlap
local a = {1, 2, 3, 4, 5}
print(table.move(a, 1, 3, 3) == a, show(a))
a = {1, 2, 3, 4, 5}
table.move(a, 3, 5, 1)
print(show(a))
a = {1, 2, 3, 4, 5}
table.move(a, 2, 4, 2)
print(show(a))
a = {1, 2, 3}
table.move(a, 1, 3, 10)
print(show(a, 1, 12))
a = {1, 2, 3}
table.move(a, 1, 0, 2)  -- empty range: nothing moves
print(show(a))
-- move into another table
local b = {"x", "y"}
local r = table.move({1, 2, 3}, 1, 3, 2, b)
print(r == b, show(b))
print(show(table.move({1, 2, 3}, 2, 3, 1, {})))
print(show(table.move({[-1] = "m", [0] = "z", "one"}, -1, 1, 1, {})))
-- nil destination means the source
a = {1, 2}
print(table.move(a, 1, 2, 3, nil) == a, show(a))

-- move limits
try(table.move, {}, 2, math.maxinteger, 2)
try(table.move, {}, -1, math.maxinteger, 2)
try(table.move, {}, 0, math.maxinteger, 1)
try(table.move, {1, 2}, 1, 2, math.maxinteger)
print((pcall(table.move, {1, 2}, 1, 2, math.maxinteger - 1)))
print((pcall(table.move, {}, math.mininteger, math.mininteger + 1, 1)))
try(table.move, {1}, 1, 1, 1, 5)
try(table.move, {1}, 1, 1)
try(table.move, {1}, 1.5, 1, 1)
try(table.move, nil, 1, 1, 1)
try(table.move, {1}, "a", 1, 1)

-- pack
local p = table.pack()
print(p.n, #p)
p = table.pack(1, nil, 3, nil)
print(p.n, p[1], p[2], p[3], p[4])
p = table.pack("a", "b")
print(p.n, show(p))
print(table.pack(table.unpack({1, 2, 3})).n)

-- unpack
print(table.unpack({}))
print(table.unpack({1, 2, 3}))
print(table.unpack({1, 2, 3}, 2))
print(table.unpack({1, 2, 3}, 2, 3))
print(table.unpack({1, 2, 3}, -1, 1))
print(table.unpack({1, 2, 3}, 3, 2))
print(select("#", table.unpack({}, 1, 5)))
print(table.unpack({1, 2, 3}, 1.0, 2.0))
print(table.unpack({[0] = "zero", [math.maxinteger] = "max"}, 0, 0))
print(table.unpack({[math.maxinteger] = "max"}, math.maxinteger, math.maxinteger))
print(table.unpack({[math.mininteger] = "min"}, math.mininteger, math.mininteger))
print(select("#", table.unpack({}, 1, 10000)))
try(table.unpack, {}, 1, 1e7)
try(table.unpack, {}, 1, 1e8)
try(table.unpack, {}, math.mininteger, math.maxinteger)
try(table.unpack, {}, 0, math.maxinteger)
try(table.unpack, {}, 1, 1.5)
try(table.unpack, {}, "x")
try(table.unpack)
print(pcall(function() return table.unpack({}, 1, 1e7) end))
