-- Title: Fix 2: auto-release wrappers and a safe resume
-- Tasks that forget their own handle when they finish, and a resume that checks and catches.
-- Watch: the coroutine table fills with tasks that go suspended -> dead -> collected without
-- anyone cleaning up; the one that fails shows its error message in its row. The naive version
-- at the end keeps 200 dead rows alive: "dead but still referenced" in the suspects list.

local lunette = require "lunette"

local function check(name, value)
  print(string.format("CHECK %s %s", name, tostring(value)))
end

local logged = {}
local function logError(fmt, ...)
  local line = string.format(fmt, ...)
  logged[#logged + 1] = line
  print("log: " .. line)
end

-- safeResume: resume only a suspended coroutine, report failure instead of passing it on, and
-- return what the coroutine yielded or returned. coroutine.resume already catches errors
-- raised inside the coroutine; the status check catches the misuse (resuming a dead, running or
-- normal coroutine) before it happens.
local function safeResume(co, ...)
  local status = coroutine.status(co)
  if status ~= "suspended" then
    logError("refused to resume a %s coroutine", status)
    return false, "cannot resume " .. status .. " coroutine"
  end
  local results = table.pack(coroutine.resume(co, ...))
  if not results[1] then
    logError("coroutine failed: %s", tostring(results[2]))
    return false, results[2]
  end
  return true, table.unpack(results, 2, results.n)
end

-- Auto-release: `spawn` returns a function that advances the task. The only strong reference
-- to the coroutine is this closure's upvalue, and it is cleared the moment the task ends, so a
-- caller that keeps the stepper around still does not keep a dead coroutine.
local running = 0
local function spawn(f, ...)
  local co = coroutine.create(f)
  running = running + 1
  local function step(...)
    if not co then return false, "task already finished" end
    local result = table.pack(safeResume(co, ...))
    if coroutine.status(co) == "dead" then
      co = nil
      running = running - 1
    end
    return table.unpack(result, 1, result.n)
  end
  step(...)
  return step
end

-- ---- A task that yields three times, then returns --------------------------------------------
local outputs = {}
local step = spawn(function(name)
  for i = 1, 3 do outputs[#outputs + 1] = coroutine.yield(name .. i) end
  return "done"
end, "job")
local last
repeat
  local ok, value = step("ack")
  last = value
until not ok or value == "done"
print("task output: " .. last .. " after " .. #outputs .. " acks; running tasks: " .. running)
check("task_result", last)
check("running_after_task", running)
check("step_after_finish", select(2, step()))

-- ---- A task that fails on its second resume ----------------------------------------------------
local failing = coroutine.create(function()
  coroutine.yield()
  error("database unavailable")
end)
local ok1 = safeResume(failing)
local ok2, err2 = safeResume(failing)
print("failing task: first resume " .. tostring(ok1) .. ", second " .. tostring(ok2) .. " (" .. err2
  .. ")")
check("failing_first_resume", ok1)
check("failing_second_resume", ok2)
check("error_in_registry", (lunette.costatus(failing).error or ""):find("database unavailable",
  1, true) ~= nil)

-- ---- Misuse caught before it happens -------------------------------------------------------
local okDead, errDead = safeResume(failing)
check("dead_resume_refused", not okDead and errDead == "cannot resume dead coroutine")
local selfCheck
local selfish
selfish = coroutine.create(function()
  local ok, err = safeResume(selfish)  -- resuming itself: status is "running"
  selfCheck = not ok and err
end)
safeResume(selfish)
check("self_resume_refused", selfCheck == "cannot resume running coroutine")
check("errors_logged", #logged)

-- ---- Many auto-released tasks versus many kept handles ------------------------------------------
local function newestId()
  local last = 0
  for _, r in ipairs(lunette.coroutines()) do if r.id > last then last = r.id end end
  return last
end
local function aliveSince(firstId)
  local alive = 0
  for _, r in ipairs(lunette.coroutines()) do
    if r.id > firstId and not r.collected then alive = alive + 1 end
  end
  return alive
end

local steppers = {}
local mark = newestId()
for i = 1, 200 do
  steppers[i] = spawn(function(n) coroutine.yield(n) return n * 2 end, i)
  steppers[i]()  -- finish it
end
collectgarbage("collect")
local autoAlive = aliveSince(mark)
print("auto-released tasks alive after a full collect (steppers still held): " .. autoAlive)
check("auto_release_alive", autoAlive)

local handles = {}
mark = newestId()
for i = 1, 200 do
  handles[i] = coroutine.create(function(n) coroutine.yield(n) return n * 2 end)
  safeResume(handles[i], i)
  safeResume(handles[i])
end
collectgarbage("collect")
local naiveAlive = aliveSince(mark)
local deadReferenced = 0
for _, s in ipairs(lunette.suspects(0)) do
  if s.id > mark and s.reason == "dead but still referenced" then
    deadReferenced = deadReferenced + 1
  end
end
print("kept handles alive after a full collect: " .. naiveAlive .. " (" .. deadReferenced
  .. " flagged dead but still referenced)")
check("naive_alive", naiveAlive)
check("naive_dead_referenced", deadReferenced)
