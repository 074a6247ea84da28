-- Finalizers still pending when the script ends run when the state closes, in reverse order of
-- marking, after the main chunk's output; errors there are warnings, not failures.

print("start")

-- Kept alive until the end by locals of the main chunk: finalized at close.
local mt = {__gc = function(o) print("closing", o.name) end}
local first = setmetatable({name = "first"}, mt)
local second = setmetatable({name = "second"}, mt)
local third = setmetatable({name = "third"}, mt)

-- A global one too.
keeper = setmetatable({name = "global"}, mt)

-- One whose finalizer fails: the others still run.
local bad = setmetatable({name = "bad"}, {__gc = function() error("boom at close") end})

-- One whose finalizer creates new finalizable objects while closing.
local spawner = setmetatable({name = "spawner"}, {__gc = function(o)
  print("closing", o.name)
  setmetatable({}, {__gc = function() print("spawned at close") end})
end})

-- A finalizer that reads other objects being finalized.
local reader = setmetatable({peer = first}, {__gc = function(o)
  print("reader sees", o.peer.name)
end})

-- Garbage collected during the run is finalized during the run, not at close.
local function temp()
  setmetatable({}, {__gc = function() print("collected during run") end})
end
temp()
collectgarbage()

print("end of chunk")
