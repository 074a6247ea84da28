-- Title: Coroutine lessons: generators, producer/consumer, a round-robin scheduler
-- The three everyday coroutine patterns, each ending with every coroutine dead and collected.
-- Watch: the coroutine table shows each pattern's coroutines flicking between running, normal
-- and suspended, then dead, then collected at the collection that closes each lesson. The
-- "normal" status appears in the pipeline: a filter is normal while the producer it resumed runs.

local lunette = require "lunette"

local function check(name, value)
  print(string.format("CHECK %s %s", name, tostring(value)))
end

local function newestId()
  local last = 0
  for _, r in ipairs(lunette.coroutines()) do if r.id > last then last = r.id end end
  return last
end

-- After a lesson: how many of its coroutines are still around once nothing refers to them.
local function leftover(firstId)
  collectgarbage("collect")
  local alive, total = 0, 0
  for _, r in ipairs(lunette.coroutines()) do
    if r.id > firstId then
      total = total + 1
      if not r.collected then alive = alive + 1 end
    end
  end
  return alive, total
end

-- ---- Lesson 1: generators ------------------------------------------------------------------
-- A generator is a function that yields its values one at a time; coroutine.wrap makes it look
-- like an ordinary iterator, so it drops straight into a generic for.
local mark = newestId()

local function range(n, step)
  return coroutine.wrap(function()
    for i = 1, n, step or 1 do coroutine.yield(i) end
  end)
end

local function fibonacci(limit)
  return coroutine.wrap(function()
    local a, b = 0, 1
    while a <= limit do
      coroutine.yield(a)
      a, b = b, a + b
    end
  end)
end

-- Generators compose: this one walks a tree depth-first without an explicit stack.
local function leaves(tree)
  return coroutine.wrap(function()
    local function walk(node)
      if type(node) ~= "table" then coroutine.yield(node) return end
      for _, child in ipairs(node) do walk(child) end
    end
    walk(tree)
  end)
end

local odds, fibs, found = {}, {}, {}
for i in range(9, 2) do odds[#odds + 1] = i end
for f in fibonacci(100) do fibs[#fibs + 1] = f end
for leaf in leaves({ "a", { "b", { "c", "d" } }, { { "e" } } }) do found[#found + 1] = leaf end
print("odd numbers: " .. table.concat(odds, " "))
print("fibonacci up to 100: " .. table.concat(fibs, " "))
print("tree leaves in order: " .. table.concat(found, " "))
check("generator_range", table.concat(odds, ","))
check("generator_fibonacci", table.concat(fibs, ","))
check("generator_leaves", table.concat(found, ""))
local alive, made = leftover(mark)
print(string.format("generators made %d coroutines; %d left after a collection", made, alive))
check("generators_left", alive)

-- ---- Lesson 2: producer / consumer -----------------------------------------------------------
-- The consumer pulls: it resumes the producer whenever it wants the next item. A filter sits in
-- between, a consumer to its left and a producer to its right. The whole pipeline lives inside
-- one function call, so once the call returns every stage is garbage.
mark = newestId()

local function receive(producer)
  local ok, value = coroutine.resume(producer)
  assert(ok, value)
  return value
end

local function producer(lines, onFirst)
  return coroutine.create(function()
    for i, line in ipairs(lines) do
      if i == 1 then onFirst() end
      coroutine.yield(line)
    end
    return nil  -- end of input
  end)
end

local function filter(source, transform)
  return coroutine.create(function()
    local item = receive(source)
    while item ~= nil do
      coroutine.yield(transform(item))
      item = receive(source)
    end
    return nil
  end)
end

local function runPipeline(lines)
  local upper
  local statusOfUpper
  -- While the producer runs, the filter that resumed it is "normal": alive, not running, and
  -- not resumable either.
  local source = producer(lines, function() statusOfUpper = coroutine.status(upper) end)
  upper = filter(source, string.upper)
  local n = 0
  local numbered = filter(upper, function(line)
    n = n + 1
    return string.format("%02d %s", n, line)
  end)
  local received = {}
  for line in function() return receive(numbered) end do received[#received + 1] = line end
  return received, statusOfUpper
end

local received, upperStatus = runPipeline({ "alpha", "beta", "gamma" })
print("consumer received: " .. table.concat(received, " | "))
print("status of the upper-casing filter while its producer ran: " .. upperStatus)
check("pipeline_output", table.concat(received, "|"))
check("pipeline_normal_status", upperStatus)
alive, made = leftover(mark)
print(string.format("the pipeline made %d coroutines; %d left after a collection", made, alive))
check("pipeline_left", alive)

-- ---- Lesson 3: a round-robin scheduler ---------------------------------------------------------
-- Each task yields when it is willing to let others run; the scheduler resumes them in turn and
-- drops the ones that finish (that drop is what lets the collector take them).
mark = newestId()

local function scheduler()
  local queue, order = {}, {}
  local self = {}
  function self.spawn(name, f)
    queue[#queue + 1] = { name = name, co = coroutine.create(f) }
  end
  function self.run()
    while #queue > 0 do
      local task = table.remove(queue, 1)
      local ok, note = coroutine.resume(task.co, task.name)
      if not ok then error(task.name .. " failed: " .. tostring(note)) end
      if note then order[#order + 1] = note end
      if coroutine.status(task.co) == "suspended" then queue[#queue + 1] = task end
    end
    return order
  end
  return self
end

local sched = scheduler()
local function worker(rounds)
  return function(name)
    for i = 1, rounds do coroutine.yield(name .. i) end
  end
end
sched.spawn("A", worker(3))
sched.spawn("B", worker(1))
sched.spawn("C", worker(2))
local order = table.concat(sched.run(), " ")
print("round-robin order: " .. order)
check("round_robin_order", order)
sched = nil
alive, made = leftover(mark)
print(string.format("the scheduler ran %d tasks; %d left after a collection", made, alive))
check("scheduler_tasks", made)
check("scheduler_left", alive)
