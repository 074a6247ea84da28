-- Pins down <close> on errors: variables are closed during unwinding and receive the error object.
local function closer(name)
  return setmetatable({}, {__close = function(o, e)
    print("close", name, type(e) == "table" and "table:" .. tostring(e.tag) or e)
  end})
end

local ok, err = pcall(function()
  local a <close> = closer("a")
  local b <close> = closer("b")
  error("boom", 0)
end)
print(ok, err)

ok, err = pcall(function()
  local a <close> = closer("a2")
  error({tag = "tbl"})
end)
print(ok, type(err), err.tag)

-- an error in __close replaces the original error
ok, err = pcall(function()
  local a <close> = setmetatable({}, {__close = function(o, e)
    print("a sees", e)
    error("from a", 0)
  end})
  local b <close> = setmetatable({}, {__close = function(o, e)
    print("b sees", e)
    error("from b", 0)
  end})
  error("orig", 0)
end)
print(ok, err)

-- error in __close on normal exit
ok, err = pcall(function()
  local a <close> = setmetatable({}, {__close = function(o, e)
    print("normal close sees", e)
    error("close failed", 0)
  end})
  return "never"
end)
print(ok, err)

-- an error in a later __close is seen by earlier ones
ok, err = pcall(function()
  local first <close> = closer("first")
  local second <close> = setmetatable({}, {__close = function() error("second fails", 0) end})
  print("returning")
end)
print(ok, err)

-- runtime error (not error()) passes the message
ok, err = pcall(function()
  local c <close> = closer("c")
  local t = nil
  return t.x
end)
print(ok, err)

-- nested pcall inside close handler
ok, err = pcall(function()
  local c <close> = setmetatable({}, {__close = function(o, e)
    print("inner pcall", pcall(error, "inner", 0))
    print("close got", e)
  end})
  error("outer", 0)
end)
print(ok, err)
