-- table.concat: separators, ranges, number formatting, invalid values.
local function try(f, ...)
  print(pcall(f, ...))
end

print(table.concat({}))
print(table.concat({}, ", "))
print(table.concat({"a"}, ", "))
print(table.concat({"a", "b", "c"}))
print(table.concat({"a", "b", "c"}, ", "))
print(table.concat({"a", "b", "c"}, ", ", 2))
print(table.concat({"a", "b", "c"}, ", ", 2, 3))
print(table.concat({"a", "b", "c"}, ", ", 3, 3))
print("[" .. table.concat({"a", "b", "c"}, ", ", 3, 2) .. "]")
print("[" .. table.concat({"a", "b", "c"}, ", ", 10, 2) .. "]")
print(table.concat({1, 2, 3}, 0))
print(table.concat({1, 2.5, -0.0, 1e100, 2^63, math.mininteger}, " "))
print(table.concat({1.0, 3.0, 10 // 3, 10 / 2}, "|"))
print(table.concat({"x", "y"}, "\0"):byte(1, -1))
print(table.concat({[0] = "zero", "one", "two"}, "-", 0))
print(table.concat({[-2] = "a", [-1] = "b", [0] = "c"}, "+", -2, 0))
print(table.concat({"a", "b"}, "", 1, 2), table.concat({"a", "b"}, nil, 1, 2))
print(#table.concat({string.rep("ab", 1000), string.rep("cd", 1000)}, "--"))

-- invalid values
try(table.concat, {{}})
try(table.concat, {1, 2, {}}, ",")
try(table.concat, {1, 2, 3}, ",", 1, 4)
try(table.concat, {true})
try(table.concat, {print})
try(table.concat, {1, nil, 3}, ",", 1, 3)
try(table.concat, {}, ",", 1, 1)
try(table.concat, {}, ",", math.maxinteger - 1, math.maxinteger)
print(pcall(function() return table.concat({1, false}) end))

-- argument errors
try(table.concat)
try(table.concat, nil)
try(table.concat, "abc")
try(table.concat, {}, {})
try(table.concat, {}, ",", "x")
try(table.concat, {}, ",", 1, 2.5)
try(table.concat, {"a"}, ",", 1.0, 1.0)

-- large indexes do not overflow the loop
print(table.concat({[math.maxinteger] = "last"}, ",", math.maxinteger, math.maxinteger))
print(table.concat({[math.mininteger] = "first"}, ",", math.mininteger, math.mininteger))
