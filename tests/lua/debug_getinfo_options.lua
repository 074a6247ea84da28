-- debug.getinfo honours its option string (only the fields asked for), rejects unknown options,
-- reports activelines for "L", namewhat "" when no name is known, and works on other threads.
local function keys(t)
  local out = {}
  for k in pairs(t) do out[#out + 1] = k end
  table.sort(out)
  return table.concat(out, ",")
end

local function sample(a, b)
  local c = a + b
  return c
end

print(keys(debug.getinfo(sample)))
print(keys(debug.getinfo(1)))
print(keys(debug.getinfo(sample, "S")))
print(keys(debug.getinfo(sample, "l")))
print(keys(debug.getinfo(sample, "u")))
print(keys(debug.getinfo(sample, "n")))
print(keys(debug.getinfo(sample, "r")))
print(keys(debug.getinfo(sample, "t")))
print(keys(debug.getinfo(sample, "f")))
print(keys(debug.getinfo(sample, "")))
print(keys(debug.getinfo(print, "SLu")))
print(keys(debug.getinfo(1, "nSltufrL")))

-- invalid options
print(pcall(debug.getinfo, 1, "x"))
print(pcall(debug.getinfo, sample, "Sx"))
print(pcall(debug.getinfo, 1, ">S"))
print(debug.getinfo(100, "x"))   -- a level out of range wins over a bad option
print(pcall(debug.getinfo, "x"))
print(pcall(debug.getinfo))

-- activelines: the lines with code
local function lines(f)
  local out = {}
  for line in pairs(debug.getinfo(f, "L").activelines) do out[#out + 1] = line end
  table.sort(out)
  return table.concat(out, " ")
end
print(lines(sample))
print(lines(function(...)
  local t = {...}

  return #t
end))
print(debug.getinfo(print, "L").activelines)

-- names: none known gives namewhat ""
local info = debug.getinfo(sample, "n")
print(info.name, info.namewhat == "")
local function named() return debug.getinfo(1, "n") end
info = named()
print(info.name, info.namewhat)
info = (function() return debug.getinfo(1, "n") end)()
print(info.name, "[" .. info.namewhat .. "]")
local t = {m = function(self) return debug.getinfo(1, "n") end}
info = t:m()
print(info.name, info.namewhat)
info = t.m(t)
print(info.name, info.namewhat)

-- values
info = debug.getinfo(sample, "Su")
print(info.what, info.linedefined, info.lastlinedefined, info.nparams, info.isvararg, info.nups)
info = debug.getinfo(1, "Sl")
print(info.what, info.currentline, info.short_src)
info = debug.getinfo(print, "Slu")
print(info.what, info.source, info.short_src, info.currentline, info.nups, info.isvararg)
info = debug.getinfo(1, "rt")
print(info.ftransfer, info.ntransfer, info.istailcall)
local function tail() return debug.getinfo(1, "t").istailcall end
local function callsTail() return tail() end
print(callsTail())

-- another thread's levels: 0 is its yield
local co = coroutine.create(function(x)
  local y = x * 2
  coroutine.yield(y)
end)
coroutine.resume(co, 21)
info = debug.getinfo(co, 0, "Sn")
print(info.what, info.name, info.namewhat)
info = debug.getinfo(co, 1, "Sl")
print(info.what, info.currentline)
print(debug.getinfo(co, 2), debug.getinfo(co, -1))
