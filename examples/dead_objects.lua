-- Title: Dead objects never swept: allocation stops below the threshold
-- Garbage made just under LuaJIT's threshold stays in the heap while idle; a step sweeps it.
-- Watch: the heap chart climbs while the garbage is made, then runs flat during the idle phase,
-- a straight line well under the threshold line: no step, no cycle, the dead objects stay
-- counted. Then the explicit steps walk a whole cycle (the phase band moves through propagate
-- and sweep) and the heap falls back to the live size. Last, a watermark check does the same.

local lunette = require "lunette"

local function check(name, value)
  print(string.format("CHECK %s %s", name, tostring(value)))
end

local function kb(bytes) return bytes / 1024 end

-- LuaJIT 2.1 pacing with its defaults: the next cycle starts when the heap doubles.
collectgarbage("luajit", 200, 200)

-- The live part: a cache that stays for the life of the program.
local cache = {}
for i = 1, 20000 do cache[i] = { id = i, name = "item" .. i } end
collectgarbage("collect")
local info = lunette.gcinfo()
local liveKb = kb(info.total)
print(string.format("live heap %.0f KB, threshold %.0f KB (estimate %.0f KB x pause %d%%)", liveKb,
  kb(info.threshold), kb(info.estimate), info.pause))

-- A burst of work that leaves garbage behind, stopping at 70% of the headroom: the heap never
-- reaches the threshold, so allocation never triggers a step.
local headroom = info.threshold - info.total
local target = info.total + headroom * 0.7
local made = 0
while collectgarbage("count") * 1024 < target and made < 1000000 do
  for _ = 1, 100 do
    local request = { made, tostring(made) }  -- garbage as soon as the iteration ends
    made = made + 1
    request = nil
  end
end
local afterBurst = lunette.gcinfo()
print(string.format("made %d short-lived objects; heap now %.0f KB, threshold %.0f KB", made,
  kb(afterBurst.total), kb(afterBurst.threshold)))
check("burst_steps", afterBurst.steps - info.steps)
check("burst_cycles", afterBurst.cycles - info.cycles)

-- The idle phase: the server waits for input and allocates nothing. Nothing is collected.
local idleStart = lunette.gcinfo()
local spin = 0
for i = 1, 2000000 do spin = spin + i % 7 end
local idleEnd = lunette.gcinfo()
local deadKb = kb(idleEnd.total) - liveKb
print(string.format("after idling: heap %.0f KB, of which about %.0f KB is dead objects; steps %d,"
  .. " cycles %d", kb(idleEnd.total), deadKb, idleEnd.steps - idleStart.steps,
  idleEnd.cycles - idleStart.cycles))
check("idle_steps", idleEnd.steps - idleStart.steps)
check("idle_cycles", idleEnd.cycles - idleStart.cycles)
check("dead_kb_over_1000", deadKb > 1000)
check("dead_kb_is_half_the_live_size", deadKb > liveKb * 0.5)

-- The remedy from the article: call step. Each call charges n KB of debt and works it off; we
-- repeat until a call reports that it finished a cycle, which includes the sweep.
local calls = 0
repeat calls = calls + 1 until collectgarbage("step", 64) or calls > 10000
local swept = lunette.gcinfo()
print(string.format("collectgarbage(\"step\", 64) x %d finished a cycle: heap %.0f KB -> %.0f KB",
  calls, kb(idleEnd.total), kb(swept.total)))
check("step_finished_cycle", swept.cycles > idleEnd.cycles)
check("step_swept_dead", kb(swept.total) < liveKb + deadKb * 0.2)

-- Another remedy: a memory watermark checked at a convenient moment (end of a request, a timer),
-- which collects when the heap exceeds a limit, whatever the pacer thinks.
local function checkMemory(limitKb)
  local before = collectgarbage("count")
  if before <= limitKb then return 0 end
  collectgarbage("collect")
  return before - collectgarbage("count")
end
for i = 1, made // 2 do
  local garbage = { i }
  garbage = nil
end
local reclaimed = checkMemory(liveKb * 1.2)
print(string.format("watermark at %.0f KB: reclaimed %.0f KB", liveKb * 1.2, reclaimed))
check("watermark_reclaimed", reclaimed > 500)
check("cache_intact", #cache == 20000 and cache[20000].name == "item20000")
