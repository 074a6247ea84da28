-- Pins down goto and labels: continue idiom, nested loops, backward loops and label visibility.
-- continue idiom
for i = 1, 6 do
  if i % 2 == 0 then goto continue end
  io.write(i, " ")
  ::continue::
end
print()

-- break out of nested loops
for i = 1, 3 do
  for j = 1, 3 do
    if i * j == 4 then
      print("found", i, j)
      goto done
    end
  end
end
::done::

-- backward goto as a loop
local n = 0
::again::
n = n + 1
if n < 5 then goto again end
print("n", n)

-- goto in while with continue at end
local k = 0
local acc = {}
while k < 8 do
  k = k + 1
  if k % 3 == 0 then goto cont end
  acc[#acc + 1] = k
  ::cont::
end
print(table.concat(acc, ","))

-- repeat with continue label before until: allowed when no local is declared after label
local r = 0
repeat
  r = r + 1
  if r == 2 then goto skip end
  io.write("r", r, " ")
  ::skip::
until r >= 4
print()

-- closures in a backward-goto loop each capture a fresh local
local fns = {}
do
  local i = 1
  ::top::
  local x = i * 10
  fns[#fns + 1] = function() return x end
  i = i + 1
  if i <= 3 then goto top end
end
print(fns[1](), fns[2](), fns[3]())

-- label at end of a block may be followed only by void statements; same name in nested function
local function inner()
  goto l
  do return "skipped" end
  ::l::
  return "reached"
end
print(inner())

-- labels in different blocks with the same name are fine
do ::a:: end
do ::a:: end
print("same label in sibling blocks ok")

-- goto forward into a label at end of enclosing block, skipping a local
do
  goto finish
  local z = 1
  print(z)
  ::finish::
end
print("skipped local ok")

-- state machine with gotos
local out = {}
local s = 0
::s0:: s = s + 1; out[#out + 1] = "s0"; if s > 2 then goto fin end; goto s1
::s1:: out[#out + 1] = "s1"; goto s0
::fin::
print(table.concat(out, " "))
