-- A chain of __concat metamethods (m .. m .. m) where each one yields: every link of the chain
-- is a frame of its own, so the second and later yields work too.
local mt = {__concat = function(a, b)
  local x = coroutine.yield("yield in concat")
  local av = type(a) == "table" and a.v or a
  local bv = type(b) == "table" and b.v or b
  return setmetatable({v = av .. bv .. x}, getmetatable(type(a) == "table" and a or b))
end}
local function m(v) return setmetatable({v = v}, mt) end
local co = coroutine.wrap(function()
  local r = m("a") .. m("b") .. m("c") .. "d"
  return r.v
end)
local out = {}
local v = co()
while v == "yield in concat" do out[#out + 1] = v; v = co(#out) end
print(#out, v)
-- plain strings around a table in the middle
co = coroutine.wrap(function() return ("x" .. m("y") .. "z" .. 1).v end)
v = co(); local n = 0
while v == "yield in concat" do n = n + 1; v = co("!") end
print(n, v)
-- no coroutine: the chain still works
mt.__concat = function(a, b)
  local av = type(a) == "table" and a.v or a
  local bv = type(b) == "table" and b.v or b
  return setmetatable({v = av .. "+" .. bv}, mt)
end
print((m(1) .. m(2) .. m(3) .. 4 .. 5).v)
