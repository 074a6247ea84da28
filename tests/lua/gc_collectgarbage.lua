-- Depends on the start mode: sets generational itself first (lua.c starts generational).
-- collectgarbage's options as seen from Lua: count, step, isrunning, stop/restart, mode
-- switches and their return values.

collectgarbage("generational")

-- 1. mode switches return the previous mode
print("to incremental from", collectgarbage("incremental"))
print("to incremental again from", collectgarbage("incremental"))
print("to generational from", collectgarbage("generational"))
print("to generational again from", collectgarbage("generational"))
print("back to incremental from", collectgarbage("incremental"))

-- 2. isrunning after stop and restart
print("running", collectgarbage("isrunning"))
collectgarbage("stop")
print("after stop", collectgarbage("isrunning"))
collectgarbage("stop")
print("after second stop", collectgarbage("isrunning"))
collectgarbage("restart")
print("after restart", collectgarbage("isrunning"))

-- 3. "collect" and the default option return 0
print("collect returns", collectgarbage("collect"), collectgarbage())

-- 4. count returns a float in kilobytes; dropping data makes it fall
local c = collectgarbage("count")
print("count type", math.type(c), c > 0)
local data = {}
for i = 1, 20000 do data[i] = {i, tostring(i)} end
collectgarbage()
local withData = collectgarbage("count")
data = nil
collectgarbage()
local withoutData = collectgarbage("count")
print("grew", withData > c + 500, "fell", withoutData < withData - 500)

-- 5. count reflects a big string and its release
local function bigString() return string.rep("x", 1 << 20) end
local s = bigString()
collectgarbage()
local withString = collectgarbage("count")
s = nil
collectgarbage()
print("string released", collectgarbage("count") < withString - 900)

-- 6. with the collector stopped, explicit collections still work
collectgarbage("stop")
local function garbage() for _ = 1, 1000 do local _ = {} end end
garbage()
collectgarbage()
print("stopped collect", collectgarbage("isrunning"))
collectgarbage("restart")

-- 7. in incremental mode, "step" eventually reports the end of a cycle
collectgarbage("incremental")
local steps, finished = 0, false
repeat
  steps = steps + 1
  finished = collectgarbage("step")
until finished or steps > 100000
print("incremental step finishes", finished)

-- 8. a large step finishes a cycle in one call
collectgarbage()
garbage()
print("big step", collectgarbage("step", 1 << 20))

-- 9. step returns a boolean in both modes
print("step type incremental", type(collectgarbage("step")))
collectgarbage("generational")
print("step type generational", type(collectgarbage("step")))

-- 10. the old parameter options return the previous values (setpause/setstepmul)
collectgarbage("incremental")
local prevPause = collectgarbage("setpause", 150)
print("setpause back", collectgarbage("setpause", prevPause))
local prevMul = collectgarbage("setstepmul", 300)
print("setstepmul back", collectgarbage("setstepmul", prevMul))

-- 11. incremental with parameters returns the previous mode
print("incremental with params from", collectgarbage("incremental", 200, 100, 13))
print("generational with params from", collectgarbage("generational", 20, 100))

-- 12. invalid options are errors
print(pcall(collectgarbage, "bogus"))
print(pcall(collectgarbage, 42))

-- 13. finalizers run by "step" in incremental mode, eventually
collectgarbage("incremental")
local finalized = false
local function obj() setmetatable({}, {__gc = function() finalized = true end}) end
obj()
local n = 0
repeat n = n + 1; collectgarbage("step") until finalized or n > 100000
print("step ran finalizer", finalized)

-- 14. count changes while a table grows, with the collector stopped
collectgarbage("stop")
local before = collectgarbage("count")
local grow = {}
for i = 1, 10000 do grow[i] = i end
print("grows while stopped", collectgarbage("count") > before + 64)
collectgarbage("restart")
