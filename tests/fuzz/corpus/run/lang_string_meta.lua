-- Pins down indexing of string values through the string metatable and method-call syntax.
local s = "Hello"
print(s:upper(), s:lower(), s:len(), s:rep(2, "-"), s:sub(2, 3), s:byte(1))
print(("abc"):upper(), #("abc"):rep(10))
print(type(s.len), s.upper == string.upper)
print(("x").nosuch)
-- numbers do not have a metatable: method call fails
print(pcall(function() local n = 5; return n:upper() end))
-- indexing a string with a number returns nil (string table has no numeric keys)
print(("abc")[1])
-- adding functions to the string table makes them methods
string.shout = function(str) return str:upper() .. "!" end
print(("hey"):shout())
string.shout = nil
print(pcall(function() return ("hey"):shout() end))
-- chains of methods
print(("  padded  "):rep(1):len(), ("a,b"):find(","), ("%d"):format(3):rep(2))
-- the string metatable is shared; __index can be read
local mt = getmetatable("")
print(type(mt), mt.__index == string)
