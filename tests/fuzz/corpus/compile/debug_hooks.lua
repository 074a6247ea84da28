-- Pins down debug.sethook/gethook line events (lines as the reference reports them) and count events.
local lines = {}
local function f(n)
  local s = 0
  for i = 1, n do
    s = s + i
  end
  if s > 2 then
    s = s * 2
  end
  return s
end
debug.sethook(function(ev, line) lines[#lines + 1] = ev .. line end, "l")
f(3)
local t = {}
for i = 1, 2 do t[i] = i end
debug.sethook()
print(table.concat(lines, " "))
-- the hook sees the hooked function through getinfo(2)
local seen = {}
debug.sethook(function(ev, line)
  local info = debug.getinfo(2)
  seen[#seen + 1] = info.currentline == line and "ok" or "bad"
end, "l")
f(1)
debug.sethook()
print(table.concat(seen, ","))
-- count events fire and gethook reports the hook
local count = 0
local hook = function(ev) count = count + 1 end
debug.sethook(hook, "", 10)
for i = 1, 1000 do end
local h, mask, c = debug.gethook()
debug.sethook()
print(count > 10, h == hook, mask, c)
print(debug.gethook())
