-- Identical long string literals (over 40 bytes, which are not interned) in one chunk are one
-- object, nested functions included (visible through %p); another chunk has its own.
local function id(s) return ("%p"):format(s) end
local a = "this is a long string literal, longer than forty bytes for sure"
local function f() return "this is a long string literal, longer than forty bytes for sure" end
local function g()
  return function() return "this is a long string literal, longer than forty bytes for sure" end
end
local t = {["this is a long string literal, longer than forty bytes for sure"] = 1}
print(id(a) == id(f()), id(a) == id(g()()), id(next(t)) == id(a))
print(id([[this is a long string literal, longer than forty bytes for sure]]) == id(a))
local other = "this is a long string literal, longer than forty bytes for sure!"
print(id(other) == id(a))
local loaded = load("return 'this is a long string literal, longer than forty bytes for sure'")()
print(loaded == a, id(loaded) == id(a))
local twice = load([[
  local x = "another long literal that appears twice in this chunk, and in a function"
  return x, (function() return "another long literal that appears twice in this chunk, and in a function" end)()
]])
local x, y = twice()
print(id(x) == id(y))
local x2 = twice()
print(id(x2) == id(x))
