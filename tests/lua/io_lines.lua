-- io.lines and file:lines: formats, closing at the end, the "file is already closed" error,
-- and reading data files with CRLF line ends and no final newline.
-- difftest.sh runs scripts from their own directory.
local data = "data/io/"
local function try(f, ...)
  print(pcall(f, ...))
end
local function quote(s)
  return s and string.format("%q", s) or "nil"
end

for l in io.lines(data .. "lines.txt") do io.write("[", l, "]") end
print()
for l in io.lines(data .. "lines.txt", "L") do io.write(quote(l), " ") end
print()
for a, b in io.lines(data .. "lines.txt", 1, "l") do io.write(quote(a), "+", quote(b), " ") end
print()
for c in io.lines(data .. "lines.txt", 4) do io.write(quote(c), " ") end
print()
for l in io.lines(data .. "crlf_no_final_newline.txt") do io.write(quote(l), " ") end
print()
for l in io.lines(data .. "crlf_no_final_newline.txt", "L") do io.write(quote(l), " ") end
print()
for n in io.lines(data .. "numbers.txt", "n") do io.write(tostring(n), " ") end
print()
local all = {}
for a in io.lines(data .. "lines.txt", "a") do
  all[#all + 1] = quote(a)
  if #all == 3 then break end  -- "a" never fails: it returns "" at end of file
end
print(table.concat(all, " "))

-- io.lines returns four values: the iterator, two nils and the file (closed by the for loop)
local it, s, c, file = io.lines(data .. "lines.txt")
print(type(it), s, c, io.type(file))
print(it(), it(), it(), it())
print(it(), io.type(file))  -- end of file closes it
try(it)
local it2, _, _, file2 = io.lines(data .. "lines.txt")
for l in it2, nil, nil, file2 do break end
print(io.type(file2))  -- closed when the loop was left by break

-- file:lines keeps the file open
local f = assert(io.open(data .. "lines.txt"))
for l in f:lines() do io.write(l, ";") end
print()
print(io.type(f), f:read("a"), f:seek("set"))
local count = 0
for a, b in f:lines("l", "n") do count = count + 1 io.write(quote(a), ",", tostring(b), " ") end
print(count)
local iter = f:lines()
f:close()
try(iter)
try(f.lines, f)

-- errors
try(io.lines, "/nonexistent/file.txt")
print(type(io.lines(data .. "lines.txt", "x")))  -- formats are checked when reading
try(function() for l in io.lines(data .. "lines.txt", "x") do end end)
try(io.lines, {})
local many = {}
for i = 1, 251 do many[i] = "l" end
try(io.lines, data .. "lines.txt", table.unpack(many))
print(select("#", io.lines(data .. "lines.txt", table.unpack(many, 1, 250))))
print(pcall(function() return io.lines("/nonexistent/file.txt") end))

-- a read error inside the iterator is raised
local wname = os.tmpname()
local w = assert(io.open(wname, "w"))
try(w:lines())
w:close()
os.remove(wname)
