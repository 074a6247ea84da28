-- After a stack overflow, xpcall's message handler still runs (on top of the overflowing
-- frames, in a small reserve, where it may call and recurse a little); a handler that overflows
-- too gives "error in error handling"; once handled, the thread overflows again the same way.
-- (Each overflow costs lua5.4 a fraction of a second: keep their number small.)
local function r() r() end
local function q() q() end
print(xpcall(r, function(m)
  local function d(n) if n == 0 then return 0 end return 1 + d(n - 1) end
  return "handled " .. d(50) .. " " .. m
end))
print(xpcall(r, function(m) q() end))
print(pcall(r))

-- overflowing the value stack rather than the frames (each level passes 10 more values)
local function big(...)
  big(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ...)
end
print(xpcall(big, function(m) return "big " .. tostring(m) end))

-- inside a coroutine
local co = coroutine.wrap(function() return xpcall(r, function(m) return "co " .. m end) end)
print(co())
