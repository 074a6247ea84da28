-- Recursive calls: naive Fibonacci stresses call/return and integer arithmetic.
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
print("checksum", fib(35))
