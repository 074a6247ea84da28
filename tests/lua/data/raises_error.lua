-- Helper chunk for base_dofile.lua: raises an error on its third line.
local x = 1
error("raised from data file")
