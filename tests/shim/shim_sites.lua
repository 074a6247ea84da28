-- args: --shim=ngx
-- The coroutines the shim makes for a script are named after the script: a light thread after
-- the ngx.thread.spawn call, a timer's handler after the function the script gave it, the
-- main chunk as itself; never after the scheduler's one coroutine.create line.
local lunette = require "lunette"

local function fetch() ngx.sleep(1) end
ngx.thread.spawn(fetch)
ngx.thread.spawn(function() ngx.sleep(1) end)
ngx.timer.at(0.5, function(premature) ngx.sleep(1) end)
local function tick(premature) ngx.sleep(1) end
ngx.timer.every(0.25, tick)
ngx.sleep(0.6)
for _, r in ipairs(lunette.coroutines()) do
  if not r.collected then print(r.id, r.site, r.func) end
end
