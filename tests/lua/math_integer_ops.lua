-- math functions that preserve or produce integers: abs, ceil, floor, fmod, modf, tointeger,
-- type, ult, and the integer limits.
local function try(f, ...)
  print(pcall(f, ...))
end
local function types(...)
  local out = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    out[i] = tostring(v) .. ":" .. (math.type(v) or type(v))
  end
  print(table.concat(out, " "))
end

print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger)
types(math.maxinteger, math.mininteger)

-- abs
types(math.abs(-3), math.abs(3), math.abs(-3.5), math.abs(-0.0), math.abs(math.mininteger))
types(math.abs("-7"), math.abs("-7.5"), math.abs(-math.huge))
try(math.abs)
try(math.abs, "x")
try(math.abs, {})

-- floor and ceil
types(math.floor(3.7), math.floor(-3.7), math.floor(3), math.floor(-0.0), math.floor(2^62))
types(math.floor(2^63), math.floor(-2^63), math.floor(1e300), math.floor(-math.huge))
types(math.ceil(3.2), math.ceil(-3.2), math.ceil(3), math.ceil(-0.5), math.ceil(2^63))
types(math.floor("3.7"), math.ceil("3.2"), math.floor("10"), math.floor(0/0), math.ceil(0/0))
try(math.floor)
try(math.floor, "x")
try(math.ceil, true)

-- fmod
types(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(-7, -3))
types(math.fmod(7.5, 2), math.fmod(-7.5, 2), math.fmod(7, 2.0), math.fmod(1, 0.0))
types(math.fmod(math.mininteger, -1), math.fmod(math.maxinteger, -1), math.fmod(5, math.mininteger))
types(math.fmod(math.mininteger, math.maxinteger), math.fmod(3, 1/0), math.fmod(1/0, 3))
try(math.fmod, 1, 0)
try(math.fmod, 0, 0)
try(math.fmod, 1)
try(math.fmod, "6", "4")
print(pcall(function() return math.fmod(5, 0) end))

-- modf
types(math.modf(3.7))
types(math.modf(-3.7))
types(math.modf(5))
types(math.modf(-0.5))
types(math.modf(1/0))
types(math.modf(-1/0))
types(math.modf(2^63))
types(math.modf("2.25"))
print(math.modf(0/0))
try(math.modf)

-- tointeger
types(math.tointeger(3), math.tointeger(3.0), math.tointeger(-0.0), math.tointeger(2^53))
print(math.tointeger(3.5), math.tointeger(2^63), math.tointeger(0/0), math.tointeger(1/0))
print(math.tointeger("8"), math.tointeger("8.0"), math.tointeger("x"), math.tointeger({}))
try(math.tointeger)
print(math.tointeger(nil))

-- type
print(math.type(1), math.type(1.0), math.type(2^63), math.type("1"), math.type(nil), math.type({}))
try(math.type)

-- ult
print(math.ult(1, 2), math.ult(2, 1), math.ult(-1, 1), math.ult(1, -1), math.ult(0, math.mininteger))
print(math.ult(3.0, 4))
try(math.ult, 1.5, 2)
try(math.ult, 1)
try(math.ult, "a", 1)

-- integer/float conversions at the edges
types(math.floor(-2^63 - 1025), math.ceil(2^63 - 1024), math.floor(2^63 - 1024))
