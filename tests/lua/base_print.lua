-- Pins down print: tab separators, newline, conversion of each argument, __tostring, __name.
print()
print(nil)
print(1, 2, 3)
print("a", nil, "b")
print(nil, nil)
print(true, false)
print(1.0, -0.0, 1e300 * 10, 2^63)
print("embedded\ttab", "new\nline")
print("zero\0byte")
print(setmetatable({}, {__tostring = function() return "T!" end}))
print((tostring(setmetatable({}, {__name = "Named"})):match("^Named: ")))
print(pcall(print, setmetatable({}, {__tostring = function() return 1 end})))
print(pcall(print, setmetatable({}, {__tostring = function() return true end})))
-- print returns nothing
print(select("#", print()))
-- many arguments
print(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)
-- print uses the global tostring? In 5.4 it does not: redefining tostring has no effect
local saved = tostring
tostring = function() return "redefined" end
print(1, "x")
tostring = saved
print(string.rep("long", 50))
