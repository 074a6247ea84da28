-- Title: skynet: a cooldown coroutine per skill cast, kept after the player leaves
-- A game service makes a coroutine for each skill cooldown and keeps them all in one module table.
-- Watch: with Server: skynet, a player logs in every 100 ms (10 ticks), casts three skills
-- and logs out 5 s later. Each cast makes a cooldown coroutine that a ticker fork resumes every
-- tick; nothing removes it at logout, so `cooldowns` holds every coroutine ever made: on the
-- virtual time axis the suspended count climbs in a straight line and never comes down, and
-- the ticker's work per tick grows with it.
-- Server: skynet
-- The seed's first pattern (a coroutine factory in a loop); skynet_fix_pool.lua is the fix.
-- The CHECK lines are what tests/examples asserts.

local lunette = require "lunette"
local skynet = require "skynet"

local cooldowns = {}   -- every cooldown coroutine the service ever made
local online = 0

-- The factory: a state machine per cast, resumed with the current tick until the player quits
-- (it never learns that the player did).
local function startCooldown(player, skill, ticks)
  local co = coroutine.create(function(now)
    local readyAt = now + ticks
    while true do
      if now >= readyAt then player.ready[skill] = true end
      now = coroutine.yield()
    end
  end)
  coroutine.resume(co, skynet.now())
  cooldowns[#cooldowns + 1] = co
end

local function session(id)
  online = online + 1
  local player = {id = id, ready = {}, bag = {}}
  for skill = 1, 3 do startCooldown(player, skill, 100 * skill) end
  skynet.sleep(500)   -- five seconds of play
  online = online - 1
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
  skynet.fork(function()   -- the ticker: drives every cooldown once a tick
    while serving do
      skynet.sleep(1)
      local now = skynet.now()
      for _, co in ipairs(cooldowns) do coroutine.resume(co, now) end
    end
  end)
  skynet.fork(function()   -- the gate: a login every 10 ticks
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
  skynet.error(string.format("at 20 s: %d players online, %d cooldown coroutines, " ..
    "%d suspended coroutines (%d at 10 s)", online, #cooldowns, at20, at10))
  check("online.20s", online)
  check("cooldowns.20s", #cooldowns)
  check("suspended.10s", at10)
  check("suspended.20s", at20)
  check("grows", at20 >= 1.6 * at10)
end)
