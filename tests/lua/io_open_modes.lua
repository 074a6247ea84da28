-- io.open: valid and invalid modes, failures as nil + "name: message" + errno, io.type and
-- tostring of open and closed handles.
local function try(f, ...)
  print(pcall(f, ...))
end
local name = os.tmpname()

for _, mode in ipairs({"r", "w", "a", "r+", "w+", "a+", "rb", "wb", "ab", "r+b", "w+b", "a+b",
                       "rbb", "r+bb"}) do
  local f, err = io.open(name, mode)
  io.write(mode, "=", io.type(f) or tostring(err), " ")
  if f then f:close() end
end
print()
for _, mode in ipairs({"", "x", "rw", "+", "+r", "br", "r+x", "rb+", "wa", "r ", " r", "rt"}) do
  local ok, err = pcall(io.open, name, mode)
  io.write(string.format("%q", mode), "=", tostring(ok), ":", err, "\n")
end
print(io.type(io.open(name, "r\0garbage")))  -- the mode is read as a C string
try(io.open, name, {})
try(io.open)
try(io.open, {})
print(pcall(function() return io.open(name, "z") end))

-- failures are values
print(io.open("/nonexistent-dir/file.txt"))
print(io.open("/nonexistent-dir/file.txt", "w"))
print(io.open("/", "w"))
local fail = table.pack(io.open("no-such-file-in-cwd.txt"))
print(fail.n, fail[1], fail[2], fail[3])

-- io.type and __tostring
local f = assert(io.open(name, "w"))
print(io.type(f), tostring(f):match("^file %(0x%x+%)$") ~= nil, tostring(f) == tostring(f))
print(f:close())
print(io.type(f), tostring(f))
print(io.type(io.stdout), io.type(io.stdin), io.type(io.stderr))
print(io.type(nil), io.type(42), io.type({}), io.type("file"), io.type(print))
try(io.type)
print(getmetatable(f).__name, type(getmetatable(f).__index), getmetatable(f) == getmetatable(io.stdout))
local methods = {}
for k in pairs(getmetatable(f).__index) do methods[#methods + 1] = k end
table.sort(methods)
print(table.concat(methods, " "))
local metas = {}
for k in pairs(getmetatable(f)) do metas[#metas + 1] = k end
table.sort(metas)
print(table.concat(metas, " "))

-- closed handles
try(f.close, f)
try(f.read, f)
try(f.write, f, "x")
try(f.lines, f)
try(f.seek, f)
try(f.flush, f)
try(f.setvbuf, f, "no")
print(pcall(function() return f:read() end))
-- methods on things that are not files
try(f.read, {})
try(f.close, 42)
try(getmetatable(f).__tostring, {})
print(pcall(function() return io.stdout.write({}, "x") end))

os.remove(name)
