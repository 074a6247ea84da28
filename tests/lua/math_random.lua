-- math.random and math.randomseed: the 5.4 generator (xoshiro256**), its seeding, integer
-- projection, float conversion and argument errors. Seeded outputs must equal lua5.4's.
local function try(f, ...)
  print(pcall(f, ...))
end

print(math.randomseed(42))
math.randomseed(42)
print(math.random(1, 100), math.random(), math.random(0))

math.randomseed(42)
for _ = 1, 4 do print(math.random(0)) end

math.randomseed(7)
local floats = {}
for i = 1, 5 do floats[i] = string.format("%.17g", math.random()) end
print(table.concat(floats, " "))

math.randomseed(7)
local ints = {}
for i = 1, 10 do ints[i] = math.random(10) end
print(table.concat(ints, " "))

math.randomseed(2023, 11)
local wide = {}
for i = 1, 6 do wide[i] = math.random(-1000, 1000) end
print(table.concat(wide, " "))
print(math.random(math.mininteger, math.maxinteger), math.random(math.maxinteger))
print(math.random(3, 3), math.random(-5, -5), math.random(1 << 62))
print(math.random(0, (1 << 32) - 1), math.random(0, 6), math.random(0, 7))

-- seeds: negative numbers, the second component, floats with exact integer values
print(math.randomseed(-1))
print(math.random(0))
print(math.randomseed(1, -1))
print(math.random(0))
print(math.randomseed(3.0, 4.0))
print(math.random(0))
print(math.randomseed(math.mininteger, math.maxinteger))
print(math.random(0))

-- results stay inside their interval
math.randomseed(99)
local lo, hi, sum = math.huge, -math.huge, 0
for _ = 1, 2000 do
  local r = math.random(3, 17)
  if r < lo then lo = r end
  if r > hi then hi = r end
  sum = sum + r
end
print(lo, hi, sum)
local fmin, fmax = 1, 0
for _ = 1, 2000 do
  local f = math.random()
  if f < fmin then fmin = f end
  if f > fmax then fmax = f end
end
print(fmin >= 0, fmax < 1, math.type(math.random()), math.type(math.random(5)))

-- randomseed() without arguments seeds from the environment and returns two integers
local a, b = math.randomseed()
print(math.type(a), math.type(b))

-- errors
try(math.random, 1, 2, 3)
try(math.random, 2, 1)
try(math.random, 0.5)
try(math.random, -3)
try(math.random, 1, 1.5)
try(math.random, "x")
try(math.random, math.maxinteger, math.mininteger)
try(math.randomseed, 1.5)
try(math.randomseed, "x")
try(math.randomseed, nil)
try(math.randomseed, 1, 2.5)
print(pcall(function() return math.random(5, 1) end))
print(pcall(function() return math.random(1, 2, 3) end))
print(math.type(math.random("3")), math.random("3") <= 3)
