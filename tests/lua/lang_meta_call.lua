-- Pins down __call: extra first argument, nested __call chains, results, and non-callable errors.
local c = setmetatable({name = "C"}, {__call = function(self, a, b)
  return self.name, a, b
end})
print(c(1, 2))
print(c())
print(pcall(c, "p"))

-- __call value that is itself a callable table
-- each level inserts the callable object itself before the arguments
local function describe(...)
  local out = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    out[i] = type(v) == "table" and (v.tag or "table") or tostring(v)
  end
  return table.concat(out, ",")
end
local inner = setmetatable({tag = "inner"}, {__call = function(self, ...)
  return "inner", select("#", ...), describe(self, ...)
end})
local outer = setmetatable({tag = "outer"}, {__call = inner})
print(outer("x"))
local outer2 = setmetatable({tag = "outer2"}, {__call = outer})
print(outer2("y"))

-- method call syntax on a callable field
local obj = {f = c}
print(obj.f("direct"))
print(select(3, obj:f("method")), rawequal(select(2, obj:f("method")), obj))

-- results adjust like normal calls
local multi = setmetatable({}, {__call = function() return 1, 2, 3 end})
print(multi())
print((multi()))
local t = {multi(), multi()}
print(#t)

-- __call used by generic for iterators
local iter = setmetatable({i = 0}, {__call = function(self)
  self.i = self.i + 1
  if self.i <= 3 then return self.i end
end})
for v in iter do io.write(v, " ") end
print()

-- __call on strings is not defined
print(pcall(function() return ("abc")() end))
-- errors for non-callable values
print(pcall(function() local x = setmetatable({}, {}); return x() end))
print(pcall(function() local x = setmetatable({}, {__call = 1}); return x() end))
