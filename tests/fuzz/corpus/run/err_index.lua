-- Pins down "attempt to index" messages naming globals, locals, fields, upvalues and constants.
local function e(f, ...) print(select(2, pcall(f, ...))) end
e(function() return undefinedglobal.x end)
e(function() local y; return y.z end)
e(function() local t = {}; return t.a.b end)
e(function() local t = {}; return t.a.b.c end)
local w
e(function() return w.field end)
e(function() local t = {}; return t[1].x end)
e(function() local t = {}; local k = "key"; return t[k].x end)
e(function() return ("x").y.z end)
e(function() local n = 5; return n.x end)
e(function() local b = true; return b[1] end)
e(function() undefinedglobal.x = 1 end)
e(function() local y; y.z = 1 end)
e(function() local t = {}; t.a.b = 1 end)
e(function() w[1] = 2 end)
e(function(p) return p.x end)
e(function(...) local a = ...; return a.x end)
e(function() return math.nosuch.x end)
e(function() local t = {inner = {}}; return t.inner.missing.x end)
e(function() local f = print; return f.x end)
e(function() return (nil).x end)
e(function() local s = "str"; s.x = 1 end)
e(function() local t = setmetatable({}, {__index = function() return nil end}); return t.a.b end)
-- upvalue of a table with nil field
local up = {}
e(function() return up.missing.x end)
-- method on nil
e(function() local obj; obj:method() end)
