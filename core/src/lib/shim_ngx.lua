-- lunette.shim.ngx: the parts of OpenResty's `ngx` API that coroutine code uses, on the
-- virtual clock of lunette.shim.scheduler. Embedded by shim_lib.cpp.
--
-- Requiring it installs the global `ngx` and makes require "ngx.semaphore" work. Time starts
-- at kEpoch (a fixed date, so output is the same every run). The main chunk run with
-- `lunette --shim=ngx` is the first request handler; ngx.exit ends the handler it is called in.
-- Differences from OpenResty, on purpose: one worker, one request (the main chunk) whose
-- ngx.ctx every light thread shares; ngx.log writes "[level] message" to the output.

local S = require "lunette.shim.scheduler"

local kEpoch = 1700000000  -- 2023-11-14T22:13:20Z
local ngx = {}

ngx.STDERR, ngx.EMERG, ngx.ALERT, ngx.CRIT, ngx.ERR = 0, 1, 2, 3, 4
ngx.WARN, ngx.NOTICE, ngx.INFO, ngx.DEBUG = 5, 6, 7, 8
ngx.OK, ngx.ERROR, ngx.AGAIN, ngx.DONE, ngx.DECLINED = 0, -1, -2, -4, -5
ngx.HTTP_OK, ngx.HTTP_NOT_FOUND, ngx.HTTP_INTERNAL_SERVER_ERROR = 200, 404, 500
local levelNames = {[0] = "stderr", "emerg", "alert", "crit", "error", "warn", "notice", "info", "debug"}

ngx.ctx = {}
ngx.status = 200

function ngx.now() return kEpoch + math.floor(S.now() * 1000 + 0.5) / 1000 end
function ngx.time() return kEpoch + math.floor(S.now()) end
function ngx.update_time() end
function ngx.sleep(seconds)
  if type(seconds) ~= "number" or seconds < 0 then error("bad argument #1 to 'sleep' (invalid sleep time)", 2) end
  S.sleep(seconds)
  return 1
end

local function render(...)
  local parts = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "table" then
      for _, item in ipairs(v) do parts[#parts + 1] = tostring(item) end
    elseif v == nil then
      parts[#parts + 1] = "nil"
    else
      parts[#parts + 1] = tostring(v)
    end
  end
  return table.concat(parts)
end

function ngx.say(...) io.write(render(...), "\n") return 1 end
function ngx.print(...) io.write(render(...)) return 1 end
function ngx.log(level, ...)
  S.log(string.format("[%s] %s", levelNames[level] or tostring(level), render(...)))
end
function ngx.flush() return 1 end

-- ngx.exit ends the current handler (or light thread) without an error.
local ExitSignal = setmetatable({}, {__tostring = function() return "ngx.exit" end})
function ngx.exit(status)
  ngx.status = status
  error(ExitSignal, 0)
end

S.errorHandler = function(task, err)
  if err == ExitSignal then return end
  if task.kind == "timer" then
    S.log("[error] lua timer handler aborted: runtime error: " .. tostring(err))
  elseif task.kind == "main" then
    S.log("[error] lua entry thread aborted: runtime error: " .. tostring(err))
  end
end

-- ---- timers ----------------------------------------------------------------------------------

ngx.timer = {}
local running = 0
-- Arms a timer whose handler runs as its own task; an error in it is logged (the scheduler
-- goes on), as OpenResty logs a failed timer.
local function armTimer(delay, interval, handler, ...)
  if S.exiting then return nil, "process exiting" end
  local args = table.pack(...)
  S.timerTask(delay, interval, "timer", function(premature)
    running = running + 1
    local ok, err = pcall(handler, premature, table.unpack(args, 1, args.n))
    running = running - 1
    if not ok and err ~= ExitSignal then S.errorHandler({kind = "timer"}, err) end
  end)
  return true
end

function ngx.timer.at(delay, handler, ...)
  if type(delay) ~= "number" or delay < 0 then return nil, "bad delay" end
  if type(handler) ~= "function" then error("bad argument #2 to 'at' (function expected)", 2) end
  return armTimer(delay, nil, handler, ...)
end
function ngx.timer.every(delay, handler, ...)
  if type(delay) ~= "number" or delay <= 0 then return nil, "bad delay" end
  if type(handler) ~= "function" then error("bad argument #2 to 'every' (function expected)", 2) end
  return armTimer(delay, delay, handler, ...)
end
function ngx.timer.running_count() return running end
function ngx.timer.pending_count() return S.pendingTimers() end

ngx.worker = {}
function ngx.worker.exiting() return S.exiting end
function ngx.worker.pid() return 4242 end
function ngx.worker.id() return 0 end
function ngx.worker.count() return 1 end

-- ---- light threads ---------------------------------------------------------------------------

ngx.thread = {}
local threadIds = setmetatable({}, {__mode = "k"})
local nextThreadId = 0

-- spawn runs the new thread at once until it first yields (waits) or ends, then returns it.
function ngx.thread.spawn(fn, ...)
  if type(fn) ~= "function" then error("bad argument #1 to 'spawn' (function expected)", 2) end
  local co = S.spawn(fn, "thread")
  nextThreadId = nextThreadId + 1
  threadIds[co] = nextThreadId
  -- Run it now: take it back off the queue's tail and step it directly.
  S.waiting[co] = nil
  S.unqueue(co)
  S.step(co, ...)
  return co
end

-- wait(t1, ...) waits for the first of the threads to end: true and its results, or false and
-- its error.
function ngx.thread.wait(...)
  local threads = table.pack(...)
  if threads.n == 0 then error("at least one thread should be specified", 2) end
  local function outcome(task)
    if task.ok then return true, table.unpack(task.results, 1, task.results.n) end
    local err = task.results[1]
    if err == ExitSignal then return true end
    return false, err
  end
  for i = 1, threads.n do
    local task = S.task(threads[i])
    if not task then error("bad argument #" .. i .. " to 'wait' (not a user thread)", 2) end
    if task.done then return outcome(task) end
  end
  local ids = {}
  for i = 1, threads.n do ids[#ids + 1] = "#" .. tostring(threadIds[threads[i]] or "?") end
  local first = S.wait("thread.wait on " .. table.concat(ids, ", "), function(wake)
    for i = 1, threads.n do
      local task = S.task(threads[i])
      task.watchers[#task.watchers + 1] = function(t) wake(t) end
    end
  end)
  return outcome(first)
end

function ngx.thread.kill(co)
  local task = S.task(co)
  if not task then return nil, "not user thread" end
  if task.done then return nil, "already waited or killed" end
  S.kill(co)
  return true
end

-- ---- semaphores ------------------------------------------------------------------------------

local semaphore = {}
semaphore.__index = semaphore
local nextSemaphoreId = 0

function semaphore.new(n)
  nextSemaphoreId = nextSemaphoreId + 1
  return setmetatable({resources = n or 0, waiters = {}, id = nextSemaphoreId}, semaphore)
end

function semaphore:count()
  if self.resources > 0 then return self.resources end
  return -#self.waiters
end

function semaphore:post(n)
  n = n or 1
  for _ = 1, n do
    local woke = false
    while #self.waiters > 0 and not woke do
      local wake = table.remove(self.waiters, 1)
      woke = wake(true)
    end
    if not woke then self.resources = self.resources + 1 end
  end
  return true
end

-- wait(timeout): true, or nil and "timeout".
function semaphore:wait(timeout)
  if self.resources > 0 then
    self.resources = self.resources - 1
    return true
  end
  if timeout == 0 then return nil, "timeout" end
  local label = "semaphore #" .. self.id
  return S.wait(label, function(wake) self.waiters[#self.waiters + 1] = wake end, timeout,
    function(wake)
      for i, w in ipairs(self.waiters) do
        if w == wake then table.remove(self.waiters, i) break end
      end
    end)
end

ngx.semaphore = semaphore
package.preload["ngx.semaphore"] = function() return semaphore end

_G.ngx = ngx
return ngx
