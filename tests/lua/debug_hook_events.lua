-- debug.sethook's call, tail call, return, line and count events, per thread: the hook of one
-- thread does not see another; no line event for the rest of the line that set the hook;
-- pcall, resume and yield have their own call/return events; inside a hook, the hook is
-- named "hook '?'"; gethook reports the mask in "crl" order.
local events = {}
local function hook(ev, line)
  local info = debug.getinfo(2, "nSl")
  events[#events + 1] = ev .. ":" .. tostring(info.name) .. ":" .. info.what .. ":" ..
      tostring(line or info.currentline)
end
local function flush(label)
  print(label)
  print(table.concat(events, "\n"))
  events = {}
end

local function leaf(x) return x + 1 end
local function mid(x) return leaf(x) end
local function top(x) local y = mid(x) return y end
debug.sethook(hook, "cr")
top(1)
debug.sethook()
flush("call, tail call and return")

local function multi(...) return 1, 2, ... end
local function fails() error("boom") end
debug.sethook(hook, "cr")
print(multi(3, 4))
print(pcall(fails))
print(select("#", multi()))
local t = setmetatable({}, {__index = function(_, k) return k end})
local v = t.x
for _ in ipairs({1}) do end
debug.sethook()
flush("results survive the return hook; pcall, metamethods, iterators")

debug.sethook(hook, "l")
local a = 1
local b = 2
debug.sethook()
debug.sethook(hook, "l"); local c = 3
local d = 4
debug.sethook()
flush("lines (none for the rest of the line that set the hook)")

local co = coroutine.create(function(p)
  local q = coroutine.yield(p + 1)
  return q * 2
end)
debug.sethook(co, hook, "crl")
print(debug.gethook())
print(select(2, debug.gethook(co)))
print(coroutine.resume(co, 1))
print(coroutine.resume(co, 10))
flush("a coroutine's own hook")

local wrapped = coroutine.wrap(function() coroutine.yield(1) end)
debug.sethook(hook, "c")
wrapped()
debug.sethook()
flush("resuming through wrap")

local names = {}
debug.sethook(function()
  local info = debug.getinfo(1, "n")
  names[#names + 1] = info.namewhat .. " " .. tostring(info.name)
  names[#names + 1] = (debug.traceback("x", 1):match("\n%s*[^\n]*:%d+: ([^\n]*)"))
end, "c")
math.abs(1)
debug.sethook()
print(table.concat(names, " | "))

local count = 0
debug.sethook(function(ev, l) if ev == "count" then count = count + 1 else hook(ev, l) end end, "crl", 3)
local x = 1
x = x + 1
debug.sethook()
flush("every kind with a count")
print(count)

debug.sethook(hook, "rlc", 5)
local h, mask, n = debug.gethook()
debug.sethook()
print(h == hook, mask, n, debug.gethook())
events = {}
print(pcall(debug.sethook, print))
print(pcall(debug.sethook, print, 1))

-- getinfo "r" in call and return hooks: the transferred values, reachable with getlocal
local transfers = {}
local function transferHook(ev)
  local info = debug.getinfo(2, "nr")
  local vals = {}
  for i = info.ftransfer, info.ftransfer + info.ntransfer - 1 do
    local _, value = debug.getlocal(2, i)
    vals[#vals + 1] = type(value) == "function" and "fn" or tostring(value)
  end
  transfers[#transfers + 1] = ev .. " " .. tostring(info.name) .. " " .. info.ftransfer .. " " ..
      info.ntransfer .. " [" .. table.concat(vals, ",") .. "]"
end
local function add(p, q) local r = p + q return r, p end
local function pass(...) return ... end
debug.sethook(transferHook, "cr")
add(1, 2)
pass(5, 6, 7)
math.max(3, 9)
pcall(pass, 1, 2)
coroutine.wrap(function(...) return ... end)(4)
debug.sethook()
print(table.concat(transfers, "\n"))
