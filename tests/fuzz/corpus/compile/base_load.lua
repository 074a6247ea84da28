-- Pins down load with strings: results, varargs, upvalues, env sharing, and repeated loading.
local f = load("return 1 + 1")
print(f(), f())
print(load("local a, b = ...; return b, a")("x", "y"))
-- each load creates a new function with its own locals
local counter = load("local n = 0; return function() n = n + 1; return n end")
local c1, c2 = counter(), counter()
print(c1(), c1(), c2())
-- loaded chunks see globals through _ENV
shared_global = "visible"
print(load("return shared_global")())
load("shared_global = 'changed'")()
print(shared_global)
shared_global = nil
-- functions defined in loaded code are real functions
local defs = load("local M = {}; function M.sq(x) return x * x end; return M")()
print(defs.sq(12))
-- chunks may return nothing
print(select("#", load("local x = 1")()))
-- load of an empty string is fine
print(select("#", load("")()))
-- load of a chunk with a return in the middle of a block is a syntax error
print(load("do return 1 end return 2")())
-- env argument is shared by all functions in the chunk
local env = {}
local m = load("function set(v) value = v end function get() return value end", "=env", "t", env)
m()
env.set(7)
print(env.get(), env.value)
-- a loaded chunk can load another
print(load("return load('return 5 * 5')()")())
-- an empty env table hides every global
local env2 = {}
print(pcall(load("return y", "=noglobals", "t", env2)))
