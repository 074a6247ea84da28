-- Pins down numeric for: int/float loops, steps, bounds evaluated once, overflow safety, errors.
local function collect(a, b, c)
  local out = {}
  if c == nil then
    for i = a, b do out[#out + 1] = tostring(i) end
  else
    for i = a, b, c do out[#out + 1] = tostring(i) end
  end
  return table.concat(out, " ")
end
print(collect(1, 5))
print(collect(5, 1))
print(collect(5, 1, -1))
print(collect(1, 10, 3))
print(collect(10, 1, -4))
print(collect(1, 2, 0.5))
print(collect(1.0, 3))
print(collect(1, 3.0))
print(collect(0.1, 0.5, 0.1))
print(collect(1, 1))
print(collect(3, 2))
print(collect(1, 3.5))
print(collect(-3, -1))
print(collect(1, 0, -0.25))

-- bounds and step are evaluated once
local calls = 0
local function lim() calls = calls + 1; return 3 end
for i = 1, lim() do end
print("limit evaluated", calls)

-- modifying the control variable does not change iteration
local seen = {}
for i = 1, 3 do
  seen[#seen + 1] = i
  local i = i * 100
end
print(table.concat(seen, ","))

-- loops near the integer limits do not overflow
local maxi = math.maxinteger
local mini = math.mininteger
local c = 0
for i = maxi - 2, maxi do c = c + 1 end
print("near max", c)
c = 0
for i = mini + 2, mini, -1 do c = c + 1 end
print("near min", c)
c = 0
for i = maxi - 1, maxi, 10 do c = c + 1 end
print("big step", c)
c = 0
for i = 1, 0 do c = c + 1 end
print("empty", c)
-- float limit beyond integer range
c = 0
for i = maxi - 1, 1e100 do c = c + 1; if c > 5 then break end end
print("float limit", c)
c = 0
for i = 1, -1e100 do c = c + 1 end
print("neg float limit", c)
-- float limit clipped: 3.7 acts as 3 for integer loops
print(collect(1, 3.7))
print(collect(-1, -3.7, -1))

-- the loop variable type
for i = 1, 1 do print(math.type(i)) end
for i = 1.0, 1 do print(math.type(i)) end
for i = 1, 1, 1.0 do print(math.type(i)) end

-- errors
print(pcall(function() for i = 1, 10, 0 do end end))
print(pcall(function() for i = 1.0, 10, 0.0 do end end))
print(pcall(function() for i = "a", 10 do end end))
print(pcall(function() for i = 1, {} do end end))
print(pcall(function() for i = 1, 2, nil do end end))
print(pcall(function() for i = "1", 2 do end end))
-- NaN step / limits
c = 0
for i = 1, 0/0 do c = c + 1 end
print("nan limit", c)

-- closures capture a fresh variable each iteration
local fns = {}
for i = 1, 3 do fns[i] = function() return i end end
print(fns[1](), fns[2](), fns[3]())
