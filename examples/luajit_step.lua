-- Title: LuaJIT pacing: what collectgarbage("step", 2) really does
-- Under LuaJIT 2.1 pacing, "step 2" with zero debt runs exactly three steps: debt 2048, 1024, 0.
-- Watch: in the step trace each step is one row: total stays put while the threshold is pulled
-- down to total - 2048, then to total, then pushed up to total + 1024. The debt line goes
-- 2048 -> 1024 -> 0 and stays there; the phase band moves from pause to propagate on step one.
-- Then a table of "step n" for several n shows the rule: n KB of debt cost n + 1 steps.

local lunette = require "lunette"

local function check(name, value)
  print(string.format("CHECK %s %s", name, tostring(value)))
end

local STEPSIZE = 1024  -- LuaJIT's GCSTEPSIZE: the debt one step pays off

-- LuaJIT's defaults: wait for the heap to double (pause 200), mark 2 bytes per byte allocated
-- (stepmul 200). Each step's budget is lim = (GCSTEPSIZE / 100) * stepmul = 10 * 200 = 2000.
collectgarbage("luajit", 200, 200)

-- A live heap of several MB, so three steps of 2000 work units cannot finish a cycle.
local live = {}
for i = 1, 40000 do live[i] = { i, tostring(i) } end

-- A full collection ends a cycle; in LuaJIT the end of a cycle resets the debt to zero.
collectgarbage("collect")
-- Freeze the automatic steps: our own printing allocates, and allocation past the threshold
-- would add steps of its own to the trace. Explicit steps still run while the collector is
-- stopped; only the allocation-driven ones wait.
collectgarbage("stop")
local info = lunette.gcinfo()
print(string.format("mode %s, pause %d, stepmul %d: total %d, threshold %d, debt %d, phase %s",
  info.mode, info.pause, info.stepmul, info.total, info.threshold, info.debt, info.state))
check("mode", info.mode)
check("live_heap_over_4mb", info.total > 4 * 1024 * 1024)
check("debt_at_start", info.debt)

-- The walk-through. lua_gc(LUA_GCSTEP, 2) lowers the threshold to total - 2 KB, then calls
-- lj_gc_step while total >= threshold; each call adds total - threshold to the debt, does up
-- to lim units of work, then pays one GCSTEPSIZE off the debt (threshold = total, go again)
-- or, once the debt is below GCSTEPSIZE, sets threshold = total + GCSTEPSIZE and stops.
local stepsBefore = info.steps
local finished = collectgarbage("step", 2)
local steps = lunette.gcinfo().steps - stepsBefore
local trace = lunette.gctrace(steps, "step")

print(string.format("%-5s %10s %12s %12s %6s %6s  %s", "step", "total", "threshold", "->threshold",
  "debt", "->debt", "phase"))
local debts = {}
for i, e in ipairs(trace) do
  -- The debt the step worked with: what it was, plus what the step itself charged.
  local charged = e.debt_before + math.max(0, e.total_before - e.threshold_before)
  if i == 1 then debts[1] = charged end
  debts[#debts + 1] = e.debt_after
  print(string.format("%-5d %10d %12d %12d %6d %6d  %s -> %s", i, e.total_before,
    e.threshold_before, e.threshold_after, charged, e.debt_after, e.phase_before, e.phase_after))
end
local last = trace[#trace]
print(string.format("collectgarbage(\"step\", 2) ran %d steps, finished a cycle: %s", steps,
  tostring(finished)))
print("debt: " .. table.concat(debts, " -> "))
check("steps", steps)
check("debt_sequence", table.concat(debts, ","))
check("cycle_finished", finished)
check("first_threshold_is_total_minus_2k", trace[1] and
  trace[1].total_before - trace[1].threshold_before == 2 * STEPSIZE)
check("caught_up", last ~= nil and last.threshold_after == last.total_after + STEPSIZE)

-- The rule behind it: with less than one GCSTEPSIZE of debt left over, "step n" charges n KB
-- and pays it off one KB per step, plus the final step that finds the debt below 1 KB.
local rows = {}
for _, n in ipairs({ 0, 1, 2, 4, 8 }) do
  local before = lunette.gcinfo().steps
  collectgarbage("step", n)
  rows[#rows + 1] = n .. ":" .. (lunette.gcinfo().steps - before)
end
print("step n -> steps taken: " .. table.concat(rows, "  "))
check("steps_for_n", table.concat(rows, ","))
check("live_still_intact", #live == 40000 and live[40000][2] == "40000")
collectgarbage("restart")
