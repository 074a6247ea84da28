-- GC pause benchmark: builds a large heap of small tables (~200 MB under lua5.4; the size is
-- the first argument, in millions of tables, default 2.5) and then churns short-lived garbage
-- in a tight loop, in incremental mode.
-- It prints, as `key value` lines:
--   build_s / churn_s       os.clock seconds of the two stages
--   max_gap_ms              the longest gap between two consecutive churn iterations (it
--                           includes any collector step that ran between them)
--   max_step_ms             (lunette only) the longest collector step of the churn stage, from
--                           the step events of lunette.gctrace
--   heap_mb                 collectgarbage("count") after the build
--   checksum                the same under both interpreters
collectgarbage("incremental")
local millions = tonumber(arg and arg[1]) or 2.5
local n = math.floor(millions * 1e6)

local ok, lunette = pcall(require, "lunette")
if not ok then lunette = nil end

local t0 = os.clock()
local live = {}
for i = 1, n do live[i] = {i} end
local built = os.clock()
local heapMb = collectgarbage("count") / 1024

-- The longest step seen by the collector's telemetry, polled often enough that the event ring
-- (8192 events) never wraps between two polls.
-- Only steps of the churn stage count: events stamped after the newest one of the build.
local maxStepNs, since = 0, -math.huge
local function pollSteps()
  if not lunette then return end
  for _, e in ipairs(lunette.gctrace(1000, "step")) do
    if e.time > since and e.ns > maxStepNs then maxStepNs = e.ns end
  end
end
if lunette then
  local newest = lunette.gctrace(1)[1]
  if newest then since = newest.time end
end

local clock = os.clock
local churn = 3000000
local maxGap, last = 0, clock()
local sum = 0
for i = 1, churn do
  local g = {i, i + 1}           -- garbage at once
  sum = sum + g[2] - g[1]
  if i % 64 == 0 then live[(i * 7919) % n + 1] = {i} end  -- some old entries replaced
  local now = clock()
  if now - last > maxGap then maxGap = now - last end
  last = now
  if i % 20000 == 0 then
    pollSteps()
    last = clock()  -- the poll is the benchmark's own work, not a pause
  end
end
pollSteps()
local finished = os.clock()

print(string.format("build_s %.3f", built - t0))
print(string.format("churn_s %.3f", finished - built))
print(string.format("max_gap_ms %.3f", maxGap * 1000))
if lunette then print(string.format("max_step_ms %.3f", maxStepNs / 1e6)) end
print(string.format("heap_mb %.1f", heapMb))
print("checksum " .. sum .. " " .. #live)
