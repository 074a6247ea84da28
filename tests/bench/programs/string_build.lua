-- String building: table.concat of many pieces versus repeated .. concatenation, plus string.rep.
local pieces = {}
for i = 1, 500000 do pieces[#pieces + 1] = tostring(i) end
local joined = table.concat(pieces, ",")
local acc = ""
for i = 1, 20000 do acc = acc .. (i % 10) end
local lines = {}
for i = 1, 120000 do lines[i] = "line " .. i .. ": " .. string.rep("x", i % 7) end
local text = table.concat(lines, "\n")
print("checksum", #joined, #acc, #text)
