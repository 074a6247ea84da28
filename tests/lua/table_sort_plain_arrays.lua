-- table.sort without a comparator on plain arrays of integers only or strings only (sorted in
-- place by a path of their own), and on the arrays next to them that must take the general
-- path: one float among integers, a metatable, elements past the array part.
local seed = 4242
local function rand(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n
end
local function digest(t)
  local h = 0
  for i = 1, #t do h = (h * 31 + t[i]) % 1000000007 end  -- the order, not only the set
  return h
end
local function ascending(t)
  for i = 2, #t do
    if t[i] < t[i - 1] then return false end
  end
  return true
end
local function show(t, n)
  local parts = {}
  for i = 1, math.min(#t, n) do parts[i] = tostring(t[i]) end
  return table.concat(parts, " ")
end

-- integers: duplicates, negatives and the extremes
for _, size in ipairs({2, 3, 7, 100, 5000}) do
  local t = {}
  for i = 1, size do t[i] = rand(size // 2 + 1) - size // 4 end
  t[1] = math.maxinteger
  t[size] = math.mininteger
  table.sort(t)
  print("integers", size, ascending(t), show(t, 8), t[#t], digest(t))
end

-- strings: shared prefixes, embedded zeros, bytes past 127, long ones, duplicates
local pool = {"", "a", "ab", "a\0", "a\0b", "a\0a", "\255", "\128x", "B", "b", "ba",
  string.rep("x", 60), string.rep("x", 59) .. "y", string.rep("x", 61)}
for _, size in ipairs({2, 14, 300, 4000}) do
  local t = {}
  for i = 1, size do
    local s = pool[rand(#pool) + 1]
    if rand(3) == 0 then s = s .. rand(50) end
    t[i] = s
  end
  table.sort(t)
  local shown = {}
  for k = 0, 8 do shown[#shown + 1] = string.format("%q", t[1 + (#t - 1) * k // 8]) end
  print("strings", size, ascending(t), table.concat(shown, ","), #t[#t])
end

-- one float among integers: the general path, which sorts the same way
local mixed = {}
for i = 1, 200 do mixed[i] = rand(100) end
mixed[77] = 50.5
table.sort(mixed)
print("mixed", ascending(mixed), mixed[1], mixed[100], mixed[200], math.type(mixed[100]))

-- a metatable (with __index, so reads could differ): the general path
local proxied = setmetatable({}, {__index = function(_, k) return -k end})
for i = 1, 50 do proxied[i] = rand(1000) end
table.sort(proxied)
print("metatable", ascending(proxied), proxied[1], proxied[50])

-- elements in the hash part (filled backwards, so not all in the array part)
local sparse = {}
for i = 300, 1, -1 do sparse[i] = rand(1000) end
table.sort(sparse)
print("hash part", #sparse, ascending(sparse), sparse[1], sparse[300])

-- mixed integers and strings still fail to compare
print(pcall(table.sort, {3, "x", 1}))
print(pcall(table.sort, {"x", 3, "y"}))
