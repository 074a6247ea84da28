-- Pins down arithmetic error messages with variable names for every operator and operand kind.
local function e(f, ...) print(select(2, pcall(f, ...))) end
e(function() local x; return x + 1 end)
e(function() local x; return 1 - x end)
e(function() return nosuch * 2 end)
e(function() local t = {}; return t.f / 2 end)
e(function() local t = {}; return t % 2 end)
e(function() local t = {}; return -t end)
e(function() return {} ^ 2 end)
e(function() local b = true; return b // 1 end)
e(function() local s = "abc"; return s + 1 end)
e(function() local s = {}; return 1 + s.x end)
local upv
e(function() return upv * 3 end)
e(function() local x = print; return x + 1 end)
e(function(p) return p - 1 end)
e(function() local t = {n = {}}; return t.n + 1 end)
e(function() local a, b = 1; return a + b end)
e(function() local a = nil; return -a end)
e(function() return 2 ^ nil end)
-- string operands that are not numerals
e(function() return "10" + "x" end)
e(function() local s = "1e"; return s * 1 end)
-- division and modulo by zero
e(function() local z = 0; return 1 // z end)
e(function() local z = 0; return 1 % z end)
e(function() return math.mininteger // 0 end)
e(function() return "4" // "0" end)
