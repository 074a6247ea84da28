-- os.exit(false) ends the process with EXIT_FAILURE; nothing after it runs.
print("exiting with false")
local ok = pcall(os.exit, false)
print("not reached", ok)
