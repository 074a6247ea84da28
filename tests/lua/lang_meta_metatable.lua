-- Pins down __metatable: protecting getmetatable/setmetatable, and metatables of strings.
local protected = setmetatable({}, {__metatable = "locked", __index = {k = "v"}})
print(getmetatable(protected), protected.k)
print(pcall(setmetatable, protected, {}))
print(pcall(setmetatable, protected, nil))
local falsy = setmetatable({}, {__metatable = false})
print(getmetatable(falsy))
print(pcall(setmetatable, falsy, {}))
-- a table __metatable value is returned as is
local shield = {}
local p2 = setmetatable({}, {__metatable = shield})
print(getmetatable(p2) == shield)
-- setmetatable returns its first argument and accepts nil to remove
local mt = {}
local t = {}
print(setmetatable(t, mt) == t, getmetatable(t) == mt)
setmetatable(t, nil)
print(getmetatable(t))
-- strings share one metatable whose __index is the string table
print(getmetatable("").__index == string, getmetatable("a") == getmetatable("b"))
-- other basic types have none
print(getmetatable(1), getmetatable(nil), getmetatable(true), getmetatable(print))
-- getmetatable with no argument is an error
print(pcall(getmetatable))
-- setmetatable errors
print(pcall(setmetatable, 1, {}))
print(pcall(setmetatable, {}, 1))
print(pcall(setmetatable, {}))
print(pcall(setmetatable))
-- rawget of __metatable still works on the real metatable
local real = {__metatable = "x"}
setmetatable(t, real)
print(getmetatable(t), rawget(real, "__metatable"))
