-- Sorting: table.sort on integers (default order), strings, and records with a comparator.
local seed = 12345
local function rand(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n
end
local nums = {}
for i = 1, 240000 do nums[i] = rand(1000000) end
table.sort(nums)
local strs = {}
for i = 1, 80000 do strs[i] = "s" .. rand(100000) end
table.sort(strs)
local recs = {}
for i = 1, 120000 do recs[i] = {key = rand(1000), id = i} end
table.sort(recs, function(a, b)
  if a.key ~= b.key then return a.key > b.key end
  return a.id < b.id
end)
print("checksum", nums[1], nums[120000], nums[240000], strs[1], strs[80000], recs[1].id,
  recs[120000].id)
