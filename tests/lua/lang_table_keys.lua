-- Pins down table key semantics: int/float normalisation, strings vs numbers, booleans, nan, -0.
local t = {}
t[1] = "int"
print(t[1.0], t["1"])
t[1.0] = "float-one"
print(t[1])
t[-0.0] = "negzero"
print(t[0], t[0.0])
t["1"] = "string"
print(t[1], t["1"])
t[2^53] = "2^53"
print(t[9007199254740992])
t[1.5] = "frac"
print(t[1.5], t[3/2])
t[true] = "yes"
t[false] = "no"
print(t[true], t[false], t[1 == 1])
local k = {}
t[k] = "table key"
print(t[k], t[{}])
t[print] = "function key"
print(t[print])
-- errors
print(pcall(function() t[nil] = 1 end))
print(pcall(function() t[0/0] = 1 end))
print(t[nil], t[0/0])
-- large and negative integer keys
t[math.maxinteger] = "max"
t[math.mininteger] = "min"
t[-1] = "neg"
t[0] = "zero"
print(t[math.maxinteger], t[math.mininteger], t[-1], t[0])
-- deleting with nil
t[1] = nil
print(t[1], t[1.0])
-- many keys and removals
local m = {}
for i = 1, 1000 do m["k" .. i] = i end
for i = 1, 1000, 2 do m["k" .. i] = nil end
local c, s = 0, 0
for key, v in pairs(m) do c = c + 1; s = s + v end
print(c, s)
-- array growth and the length operator
local arr = {}
for i = 1, 300 do arr[#arr + 1] = i * i end
print(#arr, arr[300], arr[1])
-- string keys with same content are the same key
local a1 = "ab" .. "c"
local a2 = "a" .. "bc"
t[a1] = "concat"
print(t[a2], t.abc)
-- long string keys
local long1 = string.rep("x", 100) .. "1"
local long2 = string.rep("x", 100) .. "1"
t[long1] = "long"
print(t[long2])
