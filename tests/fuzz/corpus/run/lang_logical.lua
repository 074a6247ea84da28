-- Pins down and/or/not: short circuit, returning operands (not booleans), falsy values.
print(1 and 2, nil and 2, false and 2, 1 or 2, nil or 2, false or nil, nil or false)
print(not 1, not nil, not false, not 0, not "")
local calls = 0
local function side(v) calls = calls + 1; return v end
local r = side(false) and side(1)
print(r, calls)
calls = 0
r = side(1) or side(2)
print(r, calls)
calls = 0
r = side(nil) or side(false) or side("last")
print(r, calls)
-- ternary idiom and its pitfall
local x = true and false or "default"
print(x)
local function pick(c, a, b) return c and a or b end
print(pick(true, 1, 2), pick(false, 1, 2), pick(nil, 1, 2))
-- and/or in conditions with multiple results truncated
local function two() return nil, "second" end
print(two() or "fallback")
print((two()) == nil)
-- comparison results are booleans
print(1 == 1, 1 ~= 1, type(1 < 2))
-- deep nesting
print(((1 and nil) or (false and 2)) or ((3 and 4) and (nil or 5)))
-- not binds tighter than and/or
print(not nil and 1, not (nil and 1), not 1 or 2)
-- assignments with default values
local opts = {}
local width = opts.width or 80
local verbose = opts.verbose == nil and true or opts.verbose
print(width, verbose)
