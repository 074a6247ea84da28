-- Pins down errors raised inside metamethods: positions, propagation and messages of bad handlers.
local t = setmetatable({}, {__index = function(tbl, k)
  error("no field " .. tostring(k))
end})
print(pcall(function() return t.abc end))
local t2 = setmetatable({}, {__index = function(tbl, k)
  error("level2 " .. k, 2)
end})
print(pcall(function() return t2.xyz end))
local t3 = setmetatable({}, {__newindex = function(tbl, k, v)
  local n = nil
  return n.field
end})
print(pcall(function() t3.a = 1 end))
-- __index is a non-table non-function value
local t4 = setmetatable({}, {__index = 5})
print(pcall(function() return t4.x end))
local t5 = setmetatable({}, {__newindex = true})
print(pcall(function() t5.x = 1 end))
-- error inside __eq, __lt, __concat, __len, __call, __unm
local m = {}
for _, ev in ipairs({"__eq", "__lt", "__le", "__concat", "__len", "__call", "__unm", "__close"}) do
  m[ev] = function() error(ev .. " failed", 0) end
end
local a, b = setmetatable({}, m), setmetatable({}, m)
print(pcall(function() return a == b end))
print(pcall(function() return a < b end))
print(pcall(function() return a <= b end))
print(pcall(function() return a .. "x" end))
print(pcall(function() return #a end))
print(pcall(function() return a() end))
print(pcall(function() return -a end))
print(pcall(function() local c <close> = a end))
-- __tostring error via tostring
print(pcall(tostring, setmetatable({}, {__tostring = function() error("ts", 0) end})))
-- __tostring returning a non-string
print(pcall(tostring, setmetatable({}, {__tostring = function() return {} end})))
-- __index chain that loops forever is detected
local loop1 = {}
local loop2 = {}
setmetatable(loop1, {__index = loop2})
setmetatable(loop2, {__index = loop1})
print(pcall(function() return loop1.x end))
local nl1, nl2 = {}, {}
setmetatable(nl1, {__newindex = nl2})
setmetatable(nl2, {__newindex = nl1})
print(pcall(function() nl1.x = 1 end))
