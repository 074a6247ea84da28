-- GC pause benchmark on a mixed heap (issue 14): 1.2M small tables held by a 1.2M-slot array,
-- a 300k-entry string-keyed hash, 150k strings, 75k closures and 2,000 parked coroutines
-- (about 200 MB under lua5.4), then a churn loop that allocates garbage and writes into the big
-- tables. With the extras, also one coroutine parked at the bottom of a deep recursion (about
-- 200k stack slots) and 100k tables with a __gc metamethod, of which the churn replaces about
-- 94k (their finalizers run). Arguments: the collector mode (incremental or generational,
-- default incremental), a scale factor for the heap (default 1), and `extras` for the extras.
-- It prints, as `key value` lines:
--   build_s / churn_s       os.clock seconds of the two stages
--   max_gap_ms              the longest gap between two consecutive churn iterations (it
--                           includes any collector step that ran between them), on os.clock,
--                           or for lunette on lunette.clock, the clock its steps are timed with
--   gaps_over_2ms           how many of those gaps were longer than 2 ms
--   idle_gap_ms             the same in a loop that allocates nothing, with the collector
--                           stopped, after the churn, for as long on the clock as the churn
--                           took: what the machine and the engine add anyway
--   idle_gaps_over_2ms      how many of those were longer than 2 ms
--   (lunette only, from lunette.gctrace, churn stage only:)
--   steps                   collector steps
--   max_step_ms / p99_step_ms   the longest and the 99th-percentile step
--   steps_over_1ms          how many steps took longer than 1 ms
--   churn_window_ms         when the churn began and ended on lunette.clock (in WebAssembly
--                           performance.now(): gc_pause.sh matches the engine's memory.grow
--                           calls against it)
--   max_minor_ms            generational: the longest pause of a young (minor) collection (its
--                           longest step: the mark is one step, the young sweep runs in batches
--                           between the mutator's work)
--   heap_mb                 collectgarbage("count") after the build
--   checksum                the same under both interpreters
local mode = arg and arg[1] or "incremental"
local scale = tonumber(arg and arg[2]) or 1
local extras = arg and arg[3] == "extras"
collectgarbage(mode)

local ok, lunette = pcall(require, "lunette")
if not ok then lunette = nil end

local clock = os.clock
local t0 = clock()
local nSmall = math.floor(1.2e6 * scale)
local nHash = math.floor(3e5 * scale)
local nStrings = math.floor(1.5e5 * scale)
local nClosures = math.floor(7.5e4 * scale)
local nCoroutines = 2000
local nDeep = extras and math.floor(3.3e4 * scale) or 0       -- frames of the deep coroutine (6 slots each)
local nFinalizable = extras and math.floor(1e5 * scale) or 0  -- live tables with __gc

local array = {}
for i = 1, nSmall do array[i] = {i, i + 1} end
local hash = {}
for i = 1, nHash do hash["key" .. i] = {i} end
local strings = {}
for i = 1, nStrings do strings[i] = "a string of the heap, number " .. i end
local closures = {}
for i = 1, nClosures do
  local captured = i
  closures[i] = function() return captured end
end
local parked = {}
for i = 1, nCoroutines do
  local co = coroutine.create(function(seed)
    local mine = {seed, tostring(seed)}
    local resumed = coroutine.yield(mine)
    return resumed
  end)
  coroutine.resume(co, i)
  parked[i] = co
end
-- A coroutine parked at the bottom of a recursion: one stack of about 200k slots, each frame
-- holding a table of its own.
local function dive(n)
  local mine = {n}
  if n == 0 then
    coroutine.yield()
    return 0
  end
  return dive(n - 1) + mine[1]
end
local deep = coroutine.create(dive)
coroutine.resume(deep, nDeep)
local finalized = 0
local withGc = {__gc = function() finalized = finalized + 1 end}
local finalizable = {}
for i = 1, nFinalizable do finalizable[i] = setmetatable({i}, withGc) end
local built = clock()
local heapMb = collectgarbage("count") / 1024

-- Step events of the churn stage only: those after the newest event of the build. The ring
-- keeps 8192 events; it is polled often enough never to wrap between two polls.
local stepNs, minorNs, lastSeq, since, seenAtSince = {}, 0, -1, -math.huge, {}
local function poll()
  if not lunette then return end
  -- A few events usually hold all the fresh ones (each event is a table: asking for the whole
  -- ring at every poll would be most of the churn's garbage); more when they do not.
  local events = lunette.gctrace(128)
  local first = events[1]
  if first and (first.seq and first.seq > lastSeq + 1 or not first.seq and first.time > since) then
    events = lunette.gctrace(8192)
  end
  for _, e in ipairs(events) do
    local fresh
    if e.seq then
      fresh = e.seq > lastSeq
    else
      -- (Older builds have no sequence numbers: an event is known by its time and contents;
      -- events at the newest time seen so far are remembered.)
      local key = (e.instructions or 0) .. ":" .. (e.ns or e.duration_ns or 0) .. ":" ..
        (e.total_before or 0) .. ":" .. e.kind
      fresh = e.time > since or (e.time == since and not seenAtSince[key])
      if fresh then
        if e.time > since then seenAtSince = {} end
        seenAtSince[key] = true
      end
    end
    if fresh then
      if e.kind == "step" then stepNs[#stepNs + 1] = e.ns end
      if e.kind == "cycle" and not e.major and e.longest_step_ns > minorNs then minorNs = e.longest_step_ns end
      if e.seq then lastSeq = e.seq end
      since = e.time
    end
  end
end
if lunette then
  local newest = lunette.gctrace(1)[1]
  if newest then
    lastSeq = newest.seq or -1
    since = newest.time
  end
end

local churn = math.floor(3e6 * scale)
-- Gaps are read on one clock per iteration, as lua5.4 reads os.clock: lunette's is the clock
-- its steps are timed with (the thread's CPU time under --gc-cpu-clock; in WebAssembly
-- performance.now()).
local gapClock = lunette and lunette.clock or os.clock

local maxGap, gapsOver2, last = 0, 0, gapClock()
local churnFrom = last
local sum = 0
for i = 1, churn do
  local g = {i, i + 1}  -- garbage at once
  sum = sum + g[2] - g[1]
  if i % 16 == 0 then array[(i * 7919) % nSmall + 1] = {i} end
  if i % 64 == 0 then hash["key" .. ((i * 104729) % nHash + 1)] = {i} end
  if i % 256 == 0 then strings[(i * 31) % nStrings + 1] = "churned " .. i end
  if i % 32 == 0 and extras then finalizable[(i * 613) % nFinalizable + 1] = setmetatable({i}, withGc) end
  if i % 512 == 0 then
    local captured = i
    closures[(i * 13) % nClosures + 1] = function() return captured end
  end
  local now = gapClock()
  local gap = now - last
  if gap > maxGap then maxGap = gap end
  if gap > 0.002 then gapsOver2 = gapsOver2 + 1 end
  last = now
  if i % 2000 == 0 then
    poll()
    last = gapClock()  -- the poll is the benchmark's own work, not a pause
  end
end
poll()
local finished = clock()
local churnTo = gapClock()

-- The idle loop: no allocation, the collector stopped, for as long on the clock as the churn
-- took (whole passes of as many iterations): the gaps the machine and the engine make anyway
-- over the same stretch of time. It must be as long, not as many iterations: the machine's own
-- stalls (a loaded virtual machine's, up to 17 ms in a ten-line C loop of thread CPU time) come
-- in rare bursts, which a short loop mostly misses.
collectgarbage("stop")
local idleGap, idleOver2, idleSum = 0, 0, 0
do
  local idleFrom = gapClock()
  local lastIdle = idleFrom
  repeat
    idleSum = 0
    for i = 1, churn do
      idleSum = idleSum + i % 7
      local now = gapClock()
      local gap = now - lastIdle
      if gap > idleGap then idleGap = gap end
      if gap > 0.002 then idleOver2 = idleOver2 + 1 end
      lastIdle = now
    end
  until lastIdle - idleFrom >= churnTo - churnFrom
end
collectgarbage("restart")

local check = 0
for i = 1, nSmall, 997 do check = check + array[i][1] end
for i = 1, nHash, 101 do check = check + hash["key" .. i][1] end
for i = 1, nClosures, 211 do check = check + closures[i]() end
for i = 1, nCoroutines, 97 do
  local _, v = coroutine.resume(parked[i], i)
  check = check + v
end
local _, depthSum = coroutine.resume(deep)
check = check + depthSum
for i = 1, nFinalizable, 1009 do check = check + finalizable[i][1] end

print(string.format("build_s %.3f", built - t0))
print(string.format("churn_s %.3f", finished - built))
print(string.format("max_gap_ms %.3f", maxGap * 1000))
print("gaps_over_2ms " .. gapsOver2)
print(string.format("idle_gap_ms %.3f", idleGap * 1000))
print("idle_gaps_over_2ms " .. idleOver2)
if lunette then
  table.sort(stepNs)
  local n = #stepNs
  print("steps " .. n)
  print(string.format("max_step_ms %.3f", (stepNs[n] or 0) / 1e6))
  print(string.format("p99_step_ms %.3f", (stepNs[math.max(1, math.ceil(n * 0.99))] or 0) / 1e6))
  local over = 0
  for i = n, 1, -1 do
    if stepNs[i] <= 1e6 then break end
    over = over + 1
  end
  print("steps_over_1ms " .. over)
  print(string.format("max_minor_ms %.3f", minorNs / 1e6))
  print(string.format("churn_window_ms %.3f %.3f", churnFrom * 1000, churnTo * 1000))
end
print(string.format("heap_mb %.1f", heapMb))
print("checksum " .. sum .. " " .. check .. " " .. idleSum)
