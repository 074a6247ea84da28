-- Pins down string.format's errors: invalid conversions and specifications, length limits,
-- missing values, argument type errors, and which error wins when an item is doubly wrong.
local function e(...) print(select(2, pcall(string.format, ...))) end

-- conversions the reference does not accept
for _, spec in ipairs({"%y", "%F", "%n", "%l", "%ll", "%h", "%L", "%z", "%j", "%t", "%b", "%C",
                       "%S", "%D", "%U", "%O", "%Q", "%P", "%10.3y", "%-y", "%1.", "%.", "%5"}) do
  e(spec, 1)
end
e("abc%", 1)
e("%\0d", 1)

-- flags each conversion refuses, and widths or precisions that are too long
for _, spec in ipairs({"%#d", "%#i", "%+u", "% u", "%#u", "%+x", "% X", "%+o", "% o", "%+c", "%#c",
                       "% c", "%0c", "%05c", "%.3c", "%+s", "%#s", "% s", "%05s", "%+p", "%#p",
                       "%0p", "%.1p", "%123d", "%.123d", "%1.123f", "%0.0.0d", "%5-d", "%-0-0-5d",
                       "%00005d", "%0.5d", "%100f", "%.100f", "%+ #0f"}) do
  local ok, r = pcall(string.format, spec, 1)
  print(spec, ok, r)
end

-- %q takes no modifiers
e("%5q", "x")
e("%-q", "x")
e("%.1q", "x")
e("%0q", 1)

-- specification length
e("%" .. string.rep("-", 21) .. "d", 1)
print(pcall(string.format, "%" .. string.rep("-", 20) .. "d", 1))
e("%" .. string.rep("0", 25) .. "d", 1)
e("%" .. string.rep("1", 30) .. "y", 1)

-- missing values
e("%d")
e("%d %d", 1)
e("%s %s %s", 1, 2)
e("%y")
e("%5.2q")
e("%%%d")
print(pcall(string.format, "%%", 1))

-- argument types
e("%d", 1.5)
e("%d", "1.5")
e("%d", "x")
e("%d", {})
e("%d", nil)
e("%x", 2^63)
e("%c", 1.5)
e("%c", "x")
e("%f", "x")
e("%a", {})
e("%g", nil)
e("%e", true)
e("%q", {})
e("%q", print)
e("%q", coroutine.create(function() end))
e("%10s", "a\0b")
e("%.5s", "\0")
e()
e(nil)
e({})

-- the order of checks when an item is both misspelled and given a bad argument
e("%#d", "x")
e("%+x", {})
e("%#c", "x")
e("%.3c", nil)
e("%#a", "x")
e("%+.3a", "x")
e("%.123f", "x")
e("%.123a", "x")
e("%#5.1s", "a\0b")
e("%#5.1s", "ab")
e("%.1p", 1)
e("%y", "x")

-- through a Lua caller the message carries its position and the short name
print(pcall(function() return string.format("%d", 1.5) end))
print(pcall(function() return ("%y"):format(1) end))
print(pcall(function() return ("%d"):format() end))
