-- "global 'y'" only when the indexed table is the variable _ENV (the chunk's upvalue, a local
-- or an upvalue of that name); a table reached through a field or key called "_ENV" is an
-- ordinary table: "field 'y'" (5.4.4 said "global 'y'").
print(pcall(function() local a = {_ENV = {}}; return a._ENV.y + 1 end))
print(pcall(function() local a = {_ENV = {}}; return a["_ENV"].y + 1 end))
print(pcall(function() local a = {_ENV = {}}; return a._ENV.y.z end))
print(pcall(function() local a = {_ENV = {}}; a._ENV.f() end))
-- still "global": the real thing
print(pcall(function() return y + 1 end))
print(pcall(function() local _ENV = {}; return y + 1 end))
local function closesOverEnv() local _ENV = {}; return function() return y + 1 end end
print(pcall(closesOverEnv()))
print(pcall(function() undefinedFunction() end))
-- and "field" as before
print(pcall(function() local e = _ENV; return e.y + 1 end))
print(pcall(function() local _ENV = {x = {}}; return x.y + 1 end))
