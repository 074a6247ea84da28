-- Pins down local attributes <const>: constant values usable everywhere, and compile-time errors.
local K <const> = 10
local S <const> = "str"
local F <const> = 2.5
local N <const> = nil
local B <const> = false
print(K, S, F, N, B)
print(K * 2, S .. "!", F + 1, N == nil, not B)

local function useK() return K + 1 end
print(useK())

local a <const>, b = 1, 2
b = 3
print(a, b)

-- constant folding in expressions
local X <const> = 3
local Y <const> = X * 4 + 1
print(Y, Y // 2, Y % 5, Y / 2)

-- const tables: the variable is constant, not the table
local T <const> = {}
T.x = 1
print(T.x)

-- assigning to a const variable is a compile error
local function try(src)
  local f, err = load(src, "=c")
  print(f == nil, err)
end
try("local x <const> = 1; x = 2")
try("local x <const> = 1; local function f() x = 3 end")
try("local y <const> = 1; y, z = 2, 3")
try("local x <foo> = 1")
try("local x <close>, y <close> = 1, 2")
-- unknown attribute name spelled weirdly
try("local x < const > = 1; return x")
local f = load("local x < const > = 7; return x")
print(f())

-- const upvalue captured by a closure still readable
local function mk()
  local C <const> = {1, 2, 3}
  return function() return #C end
end
print(mk()())
