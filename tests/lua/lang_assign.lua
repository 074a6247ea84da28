-- Pins down assignment: multiple assignment, adjustment, swaps and evaluation into fields.
local a, b, c = 1, 2
print(a, b, c)
a, b = b, a
print(a, b)
local x, y = 1, 2, 3
print(x, y)
local function two() return 10, 20 end
local p, q, r = two()
print(p, q, r)
p, q, r = two(), 5
print(p, q, r)
p, q, r = 0, two()
print(p, q, r)
p, q, r = (two())
print(p, q, r)

-- assignments to fields and indexes
local t = {}
t.a, t.b, t[1], t["c"] = 1, "two", 3.5, true
print(t.a, t.b, t[1], t.c)

-- all expressions are evaluated before assignment
local i = 1
local arr = {10, 20, 30}
i, arr[i] = i + 1, 99
print(i, arr[1], arr[2])

-- swap through table fields
arr[1], arr[3] = arr[3], arr[1]
print(arr[1], arr[2], arr[3])

-- globals
g1, g2 = "G1", "G2"
print(g1, g2, _G.g1, _G["g2"])
g1 = nil
print(g1, rawget(_G, "g1"))

-- chained field assignment
local deep = {a = {b = {c = {}}}}
deep.a.b.c.d = "deep"
print(deep.a.b.c.d)
deep["a"]["b"].e = 5
print(deep.a.b.e)

-- local without initializer is nil
local u
print(u)
local v1, v2
print(v1, v2)

-- assignment of nothing from a function returning nothing
local function none() end
local n1, n2 = none()
print(n1, n2)
n1, n2 = none(), 7
print(n1, n2)

-- locals shadowing earlier locals of the same name
local s = 1
local s = s + 1
print(s)
do local s = s * 10; print(s) end
print(s)
