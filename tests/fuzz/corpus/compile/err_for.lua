-- Pins down for-loop errors: bad initial value, limit, step, zero step, and non-callable iterators.
local function e(f, ...) print(select(2, pcall(f, ...))) end
e(function() for i = nil, 2 do end end)
e(function() for i = 1, nil do end end)
e(function() for i = 1, 2, {} do end end)
e(function() for i = "x", 2 do end end)
e(function() for i = 1, "y" do end end)
e(function() for i = 1, 10, 0 do end end)
e(function() for i = 1.0, 10, 0 do end end)
e(function() local t = {}; for i = t, 2 do end end)
e(function() for k in nosuch do end end)
e(function() for k, v in {} do end end)
e(function() for k, v in pairs(nil) do end end)
e(function() for k, v in ipairs() do end end)
e(function() local it = 5; for k in it do end end)
-- numeric strings are accepted as loop bounds
local out = {}
for i = "1", "3" do out[#out + 1] = math.type(i) .. i end
print(table.concat(out, " "))
for i = "1.5", 3 do out[#out + 1] = math.type(i) end
print(table.concat(out, " "))
