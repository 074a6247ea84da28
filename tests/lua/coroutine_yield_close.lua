-- Yields inside __close: each Lua __close runs as a frame of its own when a block ends (CLOSE)
-- or the function returns (RETURN), so it may yield; natives are called in place; errors
-- still propagate and yielding outside a coroutine still fails.
local log = {}
local function closer(name)
  return setmetatable({}, {__close = function(_, err)
    local got = coroutine.yield("closing " .. name)
    log[#log + 1] = name .. ":" .. tostring(got) .. ":" .. tostring(err)
  end})
end
local co = coroutine.wrap(function()
  do
    local a <close> = closer("a")
    local b <close> = closer("b")
  end
  local c <close> = closer("c")
  local d <close> = closer("d")
  return "r1", "r2"
end)
print(co())
print(co(1))
print(co(2))
print(co(3))
print(co(4))
print(table.concat(log, " "))
-- the issue's example
print(coroutine.wrap(function()
  local x <close> = setmetatable({}, {__close = function() coroutine.yield(1) end})
end)())
-- a native __close and a Lua one, mixed
log = {}
local co2 = coroutine.wrap(function(...)
  local n <close> = setmetatable({}, {__close = print, __tostring = function() return "native close ran" end})
  local l <close> = closer("l")
  return ...
end)
print(co2("x", "y"))
print(co2("resumed"))
print(table.concat(log, " "))
-- generic for closing value
local co3 = coroutine.wrap(function()
  for i in function(_, i) i = (i or 0) + 1 if i <= 2 then return i end end, nil, nil, closer("for") do end
  return "loop done"
end)
print(co3()); print(co3("z"))
-- break out of a block
local co4 = coroutine.wrap(function()
  for i = 1, 3 do
    local v <close> = closer("iter" .. i)
    if i == 2 then break end
  end
  return "after break"
end)
log = {}
print(co4()); print(co4("p")); print(co4("q"))
print(table.concat(log, " "))
-- errors in __close still propagate
print(pcall(function()
  local e <close> = setmetatable({}, {__close = function() error("in close") end})
  return 1
end))
print(pcall(coroutine.wrap(function()
  local e <close> = setmetatable({}, {__close = function() coroutine.yield(); error("after yield") end})
  return 1
end)))
-- not in a coroutine: yield fails as it must
print(pcall(function() local z <close> = closer("z") end))
