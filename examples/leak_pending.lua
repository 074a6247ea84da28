-- Title: Leak 3: coroutines parked in a pending list forever
-- Requests wait in a `pending` list for a reply that never comes; timeouts are the fix.
-- Watch: in the coroutine table, 20 rows stay "suspended" with a growing age while the other 80
-- finish; the collections cannot take them because `pending` still lists them. In the second
-- half, the same 20 are woken by their deadline, finish with "timeout", and turn "collected".
-- A small scheduler with a fake clock drives everything, so the run is fast and repeatable.

local lunette = require "lunette"

local function check(name, value)
  print(string.format("CHECK %s %s", name, tostring(value)))
end

local REQUESTS = 100
local LATENCY = 3  -- fake seconds before a reply arrives

local function indexOf(list, value)
  for i, v in ipairs(list) do
    if v == value then return i end
  end
  return nil
end

-- A world: a fake clock, a run queue, a fake network and the pending list. Each half of the
-- example builds its own, so the first half's leak is still in memory while we look at it.
local function newWorld()
  local world = { clock = 0, ready = {}, inflight = {}, pending = {}, answered = 0, timeouts = 0 }

  function world.spawn(f, ...)
    world.ready[#world.ready + 1] = { coroutine.create(f), table.pack(...) }
  end

  function world.wake(co, ...)
    world.ready[#world.ready + 1] = { co, table.pack(...) }
  end

  -- The fake HTTP client: the reply is delivered after LATENCY seconds, except that the flaky
  -- host drops the request on the floor, and with it the callback.
  function world.httpGet(url, onReply)
    if url:find("flaky", 1, true) then return end
    world.inflight[#world.inflight + 1] = { at = world.clock + LATENCY, url = url, reply = onReply }
  end

  function world.tick()
    world.clock = world.clock + 1
    local arrived = world.inflight
    world.inflight = {}
    for _, r in ipairs(arrived) do
      if r.at <= world.clock then
        r.reply("200 OK " .. r.url)
      else
        world.inflight[#world.inflight + 1] = r
      end
    end
    if world.checkDeadlines then world.checkDeadlines() end
    local batch = world.ready
    world.ready = {}
    for _, entry in ipairs(batch) do
      local ok, err = coroutine.resume(entry[1], table.unpack(entry[2], 1, entry[2].n))
      if not ok then print("task failed: " .. tostring(err)) end
    end
  end

  function world.run(seconds)
    for _ = 1, seconds do world.tick() end
  end

  return world
end

-- Coroutines created after `firstId` that the collector has not taken.
local function newestId()
  local last = 0
  for _, r in ipairs(lunette.coroutines()) do
    if r.id > last then last = r.id end
  end
  return last
end

local function census(firstId)
  local alive, collected = 0, 0
  for _, r in ipairs(lunette.coroutines()) do
    if r.id > firstId then
      if r.collected then collected = collected + 1 else alive = alive + 1 end
    end
  end
  return alive, collected
end

local function urlFor(i)
  return (i % 5 == 0 and "http://flaky.example/" or "http://api.example/") .. i
end

-- ---- The leak: wait for the reply, however long it takes ------------------------------------

local leaky = newWorld()
local firstLeakyId = newestId()

local function asyncRequest(world, url)
  local co = coroutine.running()
  world.pending[#world.pending + 1] = co
  world.httpGet(url, function(response)
    local i = indexOf(world.pending, co)
    if i then
      table.remove(world.pending, i)
      world.wake(co, response)
    end
  end)
  return coroutine.yield()
end

for i = 1, REQUESTS do
  leaky.spawn(function()
    asyncRequest(leaky, urlFor(i))
    leaky.answered = leaky.answered + 1
  end)
end
leaky.run(100)  -- 100 fake seconds: every reply that will ever come has come

collectgarbage("collect")
local alive = census(firstLeakyId)
print(string.format("after %d fake seconds: %d answered, %d still pending", leaky.clock,
  leaky.answered, #leaky.pending))
print("coroutines parked in pending forever: " .. alive)
check("leaky_answered", leaky.answered)
check("leaky_parked", #leaky.pending)
check("leaky_alive_after_collect", alive)

local inPending = 0
local example
for _, s in ipairs(lunette.suspects(0)) do
  if s.id > firstLeakyId then
    local texts = {}
    for _, edge in ipairs(s.path) do texts[#texts + 1] = edge.text end
    local text = table.concat(texts, " -> ")
    if text:find("pending", 1, true) then
      inPending = inPending + 1
      example = example or text
    end
  end
end
print("suspects held by the pending list: " .. inPending)
print("one of them: " .. tostring(example))
check("suspects_in_pending", inPending)

leaky = nil
collectgarbage("collect")

-- ---- The fix: every wait has a deadline -------------------------------------------------------

local fixed = newWorld()
local firstFixedId = newestId()
local TIMEOUT = 10

-- Pending entries carry their deadline; the scheduler wakes the overdue ones with an error, and
-- a late reply finds its entry gone and is dropped.
local function asyncRequestWithTimeout(world, url, timeout)
  local entry = { co = coroutine.running(), deadline = world.clock + timeout }
  world.pending[#world.pending + 1] = entry
  world.httpGet(url, function(response)
    local i = indexOf(world.pending, entry)
    if i then
      table.remove(world.pending, i)
      world.wake(entry.co, response)
    end
  end)
  return coroutine.yield()
end

function fixed.checkDeadlines()
  for i = #fixed.pending, 1, -1 do
    local entry = fixed.pending[i]
    if fixed.clock >= entry.deadline then
      table.remove(fixed.pending, i)
      fixed.wake(entry.co, nil, "timeout")
    end
  end
end

for i = 1, REQUESTS do
  fixed.spawn(function()
    local response, err = asyncRequestWithTimeout(fixed, urlFor(i), TIMEOUT)
    if response then
      fixed.answered = fixed.answered + 1
    elseif err == "timeout" then
      fixed.timeouts = fixed.timeouts + 1
    end
  end)
end
fixed.run(100)

collectgarbage("collect")
local fixedAlive, fixedCollected = census(firstFixedId)
print(string.format("with timeouts: %d answered, %d timed out, %d pending, %d alive, %d collected",
  fixed.answered, fixed.timeouts, #fixed.pending, fixedAlive, fixedCollected))
check("fixed_answered", fixed.answered)
check("fixed_timeouts", fixed.timeouts)
check("fixed_parked", #fixed.pending)
check("fixed_alive_after_collect", fixedAlive)
check("fixed_collected", fixedCollected)
