-- Pins down __lt and __le: operand order for > and >=, boolean results, the __lt fallback for <=.
local log = {}
local mt = {
  __lt = function(a, b) log[#log + 1] = "lt"; return a.v < b.v end,
  __le = function(a, b) log[#log + 1] = "le"; return a.v <= b.v end,
}
local function N(v) return setmetatable({v = v}, mt) end
local one, two = N(1), N(2)
print(one < two, one > two, one <= two, one >= two, two <= two)
print(table.concat(log, ","))
-- mixed table/number operands
local nmt = {__lt = function(a, b)
  local av = type(a) == "table" and a.v or a
  local bv = type(b) == "table" and b.v or b
  return av < bv
end}
local w = setmetatable({v = 5}, nmt)
print(w < 10, 3 < w, w > 4, 6 > w)
-- without __le, the reference build (LUA_COMPAT_LT_LE) falls back to not (b < a)
print(pcall(function() return w <= 10 end))
print(w <= 5, w <= 4, 6 >= w, 4 >= w)
-- result converted to boolean
local s = setmetatable({}, {__lt = function() return "x" end, __le = function() return nil end})
print(s < s, s <= s, s > s, s >= s)
-- strings with a table: metamethod is tried
local st = setmetatable({}, {__lt = function(a, b) return type(a) == "string" end})
print("a" < st, st < "a")
-- sorting with __lt
local arr = {N(3), N(1), N(2)}
table.sort(arr)
print(arr[1].v, arr[2].v, arr[3].v)
