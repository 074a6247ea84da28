-- Pins down an uncaught runtime error (indexing nil) inside nested calls: exit status 1.
local results = {}
for i = 1, 3 do results[i] = i * i end
print(table.concat(results, " "))
local function a(t) return t.missing.field end
local function b() return a({}) end
print("calling")
b()
print("never printed")
