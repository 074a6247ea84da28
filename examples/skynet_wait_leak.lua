-- Title: skynet: sessions waiting for a wakeup that never comes
-- A skynet service forks a coroutine per request that waits (skynet.wait) for the reply.
-- Watch: on the virtual clock (1 tick = 10 ms) a request arrives every 5 ticks; its reply
-- wakes the waiting coroutine 20 ticks later, but one reply in four is lost, so its coroutine
-- waits forever: the suspended count climbs with virtual time, each one "waiting for" its
-- token. The fix arms skynet.timeout beside each wait: every session ends, answered or timed
-- out, and the count stays flat. The skynet shim runs it: 20 server seconds in a few ms.

local lunette = require "lunette"
local skynet = require "lunette.shim.skynet"
local scheduler = require "lunette.shim.scheduler"

local function check(name, value)
  print(string.format("CHECK %s %s", name, tostring(value)))
end

local function parkedCoroutines()
  collectgarbage()
  local n = 0
  for _, r in ipairs(lunette.coroutines()) do
    if r.status == "suspended" and not r.collected then n = n + 1 end
  end
  return n
end

-- One service run for `seconds`; with `timeoutTicks`, a session gives up after that long.
local runs = 0
local function service(seconds, timeoutTicks)
  runs = runs + 1
  local tag = "run " .. runs
  local stats = {requests = 0, answered = 0, timedOut = 0}
  scheduler.run(function()
    skynet.start(function()
      local nextSession = 0
      -- The request loop: every 5 ticks, a new session coroutine.
      skynet.fork(function()
        while skynet.now() < seconds * 100 do
          nextSession = nextSession + 1
          local session = tag .. " session " .. nextSession
          stats.requests = stats.requests + 1
          skynet.fork(function()
            local result = "answer"
            if timeoutTicks then
              skynet.timeout(timeoutTicks, function()
                result = "timeout"
                skynet.wakeup(session)
              end)
            end
            skynet.wait(session)  -- parks until skynet.wakeup(session)
            if result == "answer" then stats.answered = stats.answered + 1
            else stats.timedOut = stats.timedOut + 1 end
          end)
          if nextSession % 4 ~= 0 then  -- the reply comes back 20 ticks later...
            skynet.timeout(20, function() skynet.wakeup(session) end)
          end                            -- ...except one in four: lost
          skynet.sleep(5)
        end
        skynet.sleep(60)  -- shutting down: replies and timeouts still due come in
      end)
    end)
  end)
  return stats
end

local leaky = service(20, nil)
local parked = parkedCoroutines()
print(string.format("without a timeout: %d sessions, %d answered, %d waiting forever",
  leaky.requests, leaky.answered, parked))
check("leak.requests", leaky.requests)
check("leak.parked", parked)

local fixed = service(20, 50)
local parkedAfter = parkedCoroutines() - parked
print(string.format("with skynet.timeout(50): %d answered, %d timed out, %d more waiting",
  fixed.answered, fixed.timedOut, parkedAfter))
check("fix.timedOut", fixed.timedOut)
check("fix.parked", parkedAfter)
