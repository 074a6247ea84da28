-- pairs(t) with a __pairs metamethod that yields: the metamethod runs in a frame pairs waits
-- on, not on the C++ stack, so a coroutine may suspend inside it; its results are cut or
-- padded to three whether it yields, returns from Lua or is a native.
local mt = {__pairs = function(t) coroutine.yield("in pairs") return next, t, nil end}
local co = coroutine.wrap(function()
  local n = 0
  for k, v in pairs(setmetatable({1,2,3}, mt)) do n = n + v end
  return n
end)
print(co())
print(co())

local function mk(...) local r = table.pack(...) return setmetatable({}, {__pairs = function(t) return table.unpack(r, 1, r.n) end}) end
print(pairs(mk(1)))
print(select('#', pairs(mk(1,2,3,4))))
local t = {pairs(mk("a","b"))}; print(#t, t[1], t[2], t[3])
print(pcall(pairs, mk(7,8,9)))
print(pcall(pairs, setmetatable({}, {__pairs = function() error("boom") end})))
print(pairs({}) == next)
local co = coroutine.wrap(function() for k in pairs(setmetatable({}, {__pairs = coroutine.yield})) do end return "done" end)
print(type(co()))
print(co(function(s, c) if not c then return 1 end end, nil, nil))
local callable = setmetatable({}, {__call = function(self, t) return next, {5}, nil end})
for k, v in pairs(setmetatable({}, {__pairs = callable})) do print(k, v) end
print(pairs(setmetatable({}, {__pairs = function() return end})))
local function deep(n) if n == 0 then return coroutine.yield("deep") end return deep(n - 1) end
local c3 = coroutine.create(function() local s = 0 for k, v in pairs(setmetatable({}, {__pairs = function(t) deep(50) return ipairs({10, 20}) end})) do s = s + v end return s end)
print(coroutine.resume(c3)); print(coroutine.resume(c3))
print(pcall(pairs))
print(pcall(function() for k in pairs(setmetatable({}, {__pairs = function() error("boom") end})) do end end))
local co = coroutine.create(function() for k in pairs(setmetatable({}, {__pairs = function() coroutine.yield() end})) do end end)
coroutine.resume(co)

print(debug.traceback(co))
