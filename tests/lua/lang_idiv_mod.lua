-- Pins down // and % on integers and floats of every sign, and division by zero.
local vals = {7, -7, 7.5, -7.5, 0, 3.0}
local divs = {3, -3, 2.0, -2.0, 0.5}
for _, a in ipairs(vals) do
  local row = {}
  for _, b in ipairs(divs) do
    row[#row + 1] = tostring(a // b) .. "|" .. tostring(a % b)
  end
  print(a, table.concat(row, " "))
end
-- identity a == (a // b) * b + a % b for integers
for _, a in ipairs({13, -13, 0, 1, -1}) do
  for _, b in ipairs({4, -4, 1, -1, 13}) do
    assert(a == (a // b) * b + a % b)
  end
end
print("identity holds")
-- integer division/modulo by zero raise errors
print(pcall(function() return 1 // 0 end))
print(pcall(function() return 1 % 0 end))
print(pcall(function() local z = 0; return 5 // z end))
print(pcall(function() local z = 0; return 5 % z end))
-- float division by zero does not
print(1 // 0.0, -1 // 0.0, 0 // 0.0 ~= 0 // 0.0)
print(1 % 0.0 ~= 1 % 0.0, 1.0 // 0, 1.0 % 0 ~= 1.0 % 0)
print(1 / 0, -1 / 0, 0 / 0 ~= 0 / 0)
-- modulo with infinities
print(5 % math.huge, -5 % math.huge, 5 % -math.huge, -5 % -math.huge)
print(5.5 % math.huge, math.huge % 5 ~= math.huge % 5)
-- float modulo sign follows divisor
print(-0.5 % 1, 0.5 % -1, 5.3 % 2, -5.3 % 2)
print(3 % -2, -3 % 2, 3.0 % -2, -3.0 % 2)
-- -0.0 results
print(0.0 // 1, -0.0 // 1, 0 % -2.0, -0.0 % 2)
-- mininteger edge cases
print(math.mininteger // -1, math.mininteger % -1, math.mininteger // 1)
print(math.maxinteger // math.maxinteger, math.mininteger // math.maxinteger)
print(7 // 0.5, 7 % 0.5, -7 // 0.5)
-- string operands are converted
print("7" // 2, "7" % "2", "7.5" // 1, 7 // "2.0")
