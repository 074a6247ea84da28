-- Pins down ipairs: stops at the first nil, honours __index, returns three values, proxies.
local function list(t)
  local out = {}
  for i, v in ipairs(t) do out[#out + 1] = i .. "=" .. tostring(v) end
  return table.concat(out, " ")
end
print(list({}))
print(list({1, 2, 3}))
print(list({1, nil, 3}))
print(list({nil, 2}))
print(list({1, 2, x = "x", [4] = 4}))
print(list({false, false}))
-- __index is honoured (5.4 ipairs uses non-raw access)
local proxy = setmetatable({}, {__index = function(_, i) if i <= 4 then return i * 11 end end})
print(list(proxy))
local partial = setmetatable({1, 2}, {__index = {nil, nil, 3, 4}})
print(list(partial))
-- ipairs returns iterator, table, 0
local f, s, c = ipairs({})
print(type(f), type(s), c)
-- the iterator can be called directly
local t = {"a", "b"}
print(f(t, 0))
print(f(t, 1))
print(f(t, 2))
-- modifying the table during traversal
local grow = {1, 2, 3}
local seen = {}
for i, v in ipairs(grow) do
  seen[#seen + 1] = v
  if i == 2 then grow[4] = 4 end
  if i == 4 then grow[3] = nil end
end
print(table.concat(seen, ","))
-- ipairs on non-tables with __index (strings have no integer keys)
print(list(setmetatable({}, {__index = function() return nil end})))
print(pcall(function() for i in ipairs(nil) do end end))
print(select("#", ipairs(nil)), select(3, ipairs(nil)))
print(pcall(function() for i, v in ipairs("abc") do print(i, v) end return "done" end))
-- __ipairs is not a thing in 5.4
local ign = setmetatable({1}, {__ipairs = function() error("should not be called") end})
print(list(ign))
