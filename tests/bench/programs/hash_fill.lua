-- Table hash part: string and integer-sparse keys inserted, looked up, overwritten and removed.
local n = 170000
local t = {}
for i = 1, n do t["key" .. i] = i end
local hits = 0
for i = 1, n * 2 do
  local v = t["key" .. i]
  if v then hits = hits + v end
end
local sparse = {}
for i = 1, n do sparse[i * 7919] = i end
local s = 0
for i = 1, n do s = s + sparse[i * 7919] end
for i = 1, n, 2 do t["key" .. i] = nil end
local left = 0
for _ in pairs(t) do left = left + 1 end
print("checksum", hits, s, left)
