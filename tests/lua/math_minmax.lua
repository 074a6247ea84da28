-- math.max and math.min: integer-ness of the winner, ties, mixed types, metamethods, errors.
local function try(f, ...)
  print(pcall(f, ...))
end
local function typed(v)
  return tostring(v) .. ":" .. (math.type(v) or type(v))
end

print(typed(math.max(1, 2, 3)), typed(math.min(1, 2, 3)))
print(typed(math.max(1, 2.0)), typed(math.max(2.0, 1)), typed(math.max(2, 2.0)), typed(math.max(2.0, 2)))
print(typed(math.min(1, 1.0)), typed(math.min(1.0, 1)), typed(math.min(-0.0, 0)), typed(math.min(0, -0.0)))
print(typed(math.max(5)), typed(math.min(5.5)), typed(math.max(-math.huge, math.mininteger)))
print(typed(math.max(math.maxinteger, 2^63)), typed(math.min(math.mininteger, -2^63)))
print(typed(math.max(math.maxinteger, math.maxinteger + 0.0)))
print(typed(math.max(3, 0/0)), typed(math.max(0/0, 3)), typed(math.min(0/0, 3)))
print(math.max(1, 5, 3, 5.0, 2), math.min(4, 2, 8, 2.0, 9))

-- any single value is returned as is; strings compare as strings
print(math.max("z"), math.max("a", "b"), math.min("a", "b"), math.min("10", "9"))
print(type(math.max({})), math.max(true))

-- comparisons use __lt
local mt = {__lt = function(a, b) return a.v < b.v end}
local x, y = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(math.max(x, y) == y, math.min(x, y) == x)

-- errors
try(math.max)
try(math.min)
try(math.max, 1, "2")
try(math.min, "10", 9)
try(math.max, 1, nil)
try(math.min, {}, {})
print(pcall(function() return math.max() end))
print(pcall(function() return math.min(1, {}) end))
