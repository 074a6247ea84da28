-- Pins down varargs: select('#'), negative select, packing, nils inside, and adjustment.
local function count(...) return select("#", ...) end
print(count(), count(nil), count(nil, nil), count(1, nil, 3, nil))
local function pack(...) return {n = select("#", ...), ...} end
local p = pack(1, nil, 3, nil)
print(p.n, p[1], p[2], p[3], p[4])
print(select(2, "a", "b", "c"))
print(select(-1, "a", "b", "c"))
print(select(-3, "a", "b", "c"))
print(select(4, "a", "b", "c"))
print(select("#"))
print(pcall(select, -4, "a", "b", "c"))
print(pcall(select, 0, "a"))
print(pcall(select, "x"))
-- ... in expressions is truncated to one value except at the end of a list
local function f(...)
  local a, b = ...
  local t = {..., "end"}
  local u = {"start", ...}
  return a, b, #t, #u, (...)
end
print(f(10, 20, 30))
print(f())
-- passing varargs through
local function pass(...) return ... end
print(pass(1, 2, 3), pass(4, 5))
print((pass(1, 2, 3)))
print(pass())
print(count(pass(nil, nil, nil)))
-- varargs in table constructors at the end keep all values
local function len(...) return #{...} end
print(len(1, 2, 3, 4, 5))
-- vararg function with fixed parameters
local function fixed(a, b, ...)
  return a, b, select("#", ...), ...
end
print(fixed(1))
print(fixed(1, 2, 3, 4))
-- large number of varargs
local big = {}
for i = 1, 250 do big[i] = i end
print(count(table.unpack(big)), select(250, table.unpack(big)))
-- varargs captured by closure via a table
local function capture(...)
  local args = {...}
  return function() return table.unpack(args) end
end
print(capture("x", "y")())
-- vararg in the middle of an argument list is truncated
print(count(pass(1, 2), pass(3, 4)))
print(string.format("%s %s", pass("a", "b"), "c"))
-- select with float index that has integer value
print(select(2.0, "p", "q"))
print(pcall(select, 1.5, "p"))
