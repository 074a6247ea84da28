-- args: --shim=ngx
-- Timers: arguments and `premature`, every, counts, an error in a handler is logged and the
-- scheduler goes on. A one-shot timer keeps the worker alive until it fires; when only
-- repeating timers are left the worker exits and they fire once more with premature = true.
local ticks = 0
ngx.timer.every(0.5, function(premature, tag)
  ticks = ticks + 1
  if premature then ngx.say("every: premature at exit, ", tag) end
end, "tick")
ngx.timer.at(0.2, function(premature, a, b)
  ngx.say("at(0.2): premature=", tostring(premature), " args ", a, " ", b,
          " running ", ngx.timer.running_count())
end, "x", 7)
ngx.timer.at(0.3, function() error("handler blew up") end)
ngx.timer.at(100, function(premature) ngx.say("far timer: premature=", tostring(premature),
  " exiting=", tostring(ngx.worker.exiting())) end)
ngx.say("pending ", ngx.timer.pending_count(), " running ", ngx.timer.running_count())
print(ngx.timer.at(-1, print))
ngx.sleep(2)
ngx.say("after 2 s the every timer fired ", ticks, " times")
ngx.log(ngx.WARN, "a warning ", 42)
local lost = require("ngx.semaphore").new()
ngx.thread.spawn(function() lost:wait() ngx.say("never printed") end)
ngx.say("handler ends at ", ngx.now() - 1700000000)
