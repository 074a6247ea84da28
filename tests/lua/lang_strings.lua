-- Pins down string values: immutability, equality by content, length with zeros, comparison order.
local a = "hello"
local b = "hel" .. "lo"
print(a == b, rawequal(a, b), #a)
local long1 = string.rep("abc", 100)
local long2 = string.rep("ab", 150) .. ""
print(long1 == long2, #long1, #long2)
local long3 = string.rep("abc", 99) .. "abc"
print(long1 == long3)
-- zeros are ordinary bytes
local z = "a\0b\0c"
print(#z, z == "a\0b\0c", z < "a\0c", z > "a")
-- comparison is byte-wise (C locale)
local words = {"banana", "Apple", "apple", "cherry", "", "a", "ab", "B", "10", "9", "~", " "}
table.sort(words)
print(table.concat(words, "|"))
print("a" < "b", "B" < "a", "abc" < "abd", "abc" < "ab", "" < " ")
print("\255" > "\127", "\0" < "\1")
-- strings as table keys are compared by content
local t = {}
t["key"] = 1
t["k" .. "ey"] = 2
print(t.key)
-- length of strings with multibyte characters counts bytes
print(#"héllo", #"日本")
-- string immutability: operations return new strings
local s = "abc"
local u = s:upper()
print(s, u)
-- string concatenation of numbers uses their textual form
print(1 .. "" == "1", 1.0 .. "" == "1.0")
-- huge strings
local big = string.rep("x", 100000)
print(#big, big:sub(-3))
