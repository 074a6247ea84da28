-- Pins down arithmetic metamethods: operand order, which side is tried first, results, unm.
local mt = {}
local function V(x) return setmetatable({x = x}, mt) end
local function show(v) return type(v) == "table" and "V(" .. tostring(v.x) .. ")" or tostring(v) end
local events = {"add", "sub", "mul", "div", "mod", "pow", "unm", "idiv"}
for _, ev in ipairs(events) do
  mt["__" .. ev] = function(a, b)
    return ev .. "(" .. show(a) .. "," .. show(b) .. ")"
  end
end
local a, b = V(1), V(2)
print(a + b, a - 1, 2 * a, a / "s", a % b, 3 ^ a, -a, a // 4)
print(1 + a, "x" - a, a + nil == nil)
-- the first operand's metamethod wins if present; otherwise the second's
local mt2 = {__add = function(p, q) return "mt2" end}
local w = setmetatable({}, mt2)
print(a + w, w + a)
-- only the second operand has one
local plain = {}
print(pcall(function() return plain + plain end))
print(plain + a)
-- unm receives the operand twice
local u = setmetatable({}, {__unm = function(p, q) return rawequal(p, q) end})
print(-u)
-- metamethod results are truncated to one value
local m = setmetatable({}, {__add = function() return 1, 2 end})
print(m + 1)
-- numbers and strings do not consult the table metamethods
print(1 + 2, "3" + 4)
-- metamethods for strings that fail numeric conversion
local smt = {__add = function(p, q) return "table add" end}
print(pcall(function() return "abc" + setmetatable({}, smt) end))
-- arithmetic on a number and a table without handler
print(pcall(function() return 1 + {} end))
print(pcall(function() local t = {}; return t * 2 end))
-- __div and __pow with number operands on both sides of a table
local n = setmetatable({}, {
  __div = function(p, q) return "div" end,
  __pow = function() return "pow" end,
})
print(n / 1, 1 / n, n ^ 2, 2 ^ n)
-- __mod and __idiv
local r = setmetatable({}, {
  __mod = function() return "mod" end,
  __idiv = function() return "idiv" end,
})
print(r % 0, 0 % r, r // 0, 0 // r)
-- metamethods are found through the raw metatable only
local inh = setmetatable({}, {__index = {__add = function() return "no" end}})
print(pcall(function() return inh + 1 end))
