-- Pins down os.exit(3): the exit status is 3 and pending stdout is flushed before exiting.
print("line one")
io.write("no newline before exit")
do
  local c <close> = setmetatable({}, {__close = function() print("not closed: no close=true") end})
  os.exit(3)
end
print("never printed")
