-- lunette.shim.scheduler: coroutines on a virtual clock, the ground the ngx and skynet shims
-- stand on. Embedded into the binary by shim_lib.cpp (this file is its source of truth).
--
-- Model. Every task is a coroutine. A task runs until it finishes or asks the scheduler for
-- something by yielding a request table ({op = "sleep", ...}); the scheduler answers by
-- resuming it later. Runnable tasks run in FIFO order; when none is runnable, the clock jumps
-- to the earliest timer (ties: the one armed first) and that timer fires. Nothing reads the
-- wall clock, so a script's output and its recording are the same every run, and a minute of
-- server time passes in the time the code takes to run.
--
-- The end. The run ends when nothing is runnable and no timer would wake a request's own task
-- (the main chunk, its light threads, skynet's forks: sleeps and wait timeouts); timer handlers
-- and repeating timers alone do not keep it going, since they could go on forever. Then the
-- worker is "exiting": every pending timer fires once more with premature = true, and tasks
-- still waiting for a semaphore or a wakeup that nobody will give stay suspended: they are the
-- leaks the playground shows.
--
-- Invariants: a task is in at most one of: the run queue, a timer, a wait list; `waiting[co]`
-- describes what a suspended task waits for (the page's "waiting for" column), nil otherwise.

local S = {}

-- The inspector's hook (shim_lib.cpp): every sample after a call carries the clock it was given.
local _, clockMoved = ...
clockMoved = clockMoved or function() end

local clock = 0            -- virtual seconds since the start
local runQueue = {}        -- FIFO of {co = co, args = {...}}: entries queueHead..queueTail
local queueHead, queueTail = 1, 0
local timers = {}          -- binary heap of {at, seq, fire = function, repeating}
local timerSeq = 0
local tasks = setmetatable({}, {__mode = "k"})   -- co -> task record
S.waiting = setmetatable({}, {__mode = "k"})      -- co -> what it waits for (text)
-- co -> what it waits for, for the tasks still waiting when the worker exited: nothing is left
-- to wake them (the page lists them as certain leaks).
S.stranded = setmetatable({}, {__mode = "k"})
S.exiting = false
S.logSink = function(line) io.write(line, "\n") end
S.errorHandler = nil       -- function(task, err): a task died in an error

local yield, resume, status, running = coroutine.yield, coroutine.resume, coroutine.status, coroutine.running

-- ---- the timer heap ------------------------------------------------------------------------

local function before(a, b)
  if a.at ~= b.at then return a.at < b.at end
  return a.seq < b.seq
end

local function pushTimer(t)
  if t.active == nil then t.active = true end
  timerSeq = timerSeq + 1
  t.seq = timerSeq
  timers[#timers + 1] = t
  local i = #timers
  while i > 1 do
    local parent = i // 2
    if before(timers[i], timers[parent]) then
      timers[i], timers[parent] = timers[parent], timers[i]
      i = parent
    else
      break
    end
  end
  return t
end

local function popTimer()
  local top = timers[1]
  local last = table.remove(timers)
  if #timers > 0 then
    timers[1] = last
    local i = 1
    while true do
      local l, r, m = 2 * i, 2 * i + 1, i
      if timers[l] and before(timers[l], timers[m]) then m = l end
      if timers[r] and before(timers[r], timers[m]) then m = r end
      if m == i then break end
      timers[i], timers[m] = timers[m], timers[i]
      i = m
    end
  end
  return top
end

-- ---- tasks -----------------------------------------------------------------------------------

function S.now() return clock end

function S.current() return tasks[running()] end

function S.isTask(co) return tasks[co] ~= nil end

function S.ready(co, ...)
  S.waiting[co] = nil
  queueTail = queueTail + 1
  runQueue[queueTail] = {co = co, args = table.pack(...)}
end

-- A new task running fn(...); `kind` names it for the log ("timer", "thread", "fork"...).
function S.spawn(fn, kind, ...)
  local co = coroutine.create(fn)
  local task = {co = co, kind = kind or "task", done = false, results = nil, watchers = {}}
  tasks[co] = task
  S.ready(co, ...)
  return co, task
end

local function finish(task, ok, ...)
  task.done = true
  task.ok = ok
  task.results = table.pack(...)
  S.waiting[task.co] = nil
  for _, w in ipairs(task.watchers) do w(task) end
  task.watchers = {}
end

-- Resumes a task and serves what it asks for, until it waits or ends.
function S.step(co, ...)
  local task = tasks[co]
  local result = table.pack(resume(co, ...))
  if status(co) == "dead" then
    if not result[1] and not task.killed then
      if S.errorHandler then S.errorHandler(task, result[2]) end
    end
    finish(task, table.unpack(result, 1, result.n))
    return
  end
  local request = result[2]
  if type(request) == "table" and request.serve then
    request.serve(co)
  else
    -- A plain coroutine.yield in a task: run it again next (like skynet.yield).
    S.ready(co)
  end
end

-- Asks the scheduler for `request` (its serve(co) arranges the wake-up); returns what the
-- wake-up passes. Outside any task (the main chunk run without the scheduler) it pumps the
-- scheduler until the request is served.
function S.block(request)
  local co = running()
  if tasks[co] then return yield(request) end
  local answered, answer = false, nil
  local proxy = coroutine.create(function() end)
  tasks[proxy] = {co = proxy, kind = "main", done = false, watchers = {}}
  request.serve(proxy)
  local realReady = S.ready
  -- The main chunk is not a coroutine the scheduler can resume: intercept its wake-up.
  S.ready = function(c, ...)
    if c == proxy then
      answered, answer = true, table.pack(...)
    else
      realReady(c, ...)
    end
  end
  while not answered and S.runOnce() do end
  S.ready = realReady
  S.waiting[proxy] = nil
  if not answered then return nil, "deadlock: nothing left to wake the main chunk" end
  return table.unpack(answer, 1, answer.n)
end

function S.task(co) return tasks[co] end

-- Takes a task just made ready back off the run queue (ngx.thread.spawn runs it at once).
function S.unqueue(co)
  for i = queueTail, queueHead, -1 do
    if runQueue[i].co == co then
      for j = i, queueTail - 1 do runQueue[j] = runQueue[j + 1] end
      runQueue[queueTail] = nil
      queueTail = queueTail - 1
      return
    end
  end
end

-- Ends a task where it waits: it is never resumed again; its wake-ups find it done.
function S.kill(co)
  local task = tasks[co]
  task.killed = true
  finish(task, false, "killed")
  if status(co) == "suspended" then coroutine.close(co) end
end

-- ---- waiting ---------------------------------------------------------------------------------

function S.sleep(seconds, label)
  seconds = math.max(0, tonumber(seconds) or 0)
  return S.block({serve = function(co)
    S.waiting[co] = label or string.format("sleep until %.3f", clock + seconds)
    pushTimer({at = clock + seconds, wakes = co, fire = function() S.ready(co) end})
  end})
end

-- A one-shot (or repeating, every `interval`) timer calling fire() at clock + delay.
function S.timer(delay, fire, interval)
  local t = {at = clock + math.max(0, delay), fire = fire, interval = interval, active = true}
  return pushTimer(t)
end

function S.pendingTimers()
  local n = 0
  for _, t in ipairs(timers) do if t.active then n = n + 1 end end
  return n
end

-- Waits for a wake-up through `register(wake)`; with a timeout, returns nil, "timeout" when it
-- passes first (after calling onTimeout(wake), so the waker can forget it). `label` is what
-- the page shows in "waiting for".
function S.wait(label, register, timeout, onTimeout)
  return S.block({serve = function(co)
    S.waiting[co] = label
    local settled = false
    local timer
    local function wake(...)
      if settled then return false end
      settled = true
      if timer then timer.active = false end
      S.ready(co, ...)
      return true
    end
    register(wake)
    if timeout then
      timer = pushTimer({at = clock + math.max(0, timeout), wakes = co, fire = function()
        if not settled then
          settled = true
          if onTimeout then onTimeout(wake) end
          S.ready(co, nil, "timeout")
        end
      end})
    end
  end})
end

-- ---- the loop --------------------------------------------------------------------------------

-- Runs one runnable task, or fires the next timer; false when there is nothing left to do but
-- repeating timers.
function S.runOnce()
  if queueHead <= queueTail then
    local entry = runQueue[queueHead]
    runQueue[queueHead] = nil
    queueHead = queueHead + 1
    if queueHead > queueTail then queueHead, queueTail = 1, 0 end
    local task = tasks[entry.co]
    if task and not task.done and status(entry.co) == "suspended" then
      S.step(entry.co, table.unpack(entry.args, 1, entry.args.n))
    end
    return true
  end
  -- Nothing runnable: the worker lives on while a timer would wake a request's own task.
  local keepsAlive = false
  for _, t in ipairs(timers) do
    local task = t.active and t.wakes and tasks[t.wakes]
    if task and not task.done and task.kind ~= "timer" then keepsAlive = true break end
  end
  if not keepsAlive then return false end
  local t = popTimer()
  if not t.active then return true end
  if t.at > clock then
    clock = t.at
    clockMoved(clock)
  end
  if t.interval then
    t.at = clock + t.interval
    pushTimer(t)
  end
  t.fire(false)
  return true
end

-- Fires every pending timer once with premature = true (the worker is exiting).
local function exitWorker()
  S.exiting = true
  local pending = timers
  timers = {}
  table.sort(pending, before)
  for _, t in ipairs(pending) do
    if t.active and t.premature then t.premature() end
  end
  while queueHead <= queueTail do S.runOnce() end
  for co, label in pairs(S.waiting) do S.stranded[co] = label end
end

-- Runs fn(...) as the first task and the scheduler until nothing is left (see "The end").
function S.run(fn, ...)
  -- A new worker (a script may run several servers one after another): its clock starts at 0.
  S.exiting = false
  clock = 0
  clockMoved(clock)
  S.spawn(fn, "main", ...)
  S.drain()
end

-- Runs the scheduler until nothing is left, then exits the worker.
function S.drain()
  while S.runOnce() do end
  exitWorker()
end

-- The timers' fire functions call this with premature = false; exitWorker calls t.premature.
function S.timerTask(delay, interval, kind, handler, ...)
  local args = table.pack(...)
  local t
  local function start(premature)
    S.spawn(handler, kind, premature, table.unpack(args, 1, args.n))
  end
  t = S.timer(delay, function() start(false) end, interval)
  t.premature = function() start(true) end
  return t
end

function S.log(line) S.logSink(line) end

return S
