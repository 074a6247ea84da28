-- Title: Fix 1: a coroutine pool with weak tables and __gc
-- Track coroutines without keeping them alive: weak keys, a __gc guard, and periodic cleanup.
-- Watch: in the coroutine table the workers finish, then turn "collected" at the next full
-- collection even though the pool still "tracks" them; the freed-per-cycle chart shows the
-- release. The first part shows the classic mistake: __mode = "v" on a table keyed by
-- coroutines keeps every key alive, so the thread band never drops.

local lunette = require "lunette"

local function check(name, value)
  print(string.format("CHECK %s %s", name, tostring(value)))
end

local clock = 0  -- fake seconds

local function count(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n
end

local function runToEnd(co)
  while coroutine.status(co) == "suspended" do coroutine.resume(co) end
end

local function worker()
  for _ = 1, 3 do coroutine.yield() end
end

-- ---- The mistake: weak values, but the coroutine is the key -----------------------------------
-- A tracker maps coroutine -> creation time. With __mode = "v" only the values (numbers, which
-- are never collected anyway) are weak; the keys are strong, so the tracker itself is the leak.

local wrongTracker = setmetatable({}, { __mode = "v" })
local rightTracker = setmetatable({}, { __mode = "k" })
for _ = 1, 300 do
  local a, b = coroutine.create(worker), coroutine.create(worker)
  wrongTracker[a] = clock
  rightTracker[b] = clock
  runToEnd(a)
  runToEnd(b)
end
collectgarbage("collect")
print(string.format("finished and unreferenced, after a full collect: __mode='v' still tracks %d, "
  .. "__mode='k' tracks %d", count(wrongTracker), count(rightTracker)))
check("wrong_mode_tracked", count(wrongTracker))
check("weak_keys_tracked", count(rightTracker))
wrongTracker = nil

-- ---- The pool ----------------------------------------------------------------------------------
-- `active` maps coroutine -> record and has weak keys, so tracking never keeps a coroutine
-- alive. Each record owns a guard whose __gc reports the release: the record is reachable only
-- through its key (an ephemeron entry), so the guard dies exactly when the coroutine does.

local Pool = {}
Pool.__index = Pool

function Pool.new()
  return setmetatable({ active = setmetatable({}, { __mode = "k" }), created = 0, released = 0,
    cleaned = 0 }, Pool)
end

function Pool:spawn(f)
  local co = coroutine.create(f)
  local pool = self
  local guard = setmetatable({}, { __gc = function() pool.released = pool.released + 1 end })
  self.active[co] = { createdAt = clock, guard = guard }
  self.created = self.created + 1
  return co
end

-- The periodic sweep: forget finished coroutines now rather than waiting for the collector, and
-- close the ones idle longer than maxAge (their pending to-be-closed variables run).
function Pool:cleanup(maxAge)
  for co, record in pairs(self.active) do
    local status = coroutine.status(co)
    if status == "dead" then
      self.active[co] = nil
      self.cleaned = self.cleaned + 1
    elseif status == "suspended" and clock - record.createdAt > maxAge then
      coroutine.close(co)
      self.active[co] = nil
      self.cleaned = self.cleaned + 1
    end
  end
end

local pool = Pool.new()
local jobs = {}
for i = 1, 500 do
  jobs[i] = pool:spawn(worker)
  if i % 2 == 0 then runToEnd(jobs[i]) else coroutine.resume(jobs[i]) end
end
clock = clock + 30
pool:cleanup(60)
print(string.format("pool: created %d, cleanup forgot %d dead, %d still tracked", pool.created,
  pool.cleaned, count(pool.active)))
check("cleanup_removed_dead", pool.cleaned)
check("tracked_after_cleanup", count(pool.active))

clock = clock + 60  -- the suspended half is now stale
pool:cleanup(60)
check("cleanup_closed_stale", pool.cleaned - 250)

-- Every record is gone from `active` now, so the next collection finalizes all 500 guards; the
-- jobs list was the last strong reference to the coroutines themselves.
jobs = nil
collectgarbage("collect")
print(string.format("after cleanup and a full collect: released %d of %d via __gc, %d tracked",
  pool.released, pool.created, count(pool.active)))
check("released_by_gc", pool.released)
check("tracked_after_collect", count(pool.active))

-- ---- Without cleanup: the weak keys alone are enough ------------------------------------------
local pool2 = Pool.new()
local first
for i = 1, 200 do
  local co = pool2:spawn(worker)
  runToEnd(co)
  first = first or co
end
local firstRecord = lunette.costatus(first)
first = nil
collectgarbage("collect")
local collected = 0
for _, r in ipairs(lunette.coroutines()) do
  if r.id >= firstRecord.id and r.collected then collected = collected + 1 end
end
print(string.format("no cleanup at all: %d of %d collected, %d released via __gc", collected,
  pool2.created, pool2.released))
check("weak_only_collected", collected)
check("weak_only_released", pool2.released)

-- ---- A pitfall: a finalizer guard held only weakly dies at once --------------------------------
-- Keeping the guard in a weak-valued list (and nowhere else) does not tie it to the coroutine:
-- the guard is garbage at the next collection while the coroutine is still in use.
local early = 0
local weakList = setmetatable({}, { __mode = "v" })
local busy = coroutine.create(worker)
coroutine.resume(busy)
weakList[1] = setmetatable({ handle = busy }, { __gc = function() early = early + 1 end })
collectgarbage("collect")
print(string.format("weakly held guard finalized while its coroutine is %s: %s",
  coroutine.status(busy), tostring(early == 1)))
check("weak_guard_finalized_early", early == 1)
