-- Variable names in error messages are printed as the reference's C "%s" prints them: up to
-- the first NUL byte (found by tests/diff: a string constant with a NUL in a bitwise operation).
print(pcall(function() return ("\0nul") & 1 end))
print(pcall(function() local t = {} return t["a\0b"].x end))
print(pcall(function() local t = {} t["f\0g"]() end))
print(pcall(function() return _G["g\0h"] + 1 end))
