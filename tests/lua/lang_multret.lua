-- Pins down multiple results: truncation in expressions, expansion at list ends, parentheses.
local function none() end
local function one() return 1 end
local function three() return 1, 2, 3 end
print(three())
print(three(), 10)
print(10, three())
print((three()))
print(none())
print(none(), 5)
print(#{three()}, #{three(), three()}, #{(three())})
local t = {three(), three(), three()}
print(#t, t[1], t[2], t[3], t[4], t[5])
-- return f() returns all results
local function wrap() return three() end
print(wrap())
local function wrap2() return (three()) end
print(wrap2())
-- in arithmetic only the first is used
print(three() + 10, -three())
-- string.format / print get all at the end
print(string.format("%d-%d-%d", three()))
-- assignment adjust
local a, b, c, d = three()
print(a, b, c, d)
local x, y = none()
print(x, y)
local p, q = three(), three()
print(p, q)
-- method call results
local obj = {m = function(self, ...) return self.v, ... end, v = "V"}
print(obj:m(three()))
-- returning nothing vs returning nil
print(select("#", none()), select("#", (none())), select("#", nil))
-- table.unpack with explicit range
print(table.unpack({1, 2, 3}, 2))
print(table.unpack({1, 2, 3}, 2, 5))
print(select("#", table.unpack({}, 1, 3)))
-- nested calls expand only in last position
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end
print(sum(three(), three()), sum(three(), three(), 100))
-- conditional expressions truncate
print(three() and three())
print(nil or three())
-- return with parentheses around call with many values
local function r() return (three()), three() end
print(r())
