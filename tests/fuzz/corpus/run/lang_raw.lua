-- Pins down rawequal, rawlen, rawget and rawset: they bypass every metamethod.
local mt = {
  __index = function() return "meta" end,
  __newindex = function() error("blocked") end,
  __len = function() return 99 end,
  __eq = function() return true end,
}
local t = setmetatable({1, 2, 3}, mt)
local u = setmetatable({}, mt)
print(t.x, rawget(t, "x"), rawget(t, 1), rawget(t, 4))
print(#t, rawlen(t), rawlen("hello"), rawlen(""))
print(t == u, rawequal(t, u), rawequal(t, t))
print(rawequal(1, 1.0), rawequal("a", "a"), rawequal(nil, nil), rawequal(0, -0))
rawset(t, "x", "raw")
print(t.x, rawget(t, "x"))
rawset(t, 1.0, "float key")
print(rawget(t, 1), rawget(t, 1.0))
print(pcall(function() t.y = 1 end) == false, rawget(t, "y"))
-- argument errors
print(pcall(rawget, "s", 1))
print(pcall(rawset, 1, 1, 1))
print(pcall(rawlen, 5))
print(pcall(rawequal, 1))
print(pcall(rawget, {}))
print(pcall(rawset, {}, 1))
-- rawset with nan key
print(pcall(rawset, {}, 0/0, 1))
-- rawget with nil key is fine
print(rawget({}, nil))
