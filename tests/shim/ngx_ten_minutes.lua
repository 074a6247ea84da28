-- args: --shim=ngx
-- Ten minutes of server time: a 100 ms every-timer and a handler that sleeps a second 600
-- times. It runs in well under a second of wall time.
local fired = 0
ngx.timer.every(0.1, function(premature) if not premature then fired = fired + 1 end end)
local started = os.clock()
for _ = 1, 600 do ngx.sleep(1) end
ngx.say("virtual seconds: ", ngx.now() - 1700000000, ", timer fired ", fired, " times")
ngx.say("fast: ", tostring(os.clock() - started < 5))
