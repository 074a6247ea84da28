-- Pins down the character classes over all 256 byte values (the "C" locale: bytes >= 128 are
-- in no class), their upper-case complements, '.', escaped punctuation, and classes in sets.
local classes = "acdglpsuwxz"
for i = 1, #classes do
  local lower = classes:sub(i, i)
  for _, cl in ipairs({lower, lower:upper()}) do
    local members, sum, first, last = 0, 0, nil, nil
    for b = 0, 255 do
      if string.find(string.char(b), "^%" .. cl .. "$") then
        members = members + 1
        sum = sum + b * (b % 7 + 1)
        first = first or b
        last = b
      end
    end
    print("%" .. cl, members, sum, first, last)
  end
end

-- the same classes inside sets, alone and complemented
for i = 1, #classes do
  local cl = classes:sub(i, i)
  local inSet, notInSet = 0, 0
  for b = 0, 255 do
    local c = string.char(b)
    if c:find("^[%" .. cl .. "]$") then inSet = inSet + 1 end
    if c:find("^[^%" .. cl .. "]$") then notInSet = notInSet + 1 end
  end
  print("[%" .. cl .. "]", inSet, notInSet)
end

-- '.' matches every byte, including zero
local dots = 0
for b = 0, 255 do if string.char(b):find("^.$") then dots = dots + 1 end end
print("dot", dots)

-- an escaped non-letter is that character; an escaped letter that names no class is the letter
local escapes = {}
for b = 32, 126 do
  local c = string.char(b)
  if not c:match("%w") then
    local ok = string.find(c, "^%" .. c .. "$") ~= nil
    escapes[#escapes + 1] = ok and c or "!"
  end
end
print(table.concat(escapes))
print(("z"):find("%z"), ("Z"):find("%Z"), ("q"):match("%q"), ("y"):match("%y"))
print(("\0"):find("%z"), ("e"):match("%e"), ("E"):match("%E"), ("i"):match("%i"))

-- classes match runs
print(("abc123DEF!? \t\n"):gsub("%a", "a"))
print(("abc123DEF!? \t\n"):gsub("%A", "_"))
print(("abc123DEF!? \t\n"):gsub("%w+", "<%0>"))
print(("abc123DEF!? \t\n"):gsub("%p", "P"))
print(("abc123DEF!? \t\n"):gsub("%s", "S"))
print(("abc123DEF!? \t\n"):gsub("%c", "C"))
print(("0x1Fz"):gsub("%x", "X"))
print(("MiXeD"):gsub("%u", "U"), ("MiXeD"):gsub("%l", "l"))
print(("caf\xc3\xa9 na\xefve"):gsub("%a+", "[%0]"))
print(("\xff\x80\x7f"):gsub("%G", "g"))
