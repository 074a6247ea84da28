-- Pins down lexical scoping: shadowing, block-local lifetimes, globals vs locals, local function.
x = "global"
local x = "outer local"
do
  local x = "inner local"
  print(x)
end
print(x, _G.x)
-- a local is visible only after its declaration statement
local y = 1
local y = y + 1
print(y)
-- local function vs local f = function: recursion visibility
local function rec(n) if n == 0 then return "rec ok" end return rec(n - 1) end
print(rec(3))
local nr = function(n) return type(nr) end
print(nr(1))
-- for loop variables are local to the loop
for i = 1, 1 do end
print(i)
for k, v in pairs({a = 1}) do end
print(k, v)
-- parameters shadow upvalues
local p = "upvalue"
local function shadow(p) return p end
print(shadow("param"), p)
-- nested functions see enclosing locals at call time
local counter = 0
local function bump() counter = counter + 1 end
bump(); bump()
print(counter)
-- many locals in one function (over 200)
local src = {"local a1 = 1"}
for n = 2, 199 do src[#src + 1] = ("local a%d = a%d + 1"):format(n, n - 1) end
src[#src + 1] = "return a199"
print(load(table.concat(src, "\n"))())
-- too many locals is a compile error
local too = {}
for n = 1, 201 do too[#too + 1] = "local b" .. n end
local f, err = load(table.concat(too, "\n"), "=many")
print(f, err)
-- a global function definition assigns a global
function globalFn() return "gf" end
print(globalFn(), type(_G.globalFn))
globalFn = nil
-- block scopes end at 'end', so the same name can be reused
do local z = 1 end
do local z = 2; print(z) end
print(z)
