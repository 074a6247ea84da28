-- Title: OpenResty: handlers parked in a pending table whose reply never comes
-- An upstream module keeps each request's semaphore in `pending`; a lost reply parks its handler forever.
-- Watch: with Server: ngx, a request arrives every 50 ms (a timer, as in init_worker) and waits
-- on its semaphore for the upstream's reply, which comes 100 ms later except one in five. The
-- suspended coroutines climb with virtual time (pick the "virtual time" axis); when the worker
-- exits, the coroutine table says each parked one waits for "semaphore #n (never)" and
-- Suspects show the path: package.loaded.upstream.pending[id].sema.waiters -> the coroutine.
-- Server: ngx
-- The seed's third pattern (a coroutine parked in a pending list whose callback never comes);
-- ngx_fix_timeout.lua is the fix. The CHECK lines are what tests/examples asserts.

local lunette = require "lunette"

-- upstream.lua: what a real service would `require`. It lives in package.loaded for the
-- worker's whole life, and so does everything its tables hold.
package.preload["upstream"] = function()
  local semaphore = require "ngx.semaphore"
  local _M = {pending = {}, sent = 0}

  -- Sends a query; the reply comes through a callback that posts the request's semaphore.
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
  return _M
end

local upstream = require "upstream"
local served = 0

-- content_by_lua: ask the upstream, wait for its answer. No timeout: a lost reply is forever.
local function handle(premature)
  if premature then return end
  local slot = upstream.query(string.rep("x", 256))
  slot.sema:wait()
  served = served + 1
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

ngx.timer.every(0.05, handle)   -- the traffic: 20 requests per virtual second

ngx.sleep(10)
local at10 = parked()
ngx.sleep(20)
local at30 = parked()
ngx.say(string.format("after 30 s: %d requests, %d served, %d handlers parked (%d at 10 s)",
  upstream.sent, served, at30, at10))
check("requests", upstream.sent)
check("parked.10s", at10)
check("parked.30s", at30)
check("grows", at30 >= 2.5 * at10)
