-- Loops inside native calls cannot pause: the overdraft limit must end them.
local t = {3, 2, 1}
print(pcall(table.sort, t, function(a, b) while true do end end))
print((string.gsub("abc", "%w", function(c) repeat until false end)))
