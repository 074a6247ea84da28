-- Pins down comments and whitespace: line comments, long comments, shebang and odd spacing.
local x = 1 -- trailing comment
--[[ block
comment ]] local y = 2
--[==[ level 2 ]==] local z = 3
print(x, y, z)
print(1--[[inline]]+--[[more]]2)
local t = {1, --[[ in a table ]] 2; 3}
print(#t)
-- comment at end without newline is fine in load
print(load("return 7 -- comment")())
print(load("return 8 --[[ c ]]")())
-- shebang line is only skipped by the standalone interpreter / loadfile, not by load
print((load("#!/bin/lua\nreturn 1")))
-- form feeds, vertical tabs, carriage returns are whitespace
print(load("return\f1\v+\r2\t")())
-- line counting with \r\n, \n\r, \r
local f = load("\r\n\n\rerror('line')", "=lines")
print(pcall(f))
local g = load("\n\n\n\nerror('five')", "=lines")
print(pcall(g))
local h = load("--[[\n\n]]error('three')", "=lines")
print(pcall(h))
