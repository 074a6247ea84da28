-- Pins down __concat (either side, numbers, chains) and __len (tables, length of strings).
local mt = {__concat = function(a, b)
  local function s(v) return type(v) == "table" and "T" or tostring(v) end
  return s(a) .. "&" .. s(b)
end}
local t = setmetatable({}, mt)
print(t .. "x", "x" .. t, t .. 1, 1.5 .. t, t .. t)
print("a" .. "b" .. t)
print(t .. "b" .. "c")
print(pcall(function() return {} .. "x" end))
print(pcall(function() return "x" .. {} end))
print(pcall(function() return 1 .. nil end))
-- __concat with a boolean operand and a table handler
print(true .. t, t .. false)

-- __len
local l = setmetatable({1, 2, 3}, {__len = function(self) return 42 end})
print(#l, rawlen(l))
local l2 = setmetatable({}, {__len = function() return "not a number", 2 end})
print(#l2)
local l3 = setmetatable({}, {__len = function(self, other) return rawequal(self, other) end})
print(#l3)
print(#"abc", #"", #"\0\0")
-- __len is not used for strings
print(pcall(function() return #nil end))
print(pcall(function() return #5 end))
print(pcall(function() local b = true; return #b end))
-- border for proper sequences
print(#{}, #{1}, #{1, 2, 3}, #{n = 1}, #{nil}, #{1, 2, nil})
local seq = {}
for i = 1, 100 do seq[i] = i end
print(#seq)
for i = 100, 51, -1 do seq[i] = nil end
print(#seq)
