-- Pins down nested protected calls: errors stop at the innermost pcall, state continues normally.
local log = {}
local function level3() error("L3", 0) end
local function level2()
  local ok, e = pcall(level3)
  log[#log + 1] = "caught " .. e
  error("L2", 0)
end
local function level1()
  local ok, e = pcall(level2)
  log[#log + 1] = "caught " .. e
  return "L1 ok"
end
print(pcall(level1))
print(table.concat(log, "; "))
-- deep nesting
local depth = 0
local function nest(n)
  if n == 0 then error("bottom", 0) end
  local ok, e = pcall(nest, n - 1)
  depth = depth + 1
  error(e .. "<" .. n, 0)
end
print(pcall(nest, 10))
print(depth)
-- pcall inside a loop keeps going
local results = {}
for i = 1, 5 do
  local ok, e = pcall(function() if i % 2 == 0 then error("even " .. i, 0) end return i end)
  results[#results + 1] = tostring(ok) .. ":" .. tostring(e)
end
print(table.concat(results, " "))
-- errors inside metamethods are caught too
local t = setmetatable({}, {__index = function(_, k) error("no key " .. k, 0) end})
print(pcall(function() return t.foo end))
local ar = setmetatable({}, {__add = function() error("cannot add", 0) end})
print(pcall(function() return ar + 1 end))
-- locals after the protected call are intact
local keep = "kept"
pcall(error, "x")
print(keep)
-- error in pcall'd function that is a C function
print(pcall(string.rep))
print(pcall(string.rep, "x", -1))
print(pcall(tostring))
