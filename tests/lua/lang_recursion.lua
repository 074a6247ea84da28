-- Pins down recursion: mutual recursion, deep non-tail recursion, Ackermann and memoisation.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(0), fib(1), fib(10), fib(25))
local function ack(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end
print(ack(2, 3), ack(3, 3))
local isEven, isOdd
function isEven(n) if n == 0 then return true end return isOdd(n - 1) end
function isOdd(n) if n == 0 then return false end return isEven(n - 1) end
print(isEven(10), isOdd(7), isEven(7))
-- depth 20000 non-tail recursion succeeds
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(20000))
-- recursion through tables of functions
local ops = {}
function ops.sum(t, i) i = i or 1; if i > #t then return 0 end return t[i] + ops.sum(t, i + 1) end
print(ops.sum({1, 2, 3, 4, 5}))
-- memoised recursion
local memo = {}
local function mfib(n)
  if n < 2 then return n end
  if memo[n] then return memo[n] end
  local v = mfib(n - 1) + mfib(n - 2)
  memo[n] = v
  return v
end
print(mfib(90))
-- recursion with varargs
local function rev(...)
  if select("#", ...) == 0 then return end
  local first = ...
  local rest = {rev(select(2, ...))}
  rest[#rest + 1] = first
  return table.unpack(rest)
end
print(rev(1, 2, 3))
-- hanoi move count
local moves = 0
local function hanoi(n, a, b, c)
  if n == 0 then return end
  hanoi(n - 1, a, c, b)
  moves = moves + 1
  hanoi(n - 1, c, b, a)
end
hanoi(12, "A", "B", "C")
print(moves)
