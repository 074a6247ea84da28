-- args: --shim=skynet
-- skynet on the virtual clock: sleep in ticks (10 ms), timeout, fork, wait/wakeup by token
-- and by coroutine, yield, now/time.
local skynet = require "skynet"
skynet.start(function()
  skynet.error("start at", skynet.now())
  skynet.timeout(50, function() skynet.error("timeout fired at", skynet.now()) end)
  skynet.fork(function(name)
    skynet.sleep(150)
    skynet.error(name, "woke at", skynet.now(), "and wakes the job")
    print("wakeup:", skynet.wakeup("job"), skynet.wakeup("nobody"))
  end, "worker")
  skynet.wait("job")
  skynet.error("job done at", skynet.now(), "time", skynet.time())
  local co
  skynet.fork(function() co = coroutine.running() skynet.wait() skynet.error("woken by coroutine at", skynet.now()) end)
  skynet.yield()
  skynet.sleep(10)
  skynet.wakeup(co)
  skynet.yield()
  for i = 1, 2 do skynet.fork(function() skynet.wait("lost" .. i) skynet.error("never") end) end
  skynet.error("end at", skynet.now())
end)
