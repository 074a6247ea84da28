-- Inside a __gc finalizer the collector cannot be re-entered: collectgarbage answers fail
-- (nil) to every option; an invalid option is still an error. Outside, all is normal again.
local seen = {}
local function record(label, ...) seen[#seen + 1] = label .. "=" .. tostring((...)) end
setmetatable({}, {__gc = function()
  record("collect", collectgarbage())
  record("count", collectgarbage("count"))
  record("step", collectgarbage("step"))
  record("isrunning", collectgarbage("isrunning"))
  record("stop", collectgarbage("stop"))
  record("restart", collectgarbage("restart"))
  record("setpause", collectgarbage("setpause", 100))
  record("incremental", collectgarbage("incremental"))
  record("nresults", select("#", collectgarbage()))
  record("bogus", pcall(collectgarbage, "bogus"))
end})
collectgarbage()
print(table.concat(seen, " "))
print(collectgarbage(), collectgarbage("isrunning"), math.type(collectgarbage("count")))
