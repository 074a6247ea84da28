-- Pins down index handling systematically: sub and byte over every (i, j) pair around the
-- string's bounds, find/match/gmatch init values, integral floats and numeric strings as
-- indices, and the extreme integers.
local s = "abcde"
local idx = {math.mininteger, -100, -6, -5, -4, -1, 0, 1, 2, 4, 5, 6, 7, 100, math.maxinteger}
for _, i in ipairs(idx) do
  local row = {}
  for _, j in ipairs(idx) do
    row[#row + 1] = "[" .. s:sub(i, j) .. "]"
  end
  print(i, table.concat(row))
end
for _, i in ipairs(idx) do
  local row = {}
  for _, j in ipairs(idx) do
    row[#row + 1] = table.concat({s:byte(i, j)}, ",") .. ";"
  end
  print(i, s:sub(i), table.concat(row))
end

-- init values for the searching functions
for _, init in ipairs(idx) do
  local g = {}
  for m in s:gmatch(".", init) do g[#g + 1] = m end
  print(init, s:find("c", init), s:find("", init), s:match(".", init), s:find("e", init, true), #g)
end

-- float and string indices convert; non-integral ones are errors
print(s:sub(2.0, "4"), s:byte(" 3 "), s:find("d", "2"), s:sub("0x2", 3.0))
print(pcall(string.sub, s, 1.5))
print(pcall(string.sub, s, "x"))
print(pcall(string.sub, s, 1, 2^63))
print(pcall(string.byte, s, -2^63))
print(s:sub(-2^53, 2^53), s:sub(2^62 // 1, -1) == "", s:sub(math.mininteger, -5))

-- the empty string
print(("")[1], (""):sub(1), (""):sub(0, 0), (""):sub(-1, 1), (""):byte(), (""):byte(0, 1), (""):find(""), (""):match(".?"))

-- method-call errors count arguments from the object
print(pcall(function() return ("x"):rep() end))
print(pcall(function() return ("x"):sub({}) end))
print(pcall(function() return string.sub() end))
print(pcall(function() local t = {sub = string.sub} return t.sub({}) end))
print(pcall(function() local t = {sub = string.sub} return t:sub(1) end))

-- byte's end defaults to its start as given, before clamping
for _, i in ipairs(idx) do io.write(i, ":", table.concat({s:byte(i)}, ","), " ") end
print()
