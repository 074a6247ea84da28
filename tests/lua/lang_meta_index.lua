-- Pins down __index: tables and functions, chains, rawget bypass, and only for absent keys.
local base = {greet = "hello", n = 1}
local mid = setmetatable({mid = "m"}, {__index = base})
local top = setmetatable({}, {__index = mid})
print(top.greet, top.mid, top.n, top.none)
print(rawget(top, "greet"), rawget(mid, "greet"))

-- a present key never consults __index, even if its value is false
local t = setmetatable({f = false}, {__index = function() return "meta" end})
print(t.f, t.g)

-- function __index receives the table and the key
local seen = {}
local fn = setmetatable({}, {__index = function(tbl, key)
  seen[#seen + 1] = tostring(key)
  return key == "answer" and 42 or nil
end})
print(fn.answer, fn.other, fn[1], fn[2.5], fn[true])
print(table.concat(seen, ","))
print(rawget(fn, "answer"))

-- __index function results are truncated to one value
local multi = setmetatable({}, {__index = function() return 1, 2, 3 end})
print(multi.x)

-- numeric keys, float normalisation passes through
local arr = setmetatable({}, {__index = function(_, k) return math.type(k) end})
print(arr[1], arr[1.0], arr[1.5], arr[2^53])

-- __index chain through a function in the middle
local bang = setmetatable({}, {__index = function(_, k) return k .. "!" end})
local a = setmetatable({}, {__index = bang})
print(a.deep)

-- changing the metatable's __index afterwards takes effect
local mt = {}
local obj = setmetatable({}, mt)
print(obj.z)
mt.__index = {z = "now"}
print(obj.z)
mt.__index = nil
print(obj.z)

-- __index on a table with nil value in the chain
local chainEnd = setmetatable({}, {__index = {last = "L"}})
local chain = obj
for i = 1, 5 do chain = setmetatable({}, {__index = chain}) end
mt.__index = chainEnd
print(chain.last)

-- __index applies to missing integer keys in the array part too
local holes = setmetatable({1, nil, 3}, {__index = function(_, k) return "hole" .. k end})
print(holes[1], holes[2], holes[3], holes[4])

-- metatable on the metatable does not matter: __index is read raw
local weird = setmetatable({}, setmetatable({}, {__index = {__index = {x = "no"}}}))
print(weird.x)
