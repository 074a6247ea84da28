-- Pins down long brackets of every level: leading newline skipped, no escapes, nesting by level.
local s0 = [[abc]]
local s1 = [==[a]]b]=]c]==]
local s2 = [[
first line skipped newline]]
local s3 = [[

two newlines, one skipped]]
local s4 = [=[
[[nested]] ]] ]=]
local s5 = [[\n\t\x41 are not escapes]]
print(s0, #s0)
print(s1, #s1)
print(s2, #s2)
print(s3, #s3)
print(s4, #s4)
print(s5, #s5)
print([====[level four ]=] ]==] ]===] ]====])
print([[]] == "", #[[
]])
local s6 = "\r\n"
print(#[[
a
b]])
-- long strings with carriage returns normalise line endings
local f = load("return [[a\r\nb\n\rc\r\rd]]")
local r = f()
print(#r, (r:gsub("\n", "N")))
local g = load("return [[\r\nx]]")
print(#g(), g())
-- levels up to many equals
local eq = string.rep("=", 30)
local src = "return [" .. eq .. "[deep]" .. eq .. "]"
print(load(src)())
-- long comments
--[[ a long
comment ]] print("after long comment")
--[==[ another
]] still comment ]==] print("after level-2 comment")
---[[ this is a line comment
print("line comment trick")
--]]
-- errors
print(select(2, load("return [[unfinished", "=ls")))
print(select(2, load("return [=[ x ]]", "=ls")))
print(select(2, load("return [=x", "=ls")))
print(select(2, load("--[[ unfinished comment", "=ls")))
