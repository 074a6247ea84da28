-- Pins down a hook that turns the hooks off while it runs, and hooks set again afterwards: the
-- next hook still sees every event from its first instruction on. (The WebAssembly build marks
-- an instruction's hooks as run and starts the loop over at it; a mark left behind when the hook
-- turned them off would skip an event the next time hooks are on at that instruction.)
local events = {}
local function body(n)
  local s = 0
  for i = 1, n do s = s + i end
  return s
end
local function once(ev, line)
  events[#events + 1] = "once:" .. ev .. line
  debug.sethook()  -- off from inside the hook
end
for round = 1, 3 do
  debug.sethook(once, "l")
  last = round  -- one instruction: its line event is this line's or none
  body(2)
  debug.sethook(function(ev, line) events[#events + 1] = ev .. line end, "l")
  body(1)
  debug.sethook()
end
print(table.concat(events, " "))
-- the same instruction hooked again right after its hook turned the hooks off
local firsts = {}
local function first(ev, line)
  firsts[#firsts + 1] = line
  debug.sethook()
end
for round = 1, 3 do
  debug.sethook(first, "l")
  last = round
end
print(table.concat(firsts, " "))
-- count hooks: every instruction counted once, with or without a line hook beside them
local counts = {}
for _, mask in ipairs({"", "l"}) do
  local n = 0
  debug.sethook(function(ev) if ev == "count" then n = n + 1 end end, mask, 1)
  body(10)
  debug.sethook()
  counts[#counts + 1] = n
end
print(counts[1] == counts[2], counts[1] > 30)
print(body(4))
