-- Pins down string.gmatch: captures, whole matches, empty matches (never twice at one end),
-- the init argument, '^' as a literal, and iterators that outlive their arguments.
local function collect(s, p, init)
  local out = {}
  for a, b, c in string.gmatch(s, p, init) do
    out[#out + 1] = tostring(a) .. (b and ("," .. tostring(b)) or "") .. (c and ("," .. tostring(c)) or "")
  end
  return #out .. ": " .. table.concat(out, " | ")
end

print(collect("hello world from lua", "%a+"))
print(collect("k1=v1, k2=v2, k3=", "(%w+)=(%w*)"))
print(collect("abc", ""))
print(collect("abc", ".-"))
print(collect("abc", "x*"))
print(collect("a,b,,c", "([^,]*)"))
print(collect("a,b,,c,", "([^,]*)"))
print(collect("aaa", "a*"))
print(collect("baaac", "a*"))
print(collect("hello", "()ll()"))
print(collect("hello", "()"))
print(collect("one two  three", "%S+"))
print(collect("  ", "%s*"))
print(collect("", ""))
print(collect("", "a"))
print(collect("^a^a", "^a"))
print(collect("a^a", "^"))
print(collect("abab", "b", 3))
print(collect("abab", "b", -1))
print(collect("abab", "b", -100))
print(collect("abab", "", 4))
print(collect("abab", "", 5))
print(collect("abab", "", 6))
print(collect("abab", "", 100))
print(collect("abab", "ab$"))
print(collect("a1b2c3", "(%a)(%d)"))
print(collect("(a)(b)", "%b()"))
print(collect("THE (quick) fox", "%f[%a]%a+"))
print(collect(123.5, "%d"))
print(collect("x=1 y=22 z=333", "(%a)=(%d+)"))
print(collect("aXbXc", "[^X]+"))
print(collect("line1\nline2\n\nline4", "([^\n]*)\n?"))

-- the iterator keeps its state between calls and ends for good
local it = ("a b c"):gmatch("%a")
print(it(), it(), it(), it(), it())

-- the iterator holds its subject and pattern even when nothing else does
local function make() return string.gmatch(string.rep("xy", 3), "(x)(y)") end
local iter = make()
collectgarbage()
print(iter())
print(select("#", iter()), iter())

-- errors surface when iterating, not when creating
local ok, err = pcall(string.gmatch, "abc", "(")
print(ok, type(err))
print(pcall(err))
print(pcall(string.gmatch("abc", "%"), nil))
print(pcall(string.gmatch("abc", "[a"), nil))
print(pcall(string.gmatch, nil, "x"))
print(pcall(string.gmatch, "x"))
print(pcall(string.gmatch, "x", "x", "y"))
