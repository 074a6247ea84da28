-- Table-heavy code: table.insert/table.remove in the middle and at the end of arrays (element
-- shifting, the length operator), and string-keyed hash churn (keys set, read and cleared
-- again, so the hash part keeps filling with dead keys and rehashing).
local queue = {}
local sum = 0
for round = 1, 200 do
  for i = 1, 400 do table.insert(queue, i) end
  for i = 1, 200 do table.insert(queue, (i * 7) % #queue + 1, i) end
  for i = 1, 200 do sum = sum + table.remove(queue, (i * 13) % #queue + 1) end
  while #queue > 0 do sum = sum + table.remove(queue) end
end

local names = {}
for i = 1, 512 do names[i] = "field" .. i end
local record = {}
local seen = 0
for round = 1, 1200 do
  for i = 1, 512, 3 do record[names[i]] = round + i end
  for i = 1, 512 do
    local v = record[names[i]]
    if v then seen = seen + v end
  end
  for i = 1, 512, 3 do record[names[i]] = nil end
end
local stack = {}
for i = 1, 1000000 do
  stack[#stack + 1] = i
  if i % 3 == 0 then sum = sum + stack[#stack]; stack[#stack] = nil end
end
print("checksum", sum, seen, #stack)
