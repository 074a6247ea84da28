-- The default input and output: io.input/io.output with names and handles, io.read, io.write,
-- io.lines(), io.close(), io.flush, the standard handles, and the closed-default errors.
local function try(f, ...)
  print(pcall(f, ...))
end
local name = os.tmpname()
local stdout, stdin = io.output(), io.input()
print(stdout == io.stdout, stdin == io.stdin, io.type(stdout))

-- io.write returns the default output and goes to the same stream as print
print(io.write("written ", 1, " ", 2.0, " ", -0.0, " ", 1e15, " ", 1e16, " ", 0.1, "\n") == io.stdout)
io.stdout:write("via stdout method\n")
print(io.stdout:write("") == io.stdout, io.flush(), io.stdout:flush())
io.write()
try(io.write, {})
try(io.write, "ok ", nil)
print()

-- redirect the default output to a file by name
print(io.output(name) ~= stdout, io.type(io.output()))
io.write("line 1\n", 2, "\n")
print("print still goes to stdout")
print(io.close())  -- closes the default output (the file)
try(io.write, "x")
try(io.flush)
print(io.type(io.output()))
io.output(stdout)
print(io.output() == io.stdout)

-- the default input by name and by handle
print(io.input(name) ~= stdin, io.type(io.input()))
print(io.read())
print(io.read("n"), io.read("L"), io.read("a"))
print(io.read(), io.read("a"), io.read(0))
local lines = {}
io.input(name)
for l in io.lines() do lines[#lines + 1] = l end
print(#lines, lines[1], lines[2], io.type(io.input()))  -- io.lines() leaves it open
io.input():close()
try(io.read)
try(io.lines)
local h = assert(io.open(name))
print(io.input(h) == h, io.read("l"))
h:close()
try(io.read)
io.input(stdin)

-- io.output with a handle, a number name and bad values
local out = assert(io.open(name, "w"))
print(io.output(out) == out)
io.write("into handle")
out:close()
try(io.write, "x")
io.output(io.stdout)
try(io.output, {})
try(io.input, 42)
try(io.input, true)
local closed = assert(io.open(name))
closed:close()
try(io.input, closed)
try(io.output, closed)
print(io.input(nil) == io.stdin, io.output(nil) == io.stdout)
print(pcall(function() return io.input("/nonexistent-dir/in.txt") end))
print(pcall(io.output, "/nonexistent-dir/out.txt"))

-- standard handles cannot be closed
print(io.stdout:close())
print(io.stderr:close())
print(io.stdin:close())
print(io.close(io.stdout))
print(io.type(io.stdout), io.type(io.stderr))
io.stderr:write("")  -- stderr is not part of the compared output
print(io.stderr:write("") == io.stderr)

-- io.close without arguments when the default output is stdout
print(io.close())
print(io.write("still open\n") == io.stdout)
os.remove(name)
