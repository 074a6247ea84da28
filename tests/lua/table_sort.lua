-- table.sort: default order, comparators, ties, large inputs, invalid order functions and
-- comparator errors.
local function show(t)
  local parts = {}
  for i = 1, #t do parts[i] = tostring(t[i]) end
  return table.concat(parts, " ")
end
local function try(f, ...)
  print(pcall(f, ...))
end

-- a deterministic generator, independent of math.random
local seed = 12345
local function rand(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n + 1
end

local function isSorted(t, lt)
  lt = lt or function(a, b) return a < b end
  for i = 2, #t do
    if lt(t[i], t[i - 1]) then return false end
  end
  return true
end

-- small cases
for n = 0, 6 do
  local t = {}
  for i = 1, n do t[i] = (i * 7) % (n + 1) end
  table.sort(t)
  print(n, show(t))
end
local s = {"pear", "apple", "fig", "banana", "Apple", "cherry", ""}
table.sort(s)
print(show(s))
table.sort(s, function(a, b) return a > b end)
print(show(s))
local mixed = {3, 1.5, -2, 2^53, -0.0, 0, 1e308, -math.huge, math.huge, 7}
table.sort(mixed)
print(show(mixed))
table.sort(mixed, function(a, b) return a > b end)
print(show(mixed))

-- ties: records sorted by key (small arrays: the order of equal keys is the algorithm's)
local recs = {}
for i = 1, 20 do recs[i] = {k = i % 3, id = i} end
table.sort(recs, function(a, b) return a.k < b.k end)
local ids = {}
for i = 1, #recs do ids[i] = recs[i].id end
print(table.concat(ids, " "))
local words = {}
for i = 1, 60 do words[i] = string.char(97 + rand(5)) .. i end
table.sort(words, function(a, b) return a:sub(1, 1) < b:sub(1, 1) end)
print(table.concat(words, " "))

-- large inputs: random, sorted, reversed, all equal, organ pipe
local function check(name, t, lt)
  table.sort(t, lt)
  print(name, #t, isSorted(t, lt))
end
local big = {}
for i = 1, 2000 do big[i] = rand(1000) end
check("random", big)
local sorted = {}
for i = 1, 2000 do sorted[i] = i end
check("sorted", sorted)
local reversed = {}
for i = 1, 2000 do reversed[i] = 2001 - i end
check("reversed", reversed)
local same = {}
for i = 1, 2000 do same[i] = 5 end
check("equal", same)
local pipe = {}
for i = 1, 2000 do pipe[i] = i <= 1000 and i or 2001 - i end
check("pipe", pipe)
local desc = {}
for i = 1, 500 do desc[i] = rand(100) end
check("descending", desc, function(a, b) return a > b end)
local strs = {}
for i = 1, 500 do strs[i] = tostring(rand(100000)) end
check("strings", strs)

-- __lt metamethods are used without a comparator
local mt = {__lt = function(a, b) return a.v < b.v end}
local objs = {}
for i = 1, 10 do objs[i] = setmetatable({v = (i * 37) % 11}, mt) end
table.sort(objs)
local vs = {}
for i = 1, #objs do vs[i] = objs[i].v end
print(table.concat(vs, " "))

-- comparison errors
try(table.sort, {1, 2, "x"})
try(table.sort, {1, {}, 2})
try(table.sort, {true, false})
print(pcall(table.sort, {3, 1, 2}, function(a, b) error("boom") end))
print(type(select(2, pcall(table.sort, {3, 1, 2}, function(a, b) error({code = 7}) end))))
print(select(2, pcall(table.sort, {3, 1, 2}, function(a, b) error({code = 7}) end)).code)
print(pcall(table.sort, {3, 1, 2}, function(a, b) return a.x < b end))

-- invalid order functions: an error or some permutation, never a crash or a hang
print(pcall(table.sort, {3, 2, 1, 4, 5, 6, 7}, function(a, b) return true end))
local le = {5, 3, 5, 1, 5, 2, 5, 4, 5, 5}
print(pcall(table.sort, le, function(a, b) return a <= b end))
local le2 = {}
for i = 1, 200 do le2[i] = rand(3) end
print(pcall(table.sort, le2, function(a, b) return a <= b end))
for trial = 1, 5 do
  local t = {}
  for i = 1, 50 do t[i] = i end
  local ok, err = pcall(table.sort, t, function(a, b) return rand(2) == 1 end)
  local sum = 0
  for i = 1, #t do sum = sum + t[i] end
  print("random comparator", trial, ok, err, #t, sum)
end
print(pcall(table.sort, {1, 2, 3}, function(a, b) return false end))
local notTotal = {3, 1, 2, 3, 1, 2}
print(pcall(table.sort, notTotal, function(a, b) return a ~= b end))

-- argument errors
try(table.sort)
try(table.sort, nil)
try(table.sort, {1, 2}, 3)
try(table.sort, {1, 2}, "x")
print(pcall(table.sort, {}, 3))  -- no check for fewer than two elements
print(pcall(table.sort, {1}, 3))
try(table.sort, setmetatable({}, {__len = function() return 2^40 end}))
try(table.sort, setmetatable({}, {__len = function() return 1.5 end}))
print(pcall(function() table.sort({3, 2, 1, 4, 5}, function() return true end) end))

-- the comparator can read the table while it is being sorted
local watched = {5, 4, 3, 2, 1}
table.sort(watched, function(a, b)
  assert(#watched == 5)
  return a < b
end)
print(show(watched))

-- a nil comparator means default order
local d = {3, 1, 2}
table.sort(d, nil)
print(show(d))

-- a comparator that rewrites the table while sorting: no crash, every slot still filled
local victim = {5, 3, 8, 1, 9, 2, 7}
local calls = 0
print(pcall(table.sort, victim, function(a, b)
  calls = calls + 1
  victim[calls % 7 + 1] = calls
  return a < b
end))
print(#victim, calls)
