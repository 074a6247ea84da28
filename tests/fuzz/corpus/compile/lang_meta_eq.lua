-- Pins down __eq: only for two tables (or userdata), result converted to boolean, ~= negates it.
local calls = 0
local mt = {__eq = function(a, b) calls = calls + 1; return a.v == b.v end}
local x = setmetatable({v = 1}, mt)
local y = setmetatable({v = 1}, mt)
local z = setmetatable({v = 2}, mt)
print(x == y, x ~= y, x == z, x ~= z, calls)
-- identical objects do not call __eq
calls = 0
print(x == x, calls)
-- a table and a non-table never call __eq
print(x == 1, x == "x", x == nil, 1 == x, calls)
-- only one operand needs the metamethod (first, then second)
local plain = {v = 1}
print(x == plain, plain == x, calls)
-- result is converted to boolean
local truthy = setmetatable({}, {__eq = function() return "yes" end})
local falsy = setmetatable({}, {__eq = function() return nil end})
print(truthy == {}, falsy == {}, truthy ~= {}, falsy ~= {})
-- the first operand's metamethod is used when both differ
local ma = setmetatable({}, {__eq = function() return true end})
local mb = setmetatable({}, {__eq = function() return false end})
print(ma == mb, mb == ma)
-- rawequal bypasses
print(rawequal(x, y), rawequal(x, x))
-- __eq is not used for table keys
local t = {}
t[x] = "x"
print(t[y], t[x])
-- strings and numbers compare by value
print("a" .. "b" == "ab", 2^53 == 2^53, 1 == 1.0)
