-- Pins the shapes a resume or yield called from Lua code can take, since the common ones switch
-- threads directly (interpreter.cpp, "direct switches") and the rest take the general path:
-- value counts 0, 1 and many in both directions into fixed, single and open result counts;
-- yields from nested Lua calls and from a generic for; resumers waiting in a metamethod, in a
-- native callback, in pcall; errors, close and status after direct switches.

-- Counts both ways: the yield's call wants 0, 1, 3 or all values; the resume's call too.
local co = coroutine.create(function(...)
  print("start", select("#", ...), ...)
  coroutine.yield()                              -- 0 out, wants 0
  local a, b, c = coroutine.yield()              -- 0 out, wants 3 (padded)
  print("three", a, b, c)
  local x = coroutine.yield(1, 2, 3)             -- many out, wants 1 (cut)
  print("one", x)
  print("all", select("#", coroutine.yield(nil)), "|")  -- one nil out, wants all
  local t = {coroutine.yield(coroutine.yield("echo"))}  -- resume's values yielded back
  print("table", #t, t[1], t[2], t[3])
  return "done", nil
end)
print(coroutine.resume(co, 1, nil))
print(coroutine.resume(co, "dropped"))
print(coroutine.resume(co, "a"))
print(coroutine.resume(co, "p", "q", "r"))
print(select("#", coroutine.resume(co)))
print(select("#", coroutine.resume(co, nil, nil, nil)))
local ok, v1, v2, v3 = coroutine.resume(co, "x", "y")  -- wants 4: padded
print(ok, v1, v2, v3)
local only = coroutine.resume(co, 7, 8, 9)  -- wants 1: status only
print(only, coroutine.status(co))
print(coroutine.resume(co))

-- Yield from Lua functions nested in the coroutine's body; status seen from both sides.
local deep
local function level(n, v)
  if n == 0 then
    print("inner sees", coroutine.status(deep), coroutine.isyieldable())
    return coroutine.yield(v * 10)
  end
  local r = level(n - 1, v + 1)
  return r + 1
end
deep = coroutine.create(function(v)
  while true do v = level(3, v) end
end)
for i = 1, 3 do
  local ok, v = coroutine.resume(deep, i)
  print("deep", ok, v, coroutine.status(deep))
end

-- Generic for: a wrap iterator, and coroutine.yield itself as the iterator (TFORCALL yields).
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i, -i) end end)
end
for a, b in range(3) do print("range", a, b) end
local looper = coroutine.wrap(function()
  local seen = {}
  for k, v in coroutine.yield, "state", "start" do seen[#seen + 1] = k .. "=" .. tostring(v) end
  return table.concat(seen, " ")
end)
print(looper())            -- yields the iterator's two arguments
print(looper("k1", 1))
print(looper("k2", false))
print(looper(nil))         -- ends the loop and the coroutine

-- Chains: a coroutine resumes another, which yields back to it, and so on.
local inner = coroutine.wrap(function(x) while true do x = coroutine.yield(x * 2) end end)
local middle = coroutine.wrap(function(x) while true do x = coroutine.yield(inner(x) + 1) end end)
local outer = coroutine.create(function(x) while true do x = coroutine.yield(middle(x), "o") end end)
for i = 1, 3 do print("chain", coroutine.resume(outer, i)) end

-- Resumers waiting where the loop has to stop or a native waits: a wrap function as a
-- metamethod, a comparator, a gsub replacement; a resume inside a Lua metamethod; pcall.
local index = coroutine.wrap(function(t, k) while true do t, k = coroutine.yield(k .. "!") end end)
local obj = setmetatable({}, {__index = index})
print("index", obj.a, obj.b, obj.c)
local adder = coroutine.wrap(function(a, b) while true do a, b = coroutine.yield(a[1] + b) end end)
local num = setmetatable({5}, {__add = adder})
print("add", num + 1, num + 2)
local less = coroutine.wrap(function(a, b) while true do a, b = coroutine.yield(a > b) end end)
local list = {3, 1, 4, 1, 5, 9, 2, 6}
table.sort(list, less)
print("sorted", table.concat(list, " "))
local upper = coroutine.wrap(function(s) while true do s = coroutine.yield(s:upper()) end end)
print("gsub", (string.gsub("one two three", "%a+", upper)))
local counter = coroutine.wrap(function() local n = 0 while true do n = n + 1 coroutine.yield(n) end end)
local lazy = setmetatable({}, {__index = function(t, k) return k .. counter() end})
print("lua index", lazy.x, lazy.y, lazy.z)
print("pcall", pcall(counter))
print("pcall", pcall(counter))
local inPcall = coroutine.wrap(function()
  while true do
    local ok, v = pcall(coroutine.yield, "from pcall")
    coroutine.yield("after", ok, v)
  end
end)
print(inPcall()) print(inPcall("v1")) print(inPcall())

-- Errors after direct switches: resume returns them, wrap raises them with a position.
local failing = coroutine.create(function(n)
  while true do
    if n > 2 then error("too big: " .. n) end
    n = coroutine.yield(n)
  end
end)
for i = 1, 4 do print("failing", coroutine.resume(failing, i)) end
print(coroutine.status(failing), coroutine.resume(failing, 1))
local wrapFail = coroutine.wrap(function(n) while true do n = coroutine.yield(n // 0) end end)
print(pcall(wrapFail, 1.0))
print(pcall(wrapFail, 1))
print(pcall(wrapFail, 1))

-- Closed while parked in a yield after direct switches: its to-be-closed variable runs.
local closing = coroutine.create(function()
  local guard <close> = setmetatable({}, {__close = function() print("guard closed") end})
  local n = 0
  while true do n = n + coroutine.yield(n) end
end)
for i = 1, 3 do print("closing", coroutine.resume(closing, i)) end
print(coroutine.close(closing), coroutine.status(closing))
print(coroutine.resume(closing))

-- Resuming a running or normal coroutine is still refused.
local self
self = coroutine.create(function()
  print("self", coroutine.resume(self))
  local child = coroutine.create(function() print("parent", coroutine.resume(self)) end)
  coroutine.resume(child)
  coroutine.yield()
end)
coroutine.resume(self)
print("self status", coroutine.status(self))

-- Many values into a call that wants one, both ways, on a coroutine's small stack.
local many = {}
for i = 1, 20000 do many[i] = i end
local spill = coroutine.wrap(function()
  local got = coroutine.yield(table.unpack(many))
  print("resume's first of many", got)
  print("resume's all of many", select("#", coroutine.yield(table.unpack(many))))
  coroutine.yield(table.unpack(many))
  coroutine.yield(table.unpack(many))
end)
local small = coroutine.wrap(function()
  local first = spill()
  print("yield's first of many", first)
  spill(table.unpack(many))
  spill(table.unpack(many))
  local t = {spill()}
  print("all of many", #t, t[#t])
end)
small()

-- Debug hooks see resume and yield as calls and returns (such switches take the general path).
local events = {}
local hooked = coroutine.create(function(a)
  while true do a = coroutine.yield(a + 1) end
end)
local function record(event)
  local info = debug.getinfo(2, "n")
  if info and (info.name == "yield" or info.name == "resume") then
    events[#events + 1] = event .. " " .. info.name
  end
end
debug.sethook(hooked, record, "cr")
debug.sethook(record, "cr")
for i = 1, 3 do coroutine.resume(hooked, i) end
debug.sethook()
debug.sethook(hooked)
print("hooks", #events, table.concat(events, ", "))
