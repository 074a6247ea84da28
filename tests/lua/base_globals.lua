-- Pins down _G and the set of base library names present in the global table.
print(_G._G == _G, _G.print == print)
local names = {"assert", "collectgarbage", "dofile", "error", "getmetatable", "ipairs", "load",
  "loadfile", "next", "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset",
  "select", "setmetatable", "tonumber", "tostring", "type", "xpcall", "_G", "_VERSION"}
for _, n in ipairs(names) do
  io.write(n, "=", type(_G[n]), " ")
end
print()
local libs = {"coroutine", "debug", "io", "math", "os", "string", "table", "utf8"}
for _, n in ipairs(libs) do io.write(n, "=", type(_G[n]), " ") end
print()
-- removed 5.1-era names are absent
print(_G.unpack, _G.setfenv, _G.getfenv, _G.loadstring, _G.module, _G.gcinfo)
-- assigning through _G creates globals
_G.newname = 123
print(newname)
newname = nil
print(_G.newname)
-- _G can be indexed with computed names
local prefix = "pri"
print(_G[prefix .. "nt"] == print)
-- a global named like a keyword is reachable only via _G
_G["end"] = "keyword global"
print(_G["end"])
_G["end"] = nil
