-- Pins down table constructors: positional, [k]=v, name=v, separators, multret expansion, order.
local t = {1, 2, 3; 4, x = "x", ["y"] = "y", [10] = 10, [1 + 1] = "ignored?"}
print(#t, t[1], t[2], t[4], t.x, t.y, t[10])
print(#{}, #{nil, nil}, #{1, 2, 3,}, #{1; 2; 3;})
-- positional items override explicit keys set earlier in the same constructor
local o = {[1] = "explicit", "positional"}
print(o[1])
local o2 = {"positional", [1] = "explicit"}
print(o2[1])
-- function call expansion only at the end
local function f() return "a", "b", "c" end
local e1 = {f()}
local e2 = {f(), "z"}
local e3 = {(f())}
local e4 = {f(), f()}
print(#e1, #e2, #e3, #e4, e4[4])
-- vararg expansion
local function g(...) return {..., n = select("#", ...)} end
local gv = g(1, nil, 3)
print(gv.n, gv[1], gv[3])
-- nested constructors
local nested = {a = {b = {c = {"deep"}}}, {1, {2, {3}}}}
print(nested.a.b.c[1], nested[1][2][2][1])
-- keys of all types
local k = {[true] = "T", [false] = "F", [1.5] = "f", [-0.0] = "zero", ["1"] = "s1", [1] = "i1"}
print(k[true], k[false], k[1.5], k[0], k["1"], k[1], k[1.0])
-- float keys with integer value are normalised
local fk = {[2.0] = "two", [3] = "three"}
print(fk[2], fk[3.0], math.type(next({[2.0] = 1})))
-- nil and nan keys in constructors are errors
print(pcall(function() return {[nil] = 1} end))
print(pcall(function() return {[0/0] = 1} end))
-- nil values in constructors are skipped
local nv = {a = nil, b = 1}
print(nv.a, nv.b)
-- large constructor (more than 50 items, crosses flush boundaries)
local big = {1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,
  31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,f()}
print(#big, big[50], big[51], big[60], big[63])
-- evaluation order is left to right
local order = {}
local function mark(x) order[#order + 1] = x; return x end
local _ = {mark(1), [mark("k")] = mark("v"), mark(2)}
print(table.concat(order, ","))
