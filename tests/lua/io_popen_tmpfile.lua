-- io.tmpfile and io.popen: anonymous files, pipes in both directions, exit statuses on close.
local function try(f, ...)
  print(pcall(f, ...))
end

local t = io.tmpfile()
print(io.type(t))
print(t:write("hello\n", 42, "\n") == t, t:seek("cur"))
print(t:seek("set"))
print(t:read("l", "n"))
print(t:read("a"))
print(t:close(), io.type(t))

-- reading from a command
local p = io.popen("echo hi; echo there")
print(io.type(p), p:read("l"), p:read("a"))
print(p:close())
print(io.popen("exit 3"):close())
print(io.popen("kill -9 $$"):close())
for l in io.popen("printf 'a\\nb\\nc'"):lines() do io.write("<", l, ">") end
print()
local numbers = io.popen("echo 1 2 3")
print(numbers:read("n", "n", "n"))
numbers:close()

-- writing to a command: its output is collected through a temporary file
local name = os.tmpname()
local w = io.popen("cat > " .. name, "w")
print(w:write("piped ", "text") == w)
print(w:close())
local f = io.open(name)
print(f:read("a"))
f:close()
os.remove(name)

-- errors
try(io.popen, "true", "rw")
try(io.popen, "true", "r+")
try(io.popen, "true", "")
try(io.popen)
try(io.popen, {})
local closed = io.popen("true")
closed:close()
try(closed.read, closed)
try(closed.close, closed)
print(tostring(closed))
