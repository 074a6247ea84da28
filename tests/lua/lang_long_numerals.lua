-- Numerals of any length are numbers, in source and for tonumber (an old limit of 200
-- characters made them nil / "malformed number").
local ones = string.rep("1", 250)
print(tonumber(ones), math.type(tonumber(ones)))
print(tonumber("0." .. string.rep("0", 300) .. "1"))
print(tonumber("  " .. string.rep("0", 400) .. "42  "), math.type(tonumber(string.rep("0", 400) .. "42")))
print(tonumber(string.rep("0", 300) .. "1.5e2"))
print(tonumber("0x" .. string.rep("0", 300) .. "ff"))
print(tonumber("0x" .. string.rep("f", 300)))
print(tonumber("0x1." .. string.rep("0", 300) .. "p4"))
print(tonumber(string.rep("9", 400) .. "e-400"))
print(tonumber(string.rep("1", 250) .. "x"), tonumber(string.rep("1", 250) .. "."))
print(string.rep("2", 300) + 0 > 1e299, ("0." .. string.rep("0", 250) .. "5") * 1)
-- the lexer
print(load("return " .. ones)())
print(load("return 0." .. string.rep("0", 300) .. "1")())
print(load("return " .. string.rep("0", 300) .. "7")(), math.type(load("return " .. string.rep("0", 300) .. "7")()))
print(load("return 0x" .. string.rep("0", 300) .. "10")())
print(load("return " .. string.rep("1", 250) .. "z"))
