-- Pins down dofile and loadfile on files next to the script: results, errors, shebang, env.
print(dofile("data/returns_values.lua"))
print(loaded_by_dofile)
dofile("data/returns_values.lua")
print(loaded_by_dofile)
local data = dofile("data/table_data.lua")
print(data.name, #data.values, data.values[6], data.nested.label)
print(dofile("data/shebang.lua"))
-- errors propagate out of dofile with the file name as chunk name
print(pcall(dofile, "data/raises_error.lua"))
print(pcall(dofile, "data/syntax_error.lua"))
print(pcall(dofile, "data/no_such_file.lua"))
-- loadfile returns a function or nil plus message
local f = loadfile("data/returns_values.lua")
print(type(f), select(4, f("a", "b")))
print(loadfile("data/syntax_error.lua"))
print(loadfile("data/no_such_file.lua"))
-- loadfile with mode and env
local env = {select = select}
local g = loadfile("data/returns_values.lua", "t", env)
print(g())
print(env.loaded_by_dofile, loaded_by_dofile)
print(loadfile("data/returns_values.lua", "b"))
-- the shebang is skipped by loadfile too
print(loadfile("data/shebang.lua")())
