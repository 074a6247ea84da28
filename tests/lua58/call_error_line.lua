-- A call's error is reported at the line of its arguments ('(', a string or a table), not
-- the line where the called expression starts (5.4.4 used the latter). The unclosed '(' of an
-- argument list is also named by its own line.
print(pcall(function()
  local a = nil
  a
  (
  )
end))
print(pcall(function()
  local t = {}
  t.
  f
  {1}
end))
print(pcall(function()
  local t = {}
  t:m
  "x"
end))
print(pcall(function()
  local t = {f = function() end}
  t.f()
  (2)
end))
print(pcall(function()
  local a = nil
  a(1,
    2)
end))
print(load("local f = print\nf\n(\n1,\n2"))
-- the traceback names the same line
local ok, tb = xpcall(function()
  local g
  g
  ()
end, debug.traceback)
print(ok, (tb:gsub("\n.*", "")), tb:match("call_error_line.lua:(%d+): in function") )
