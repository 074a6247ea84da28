-- Pins down closures: shared upvalues between closures, upvalues outliving their scope, counters.
local function counter()
  local n = 0
  return function() n = n + 1; return n end, function() return n end, function(v) n = v end
end
local inc, get, set = counter()
inc(); inc()
print(get())
set(10)
print(inc(), get())
local inc2, get2 = counter()
print(inc2(), get(), get2())

-- closures created in the same scope share a variable, even after it changes
local fns = {}
do
  local shared = "a"
  fns.read = function() return shared end
  fns.write = function(v) shared = v end
  shared = "b"
end
print(fns.read())
fns.write("c")
print(fns.read())

-- nested closures reach through several levels
local function outer()
  local x = 1
  return function()
    local y = 10
    return function()
      x = x + 1
      y = y + 1
      return x + y
    end
  end
end
local mid = outer()
local in1, in2 = mid(), mid()
print(in1(), in1(), in2(), in1())

-- upvalue of a parameter
local function adder(a) return function(b) return a + b end end
local add5 = adder(5)
print(add5(1), adder(10)(1), add5(2))

-- recursive local function sees itself
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(20))
local fib
fib = function(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))

-- closure modifies a local declared in enclosing function after creation
local function late()
  local f = function() return v end
  local v = "local v"
  return f()
end
v = "global v"
print(late())
v = nil

-- upvalues are closed when the block exits, not before
local gets = {}
for i = 1, 3 do
  local j = i
  gets[i] = function() j = j + 100; return j end
end
print(gets[1](), gets[1](), gets[2](), gets[3]())

-- many closures over the same upvalue in a table
local acc = 0
local adders = {}
for k = 1, 5 do adders[k] = function() acc = acc + k end end
for k = 1, 5 do adders[k]() end
print(acc)

-- closures with many upvalues
local u1, u2, u3, u4, u5, u6, u7, u8 = 1, 2, 3, 4, 5, 6, 7, 8
local function many() return u1 + u2 + u3 + u4 + u5 + u6 + u7 + u8 end
u8 = 80
print(many())

-- functions are values: equality is identity

print(inc == inc, inc == get)
