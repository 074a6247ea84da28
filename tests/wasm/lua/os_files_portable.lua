-- os_files.lua without what needs a shell (os.execute): tmpname, remove, rename, getenv and
-- setlocale, compared between the native and the WebAssembly build by corpus.test.mjs.
local function try(f, ...)
  print(pcall(f, ...))
end

local name = os.tmpname()
print(type(name), #name > 0)
local f = io.open(name)  -- tmpname creates the file
print(io.type(f))
f:close()
local other = os.tmpname()
print(other ~= name)

-- rename
print(os.rename(name, other))
print(io.open(name) == nil, io.type(io.open(other)))
local r1, r2, r3 = os.rename(name, other)
print(r1, r2, r3)
print(os.rename("/nonexistent-dir/a", "/nonexistent-dir/b"))

-- remove
print(os.remove(other))
local m1, m2, m3 = os.remove(other)
print(m1, m2 == other .. ": No such file or directory", m3)
print(os.remove("no-such-file-here.txt"))
print(os.remove("/nonexistent-dir/x.txt"))
try(os.remove)
try(os.remove, {})
try(os.rename, "a")
try(os.rename)

-- getenv
print(type(os.getenv("PATH")), os.getenv("LUNETTE_SURELY_UNSET_VARIABLE"))
print(os.getenv(""))
try(os.getenv)
try(os.getenv, {})


-- setlocale: only queries and the C locale, which every system has
print(os.setlocale(), os.setlocale(nil, "numeric"), os.setlocale("C"), os.setlocale("C", "time"))
print(os.setlocale("no_SUCH.locale"), os.setlocale("no_SUCH.locale", "ctype"))
for _, cat in ipairs({"all", "collate", "ctype", "monetary", "numeric", "time"}) do
  io.write(cat, "=", tostring(os.setlocale(nil, cat)), " ")
end
print()
try(os.setlocale, nil, "bad")
try(os.setlocale, {})
print(1.5, tostring(2.25), string.format("%.3f", 0.5))
