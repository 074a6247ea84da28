-- An uncaught error whose object's __tostring fails too: the standalone reports that second
-- error and exits with status 1 (lunette used to abort: the fuzzer found it).
print("start")
local obj = setmetatable({}, {__tostring = function() return undefined_function() end})
do
  local c <close> = setmetatable({}, {__close = function() print("closed") end})
  error(obj)
end
