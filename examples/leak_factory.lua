-- Title: Leak 1: a coroutine factory in a loop
-- A factory makes one coroutine per task and a list keeps every one, so none is ever collected.
-- Watch: "coroutines by status" climbs to 1000 suspended and stays flat through the full
-- collection; the per-type chart shows thread bytes that never come back. After the fix the same
-- coroutines turn "collected" and the thread band drops to nothing.
-- In the coroutine table every leaked row points at the same creation site: the factory; the
-- Census button puts their memory (and a second census, its growth) at that line too.

local lunette = require "lunette"

local function check(name, value)
  print(string.format("CHECK %s %s", name, tostring(value)))
end

local TASKS = 1000

-- The work each task does per resume; it stands for "process a batch, then wait".
local processed = 0
local function processData()
  processed = processed + 1
end

-- The factory: every call returns a fresh coroutine that never finishes on its own.
local function createTask()
  return coroutine.create(function()
    while true do
      processData()
      coroutine.yield()
    end
  end)
end

-- Counts the coroutines made at `site` that the collector has not taken.
local function aliveAt(site)
  local alive, collected = 0, 0
  for _, record in ipairs(lunette.coroutines()) do
    if record.site == site then
      if record.collected then collected = collected + 1 else alive = alive + 1 end
    end
  end
  return alive, collected
end

local function threadKb()
  return lunette.gcinfo().bytype.thread.bytes / 1024
end

-- The leak: the list outlives the tasks' usefulness, and it is all the collector needs to keep
-- them. Nothing is wrong with any single coroutine; the problem is the reference.
local tasks = {}
for i = 1, TASKS do
  tasks[i] = createTask()
  coroutine.resume(tasks[i])  -- each runs once and parks at its yield
end
local site = lunette.costatus(tasks[1]).site
print("factory site: " .. site)
print("tasks processed once each: " .. processed)

collectgarbage("collect")
local alive = aliveAt(site)
print("leaked coroutines alive after full collect: " .. alive)
print(string.format("thread memory held: %.1f KB", threadKb()))
check("leaked_alive", alive)

-- Ask the inspector why one of them is still alive: the path runs through the `tasks` list.
local path = {}
for _, edge in ipairs(lunette.why(tasks[TASKS // 2])) do path[#path + 1] = edge.text end
print("why is task 500 alive? " .. table.concat(path, " -> "))
check("why_names_tasks", table.concat(path, " "):find("tasks", 1, true) ~= nil)

-- The heap census says where the memory went: the biggest group of threads was allocated by
-- the factory's coroutine.create line (the page's Census button shows the same table).
local function threadsAt(line)
  for _, group in ipairs(lunette.census()) do
    if group.kind == "thread" and group.line == line then return group.count, group.bytes end
  end
  return 0, 0
end
local factoryLine = tonumber(site:match(":(%d+)$"))
local censusCount, censusBytes = threadsAt(factoryLine)
print(string.format("census: %d threads, %.1f KB, allocated at line %d (%s)", censusCount,
  censusBytes / 1024, factoryLine, site))
check("census_threads_at_factory", censusCount)

-- The leak detector sees them too: suspended, reachable, and not resumed for a while.
local suspects = 0
for _, s in ipairs(lunette.suspects(0)) do
  if s.site == site and s.reason == "suspended and not resumed" then suspects = suspects + 1 end
end
print("suspects reported by lunette.suspects(0): " .. suspects)
check("suspects", suspects)

-- The fix: when the tasks are no longer needed, close them (their pending to-be-closed
-- variables run and they become dead) and drop the list that pins them.
local heldKb = threadKb()
for _, co in ipairs(tasks) do coroutine.close(co) end
tasks = nil
collectgarbage("collect")
local stillAlive, collected = aliveAt(site)
print("after closing and dropping the list: alive " .. stillAlive .. ", collected " .. collected)
print(string.format("thread memory: %.1f KB -> %.1f KB", heldKb, threadKb()))
check("fixed_alive", stillAlive)
check("fixed_collected", collected)
check("thread_memory_released", threadKb() < heldKb / 10)
check("census_threads_after_fix", (threadsAt(factoryLine)))
