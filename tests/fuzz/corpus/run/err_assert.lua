-- Pins down assert: returns all its arguments on success; string and non-string failure messages.
print(assert(1, "unused", 3))
print(assert(true))
print(select("#", assert(1, 2, 3, 4)))
print(pcall(assert, false))
print(pcall(assert, nil))
print(pcall(assert, false, "custom message"))
print(pcall(assert, nil, 42))
local obj = {}
local ok, e = pcall(assert, false, obj)
print(ok, e == obj)
print(pcall(assert))
print(pcall(assert, false, nil))
-- the message is not prefixed with a position
print(pcall(function() assert(1 == 2, "math broke") end))
print(pcall(function() assert(nil) end))
-- assert with a value that is 0 or "" passes
print(assert(0), assert(""))
-- assert used with a function that returns nil, err
local function failing() return nil, "reason" end
print(pcall(function() return assert(failing()) end))
local function working() return "value", "extra" end
print(assert(working()))
