-- Hooks belong to a thread: a hook that resumes a coroutine lets that coroutine's own hook run;
-- a new coroutine inherits its creator's mask and count but not the function (gethook in it
-- returns nil, mask, count) until debug.sethook(co, ...) gives it one.
local log = {}
local co = coroutine.create(function() local a = 1
  local b = 2
  return a + b end)
debug.sethook(co, function(e, l) log[#log + 1] = "co " .. e .. " " .. tostring(l) end, "l")
local resumed = false
debug.sethook(function(e, l)
  if not resumed then resumed = true; log[#log + 1] = "main hook resumes"; coroutine.resume(co) end
end, "l")
local x = 1
debug.sethook()
for _, s in ipairs(log) do print(s) end
-- count hooks inherited
debug.sethook(function() end, "", 100)
local c2 = coroutine.create(function() return debug.gethook() end)
debug.sethook()
print(coroutine.resume(c2))
-- a coroutine created inside a hook-enabled thread, then given its own hook
local n = 0
debug.sethook(function() end, "c")
local c3 = coroutine.create(function() local t = {} for i = 1, 3 do t[i] = i end return #t end)
debug.sethook(c3, function(e) n = n + 1 end, "c")
debug.sethook()
print(coroutine.resume(c3), n > 0)
