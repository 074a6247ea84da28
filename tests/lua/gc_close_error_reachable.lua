-- While an error unwinds through to-be-closed variables, the error object stays reachable:
-- a closing method that uses its registers (and collects) must not free it. Each error
-- object is also held in a weak table; the closing methods report whether it survived.
local weak = setmetatable({}, {__mode = "v"})

local function checker(label, key)
  return setmetatable({}, {__close = function()
    local a, b, c = {}, {}, {}  -- overwrite the argument registers
    collectgarbage()
    print(label, "error alive:", weak[key] ~= nil)
  end})
end

-- pcall: the error propagates through two closing methods.
local ok, err = pcall(function()
  local x <close> = checker("pcall outer", "e1")
  local y <close> = checker("pcall inner", "e1")
  local e = {"first"}
  weak.e1 = e
  error(e)
end)
print(ok, err == weak.e1, err[1])

-- A closing method's error replaces the first one; the replacement must survive too.
ok, err = pcall(function()
  local x <close> = checker("replaced outer", "e2")
  local y <close> = setmetatable({}, {__close = function()
    local e = {"second"}
    weak.e2 = e
    error(e)
  end})
  error({"dropped"})
end)
print(ok, err == weak.e2, err[1])

-- xpcall: the handler's result is the error the closing methods see.
ok, err = xpcall(function()
  local x <close> = checker("xpcall", "e3")
  error("raw")
end, function(m)
  local e = {"handled"}
  weak.e3 = e
  return e
end)
print(ok, err == weak.e3, err[1])

-- A coroutine.wrap that dies closes its variables, then its caller gets the error.
ok, err = pcall(coroutine.wrap(function()
  local x <close> = checker("wrap", "e4")
  local e = {"coroutine"}
  weak.e4 = e
  error(e)
end))
print(ok, err == weak.e4, err[1])

-- An error the VM raises exists only as the error being propagated: no stack slot holds it.
-- After a collection, new strings of every length would reuse its memory if it were freed.
ok, err = pcall(function()
  local x <close> = setmetatable({}, {__close = function()
    local a, b, c, d = {}, {}, {}, {}
    collectgarbage()
    local keep = {}
    for len = 1, 300 do keep[len] = string.rep("z", len) end
  end})
  local n = nil
  return n + 1
end)
print(ok, err)

-- An error string built at run time, through many frames with a closing method each.
local depth = 0
local function dive(n)
  local guard <close> = setmetatable({}, {__close = function()
    local t = {n, n, n}
    depth = depth + 1
    if depth % 50 == 0 then collectgarbage() end
  end})
  if n == 200 then error("deep " .. string.rep("x", 40) .. n) end
  dive(n + 1)
end
ok, err = pcall(dive, 1)
print(ok, err, depth)
