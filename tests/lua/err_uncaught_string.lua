-- Pins down an uncaught error() with a string: stdout so far is kept and the exit status is 1.
print("before the error")
local function fail() error("fatal problem") end
io.write("partial line without newline")
fail()
print("never printed")
