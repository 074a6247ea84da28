-- Pins down function definitions and calls: parameter adjustment, call sugar forms, recursion.
local function params(a, b, c) return a, b, c end
print(params(1))
print(params(1, 2, 3, 4))
-- call with a string literal or table constructor
local function id(x) return x end
print(id"lit", id[[long]], id{1, 2}[2], type(id{}))
local function chain(s) return function(t) return s .. t[1] end end
print(chain"a"{"b"})
-- functions as table fields and immediate calls
local t = {f = function(x) return x * 2 end}
print(t.f(4), t["f"](5), (function(...) return select("#", ...) end)(1, 2, 3))
-- anonymous recursion through an argument
local Y = function(f) return function(n) return f(f, n) end end
print(Y(function(self, n) if n == 0 then return 1 end return n * self(self, n - 1) end)(10))
-- a function returning functions
local function compose(f, g) return function(...) return f(g(...)) end end
local inc = function(x) return x + 1 end
local dbl = function(x) return x * 2 end
print(compose(inc, dbl)(5), compose(dbl, inc)(5))
-- many parameters
local function many(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12)
  return a1 + a12, a6
end
print(many(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12))
-- a function value can be called via its table field after reassignment
local obj = {}
function obj.hello() return "hello" end
local saved = obj.hello
obj.hello = nil
print(saved(), obj.hello)
-- return without values and falling off the end
local function r0() return end
local function r1() end
print(select("#", r0()), select("#", r1()))
-- return must be last: syntax error otherwise
print(select(2, load("return 1; print(2)", "=r")))
print(load("return; ", "=r") ~= nil)
-- calling with parenthesised expression adjusts to one value
local function three() return 1, 2, 3 end
print(select("#", (three())))
-- ambiguous syntax: a newline before ( is allowed in 5.4
local f2 = load("local a = print\n(print)('ok')")
print(f2 ~= nil)
