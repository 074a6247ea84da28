-- Pins down pcall's return protocol: true plus all results, false plus the error object.
print(pcall(function() return end))
print(pcall(function() return nil end))
print(pcall(function(...) return ... end, 1, 2, 3))
print(pcall(function(a, b) return a * b end, 6, 7))
print(pcall(error, "msg"))
print(pcall(error, "msg", 0))
print(pcall(error))
print(pcall(print, "printed inside pcall"))
print(pcall(select, "#", 1, 2))
print(pcall(pcall, error, "e"))
print(pcall(pcall, pcall, error, "ee"))
-- pcall with a table that has __call
local callable = setmetatable({}, {__call = function(self, x) return "called with", x end})
print(pcall(callable, 9))
-- pcall of a failing argument check in a base function
print(pcall(setmetatable, 1))
-- results count
print(select("#", pcall(function() return 1, 2, nil, nil end)))
print(select("#", pcall(error)))
-- an error value that is a number keeps its type
local ok, e = pcall(error, 3.5)
print(ok, e, math.type(e))
-- successive pcalls do not leak state
local total = 0
for i = 1, 100 do
  local ok2, v = pcall(function() if i % 10 == 0 then error("ten") end return i end)
  if ok2 then total = total + v end
end
print(total)
