-- Pins down load(): function readers, chunk names, mode "t"/"b", env parameter, and reader errors.
-- a reader function returning pieces, then nil
local pieces = {"return ", "1 ", "+ ", "41"}
local i = 0
local f = load(function() i = i + 1; return pieces[i] end)
print(f())
-- empty strings from the reader end the chunk
local parts = {"return 'a'", "", "..'never'"}
local j = 0
print(load(function() j = j + 1; return parts[j] end)())
-- a reader returning a non-string is an error; only the first line of the message is pinned
-- (the reference runs the reader under the enclosing message handler, which may add a traceback)
local function firstLine(fn, msg) return fn, (msg:match("^[^\n]*")) end
print(firstLine(load(function() return true end)))
print(firstLine(load(function() return {} end)))
-- a reader that raises an error
print(firstLine(load(function() error("reader failed", 0) end)))
-- reader chunk default name is "=(load)"
local k = 0
print(load(function() k = k + 1; if k == 1 then return "x = = 1" end end))
-- the chunk name parameter
print(type(load("error('e')", "=exact")))
print(pcall(load("error('e')", "=exact")))
print(pcall(load("error('e')", "@path/to/file.lua")))
print(pcall(load("error('e')", "literal")))
print(pcall(load("error('e')")))
print(pcall(load("\n error('e')", "=two lines")))
-- mode: text-only and binary-only
print(load("return 1", "m", "t") ~= nil)
print(load("return 1", "m", "b"))
print(load("return 1", "m", "bt") ~= nil)
print(pcall(load, "return 1", "m", "x"))
-- env: a table becomes the chunk's _ENV
local env = {y = 5}
local g = load("y = y + 1; return y", "env", "t", env)
print(g(), env.y)
-- env nil means no globals at all
local h = load("return print", "noenv", "t", nil)
print(pcall(h))
-- a non-table env is allowed (indexing it fails later)
local n = load("return x", "numenv", "t", 42)
print(pcall(n))
-- load passes varargs to the chunk
print(load("return select('#', ...), ...")(1, 2, 3))
-- load of a string with a leading shebang is a syntax error (only files skip it)
print(load("#!shebang\nreturn 1"))
-- load returns nil plus message, never raises, for syntax errors
local ok, a, b = pcall(load, "(")
print(ok, a, b)
-- string chunk that is huge
local big = {"local s = 0"}
for n2 = 1, 500 do big[#big + 1] = "s = s + " .. n2 end
big[#big + 1] = "return s"
print(load(table.concat(big, "\n"))())
