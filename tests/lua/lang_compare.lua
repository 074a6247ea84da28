-- Pins down comparisons: int vs float exactness, nan, large values, strings and mixed-type errors.
local max, min = math.maxinteger, math.mininteger
print(1 == 1.0, 1 < 1.5, 2 > 1.5, 1 <= 1.0, -0.0 == 0)
print(max == 2^63, max < 2^63, max <= 2^63, max + 0.0 == 2^63)
print(min == -2^63, min <= -2^63, min < -2^63, min > -2^63)
print(max - 1 < max + 0.0, max > 2^62)
print(2^53 == 2^53 + 1, (1 << 53) + 1 == 2^53, (1 << 53) + 1 > 2^53, (1 << 53) + 1 < 2^53 + 2)
local nan = 0/0
print(nan == nan, nan ~= nan, nan < nan, nan <= nan, nan > 1, nan < 1, 1 <= nan)
print(max < math.huge, min > -math.huge, 1 < 1/0, -1/0 < min)
print(3 < 3.5, 3 < 2.5, -3 < -2.5, 3.5 > 3, 4 >= 4.0, 4 > 4.0)
print(max < 9.3e18, max > 9.2e18, min < -9.3e18, min > -9.2e18)
-- strings compare lexicographically (byte order for ASCII)
print("a" < "b", "a" < "ab", "" < "a", "Z" < "a", "10" < "9", "abc" == "abc")
print("a\0b" < "a\0c", "a\0" > "a", "a" <= "a", "b" >= "a")
-- equality never coerces
print(1 == "1", "1" == 1, 0 == false, nil == false, "" == false)
-- different types compare unequal without error
print({} == {}, print == print, "x" ~= nil)
local t = {}
print(t == t, t ~= {})
-- order between mixed types is an error
print(pcall(function() return 1 < "2" end))
print(pcall(function() return "1" < 2 end))
print(pcall(function() return {} < {} end))
print(pcall(function() return nil < 1 end))
print(pcall(function() return true <= false end))
print(pcall(function() return 1 >= nil end))
print(pcall(function() local a = {}; return a > 1 end))
-- chaining of not and comparisons
print(not (1 > 2), not nil == true, not 1 == nil)
