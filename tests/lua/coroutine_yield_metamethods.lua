-- Pins down yielding from inside metamethods (__index, __lt, __add, __len, __newindex, __eq, __le, __concat) called by Lua code.
local mt = {
  __index = function(t, k) return coroutine.yield("index " .. k) end,
  __lt = function(a, b) return coroutine.yield("lt") end,
  __add = function(a, b) return coroutine.yield("add") end,
  __len = function(a) return coroutine.yield("len") end,
  __newindex = function(t, k, v) coroutine.yield("newindex " .. k) rawset(t, k, v) end,
  __eq = function(a, b) return coroutine.yield("eq") end,
  __le = function(a, b) return coroutine.yield("le") end,
}
local co = coroutine.wrap(function()
  local t = setmetatable({}, mt)
  local u = setmetatable({}, mt)
  local r = {}
  r[#r+1] = t.foo
  r[#r+1] = tostring(t < u)
  r[#r+1] = t + 1
  r[#r+1] = #t
  t.x = 5
  r[#r+1] = rawget(t, "x")
  r[#r+1] = tostring(t == u)
  r[#r+1] = tostring(t <= u)
  if t < u then r[#r+1] = "lt-true" else r[#r+1] = "lt-false" end
  return table.concat(r, ",")
end)
local v = co()
while true do
  print("yielded", v)
  local reply = ({["index foo"] = "FOO", lt = true, add = 42, len = 7, eq = false, le = true})[v]
  v = co(reply)
  if type(v) == "string" and v:find(",") then print("result", v) break end
end

-- __concat may yield too, even in the middle of a longer concatenation
local cmt = {__concat = function(a, b)
  local x = coroutine.yield("concat")
  return (type(a) == "table" and "T" or a) .. x .. (type(b) == "table" and "T" or b)
end}
local cco = coroutine.wrap(function()
  local t = setmetatable({}, cmt)
  local s = "a" .. t .. "b" .. "c"
  local u = t .. "z"
  return s .. "|" .. u
end)
print(cco())
print(cco("1"))
print(cco("2"))
print((pcall(cco, "3")))
