-- stdin: data/input_lines.txt
-- Pins down the test runner's stdin directive: the script reads the named file as its stdin.
local n = 0
for line in io.lines() do
  n = n + 1
  print(n, #line, line)
end
print("lines", n)
print(io.read("l"))
