-- Pins down errors involving <close>: non-closable values, missing __close at close time, errors
-- in handlers on each exit path, and const-ness of to-be-closed variables.
print(pcall(function() local x <close> = {} end))
print(pcall(function() local x <close> = "str" end))
print(pcall(function() local a, b <close> = 1, 2 end))
print(select(2, load("local x <close> = nil; x = 1", "=c")))
-- the __close metamethod removed after declaration
local mt = {__close = function() print("closed") end}
print(pcall(function()
  local x <close> = setmetatable({}, mt)
  mt.__close = nil
end))
mt.__close = function() print("closed") end
-- error from __close while breaking out of a loop
print(pcall(function()
  for i = 1, 3 do
    local c <close> = setmetatable({}, {__close = function() error("close in loop " .. i, 0) end})
    if i == 2 then break end
  end
end))
-- error from __close while returning: return values are discarded
print(pcall(function()
  local c <close> = setmetatable({}, {__close = function() error("close on return", 0) end})
  return "lost"
end))
-- error object passed to __close and the final error with several handlers
print(pcall(function()
  local a <close> = setmetatable({}, {__close = function(_, e) print("a got", e) end})
  local b <close> = setmetatable({}, {__close = function(_, e)
    print("b got", e)
    error("b replaced", 0)
  end})
  local c <close> = setmetatable({}, {__close = function(_, e) print("c got", e) end})
  error("original", 0)
end))
-- __close is called with nil error on normal exit, and extra args are absent
print(pcall(function()
  local c <close> = setmetatable({}, {__close = function(...)
    print("args", select("#", ...), (select(2, ...)))
  end})
end))
-- a runtime error message keeps its position when passed to __close
print(pcall(function()
  local c <close> = setmetatable({}, {__close = function(_, e) print("saw", e) end})
  local n = nil
  return n + 1
end))
