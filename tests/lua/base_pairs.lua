-- Pins down pairs: visits every key once, __pairs metamethod, return values, with sorted output.
local function keys(t)
  local out = {}
  for k, v in pairs(t) do out[#out + 1] = tostring(k) .. "=" .. tostring(v) end
  table.sort(out)
  return table.concat(out, " ")
end
print(keys({}))
print(keys({1, 2, 3}))
print(keys({a = 1, b = 2, [10] = "ten", [1.5] = "f", [true] = "t"}))
print(keys({1, nil, 3, n = 3}))
-- pairs returns next, t, nil when there is no __pairs
local t = {}
local f, s, c = pairs(t)
print(f == next, s == t, c)
-- __pairs replaces the iteration
local custom = setmetatable({}, {__pairs = function(self)
  local i = 0
  return function() i = i + 1; if i <= 3 then return i, i * i end end, self, nil
end})
print(keys(custom))
-- __pairs results are truncated to three
local trunc = setmetatable({}, {__pairs = function(self)
  return function(_, k) if not k then return "only", "one" end end, self, nil, "fourth"
end})
for k, v, extra in pairs(trunc) do print(k, v, extra) end
-- __index is ignored by pairs
local inh = setmetatable({own = 1}, {__index = {inherited = 2}})
print(keys(inh))
-- counting a big table
local big = {}
for i = 1, 500 do big[i] = i; big["k" .. i] = i end
local n, sum = 0, 0
for k, v in pairs(big) do n = n + 1; sum = sum + v end
print(n, sum)
-- pairs on a non-table without __pairs
print(pcall(function() for k in pairs(nil) do end end))
print(pcall(function() for k in pairs(1) do end end))
print(select("#", pairs(nil)), select(2, pairs(1)))
print(pcall(function() for k in pairs("str") do end end))
