-- Pins down <close>: __close is called in reverse declaration order at scope exit, with nil error.
local function closer(name)
  return setmetatable({}, {__close = function(o, e)
    print("close", name, e)
  end})
end

do
  local a <close> = closer("a")
  local b <close> = closer("b")
  local c <close> = closer("c")
  print("body")
end
print("after block")

-- nil and false are allowed and ignored
do
  local x <close> = nil
  local y <close> = false
  local z <close> = closer("z")
  print("nil/false ok")
end

-- closing in nested blocks
do
  local outer <close> = closer("outer")
  do
    local inner <close> = closer("inner")
    print("inner body")
  end
  print("between")
end

-- function exit closes
local function f()
  local a <close> = closer("f.a")
  local b <close> = closer("f.b")
  return "ret"
end
print(f())

-- the value returned is computed before closing
local function g()
  local log = {}
  local a <close> = setmetatable({}, {__close = function() log[#log + 1] = "closed" end})
  return log
end
local log = g()
print(#log, log[1])

-- each loop iteration closes its own variable
for i = 1, 3 do
  local v <close> = closer("iter" .. i)
  print("loop", i)
end

-- non-closable value is an error at declaration
print(pcall(load("local x <close> = {}")))
print(pcall(load("local x <close> = 42")))

-- the close metamethod is looked up at close time? (it must exist at declaration)
local mt = {__close = function() print("mt close") end}
do
  local o <close> = setmetatable({}, mt)
end

-- multiple returns survive closing
local function h()
  local a <close> = closer("h")
  return 1, 2, 3
end
print(h())
