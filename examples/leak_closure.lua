-- Title: Leak 2: a closure in a coroutine captures a large table
-- A timer coroutine's callback mentions one field of a big table, and so keeps all of it alive.
-- Watch: the heap chart steps up by a few MB when the level loads and stays up while the timer
-- waits, through every collection; it drops only when the timer fires and is forgotten. In the
-- fixed version the same load is freed by the very next collection, long before the timer fires.
-- The per-type chart shows the held bytes are tables.

local lunette = require "lunette"

local function check(name, value)
  print(string.format("CHECK %s %s", name, tostring(value)))
end

-- A fake clock and a list of running timers: the game loop's "tick" resumes each of them.
local clock = 0
local timers = {}

local function startTimer(duration, callback)
  local co = coroutine.create(function()
    local start = clock
    while clock - start < duration do coroutine.yield() end
    callback()
  end)
  coroutine.resume(co)
  timers[#timers + 1] = co
  return co
end

local function tick(seconds)
  clock = clock + seconds
  for i = #timers, 1, -1 do
    coroutine.resume(timers[i])
    if coroutine.status(timers[i]) == "dead" then table.remove(timers, i) end
  end
end

-- Observes the big tables without keeping them alive (weak values).
local watch = setmetatable({}, { __mode = "v" })

local function heapKb()
  collectgarbage("collect")
  return collectgarbage("count")
end

-- About 3 MB of level data: the kind of thing that should live only while the level loads.
local function loadLevelData()
  local data = {}
  for i = 1, 200000 do data[i] = i * 2 end
  return data
end

-- The leak: the callback only wants data[1], but a closure captures the variable, and the
-- variable holds the whole table. The waiting coroutine holds the callback as an upvalue.
local function loadLevelLeaky()
  local heavyData = loadLevelData()
  watch.leaky = heavyData
  startTimer(60, function() print("leaky timer fired, first item: " .. heavyData[1]) end)
end

local baseKb = heapKb()
loadLevelLeaky()
local loadedKb = heapKb()
print(string.format("heap held while the leaky timer waits: %.0f KB", loadedKb - baseKb))
check("leaky_held_after_collect", watch.leaky ~= nil)
check("leaky_held_kb_over_1000", loadedKb - baseKb > 1000)

local path = {}
for _, edge in ipairs(lunette.why(watch.leaky)) do path[#path + 1] = edge.text end
print("why is the level data alive? " .. table.concat(path, " -> "))
local pathText = table.concat(path, " ")
check("why_passes_timer", pathText:find("coroutine", 1, true) ~= nil)
check("why_names_upvalue", pathText:find("heavyData", 1, true) ~= nil)

tick(30)
local at30Kb = heapKb()
check("leaky_held_at_30s", at30Kb - baseKb > 1000 and watch.leaky ~= nil)
tick(30)  -- the timer fires, finishes, and leaves the list
collectgarbage("collect")
print(string.format("after the timer fired: %.0f KB held", heapKb() - baseKb))
check("leaky_freed_after_fire", watch.leaky == nil)

-- Fix 1: capture only what the callback needs. The table is garbage as soon as loading ends.
local function loadLevelFixed()
  local heavyData = loadLevelData()
  watch.fixed = heavyData
  local first = heavyData[1]
  startTimer(60, function() print("fixed timer fired, first item: " .. first) end)
end

baseKb = heapKb()
loadLevelFixed()
print(string.format("heap held while the fixed timer waits: %.0f KB", heapKb() - baseKb))
check("fixed_freed_while_waiting", watch.fixed == nil)
tick(60)

-- Fix 2: when the callback needs the data later, go through a small proxy the owner can empty
-- when the level unloads; the waiting closure then holds only the empty proxy.
local function loadLevelProxy()
  local proxy = { data = loadLevelData() }
  watch.proxied = proxy.data
  startTimer(60, function()
    print("proxy timer fired, data " .. (proxy.data and "present" or "already released"))
  end)
  return proxy
end

local proxy = loadLevelProxy()
collectgarbage("collect")
check("proxy_held_before_unload", watch.proxied ~= nil)
proxy.data = nil  -- the level unloads
collectgarbage("collect")
check("proxy_freed_after_unload", watch.proxied == nil)
tick(60)
check("timers_left", #timers)
