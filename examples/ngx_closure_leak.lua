-- Title: OpenResty: a timer closure that keeps the whole request body alive
-- Each request schedules an audit with ngx.timer.at(60, ...) whose closure captures the parsed body.
-- Watch: with Server: ngx, a request every 100 ms parses a 25 KB body and arms a one-minute
-- audit timer that only needs the user's name, but its closure captures `body`. On the virtual
-- time axis the heap climbs for the first 60 s (600 bodies held by pending timers), then levels
-- off as audits start firing; the fix is one line: capture `local user = body.user` instead.
-- Server: ngx
-- The seed's second pattern (a closure that captures a large table), the OpenResty way. The
-- CHECK lines are what tests/examples asserts.

local audited = 0

-- cjson.decode stand-in: a request body of 100 rows.
local function parseBody(i)
  local rows = {}
  for k = 1, 100 do rows[k] = {id = k, note = "order " .. i .. "/" .. k} end
  return {user = "user" .. i % 100, rows = rows}
end

local function audit(premature, user)
  if premature then return end
  audited = audited + 1
end

local requests = 0
local function handle(premature)
  if premature then return end
  requests = requests + 1
  local body = parseBody(requests)
  -- ... the response is built from body.rows and sent ...
  ngx.timer.at(60, function(premature)
    audit(premature, body.user)   -- the leak: `body` (all 100 rows) lives as long as the timer
  end)
end

local function check(name, value) print(string.format("CHECK %s %s", name, tostring(value))) end

local function heapKB()
  collectgarbage()
  return collectgarbage("count")
end

local base = heapKB()
ngx.timer.every(0.1, handle)

ngx.sleep(30)
local at30 = heapKB() - base
ngx.sleep(30)
local at60 = heapKB() - base
local pending = ngx.timer.pending_count()
ngx.sleep(30)
local at90 = heapKB() - base
ngx.say(string.format("heap held: %.0f KB at 30 s, %.0f KB at 60 s, %.0f KB at 90 s; " ..
  "%d audits pending at 60 s, about %.1f KB each", at30, at60, at90, pending, at60 / pending))
check("pending.60s", pending)
check("audited.90s", audited)
check("kb.per.pending", at60 / pending >= 10)
check("climbs", at60 >= 1.8 * at30)
check("levels.off", at90 <= 1.1 * at60)
