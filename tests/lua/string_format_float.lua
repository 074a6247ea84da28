-- Pins down string.format's float conversions %f %e %E %g %G %a %A: flags, widths, precisions,
-- integers converted to floats, huge values, infinities and NaN.
local values = {0.0, -0.0, 1, 0.5, -2.25, 3.14159265358979, 1e10, 1.5e-7, 123456789.125, 2^53,
                1e300, -1e-300, 1/3, 100, "2.5", 0.1}
local specs = {"%f", "%.0f", "%.2f", "%10.3f", "%-10.1f|", "%+.1f", "% .1f", "%010.2f", "%#.0f",
               "%e", "%.0e", "%.3e", "%E", "%+12.4E", "%-12.2e|", "%#.0e",
               "%g", "%.0g", "%.3g", "%.10g", "%G", "%#g", "%+g", "% g", "%12g", "%-12g|", "%012g",
               "%a", "%A", "%.2a", "%+a", "%#a", "%20a", "%-20.1a|", "%020a"}
for _, spec in ipairs(specs) do
  local out = {}
  for i, v in ipairs(values) do out[i] = string.format(spec, v) end
  print(spec, table.concat(out, ";"))
end

-- non-finite values
for _, spec in ipairs({"%f", "%e", "%g", "%a", "%10.2f", "%-8g|", "%+f", "%05f", "%G", "%A"}) do
  print(spec, string.format(spec, 1/0), string.format(spec, -1/0), string.format(spec, -(0/0)))
end

-- the widest items
print(#string.format("%99.99f", 1e308), #string.format("%.99f", -1e308), #string.format("%99.99e", 1.0))
print(string.format("%.99f", 0.1))
print(string.format("%.14g", math.pi), string.format("%.17g", 0.1), string.format("%5.1f|%-5.1f|", 9.96, 9.96))
print(string.format("%.3f", 2.0005), string.format("%.2f", 0.125), string.format("%.0f", 0.5), string.format("%.0f", 1.5))
print(string.format("%g", 100000), string.format("%g", 1000000), string.format("%g", 1e-4), string.format("%g", 1e-5))
print(string.format("%f", math.maxinteger), string.format("%f", math.mininteger), string.format("%e", 3))
print(string.format("%a", 1), string.format("%a", 0.1), string.format("%a", -0.0), string.format("%a", 2^-1074))
print(string.format("%a", math.maxinteger), string.format("%A", 1e308), string.format("%.0a", 1.5))
