-- Tracebacks of deep stacks: a coroutine's listing has no bottom "[C]: in ?" level (the main
-- thread's stands for the host's C function), and the skipped-levels count is printed as the
-- reference prints it.
local function r(n) if n == 0 then coroutine.yield() end return (r(n-1)) end
local co = coroutine.create(function() r(30) end)
coroutine.resume(co)
print(debug.traceback(co))
print(debug.traceback(co, "msg", 1))
local co2 = coroutine.create(function() r(19) end)
coroutine.resume(co2)
print(debug.traceback(co2))
local function r2(n) if n == 0 then print(debug.traceback("x")) return 0 end return (r2(n-1)) end
r2(30)
r2(19)
r2(20)
