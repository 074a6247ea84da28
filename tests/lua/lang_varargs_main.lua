-- args: one 2 three 4.5
-- Pins down the main chunk's ... and the global arg table given command-line arguments.
print(select("#", ...))
print(...)
local a, b = ...
print(a, b, math.type(b), type(b))
print(#arg, arg[1], arg[2], arg[3], arg[4], arg[5])
print(arg[0])
local t = {...}
print(#t, t[#t])
