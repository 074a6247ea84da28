-- Helper chunk for base_dofile.lua: contains a syntax error on line 3.
local ok = 1
local = 2
