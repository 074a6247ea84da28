-- Generational mode with a script that polls the collector's trace (issue 14, item 3): a
-- 300k-table heap, then a churn loop that replaces heap tables and, every 2,000 iterations,
-- asks for lunette.gctrace(N) (N events, each a table). Argument: N (default 8192; 0 polls
-- nothing). Prints the collections (majors = cycles - minors), the heap's peak and end, and
-- minors_with_trace_live: the minor collections that ran between the gctrace call and the
-- statement after it, i.e. while the fresh N-event array was on the stack.
--
-- What it shows (lunette, native, 2026-12-07): N = 0: 17 majors; N = 128: 18; N = 8192: 54
-- majors, and 348 of 401 minors ran with the fresh array live. The array's allocation is what
-- crosses the minor's threshold, so the safe point right after the call runs the minor while
-- the array is reachable; a young survivor is promoted at its first minor (collector.h), so
-- every such minor turns the ~8,192 tables into old garbage that only a major frees. (Not, as
-- first guessed, tables made during an incremental major.) Lua 5.4 promotes after two
-- survivals, which a one-off burst like this one does not reach.
local n = tonumber(arg and arg[1]) or 8192
collectgarbage("generational")
local lunette = require "lunette"
local live = {}
for i = 1, 300000 do live[i] = {i, i + 1} end
local peak, minorsWithTraceLive = 0, 0
for i = 1, 3000000 do
  local garbage = {i, i}
  live[(i * 7919) % #live + 1] = {garbage[1]}
  if n > 0 and i % 2000 == 0 then
    local minorsBefore = lunette.gcinfo().minors
    local events = lunette.gctrace(n)
    if lunette.gcinfo().minors > minorsBefore then minorsWithTraceLive = minorsWithTraceLive + 1 end
    events = nil
  end
  if i % 10000 == 0 then peak = math.max(peak, collectgarbage("count")) end
end
local info = lunette.gcinfo()
print("polled_events " .. n)
print("cycles " .. info.cycles)
print("minors " .. info.minors)
print("majors " .. (info.cycles - info.minors))
print("minors_with_trace_live " .. minorsWithTraceLive)
print(string.format("peak_mb %.1f", peak / 1024))
print(string.format("end_mb %.1f", collectgarbage("count") / 1024))
