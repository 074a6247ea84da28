-- Pins down a complete program: sieve of Eratosthenes, prime counting and a checksum of primes.
local function sieve(limit)
  local composite = {}
  local primes = {}
  for i = 2, limit do
    if not composite[i] then
      primes[#primes + 1] = i
      for j = i * i, limit, i do composite[j] = true end
    end
  end
  return primes
end
local p = sieve(20000)
print(#p, p[1], p[10], p[#p])
local sum = 0
for _, v in ipairs(p) do sum = sum + v end
print(sum, sum % 65536, sum / #p)
local twins = 0
for i = 2, #p do if p[i] - p[i - 1] == 2 then twins = twins + 1 end end
print("twins", twins)
