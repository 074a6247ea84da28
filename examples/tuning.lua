-- Title: Tuning the collector: pause, stepmul, incremental vs generational
-- One allocation workload under several settings; prints peak heap and collector work for each.
-- Watch: the heap chart is a saw; a larger pause makes taller, rarer teeth (higher peak, fewer
-- cycles), a larger stepmul makes each cycle finish in fewer, bigger steps (the phase band
-- narrows). Generational mode replaces the big teeth with many small minor collections.
-- The live data is the same every time; only the garbage handling changes.

local lunette = require "lunette"

local function check(name, value)
  print(string.format("CHECK %s %s", name, tostring(value)))
end

local LIVE = 4000        -- objects kept alive at any moment (a sliding window)
local ALLOCATIONS = 120000

-- The workload: a window of recent records; each new one pushes the oldest out as garbage.
-- Peak heap is sampled every 50 allocations.
local function workload()
  local window = {}
  local peak = 0
  for i = 1, ALLOCATIONS do
    window[i % LIVE + 1] = { id = i, payload = { i, i * 2, i * 3 } }
    if i % 50 == 0 then
      local kb = collectgarbage("count")
      if kb > peak then peak = kb end
    end
  end
  return peak
end

-- Runs the workload under one setting; `setup` selects the mode and parameters.
local function measure(label, setup)
  setup()
  collectgarbage("collect")
  local before = lunette.gcinfo()
  local baseKb = collectgarbage("count")
  local peak = workload()
  local after = lunette.gcinfo()
  local result = {
    label = label,
    peak = peak - baseKb,
    cycles = (after.cycles - before.cycles),
    minors = (after.minors - before.minors),
    steps = (after.steps - before.steps),
  }
  print(string.format("%-34s %9.0f %7d %7d %7d", label, result.peak, result.cycles, result.minors,
    result.steps))
  return result
end

print(string.format("%-34s %9s %7s %7s %7s", "setting", "peak KB", "cycles", "minors", "steps"))

local pause = {}
for _, p in ipairs({ 100, 200, 400 }) do
  pause[p] = measure(string.format("incremental pause %d stepmul 100", p), function()
    collectgarbage("incremental", p, 100)
  end)
end
local stepmul = {}
for _, m in ipairs({ 100, 200, 400 }) do
  stepmul[m] = measure(string.format("incremental pause 200 stepmul %d", m), function()
    collectgarbage("incremental", 200, m)
  end)
end
local gen = measure("generational (minor 20, major 100)", function()
  collectgarbage("generational", 20, 100)
end)
local jit = measure("luajit pause 200 stepmul 200", function()
  collectgarbage("luajit", 200, 200)
end)
collectgarbage("incremental", 200, 100)

-- What the numbers should say.
check("pause_raises_peak", pause[100].peak < pause[200].peak and pause[200].peak < pause[400].peak)
check("pause_cuts_cycles",
  pause[100].cycles > pause[200].cycles and pause[200].cycles > pause[400].cycles)
check("stepmul_cuts_steps",
  stepmul[100].steps > stepmul[200].steps and stepmul[200].steps > stepmul[400].steps)
check("stepmul_lowers_peak", stepmul[400].peak < stepmul[100].peak)
check("generational_uses_minors", gen.minors > gen.cycles - gen.minors)
check("luajit_collects", jit.cycles > 0)
