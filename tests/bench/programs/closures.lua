-- Closures: creating many closures with upvalues and calling them (counters, adders, compose).
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local function adder(k) return function(x) return x + k end end
local function compose(f, g) return function(x) return f(g(x)) end end
local total = 0
for i = 1, 850000 do
  local c = counter()
  c(); c()
  local f = compose(adder(i), adder(1))
  total = total + c() + f(i)
end
local shared = 0
local fns = {}
for i = 1, 100 do fns[i] = function(x) shared = shared + x; return shared end end
for r = 1, 20000 do
  for i = 1, 100 do fns[i](1) end
end
print("checksum", total, shared)
