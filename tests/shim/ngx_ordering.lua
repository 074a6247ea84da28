-- args: --shim=ngx
-- Order at equal deadlines: timers and sleeps due at the same virtual time run in the order
-- they were armed; spawn runs the thread until its first wait before returning.
local log = {}
local function say(...) ngx.say(string.format("%6.3f ", ngx.now() - 1700000000), ...) end
ngx.timer.at(1, function() say("timer A (armed first)") end)
local t1 = ngx.thread.spawn(function()
  say("thread 1 runs before spawn returns")
  ngx.sleep(1)
  say("thread 1 wakes (armed second)")
  return "one"
end)
say("spawn returned")
ngx.timer.at(1, function() say("timer B (armed third)") end)
local t2 = ngx.thread.spawn(function() ngx.sleep(0) say("thread 2 after sleep(0)") return "two" end)
ngx.sleep(1)
say("main wakes (armed last)")
say("wait: ", table.concat({tostring(select(1, ngx.thread.wait(t1))), select(2, ngx.thread.wait(t1))}, " "))
say("wait: ", select(2, ngx.thread.wait(t2)))
ngx.sleep(0.25)
say("time ", ngx.time(), " now ", ngx.now())
