-- Pins down if/elseif/else, while and repeat: truthiness, scoping of repeat locals in until.
local function classify(v)
  if v == nil then return "nil"
  elseif v == false then return "false"
  elseif type(v) == "number" and v < 0 then return "neg"
  elseif type(v) == "number" then return "nonneg"
  else return "other" end
end
for _, v in ipairs({-1, 0, 1, "s"}) do print(classify(v)) end
print(classify(nil), classify(false))

-- only nil and false are falsy
for _, v in ipairs({0, "", {}, 0.0, -0.0}) do
  if v then io.write("truthy ") else io.write("falsy ") end
end
print()
if nil then print("bad") else print("nil falsy") end
if false then print("bad") elseif nil then print("bad") else print("false falsy") end

-- while with complex condition
local i, s = 0, 0
while i < 10 and s < 20 do i = i + 1; s = s + i end
print(i, s)

-- while false never runs
while false do print("never") end

-- repeat runs at least once and until sees body locals
local n = 0
repeat
  local done = n >= 3
  n = n + 1
until done
print("repeat n", n)
repeat local x = 5 until x == 5
print("repeat x ok")

-- nested break only exits innermost loop
local count = 0
for a = 1, 3 do
  while true do
    count = count + 1
    break
  end
end
print("count", count)

-- if as statement with empty branches
if true then elseif false then else end
print("empty branches ok")

-- deep elseif chain
local function grade(x)
  if x >= 90 then return "A" elseif x >= 80 then return "B" elseif x >= 70 then return "C"
  elseif x >= 60 then return "D" else return "F" end
end
print(grade(95), grade(85), grade(75), grade(65), grade(5))

-- do blocks and semicolons
do ; end ;;;
local a = 1; local b = 2; print(a + b);
