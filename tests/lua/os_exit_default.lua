-- os.exit() with no arguments exits successfully without closing the state (so no finalizer
-- output), after flushing what was written.
local keep = setmetatable({}, {__gc = function() print("finalizer must not run") end})
io.write("no newline at the end")
os.exit()
