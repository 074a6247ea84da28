-- Pins down what the interpreter's fast paths must keep: stores of new keys consult __newindex
-- (also one added after a store without it), a nil stored into an emptied entry revives
-- nothing, ipairs/pairs stepped in place agree with the iterators called, deep and tail
-- recursion with several arguments, and calls that pad or drop arguments and results.

-- ---- stores of keys a table lacks ----
local log = {}
local mt = {__index = {inherited = "yes"}}
local obj = setmetatable({}, mt)
obj.a = 1                -- no __newindex: a raw store
obj[1] = "one"
obj[2.0] = "two"         -- float key normalised to 2
print(rawget(obj, "a"), rawget(obj, 1), rawget(obj, 2), obj.inherited)
mt.__newindex = function(t, k, v) log[#log + 1] = tostring(k); rawset(t, k, v * 10) end
obj.b = 2                -- now __newindex runs
obj[3] = 3
obj.a = 5                -- present key: no metamethod
print(obj.b, obj[3], obj.a, table.concat(log, ","))
mt.__newindex = nil
obj.c = 7
print(obj.c, #log)
rawset(mt, "__newindex", function(t, k, v) log[#log + 1] = "raw:" .. tostring(k) end)
obj.d = 1
print(rawget(obj, "d"), log[#log])

-- a chain: __newindex a table
local store = {}
local front = setmetatable({}, {__newindex = store})
front.x = 1
front[10] = 2
print(rawget(front, "x"), store.x, store[10])

-- nil into absent keys creates nothing; emptied entries come back
local t = {}
t.gone = nil
t[100] = nil
print(next(t))
for i = 1, 40 do t["k" .. i] = i end
for i = 1, 40 do t["k" .. i] = nil end
collectgarbage()
for i = 1, 40, 3 do t["k" .. i] = -i end
local n, sum = 0, 0
for k, v in pairs(t) do n = n + 1; sum = sum + v end
print(n, sum)

-- errors keep their messages
print(pcall(function() local u = {}; u[nil] = 1 end))
print(pcall(function() local u = {}; u[0 / 0] = 1 end))
print(pcall(function() local u = {}; u[1] = nil; return #u end))

-- appends through the hash part into the array part
local arr = {}
for i = 1, 1000 do arr[#arr + 1] = i end
local s = 0
for i = 1, #arr do s = s + arr[i] end
print(#arr, s)

-- ---- ipairs and pairs stepped in place ----
local function walk(iterate, tab)
  local out = {}
  for k, v in iterate(tab) do out[#out + 1] = tostring(k) .. "=" .. tostring(v) end
  return table.concat(out, " ")
end
print(walk(ipairs, {10, 20, 30, nil, 50}))
print(walk(ipairs, setmetatable({1, 2}, {})))  -- a metatable without __index
print(walk(ipairs, setmetatable({1, 2}, {__index = function(_, i) if i < 5 then return -i end end})))
local lazy = setmetatable({1}, {})
getmetatable(lazy).__index = {nil, 2, 3}
print(walk(ipairs, lazy))
local keys = {}
for k in pairs({a = 1, b = 2, c = 3, 4, 5}) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print(table.concat(keys, ","))
for k, v, extra in next, {7} do print(k, v, extra) end
for k in ipairs({"only"}) do print(k) end
print(pcall(function() for k in next, {}, "nokey" do end end))
-- clearing fields while traversing is allowed
local clear = {}
for i = 1, 20 do clear["f" .. i] = i end
for k in pairs(clear) do clear[k] = nil end
print(next(clear))
-- a call hook sees the iterator called
local calls = 0
debug.sethook(function() calls = calls + 1 end, "c")
for _ in ipairs({1, 2, 3}) do end
debug.sethook()
print(calls > 3)

-- ---- calls and returns ----
local function tak(x, y, z)
  if y >= x then return z end
  return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
end
local function ack(m, nn)
  if m == 0 then return nn + 1 end
  if nn == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, nn - 1))
end
print(tak(18, 12, 6), ack(2, 3), ack(3, 3))
local function count(k, acc) if k == 0 then return acc end return count(k - 1, acc + 1) end
print(count(100000, 0))  -- tail calls in constant stack
local function three() return 1, 2, 3 end
local function none() end
local function pad(a, b, c) return a, b, c end
local x1 = three()
local y1, y2, y3, y4 = three()
print(x1, y1, y2, y3, y4, none(), (three()))
print(pad(1), pad(1, 2, 3, 4))
print(select("#", none()), select("#", three()), select("#", pad()))
local function deep(k) if k == 0 then return 0 end return 1 + deep(k - 1) end
print(deep(150000))
local up = 0
local function bump(k) up = up + k; return up end
for i = 1, 10 do bump(i) end
print(up, pcall(deep, 1e7))
