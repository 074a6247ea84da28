-- Pins down select: '#', positive and negative indexes, out of range, and argument errors.
print(select("#"), select("#", nil), select("#", nil, nil, nil))
print(select(1, "a", "b", "c"))
print(select(3, "a", "b", "c"))
print(select(4, "a", "b", "c"))
print(select(100, "a"))
print(select(-1, "a", "b", "c"))
print(select(-2, "a", "b", "c"))
print(select(-3, "a", "b", "c"))
print(pcall(select, -4, "a", "b", "c"))
print(pcall(select, 0))
print(pcall(select, 0, 1, 2))
print(pcall(select))
print(pcall(select, nil))
print(pcall(select, {}))
print(select("2", "a", "b"))
print(select(2.0, "a", "b"))
print(pcall(select, 2.5, "a", "b"))
print(pcall(select, "x", "a"))
print(pcall(select, -1))
-- '#' counts trailing nils
local function count(...) return select("#", ...) end
print(count(1, nil), count(nil, nil, 3, nil, nil))
-- select with many arguments
local big = {}
for i = 1, 200 do big[i] = i end
print(select(199, table.unpack(big)))
print(select(-2, table.unpack(big)))
print(select("#", table.unpack(big)))
