-- Pins down the one-instruction forms of a constant on the left of a commutative operator
-- (`2 * x` runs as x * 2) and of a comparison with a float constant (`x > 4.0`): numbers give
-- the same results; a metamethod receives its operands in source order and the constant with
-- its own type; an error names the variable. Also: a hook set or cleared by code the loop
-- calls (a metamethod, a native, the hook itself) takes effect at the very next instruction.

-- ---- numbers ----
local x, f, big = 3, 2.5, math.maxinteger
print(2 * x, 2.0 * x, 10 + x, 0.5 + x, 2 * f, 1 + f, 2 * big, 1 + big)
print(6 & x, 4 | x, 5 ~ x, 0xF0 & 0xFF, 1 + -x, 3 * -f)
print(math.type(2 * x), math.type(2.0 * x), math.type(1 + f))
local nan = 0 / 0
print(2 * nan ~= 2 * nan, 1 + math.huge, -1 * math.huge, 0 * -1.0)
print(x > 4.0, x >= 3.0, x < 3.0, x <= 2.0, 4.0 < x, 3.0 <= x, 2.0 > x, 3.0 >= x)
print(f > 2.0, f < 3.0, f >= -2.0, -1.0 < f, 127.0 > f, -127.0 > f, 200.0 > f)
print(math.mininteger < -1.0, math.maxinteger > 100.0, nan < 1.0, nan >= 1.0, 1.0 > nan)
local float2 = 2.0
for i = 1, 3 do io.write(tostring(i < float2), " ", tostring(1.0 <= i), " ") end
print()

-- ---- metamethods see source order and the constant as written ----
local mt = {}
for _, event in ipairs({"add", "mul", "band", "bor", "bxor", "lt", "le"}) do
  mt["__" .. event] = function(a, b)
    local function show(v)
      if type(v) == "table" then return "T" end
      return math.type(v) .. ":" .. tostring(v)
    end
    print(event, show(a), show(b))
    return true
  end
end
local t = setmetatable({}, mt)
local _ = 2 * t, t * 2, 2.5 + t, t + 2.5, 3 & t, t | 3, 7 ~ t
_ = t > 4.0, t >= 4, 4.0 < t, 4 <= t, t < 4.0, t <= -3.0, 1.0 > t, 2.0 >= t

-- ---- errors name the operand ----
local function try(fn) print(select(2, pcall(fn))) end
local missing
try(function() return 2 * missing end)
try(function() return 2.0 + missing end)
try(function() return 3 & missing end)
try(function() return 3 | 1.5 end)
try(function() local y = 2.5; return 1 ~ y end)
try(function() return 4.0 < missing end)
try(function() return missing >= 4.0 end)
try(function() return {} > 1.0 end)
local up = "10"
try(function() return 2 * up end)  -- strings are numbers for arithmetic
try(function() return 1 & up end)

-- ---- hooks set or cleared by code the loop calls ----
local events = 0
local function count() events = events + 1 end
local hooking = setmetatable({}, {__index = function(_, key)
  debug.sethook(count, "", 1)  -- from a metamethod: counts from the next instruction on
  return key
end})
local s = 0
local _k = hooking.go
for i = 1, 10 do s = s + i end
debug.sethook()
print("count hook after __index", events > 10, s)

events = 0
local function stopper() events = events + 1; if events == 5 then debug.sethook() end end
debug.sethook(stopper, "", 1)
for i = 1, 100 do s = s + i end
print("a hook clearing itself", events)

local lines = {}
local function lineHook(_, line) lines[#lines + 1] = line end
local arith = setmetatable({}, {__add = function(a, b)
  debug.sethook(lineHook, "l")
  return 1
end})
local r = arith + 1
r = r + 1
r = r + 2
debug.sethook()
print("line hook after __add", #lines >= 2, r)
