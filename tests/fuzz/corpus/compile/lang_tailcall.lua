-- Pins down proper tail calls: 100000-deep tail recursion, mutual recursion, methods, __call.
local function loop(n, acc)
  if n == 0 then return acc end
  return loop(n - 1, acc + 1)
end
print(loop(100000, 0))
print(loop(1000000, 0))

local even, odd
function even(n) if n == 0 then return true end return odd(n - 1) end
function odd(n) if n == 0 then return false end return even(n - 1) end
print(even(100001), odd(100001))

local obj = {}
function obj:count(n) if n == 0 then return "done" end return self:count(n - 1) end
print(obj:count(200000))

-- tail call through __call
local callable = setmetatable({}, {__call = function(self, n)
  if n == 0 then return "callable done" end
  return self(n - 1)
end})
print(callable(100000))

-- tail call returning multiple values
local function multi(n) if n == 0 then return 1, 2, 3 end return multi(n - 1) end
print(multi(50000))

-- tail call to a native function
local function tonat(n) if n == 0 then return select("#", 1, 2) end return tonat(n - 1) end
print(tonat(100000))

-- tail call with varargs
local function va(n, ...) if n == 0 then return select("#", ...), ... end return va(n - 1, ...) end
print(va(100000, "a", "b"))

-- a non-tail call (extra parentheses) is not a tail call but still works for moderate depth
local function nontail(n) if n == 0 then return 0 end return (nontail(n - 1)) end
print(nontail(1000))
