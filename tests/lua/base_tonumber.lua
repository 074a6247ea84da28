-- Pins down tonumber without a base: numerals, hex, hex floats, spaces, and failures.
local cases = {
  "10", "  10  ", "10.5", "-10", "+10", "0x10", "-0x10", "0X1F", "0x1p4", "0x1P-1", "0x.8",
  "1e2", "1E+2", "1e-2", ".5", "5.", "0x", "1e", "abc", "", " ", "1 2", "10a", "0x1g",
  "inf", "nan", "-inf", "1e500", "-1e500", "9223372036854775807", "9223372036854775808",
  "-9223372036854775808", "-9223372036854775809", "0xffffffffffffffff", "0x1ffffffffffffffff",
  "\t\n10\r\v\f", "1\0", "0x7fffffffffffffff", "00012", "1..2", "- 1", "--1", "0x-1",
}
for _, s in ipairs(cases) do
  local n = tonumber(s)
  print(string.format("%q", s), n, math.type(n))
end
-- numbers pass through unchanged
print(tonumber(42), tonumber(4.2), tonumber(-0.0), math.type(tonumber(3)), math.type(tonumber(3.0)))
-- non-strings and non-numbers give nil (fail)
print(tonumber(nil), tonumber(true), tonumber({}), tonumber(print))
print(select("#", tonumber("x")), select("#", tonumber(nil)))
