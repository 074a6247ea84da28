-- Pins down an uncaught error whose value has __tostring, and one raised from a __close handler.
print("start")
local obj = setmetatable({}, {__tostring = function() return "custom error object" end})
do
  local c <close> = setmetatable({}, {__close = function(_, e)
    print("closing with", tostring(e))
  end})
  error(obj)
end
