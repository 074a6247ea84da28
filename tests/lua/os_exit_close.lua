-- os.exit(true, true) closes the state before exiting: pending to-be-closed variables are
-- closed and finalizers run, then the status is EXIT_SUCCESS.
local keep = setmetatable({}, {__gc = function() print("finalizer ran") end})
local function main()
  local guard <close> = setmetatable({}, {__close = function() print("closed guard") end})
  print("in main")
  os.exit(true, true)
end
main()
print("not reached")
