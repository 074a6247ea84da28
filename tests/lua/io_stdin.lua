-- stdin: data/io/stdin_input.txt
-- Reading the standard input: io.read with formats, io.lines() on the default input, and
-- io.stdin's methods. The file named above is fed to both interpreters as stdin.
print(io.read())
print(io.read("n", "n"))
print(io.read("L"))
print(io.stdin:read(5))
print(io.read("l"))
local lines = {}
for l in io.lines() do
  lines[#lines + 1] = l
  if #lines == 2 then break end
end
print(table.concat(lines, "|"))
for a, b in io.stdin:lines(1, "l") do io.write(a, "/", b, " ") end
print()
print(io.read(), io.read("a"), io.read(0), io.read("n"))
print(io.type(io.stdin), io.stdin:close())
print(io.stdin:seek("set", 0) ~= nil)
print(io.read("l"))
