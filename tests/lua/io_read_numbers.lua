-- io.read("n"): the numeral reader (signs, hex, exponents, partial numerals, the 200-character
-- limit, integer overflow to float) on data files next to this script.
-- difftest.sh runs scripts from their own directory.
local data = "data/io/"
local function typed(v)
  return tostring(v) .. (math.type(v) and (":" .. math.type(v)) or "")
end

local f = assert(io.open(data .. "numbers.txt"))
local first = {}
for i = 1, 10 do first[i] = typed(f:read("n")) end
print(table.concat(first, " "))
print(typed(f:read("n")), f:read("l"))          -- "12" then the rest "abc"
print(typed(f:read("n")), f:read("l"))          -- whitespace, tabs and newlines are skipped
print(f:read("n"), f:read("l"))                 -- "-" alone is not a number; " 1" remains
print(f:read("n"), f:read("l"))                 -- "nan" is not a numeral
print(f:read("n"), f:read("l"))                 -- "0x" is consumed but invalid
print(f:read("n"), f:read("l"))                 -- "1e+" likewise
print(typed(f:read("n")))                       -- too big for an integer: a float
print(typed(f:read("n")), typed(f:read("n")), typed(f:read("n")))
print(typed(f:read("n")), f:read(1), typed(f:read("n")))
print(f:read("n"), f:read("a"))                 -- end of file
print(f:read("n", "n"))
f:close()

-- several formats stop at the first failure
f = assert(io.open(data .. "numbers.txt"))
print(f:read("n", "n", "l", "n"))
print(f:read("n", "n", "n"))
print(f:read("l"))
f:close()

-- numerals longer than 200 characters fail, and what was not consumed stays in the file
f = assert(io.open(data .. "long_numerals.txt"))
print(typed(f:read("n")))
print(f:read("n"), #f:read("l"))
print(typed(f:read("n")))
print(f:read("n"), #f:read("l"))
f:close()
