-- Title: skynet fix: a cooldown pool that lets go of a player's coroutines
-- The cooldown service again, with each player's coroutines in a weak-keyed pool, ended at logout and swept.
-- Watch: with Server: skynet, the same logins, casts and logouts as skynet_factory_leak.lua.
-- Cooldowns live in a pool keyed weakly by their player; a cooldown ends when its player logs
-- out, a sweep every second drops dead coroutines from the pool, and a __gc on the player
-- record counts what the collector reclaimed. On the virtual time axis the suspended count
-- levels off at the players online instead of climbing.
-- Server: skynet
-- The seed's remedies for the coroutine factory (a pool that tracks coroutines with weak
-- tables and __gc, and periodic cleanup of dead ones). The CHECK lines are what
-- tests/examples asserts.

local lunette = require "lunette"
local skynet = require "skynet"

-- player -> {coroutine...}: a player nobody else holds takes its list with it.
local pool = setmetatable({}, {__mode = "k"})
local online, made, swept, reclaimed = 0, 0, 0, 0

local function startCooldown(player, skill, ticks)
  local co = coroutine.create(function(now)
    local readyAt = now + ticks
    while player.online do   -- ends with the player's session
      if now >= readyAt then player.ready[skill] = true end
      now = coroutine.yield()
    end
  end)
  coroutine.resume(co, skynet.now())
  local list = pool[player]
  list[#list + 1] = co
  made = made + 1
end

local function session(id)
  online = online + 1
  local player = setmetatable({id = id, ready = {}, bag = {}, online = true},
    {__gc = function() reclaimed = reclaimed + 1 end})
  pool[player] = {}
  for skill = 1, 3 do startCooldown(player, skill, 100 * skill) end
  skynet.sleep(500)
  player.online = false   -- logout: its cooldowns end at their next tick
  online = online - 1
end

-- The periodic cleanup: dead coroutines leave the pool, empty lists leave with them.
local function sweep()
  for player, list in pairs(pool) do
    for i = #list, 1, -1 do
      if coroutine.status(list[i]) == "dead" then
        table.remove(list, i)
        swept = swept + 1
      end
    end
    if #list == 0 then pool[player] = nil end
  end
end

local function check(name, value) print(string.format("CHECK %s %s", name, tostring(value))) end

local function suspended()
  collectgarbage()
  local n = 0
  for _, r in ipairs(lunette.coroutines()) do
    if r.status == "suspended" and not r.collected then n = n + 1 end
  end
  return n
end

skynet.start(function()
  local serving = true
  skynet.fork(function()   -- the ticker
    while serving do
      skynet.sleep(1)
      local now = skynet.now()
      for _, list in pairs(pool) do
        for _, co in ipairs(list) do
          if coroutine.status(co) == "suspended" then coroutine.resume(co, now) end
        end
      end
    end
  end)
  local function sweeper()
    sweep()
    if serving then skynet.timeout(100, sweeper) end
  end
  skynet.timeout(100, sweeper)
  skynet.fork(function()   -- the gate
    local id = 0
    while serving do
      id = id + 1
      skynet.fork(session, id)
      skynet.sleep(10)
    end
  end)
  skynet.sleep(1000)
  local at10 = suspended()
  skynet.sleep(1000)
  local at20 = suspended()
  serving = false
  skynet.error(string.format("at 20 s: %d players online, %d cooldowns made, %d swept, " ..
    "%d players reclaimed, %d suspended coroutines (%d at 10 s)",
    online, made, swept, reclaimed, at20, at10))
  local pooled = 0
  for _, list in pairs(pool) do pooled = pooled + #list end
  check("made.20s", made)
  check("pooled.20s", pooled)
  check("online.20s", online)
  check("reclaimed.20s", reclaimed)
  check("suspended.10s", at10)
  check("suspended.20s", at20)
  check("flat", at20 <= 1.2 * at10)
end)
