-- A chunk run by dofile inside a coroutine may yield: coroutine.wrap(dofile)(path), and
-- dofile called from a coroutine's function; outside a coroutine it still fails as it should.
local path = "data/dofile_yields.lua"
local co = coroutine.wrap(dofile)
print(co(path))
print(co(10))
print(co(20))
local co2 = coroutine.create(function() return "before", dofile(path) end)
print(coroutine.resume(co2))
print(coroutine.resume(co2, 5))
print(coroutine.resume(co2, 6))
print(coroutine.status(co2))
print(pcall(dofile, path))
print(pcall(function() return dofile(path) end))
print(pcall(coroutine.wrap(function() return select("#", dofile(path)) end)))
-- results and errors as before
print(select("#", dofile("data/returns_values.lua")))
print(pcall(dofile, "data/no_such_file.lua"))
print(pcall(dofile, "data/raises_error.lua"))
