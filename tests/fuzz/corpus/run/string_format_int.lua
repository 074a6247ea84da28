-- Pins down string.format's integer conversions %d %i %u %c %x %X %o with every valid flag
-- combination, widths, precisions, and conversions from floats and strings.
local values = {0, 1, -1, 42, -42, 255, 65535, 2^31, math.maxinteger, math.mininteger, 7.0, "12", " 0x10 "}
local specs = {"%d", "%i", "%5d", "%-5d|", "%05d", "%+d", "% d", "%+5d", "%-+6d|", "% 05d", "%.3d",
               "%8.3d", "%-8.3d|", "%.0d", "%u", "%5u", "%-5u|", "%05u", "%x", "%X", "%#x", "%#X",
               "%08x", "%-8X|", "%#010x", "%.4x", "%o", "%#o", "%5o", "%-#5o|", "%#.3o", "%99d"}
for _, spec in ipairs(specs) do
  local out = {}
  for i, v in ipairs(values) do out[i] = string.format(spec, v) end
  print(spec, table.concat(out, ";"))
end

-- %c writes one byte; flags and width pad it
print(string.format("%c%c%c", 76, 117, 97), string.format("[%5c][%-5c]", 120, 121))
print(#string.format("%c", 0), string.format("%c", 0) == "\0", string.format("%c", 65.0), string.format("%c", "66"))
print(string.format("%c", 255) == "\255", string.format("%c", 256) == "\0", string.format("%c", -1) == "\255")

-- conversions next to text and each other
print(string.format("x=%d, y=%d, sum=%d", 3, 4, 3 + 4))
print(string.format("%d%%", 50), string.format("%%d"), string.format("%5.2d%%%-3d|", 1, 2))
print(string.format("%d %s %d", 1, "two", 3))
print(string.format("%x-%X-%o", 3735928559, 3735928559, 511))
print(string.format("%i", -0.0), string.format("%d", 2^53), string.format("%d", -2^63))
print(string.format("%5d|%-5d|%05d", -7, -7, -7))
print(string.format("%.20d", 1), string.format("%20.15d", -1))
