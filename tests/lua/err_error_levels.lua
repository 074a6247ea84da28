-- Pins down error() levels: 1 (default) names the caller, 2 its caller, 0 adds no position.
local function lvl1() error("level one") end
local function lvl1b() error("explicit one", 1) end
local function lvl2() error("level two", 2) end
local function lvl0() error("level zero", 0) end
local function lvl3() error("level three", 3) end
local function callsLvl2() lvl2() end
local function callsLvl3() local function mid() lvl3() end mid() end
print(pcall(lvl1))
print(pcall(lvl1b))
print(pcall(callsLvl2))
print(pcall(lvl0))
print(pcall(callsLvl3))
-- level 2 from a function called directly by pcall: the caller is pcall (a C function)
print(pcall(lvl2))
-- level beyond the stack
print(pcall(function() error("far", 50) end))
-- error with no arguments raises nil
print(pcall(error))
print(select("#", pcall(error)))
-- numbers as messages get a position only if they are strings? (numbers are not strings)
print(pcall(function() error(42) end))
print(pcall(function() error(42.5, 2) end))
-- strings that look like numbers do get positions
print(pcall(function() error("42") end))
-- messages with newlines and formatting characters
print(pcall(function() error("multi\nline %d %s") end))
-- error in a nested function defined on a different line reports its own line
local function outer()
  local function inner()
    error("inner fails")
  end
  inner()
end
print(pcall(outer))
-- error position inside a loaded chunk uses its chunk name
print(pcall(load("error('in chunk')", "=mychunk")))
print(pcall(load("\n\nerror('line three')", "@virtual.lua")))
print(pcall(load("error('default name')")))
print(pcall(load("local x = 1\nerror('second', 1)", "=(load)")))
