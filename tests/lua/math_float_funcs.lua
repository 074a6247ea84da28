-- math's floating-point functions and constants, including log with a base and the
-- compatibility functions of Debian's lua5.4.
local function try(f, ...)
  print(pcall(f, ...))
end
local function fmt(...)
  local out = {}
  for i = 1, select("#", ...) do out[i] = string.format("%.17g", (select(i, ...))) end
  print(table.concat(out, " "))
end

print(math.pi, math.huge, -math.huge, math.type(math.pi), math.type(math.huge))
fmt(math.pi)

-- sqrt, exp, log
fmt(math.sqrt(2), math.sqrt(16), math.sqrt(0), math.sqrt(-0.0), math.sqrt(1/0))
print(math.sqrt(4), math.sqrt(-1), math.type(math.sqrt(4)))
fmt(math.exp(0), math.exp(1), math.exp(-1), math.exp(710), math.exp(-1000))
fmt(math.log(1), math.log(math.exp(1)), math.log(10), math.log(0), math.log(1/0))
print(math.log(-1))
fmt(math.log(8, 2), math.log(1024, 2), math.log(2^-1074, 2), math.log(3, 2))
fmt(math.log(100, 10), math.log(1000, 10), math.log(1e-300, 10), math.log(2, 10))
fmt(math.log(27, 3), math.log(125, 5), math.log(1, 7), math.log(100, 100), math.log(2, 0.5))
fmt(math.log(8, 2.0), math.log(8, "2"), math.log("8", 2), math.log(8, nil))
print(math.log(1, 1), math.log(0, 2), math.log(-8, 2))
try(math.log)
try(math.log, "x")
try(math.log, 8, "two")
try(math.sqrt)
try(math.exp, {})

-- trigonometry
fmt(math.sin(0), math.sin(math.pi / 2), math.sin(math.pi), math.sin(-0.0))
fmt(math.cos(0), math.cos(math.pi), math.cos(math.pi / 3), math.tan(math.pi / 4), math.tan(0))
fmt(math.asin(1), math.asin(0), math.acos(1), math.acos(0), math.acos(-1))
print(math.asin(2), math.acos(-2))
fmt(math.atan(1), math.atan(1, 1), math.atan(1, -1), math.atan(-1, -1), math.atan(0, -1))
fmt(math.atan(-0.0, -1), math.atan(1, 0), math.atan(0, 0), math.atan(1/0), math.atan(1, 1/0))
fmt(math.atan(3, nil), math.atan("1", "2"))
-- (called from a function so that the message names the function as called: the reference
-- registers atan and atan2 as one function, and pcall(math.atan) names either)
print(pcall(function() return math.atan() end))
print(pcall(function() return math.atan(1, "x") end))
print(pcall(function() return math.atan2(1, {}) end))
try(math.sin, nil)
try(math.cos, "1x")

-- degrees and radians
fmt(math.deg(math.pi), math.deg(1), math.rad(180), math.rad(1), math.deg(0))
print(math.deg(math.pi), math.rad(180), math.type(math.deg(0)), math.type(math.rad(90)))

-- integer arguments become floats
print(math.sqrt(9), math.exp(0), math.sin(0), math.cos(0), math.log(1))

-- compatibility functions
fmt(math.pow(2, 10), math.pow(2, 0.5), math.pow(-8, 1/3), math.pow(0, 0))
print(math.frexp(8), math.frexp(0), math.frexp(-3), math.frexp(0.5))
print(math.frexp(1e-310))
fmt(math.ldexp(1, 10), math.ldexp(0.75, 2), math.ldexp(1, -1075), math.ldexp(3, 1.0))
fmt(math.log10(1000), math.log10(2), math.cosh(1), math.sinh(1), math.tanh(1), math.atan2(1, 2))
try(math.ldexp, 1, 1.5)
try(math.pow, 2)
print(math.atan2 ~= nil, math.cosh ~= nil, math.log10 ~= nil)
