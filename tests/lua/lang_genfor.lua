-- Pins down the generic for: iterator/state/control protocol, stateless iterators, next directly.
local function range(n)
  return function(state, ctl)
    if ctl < state then return ctl + 1, (ctl + 1) * 10 end
  end, n, 0
end
for i, v in range(3) do print(i, v) end
-- the control variable is the first value; the loop stops when it is nil
local function gen(t)
  local i = 0
  return function() i = i + 1; return t[i], i end
end
for v, i in gen({"a", "b", false, "d"}) do print(v, i) end
-- iterating with next directly
local keys = {}
for k in next, {x = 1, y = 2, z = 3} do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, " "))
-- ipairs over a table with holes stops at the first nil
for i, v in ipairs({1, 2, nil, 4}) do io.write(i, "=", v, " ") end
print()
-- pairs visits every key exactly once (sorted for determinism)
local seen = {}
for k, v in pairs({10, 20, 30, a = "A", b = "B"}) do
  seen[#seen + 1] = tostring(k) .. ":" .. tostring(v)
end
table.sort(seen)
print(table.concat(seen, " "))
-- assigning existing fields during traversal is allowed
local t = {a = 1, b = 2, c = 3}
for k in pairs(t) do t[k] = t[k] * 10 end
print(t.a, t.b, t.c)
-- clearing fields during traversal is allowed
for k in pairs(t) do t[k] = nil end
print(next(t))
-- extra values from the explist are dropped; a missing iterator function errors
print(pcall(function() for x in nil do end end))
print(pcall(function() for x in 1, 2, 3 do end end))
print(pcall(function() local t = {}; for x in t do end end))
-- an iterator may return many values; extra variables get nil
for a, b, c, d in function(s, c) if not c then return 1, 2 end end do print(a, b, c, d) end
-- the loop variables are fresh copies; changing them does not affect iteration
local n = 0
for i, v in ipairs({1, 2, 3}) do
  n = n + 1
  i = 100
end
print("iterations", n)
-- __call iterators work in generic for
local callable = setmetatable({}, {__call = function(self, s, c)
  c = c + 1
  if c <= 2 then return c end
end})
for v in callable, nil, 0 do print("callable", v) end
-- nested generic loops over the same table
local grid = {}
for _, a in ipairs({1, 2}) do
  for _, b in ipairs({1, 2}) do grid[#grid + 1] = a .. b end
end
print(table.concat(grid, ","))
