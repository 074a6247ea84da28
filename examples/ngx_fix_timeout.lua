-- Title: OpenResty fix: wait with a timeout and forget the request
-- The pending-table handler again, but sema:wait(1) gives up after a second and drops its slot.
-- Watch: with Server: ngx, the same traffic and the same lost replies as ngx_pending_leak.lua,
-- but no handler waits longer than a second: the suspended count stays flat on the virtual
-- time axis (only the requests in flight), the lost ones end with "timeout", the pending table
-- stays small, and after the worker exits nothing waits and Suspects lists no one.
-- Server: ngx
-- The seed's remedy for parked coroutines (auto-release: every wait ends, every entry is
-- removed), written the OpenResty way. The CHECK lines are what tests/examples asserts.

local lunette = require "lunette"

package.preload["upstream"] = function()
  local semaphore = require "ngx.semaphore"
  local _M = {pending = {}, sent = 0}

  function _M.query(body)
    _M.sent = _M.sent + 1
    local id = _M.sent
    local slot = {id = id, sema = semaphore.new(0), body = body}
    _M.pending[id] = slot
    if id % 5 ~= 0 then   -- one reply in five is lost on the wire
      ngx.timer.at(0.1, function()
        slot.reply = "200 OK"
        _M.pending[id] = nil
        slot.sema:post(1)
      end)
    end
    return slot
  end

  -- The caller gave up: a reply that still comes finds nothing to post.
  function _M.forget(slot)
    _M.pending[slot.id] = nil
  end
  return _M
end

local upstream = require "upstream"
local served, timedOut = 0, 0

local function handle(premature)
  if premature then return end
  local slot = upstream.query(string.rep("x", 256))
  local ok, err = slot.sema:wait(1)   -- one second, then answer 504 and move on
  if ok then
    served = served + 1
  else
    upstream.forget(slot)
    timedOut = timedOut + 1   -- err is "timeout": a real handler would answer 504 here
  end
end

local function check(name, value) print(string.format("CHECK %s %s", name, tostring(value))) end

local function parked()
  collectgarbage()
  local n = 0
  for _, r in ipairs(lunette.coroutines()) do
    if r.status == "suspended" and not r.collected then n = n + 1 end
  end
  return n
end

local function pendingCount()
  local n = 0
  for _ in pairs(upstream.pending) do n = n + 1 end
  return n
end

ngx.timer.every(0.05, handle)

ngx.sleep(10)
local at10 = parked()
ngx.sleep(20)
local at30 = parked()
ngx.say(string.format("after 30 s: %d requests, %d served, %d timed out, %d parked (%d at 10 s)",
  upstream.sent, served, timedOut, at30, at10))
check("requests", upstream.sent)
check("timeouts", timedOut)
check("parked.10s", at10)
check("parked.30s", at30)
check("pending", pendingCount())
