-- Pins down string.dump and loading binary chunks: what a dumped function does once loaded
-- (results, upvalues, strip), load's modes and their messages, refused chunks, and
-- loadfile/dofile of binary files (with and without a '#' first line). Only format-independent
-- facts are printed: the bytes themselves differ from the reference's by design.

-- a dumped function runs the same once loaded, nested functions and varargs included
local function sum(...)
  local total = 0
  for _, v in ipairs({...}) do total = total + v end
  local function twice(x) return x * 2 end
  return twice(total), select("#", ...)
end
local chunk = string.dump(sum)
print(type(chunk), chunk:sub(1, 4) == "\27Lua")
local loaded = load(chunk)
print(loaded(1, 2, 3, 4.5))
print(load(chunk, "any name", "b")(10))

-- constants of every kind survive
local function constants()
  return nil, true, false, math.mininteger, math.maxinteger, -0.0, 1 / 0, -1 / 0, 0.1,
         "a\0b", string.rep("long\0", 100), 3 // 1
end
local a = table.pack(load(string.dump(constants))())
local b = table.pack(constants())
print(a.n == b.n)
for i = 1, b.n do print(i, math.type(a[i]), a[i] == b[i], 1 / (a[i] == -0.0 and a[i] or 1)) end

-- the source name and lines stay; a runtime error names them
local function fails() local x = nil; return x.field end
local d = debug.getinfo(load(string.dump(fails)), "S")
print(d.source == debug.getinfo(fails, "S").source, d.linedefined, d.what)
print(pcall(load(string.dump(fails))))

-- strip drops lines, local and upvalue names, and the source
local stripped = load(string.dump(fails, true))
d = debug.getinfo(stripped, "Sl")
print(d.source, d.short_src, d.linedefined, d.currentline)
print(pcall(stripped))
print(pcall(load(string.dump(function() error("plain") end, true))))
print(select(2, pcall(load(string.dump(function() error("with level 2", 2) end, true)))))
print(load(string.dump(function() return debug.traceback("tb") end, true))():gsub("0x%x+", "ADDR"))
-- without upvalue names, a stripped function's globals are fields of '?'
print(pcall(load(string.dump(function() undefinedfn() end, true))))
print(pcall(load(string.dump(function(a) local b = a.x.y end, true)), {}))

-- upvalues: fresh ones, the first set to the global environment by load, the rest nil
local up1, up2 = "one", "two"
local function uses() return up1, up2 end
local fresh = load(string.dump(uses))
print(fresh() == _G, select(2, fresh()))
print(debug.getupvalue(fresh, 1), (debug.getupvalue(fresh, 2)))
print(debug.getupvalue(load(string.dump(uses, true)), 2))
local env = {}
local withEnv = load(string.dump(uses), "c", "b", env)
print(withEnv() == env)
-- a main chunk dumped and reloaded reads its globals through the new _ENV
local main = load("x = (x or 0) + 1; return x")
print(load(string.dump(main), "m", "bt", {x = 41})())

-- modes
print(load(chunk, "c", "t"))
print(load("return 1", "c", "b"))
print(load(chunk, "c", "bt") ~= nil, load("return 1", "c", "t")())

-- native functions and truncated or foreign chunks are refused
print(pcall(string.dump, print))
print(pcall(string.dump, setmetatable({}, {__call = print})))
print(load(chunk:sub(1, #chunk // 2)))
print(load(chunk:sub(1, 3), "=short"))
print(load("\27XYZ and more", "@file.lua"))
print(load(chunk:sub(1, #chunk - 1), "=cut"))
-- a reader function delivering a binary chunk piece by piece
local pos = 0
print(load(function() pos = pos + 1; return chunk:sub(pos, pos) end)(5, 6))

-- loadfile and dofile of binary files, with and without a '#' first line
local name = os.tmpname()
local file = assert(io.open(name, "wb"))
file:write(string.dump(function(...) return "from file", select("#", ...) end))
file:close()
print(dofile(name))
print(loadfile(name)(1, 2))
print(loadfile(name, "t"))
file = assert(io.open(name, "wb"))
file:write("#!/usr/bin/env lua\n", string.dump(function() return "after #" end, true))
file:close()
print(dofile(name))
print(loadfile(name, "b")())
os.remove(name)
