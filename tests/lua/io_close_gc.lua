-- Handles are closed by to-be-closed variables, by the collector, and explicitly; data written
-- before closing is flushed to the file.
local name = os.tmpname()

do
  local f <close> = assert(io.open(name, "w"))
  f:write("closed by <close>")
end
local r = assert(io.open(name))
print(r:read("a"))
r:close()

-- leaving a scope by an error still closes the file
local keep
local ok, err = pcall(function()
  local f <close> = assert(io.open(name, "w"))
  keep = f
  f:write("closed on error")
  error("boom")
end)
print(ok, err, io.type(keep))
r = assert(io.open(name))
print(r:read("a"))
r:close()

-- an unreachable open file is closed (and flushed) by the collector
do
  local f = assert(io.open(name, "w"))
  f:write("closed by the collector")
end
collectgarbage()
collectgarbage()
r = assert(io.open(name))
print(r:read("a"))
r:close()

-- __gc and __close on an already closed handle do nothing
local c = assert(io.open(name))
c:close()
local mt = getmetatable(c)
print(mt.__gc(c), mt.__close(c), io.type(c))
-- on a standard handle they keep it open
mt.__gc(io.stdout)
mt.__close(io.stdout)
print(io.type(io.stdout))
io.write("stdout still works\n")

-- many files opened and dropped do not run out of descriptors
for i = 1, 3000 do
  local f = assert(io.open(name))
  if i % 500 == 0 then collectgarbage() end
end
print("opened 3000 files")
os.remove(name)
