-- Pins down upvalue closing on every block exit: break, goto, return, error and loop iteration.
local fns = {}
for i = 1, 5 do
  local v = i * 2
  fns[#fns + 1] = function() return v end
  if i == 3 then break end
end
print(#fns, fns[1](), fns[2](), fns[3]())

fns = {}
do
  local k = 0
  ::again::
  do
    local captured = k
    fns[#fns + 1] = function() captured = captured + 1; return captured end
  end
  k = k + 1
  if k < 3 then goto again end
end
print(fns[1](), fns[1](), fns[2](), fns[3]())

local function maker()
  local x = "from maker"
  local function get() return x end
  x = "updated before return"
  return get
end
print(maker()())

local saved
print(pcall(function()
  local state = "before error"
  saved = function() return state end
  state = "at error"
  error("boom", 0)
end))
print(saved())

-- two closures share an upvalue even after the block closes
local setter, getter
do
  local shared = 1
  setter = function(v) shared = v end
  getter = function() return shared end
end
setter(99)
print(getter())

-- while loop with closures and break in the middle
fns = {}
local n = 0
while true do
  n = n + 1
  local here = n
  fns[n] = function() return here end
  if n == 4 then break end
end
print(fns[1](), fns[4]())

-- upvalues of upvalues
local function level1()
  local a = 1
  return function()
    local b = 2
    return function()
      a = a + 10
      b = b + 100
      return a + b
    end
  end
end
local l2 = level1()
local l3a, l3b = l2(), l2()
print(l3a(), l3b(), l3a())
