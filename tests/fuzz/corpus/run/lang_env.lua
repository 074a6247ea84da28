-- Pins down _ENV: globals are fields of _ENV, local _ENV redirects them, upvalue _ENV in load.
print(_ENV == _G)
gvar = 10
print(_ENV.gvar, _G.gvar)
do
  local _ENV = {print = print, tostring = tostring}
  newglobal = "inside"
  print(newglobal, gvar)
end
print(newglobal)
-- function with custom _ENV parameter
local function withEnv(_ENV) return a + b end
print(withEnv({a = 1, b = 2}))
-- load with env
local env = {x = 5}
local f = load("x = x * 2; return x", "chunk", "t", env)
print(f(), env.x, x)
-- a chunk's _ENV is its first upvalue; functions inside share it
local g = load("function setv(v) val = v end; function getv() return val end", "c", "t", env)
g()
env.setv(42)
print(env.getv(), env.val, val)
-- _ENV can be replaced mid-function
local function switch()
  local results = {}
  local _ENV = {results = results}
  a = 1
  results[1] = a
  return results
end
print(switch()[1], a)
-- accessing a global when _ENV is nil errors with the name
print(pcall(function() local _ENV = nil; return undefinedvar end))
print(pcall(load("local _ENV = 5; return y")))
-- _ENV with __index to fall back to _G
local sandbox = setmetatable({}, {__index = _G})
local h = load("z = 99; return type(print), z", "sb", "t", sandbox)
print(h())
print(sandbox.z, z)
-- _G is just a field of the global table
print(_G._G == _G, rawget(_G, "_G") == _G)
gvar = nil
