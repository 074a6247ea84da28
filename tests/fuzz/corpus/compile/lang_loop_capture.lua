-- Pins down fresh locals per iteration: closures capture each iteration's own variable.
local fs = {}
for i = 1, 3 do fs[#fs + 1] = function() return i end end
print(fs[1](), fs[2](), fs[3]())

fs = {}
for i = 1, 3 do
  fs[#fs + 1] = function() i = i + 10; return i end
end
print(fs[1](), fs[1](), fs[2](), fs[3]())

fs = {}
for k, v in ipairs({"a", "b", "c"}) do fs[#fs + 1] = function() return k .. v end end
print(fs[1](), fs[2](), fs[3]())

fs = {}
for k, v in pairs({x = 1}) do fs[1] = function() return k, v end end
print(fs[1]())

-- while loop: a local declared in the body is fresh each time
fs = {}
local n = 0
while n < 3 do
  n = n + 1
  local m = n
  fs[n] = function() return m end
end
print(fs[1](), fs[2](), fs[3]())

-- but a variable declared outside the loop is shared
fs = {}
local shared = 0
while shared < 3 do
  shared = shared + 1
  fs[shared] = function() return shared end
end
print(fs[1](), fs[2](), fs[3]())

-- repeat loop
fs = {}
local r = 0
repeat
  r = r + 1
  local c = r * 2
  fs[r] = function() return c end
until r == 3
print(fs[1](), fs[2](), fs[3]())

-- nested loops capture both
fs = {}
for i = 1, 2 do
  for j = 1, 2 do
    fs[#fs + 1] = function() return i * 10 + j end
  end
end
print(fs[1](), fs[2](), fs[3](), fs[4]())

-- break after capturing
fs = {}
for i = 1, 10 do
  fs[i] = function() return i end
  if i == 2 then break end
end
print(#fs, fs[1](), fs[2]())

-- float loop variable
fs = {}
for x = 0.5, 1.5, 0.5 do fs[#fs + 1] = function() return x end end
print(fs[1](), fs[2](), fs[3]())
