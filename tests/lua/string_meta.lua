-- Pins down the string metatable: method calls through __index, the arithmetic metamethods of
-- 5.4 (numeric strings convert with tonumber's rules), their errors, and deferral to the other
-- operand's metamethod.
local mt = getmetatable("")
print(type(mt), mt.__index == string, getmetatable("abc") == getmetatable(""))
local names = {}
for k in pairs(mt) do names[#names + 1] = k end
table.sort(names)
print(table.concat(names, " "))
print(mt.__band, mt.__concat, mt.__len, mt.__eq, mt.__lt, mt.__call)

-- method syntax on literals, variables and results
local s = "Hello"
print(s:upper(), ("x"):rep(3), s:sub(2, 3):upper(), s:len(), #s, ("%d-%s"):format(5, "x"))
print(("a,b"):gsub(",", ";"), ("abc"):find("b"), ("k=v"):match("(%w)=(%w)"))
print(s.len == string.len, s.nonexistent, ("x").upper == string.upper)

-- arithmetic on numeric strings
print("10" + 1, "10" - 1, "10" * 2, "10" / 4, "10" % 3, "2" ^ 10, "7" // 2, -"3")
print("0x10" + 0, " 5 " * 2, "1e2" + 0, "3.0" + 1, 1 + "2", "2" * "3", 10 // "3.0")
print(math.type("10" + 1), math.type("10" + 1.0), math.type("10.0" + 1), math.type("1e1" + 1), math.type(-"2"))
print("9007199254740993" + 0, "9223372036854775807" + 0, "9223372036854775808" + 0, "0xffffffffffffffff" + 0)
print(mt.__add("1", "2"), mt.__sub(5, "2"), mt.__mul("3", 4), mt.__div("1", "2"), mt.__mod("7", "4"))
print(mt.__pow("2", "3"), mt.__idiv("7", "2"), mt.__unm("5"), mt.__unm("-2.5"), mt.__add(1, 2))
print(math.type(mt.__add("1", "2")), math.type(mt.__idiv("7.0", "2")))

-- errors: non-numeric strings and other types
local function e(f) print(select(2, pcall(f))) end
e(function() return "abc" + 1 end)
e(function() return 1 + "abc" end)
e(function() return "abc" * "2" end)
e(function() return "1" - {} end)
e(function() return {} - "1" end)
e(function() return "" * 2 end)
e(function() return "10\0" + 1 end)
e(function() return "1 2" + 1 end)
e(function() return -"x" end)
e(function() return "x" // 1 end)
e(function() return "x" % 1 end)
e(function() return "x" ^ 1 end)
e(function() return "x" / 1 end)
e(function() return "inf" + 0 end)
e(function() return "nan" * 1 end)
e(function() return true + "1" end)
print(pcall(mt.__add, "abc", 1))
print(pcall(mt.__add, 1, "x"))
print(pcall(mt.__add, {}, "x"))
print(pcall(mt.__unm, "x"))
print(pcall(mt.__add, "x", "y"))
print(pcall(mt.__add, "1"))
print(pcall(mt.__idiv, "1", "0"))
print(pcall(mt.__mod, "1", "0"))
print(pcall(mt.__div, "1", "0"))
print(pcall(mt.__mod, "5.5", "0"))

-- a non-numeric string defers to the other operand's metamethod
local V = setmetatable({}, {__add = function(a, b) return "V.add" end,
                            __sub = function(a, b) return "V.sub", "extra" end,
                            __unm = function() return "V.unm" end})
print("x" + V, V + "x", "1" + V, "x" - V)
print(pcall(mt.__add, "1", V), pcall(mt.__add, "x", V))
print(pcall(mt.__mul, "x", V))

-- bitwise operators are the VM's business, not the string metatable's
e(function() return "3" & 1 end)
e(function() return 1 | "6" end)
e(function() return "5" ~ "1" end)
e(function() return "1" << 4 end)
e(function() return ~"0" end)

-- strings compare and concatenate without the metatable
print("a" < "b", "10" < "9", "a" .. 1 .. 2.0, "abc" == "abc", "1" == 1)
