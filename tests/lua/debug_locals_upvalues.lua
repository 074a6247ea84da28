-- debug.getlocal on functions (parameter names) and with negative indices (varargs),
-- temporaries, setlocal, other threads; upvalueid (nil out of range, native closures' upvalues
-- visible), upvaluejoin, getregistry, getuservalue/setuservalue, setcstacklimit.
local function params(a, b, ...) local c = 1 end
print(debug.getlocal(params, 1), debug.getlocal(params, 2), debug.getlocal(params, 3))
print(debug.getlocal(params, 0), debug.getlocal(params, -1), debug.getlocal(print, 1))

local function varargs(...)
  local x = "x"
  local out = {}
  for i = -1, -4, -1 do
    local name, value = debug.getlocal(1, i)
    out[#out + 1] = tostring(name) .. "=" .. tostring(value)
  end
  return table.concat(out, " ")
end
print(varargs(10, nil, "c"))
print(varargs())

local function frame(a)
  local b = a * 2
  local names = {}
  for i = 1, 10 do
    local name, value = debug.getlocal(1, i)
    if not name then break end
    names[#names + 1] = name .. "=" .. (type(value) == "table" and "{}" or tostring(value))
  end
  return table.concat(names, " ")
end
print(frame(4))
print(pcall(debug.getlocal, 100, 1))
print(debug.getlocal(0, 1), debug.getlocal(0, 3))   -- the C function's own slots

-- setlocal
local function change()
  local v = 1
  local w = "w"
  print(debug.setlocal(1, 1, 42), debug.setlocal(1, 2, "changed"), debug.setlocal(1, 10, 0))
  return v, w
end
print(change())
local function changeVararg(...)
  print(debug.setlocal(1, -2, "second"), debug.setlocal(1, -5, "none"))
  return ...
end
print(changeVararg(1, 2, 3))
print(pcall(debug.setlocal, 100, 1, 1))
print(pcall(debug.setlocal, 1, 1))

-- another thread
local co = coroutine.create(function(p, q)
  local r = p + q
  coroutine.yield()
  return r
end)
coroutine.resume(co, 1, 2)
print(debug.getlocal(co, 1, 1), debug.getlocal(co, 1, 3))
print(debug.setlocal(co, 1, 3, 100))
print(coroutine.resume(co))
print(pcall(debug.getlocal, co, 5, 1))

-- upvalues
local up1, up2 = 1, 2
local function f1() return up1 end
local function f2() return up2 end
local function f3() return up1, up2 end
print(debug.upvalueid(f1, 1) == debug.upvalueid(f3, 1), debug.upvalueid(f1, 1) == debug.upvalueid(f2, 1))
print(debug.upvalueid(f1, 2), debug.upvalueid(f1, 0), debug.upvalueid(print, 1))
print(pcall(debug.upvalueid, f1))
print(pcall(debug.upvalueid, 1, 1))
local wrapped = coroutine.wrap(function() end)
print(type(debug.upvalueid(wrapped, 1)), debug.upvalueid(wrapped, 2))
print(debug.getupvalue(wrapped, 1) == "", debug.getupvalue(wrapped, 2))
local gm = string.gmatch("a", "a")
print(select("#", debug.getupvalue(gm, 1)) >= 1)

debug.upvaluejoin(f1, 1, f2, 1)
print(f1(), debug.upvalueid(f1, 1) == debug.upvalueid(f2, 1))
up2 = 20
print(f1(), f2(), f3())
print(pcall(debug.upvaluejoin, f1, 2, f2, 1))
print(pcall(debug.upvaluejoin, f1, 1, f2, 5))
print(pcall(debug.upvaluejoin, wrapped, 1, f2, 1))
print(pcall(debug.upvaluejoin, f1, 1, wrapped, 1))
print(pcall(debug.upvaluejoin, print, 1, f2, 1))

-- registry, user values, C stack limit
local reg = debug.getregistry()
print(type(reg), reg._LOADED == package.loaded)
print(debug.getuservalue(io.stdout), select("#", debug.getuservalue(io.stdout)))
print(debug.getuservalue(io.stdout, 2), debug.getuservalue({}), debug.getuservalue(1, 1))
print(debug.setuservalue(io.stdout, {}), debug.setuservalue(io.stdout, 1, 5))
print(pcall(debug.setuservalue, {}, 1))
print(pcall(debug.setuservalue, io.stdout))
print(pcall(debug.getuservalue, io.stdout, "x"))
print(debug.setcstacklimit(1000), pcall(debug.setcstacklimit))
