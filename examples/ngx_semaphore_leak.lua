-- Title: OpenResty: handlers waiting on a semaphore nobody posts
-- Request handlers wait for a backend reply on ngx.semaphore; a lost reply parks them forever.
-- Watch: on the virtual clock, a request arrives every 50 ms and its handler waits for the
-- backend; one reply in five is lost. Without a timeout the suspended coroutines climb with
-- virtual time and the coroutine table shows them waiting on their semaphores; with
-- sema:wait(1) the count stays flat and the lost ones end with "timeout".
-- The ngx shim (require "lunette.shim.ngx") runs it all on a virtual clock: 30 server seconds.

local lunette = require "lunette"
local ngx = require "lunette.shim.ngx"
local scheduler = require "lunette.shim.scheduler"
local semaphore = require "ngx.semaphore"

local function check(name, value)
  print(string.format("CHECK %s %s", name, tostring(value)))
end

local function suspended()
  collectgarbage()
  local n = 0
  for _, r in ipairs(lunette.coroutines()) do
    if r.status == "suspended" and not r.collected then n = n + 1 end
  end
  return n
end

-- One server run: requests every 50 ms for `seconds`; the backend answers after 100 ms and
-- loses every fifth reply. `timeout` is what handlers pass to sema:wait (nil: wait forever).
local function serve(seconds, timeout)
  local stats = {ok = 0, timeout = 0, requests = 0}
  local pendingReplies = {}   -- the backend's in-flight replies (semaphores to post)
  scheduler.run(function()
    ngx.timer.every(0.05, function(premature)
      if premature then return end
      stats.requests = stats.requests + 1
      local id = stats.requests
      -- The request handler: ask the backend, wait for its reply.
      ngx.timer.at(0, function()
        local reply = semaphore.new(0)
        if id % 5 ~= 0 then
          ngx.timer.at(0.1, function() reply:post(1) end)
        else
          pendingReplies[#pendingReplies + 1] = reply  -- the lost reply: never posted
        end
        local ok, err = reply:wait(timeout)
        if ok then stats.ok = stats.ok + 1 else stats.timeout = stats.timeout + 1 end
      end)
    end)
    ngx.sleep(seconds)
  end)
  return stats, pendingReplies
end

local leaky, lost = serve(30, nil)
local parked = suspended()
print(string.format("without a timeout: %d requests, %d answered, %d handlers parked forever",
  leaky.requests, leaky.ok, parked))
check("leak.requests", leaky.requests)
check("leak.parked", parked)
local suspects = lunette.suspects(0)
check("leak.suspects", #suspects >= parked // 2)

lost = nil  -- the lost replies go: their parked handlers can be collected now
local fixed = serve(30, 1)
local parkedAfter = suspended()
print(string.format("with sema:wait(1): %d answered, %d timed out, %d parked",
  fixed.ok, fixed.timeout, parkedAfter))
check("fix.timeouts", fixed.timeout)
check("fix.parked", parkedAfter)
