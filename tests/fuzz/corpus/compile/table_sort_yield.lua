-- table.sort calls its comparator across a C-call boundary: yielding from it fails with the
-- reference's message (which carries no position), and the coroutine is dead afterwards.
local co = coroutine.create(function()
  table.sort({3, 2, 1}, function(a, b) coroutine.yield("inside") return a < b end)
  return "finished"
end)
print(coroutine.resume(co))
print(coroutine.status(co))

-- outside a coroutine the comparator may call functions that do not yield
local t = {3, 1, 2}
table.sort(t, function(a, b) return select(2, pcall(function() return a < b end)) end)
print(t[1], t[2], t[3])

-- a comparator that itself sorts (nested C-call boundaries)
local rows = {{3, 1, 2}, {9, 8}, {5}}
table.sort(rows, function(a, b)
  table.sort(a)
  table.sort(b)
  return a[1] < b[1]
end)
print(rows[1][1], rows[2][1], rows[3][1], table.concat(rows[1], ","))
