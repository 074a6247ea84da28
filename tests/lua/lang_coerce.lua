-- Pins down string<->number coercions in arithmetic and concatenation, and their failures.
print("10" + 1, "10" * "2", "3" - 1.5, "2" ^ 3, -"2", - "-2.5")
print("0x10" + 0, " 5 " * 2, "1e2" + 0, "  0x1p4  " + 0, "10" / "4")
print(math.type("10" + 1), math.type("10" + 1.0), math.type("10.0" + 1), math.type("1e1" + 1))
print(1 .. "", 1.0 .. "", -0.0 .. "", 2^63 .. "", 10 // 3 .. "")
print(1 .. 2, 1.5 .. 2, "a" .. 1 .. 2.0)
print("9007199254740993" + 0, "9223372036854775807" + 0, "9223372036854775808" + 0)
print("0x7fffffffffffffff" + 0, "0xffffffffffffffff" + 0)
print(10 == "10", "10" + 0 == 10)
local function e(f) print(select(2, pcall(f))) end
e(function() return "abc" + 1 end)
e(function() return 1 + "abc" end)
e(function() return "" * 2 end)
e(function() return "1e" + 1 end)
e(function() return "0x" + 1 end)
e(function() return "1 2" + 1 end)
e(function() return - "x" end)
e(function() local s = "12a"; return s * 2 end)
e(function() return {} .. "" end)
e(function() return "" .. nil end)
e(function() return true .. "x" end)
e(function() local b = false; return "x" .. b end)
-- a string that looks numeric but has trailing junk
print(pcall(function() return "10\0" + 1 end))
-- inf/nan strings are not numerals
print(pcall(function() return "inf" + 0 end))
print(pcall(function() return "nan" * 1 end))
-- numbers concatenate with their printed form
print(0.1 .. "|" .. 1e100 .. "|" .. 2^53 .. "|" .. math.mininteger)
