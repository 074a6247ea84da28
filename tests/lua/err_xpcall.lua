-- Pins down xpcall: the handler sees the original error, its result replaces it, nesting, args.
print(xpcall(function() error("oops") end, function(m) return "handled: " .. m end))
print(xpcall(function() error({1, 2}) end, function(m) return type(m), #m end))
print(xpcall(function(a, b) return a + b end, print, 3, 4))
print(xpcall(function() return "no error", 2 end, error))
-- handler receiving a runtime error
print(xpcall(function() local t; return t.x end, function(m) return "H:" .. m end))
-- handler returning nothing gives nil
print(xpcall(error, function() end, "x"))
-- handler that returns several values: only the first is kept
print(xpcall(error, function(m) return m, "extra" end, "y", 0))
-- a handler that itself errors
print(xpcall(function() error("first") end, function(m) error("second") end))
-- a non-function handler
print(pcall(xpcall, function() error("x") end, 42))
-- handler gets called only on error
local called = false
print(xpcall(function() return 1 end, function() called = true end), called)
-- nested xpcall and pcall
print(xpcall(function()
  local ok, e = pcall(error, "inner", 0)
  error("outer after " .. tostring(e), 0)
end, function(m) return "[" .. m .. "]" end))
print(pcall(xpcall, function() error("deep", 0) end, function(m) return m .. "!" end))
-- handler that does not use debug.traceback: message untouched
print(xpcall(function() error("plain", 0) end, function(m) return m end))
-- xpcall argument errors
print(pcall(xpcall))
print(pcall(xpcall, print))
-- handler sees non-string errors unchanged
print(xpcall(function() error(nil) end, function(m) return "got " .. tostring(m) end))
print(xpcall(function() error(12) end, function(m) return math.type(m) end))
