-- Pins down __tostring and __name as used by tostring and print, and their error cases.
local t = setmetatable({}, {__tostring = function(self) return "custom!" end})
print(t, tostring(t))
local n = setmetatable({}, {__tostring = function() return 42 end})
print(pcall(tostring, n))
local s = setmetatable({}, {__tostring = function() return "a", "b" end})
print(tostring(s))
-- __name prefixes the default form (checked without the address)
local named = setmetatable({}, {__name = "MyType"})
print((tostring(named):gsub("0x%x+", "ADDR"):gsub(": [%x]+$", ": ADDR")))
local badname = setmetatable({}, {__name = 123})
print((tostring(badname):match("^(%a+):")))
-- __tostring wins over __name
local both = setmetatable({}, {__name = "N", __tostring = function() return "T" end})
print(both)
-- __tostring may raise
local bad = setmetatable({}, {__tostring = function() error("no string for you", 0) end})
print(pcall(tostring, bad))
print(pcall(print, bad))
-- __tostring used by print for each argument
local cnt = 0
local counted = setmetatable({}, {__tostring = function() cnt = cnt + 1; return "c" .. cnt end})
print(counted, counted, 1, nil, true)
-- default tostring of basic values
print(tostring(nil), tostring(true), tostring(false), tostring(12), tostring(1.25))
print(type(tostring(print)), tostring(print):match("^function"))
print(tostring({}):match("^table: ") ~= nil, tostring(print):match("^function: ") ~= nil)
-- __tostring on a metatable of a number-like table used in concat is NOT used
print(pcall(function() return "x" .. t end))
