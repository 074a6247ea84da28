-- RETURN0 and RETURN1 (a return of no value or one from a frame with nothing to close) in every
-- shape their caller can take: each result count wanted, Lua and native callers, metamethods,
-- hooks, coroutines, vararg functions, the main chunk, and frames that do have something to
-- close (which keep the plain RETURN).

local function none() return end
local function implicit() end
local function one(x) return x end
local function oneConst() return 42 end

-- Each count a caller can want: 0 (statement), 1, 2 (padded with nil), all (top set).
none(); implicit(); one(1); oneConst()
local a, b = none()
print("none", a, b, select("#", none()), select("#", implicit()))
local c = one(7)
local d, e, f = one(8)
print("one", c, d, e, f, select("#", one(9)), select("#", one(nil)))
print("all", one(1), one(2), none(), (one(3)))
local t = {one(1), one(2), none()}
print("table", #t, t[1], t[2], t[3])
local t2 = {none(), one(5)}
print("table2", #t2, t2[1], t2[2])

-- Deep recursion through both (the common Lua -> Lua path), and a tail call returning one.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local function count(n) if n == 0 then return end count(n - 1) end
local function tail(n) if n == 0 then return "done" end return tail(n - 1) end
count(1000)
print("recursion", fib(20), tail(10000))

-- Native callers: pcall, select, table.sort's comparator, gsub's function, load.
print("pcall", pcall(one, "v"), pcall(none), select("#", pcall(none)))
local nums = {5, 3, 9, 1}
table.sort(nums, function(x, y) return x < y end)
print("sort", table.concat(nums, ","))
print("gsub", (string.gsub("abc", "%w", function(ch) return ch:upper() end)))
print("gsub none", (string.gsub("abc", "%w", function() end)))
print("load", load("return 1")(), select("#", load("return")()), select("#", load("")()))

-- Metamethods: __index, __add, __lt, __concat, __call, __eq, __len return one value;
-- __newindex returns none.
local mt = {}
mt.__index = function(_, key) return key .. "!" end
mt.__add = function(x, y) return 100 end
mt.__lt = function() return 1 end
mt.__concat = function() return "cat" end
mt.__call = function(self, v) return v * 2 end
mt.__len = function() return 3 end
mt.__newindex = function(tbl, key, v) rawset(tbl, key, v * 10) end
local obj = setmetatable({}, mt)
obj.z = 4
print("meta", obj.key, obj + 1, obj < obj, obj .. "x", obj(21), #obj, rawget(obj, "z"))

-- Vararg functions.
local function va(...) return ... end
local function vaOne(...) local x = ... return x end
local function vaNone(...) return end
print("vararg", va(1, 2, 3), vaOne(4, 5), select("#", vaNone(6)), select("#", va()))

-- Frames with something to close keep RETURN: an open upvalue, a to-be-closed variable.
local function captured(x)
  local g = function() return x end
  return g
end
print("upvalue", captured(11)(), captured(12)())
local closed = {}
local function withClose(v)
  local guard <close> = setmetatable({}, {__close = function() closed[#closed + 1] = v end})
  return v
end
local function withCloseNone()
  local guard <close> = setmetatable({}, {__close = function() closed[#closed + 1] = "none" end})
  return
end
print("close", withClose("a"), select("#", withCloseNone()), table.concat(closed, ","))

-- Coroutines: the body's return, returns inside a coroutine, yields across them.
local co = coroutine.create(function(x)
  local y = coroutine.yield(one(x))
  none()
  return one(y + 1)
end)
print("coroutine", coroutine.resume(co, 5))
print("coroutine", coroutine.resume(co, 10))
print("coroutine", coroutine.resume(co))
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(one(i)) end return end)
print("wrap", gen(), gen(), gen(), select("#", gen()))
print("wrap none", select("#", coroutine.wrap(function() end)()))

-- Hooks: return events and line events still see these returns.
local events = {}
debug.sethook(function(ev, line) events[#events + 1] = ev end, "r")
one(1); none(); implicit()
debug.sethook()
local returns = 0
for _, ev in ipairs(events) do if ev == "return" then returns = returns + 1 end end
print("return hooks", returns >= 3)
local lines = {}
local function lined(x)
  if x then
    return x
  end
  return
end
debug.sethook(function(_, line) lines[#lines + 1] = line end, "l")
lined(1); lined(nil)
debug.sethook()
print("line hooks", #lines, lines[1] and lines[#lines] - lines[1])
local n = 0
debug.sethook(function() n = n + 1 end, "", 1)
local r = one(3)
debug.sethook()
print("count hook", r, n > 0)

-- The main chunk's own return, through load and dofile-like calls.
print("main", select("#", assert(load("local x = 1"))()), assert(load("return ...", "=c"))(9))
