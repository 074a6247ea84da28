-- Pins down <close> with break, goto, return and loops: every exit path closes exactly once.
local function closer(name)
  return setmetatable({}, {__close = function(o, e) print("close", name, e) end})
end

for i = 1, 5 do
  local c <close> = closer("for" .. i)
  if i == 2 then print("break at", i); break end
  print("iter", i)
end
print("after for")

local i = 0
while true do
  i = i + 1
  local c <close> = closer("while" .. i)
  if i == 3 then break end
end
print("after while")

-- goto out of a block closes
do
  local c <close> = closer("goto-block")
  goto out
end
::out::
print("after goto")

-- goto continue closes the iteration's variable
for j = 1, 3 do
  local c <close> = closer("cont" .. j)
  if j % 2 == 1 then goto continue end
  print("even", j)
  ::continue::
end

-- backward goto loop closes each round
do
  local k = 0
  ::top::
  do
    local c <close> = closer("back" .. k)
    k = k + 1
    if k < 3 then goto top end
  end
end

-- return from inside nested blocks closes everything
local function f()
  local a <close> = closer("fa")
  do
    local b <close> = closer("fb")
    for n = 1, 10 do
      local c <close> = closer("fc" .. n)
      if n == 2 then return "returned", n end
    end
  end
end
print(f())

-- repeat-until: the until expression sees the local, then it is closed
local r = 0
repeat
  r = r + 1
  local c <close> = closer("rep" .. r)
until r >= 2
print("after repeat")

-- generic for: the 4th value is closed when the loop ends or breaks
local function iter(n)
  local k = 0
  return function()
    k = k + 1
    if k <= n then return k end
  end, nil, nil, closer("genfor" .. n)
end
for v in iter(2) do print("gen", v) end
for v in iter(5) do
  if v == 2 then break end
  print("gen", v)
end
local function g()
  for v in iter(3) do
    if v == 1 then return "from loop" end
  end
end
print(g())

-- error inside generic for closes the 4th value
print(pcall(function()
  for v in iter(9) do error("inside", 0) end
end))

-- tail call: a function with to-be-closed variables does not make a real tail call
local function tc()
  local c <close> = closer("tc")
  return select("#", 1, 2)
end
print(tc())
