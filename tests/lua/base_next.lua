-- Pins down next: empty tables, iteration protocol, clearing during traversal, invalid keys.
print(next({}))
print(next({}, nil))
print(next({10}))
print(next({10}, 1))
local t = {a = 1}
local k, v = next(t)
print(k, v, next(t, k))
-- full traversal with next, sorted
local src = {x = 1, y = 2, z = 3, 10, 20}
local seen = {}
local key = next(src)
while key ~= nil do
  seen[#seen + 1] = tostring(key)
  key = next(src, key)
end
table.sort(seen)
print(table.concat(seen, " "))
-- clearing fields during traversal is allowed
local c = {}
for i = 1, 50 do c["k" .. i] = i end
for kk in pairs(c) do c[kk] = nil end
print(next(c))
-- assigning existing fields during traversal is allowed
local m = {a = 1, b = 2, c = 3}
for kk, vv in pairs(m) do m[kk] = vv * 2 end
print(m.a, m.b, m.c)
-- next with a key that is not in the table
print(pcall(next, {}, "missing"))
print(pcall(next, {a = 1}, "b"))
print(pcall(next, {1, 2}, 3.5))
-- next is a raw operation (no __index, no __pairs)
local p = setmetatable({}, {__index = {a = 1}, __pairs = function() error("no") end})
print(next(p))
-- next with no args
print(pcall(next))
-- next returns two values, or one nil at the end
print(select("#", next({})), select("#", next({1})))
-- the array part and the hash part are both traversed
local mixed = {1, 2, 3, x = "x"}
local cnt = 0
for _ in next, mixed do cnt = cnt + 1 end
print(cnt)
