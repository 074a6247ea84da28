-- Pins down bitwise metamethods: __band __bor __bxor __shl __shr __bnot, and the float fallback.
local mt = {}
local function B(x) return setmetatable({x = x}, mt) end
local function show(v) return type(v) == "table" and "B" .. tostring(v.x) or tostring(v) end
for _, ev in ipairs({"band", "bor", "bxor", "shl", "shr", "bnot"}) do
  mt["__" .. ev] = function(a, b) return ev .. "(" .. show(a) .. "," .. show(b) .. ")" end
end
local a = B(1)
print(a & 1, 1 | a, a ~ a, a << 2, 2 >> a, ~a)
-- a float without integer value with a table operand tries the metamethod
print(1.5 & a, a | 2.5)
-- strings too
print("x" & a, a ~ "y")
-- when no metamethod exists, the error depends on the operand
print(pcall(function() return {} & 1 end))
print(pcall(function() return 1.5 | 1 end))
print(pcall(function() return 1 | "2" end))
-- __bnot receives the operand twice
local n = setmetatable({}, {__bnot = function(p, q) return rawequal(p, q) end})
print(~n)
-- integer-valued floats and numeric strings still do not trigger metamethods
print(3.0 & 1, 1 << 2.0)
