-- Pins down every pattern error message, through each function that matches, where the error
-- is raised (lazily, only when the matcher reaches the bad part), the capture limits, and the
-- recursion bound: deep backtracking raises "pattern too complex" instead of crashing.
local function e(...) print(select(2, pcall(...))) end

local bad = {"%", "a%", "[a", "[a%", "[^", "[", "[]", "%f", "%fx", "%f[a", "%b", "%bx", "%1",
             "(a%1)", "%0", "(()%2)", "a)", ")", "(a", "((a)", "(()", "%g%", "x[%]"}
for _, p in ipairs(bad) do
  local r1 = select(2, pcall(string.find, "xa", p))
  local r2 = select(2, pcall(string.match, "xa", p))
  local r3 = select(2, pcall(string.gsub, "xa", p, "r"))
  local r4 = select(2, pcall(function() for _ in string.gmatch("xa", p) do end return "ok" end))
  print(p, r1, r2, r3, r4)
end

-- errors are lazy: a malformed tail is never reached when the head fails
print(string.find("b", "a%"), string.match("b", "a[x"), string.find("b", "a(", 1))
print(pcall(string.find, "a", "a%"))
print(string.find("abc", "%bxy"), pcall(string.find, "abc", "a%b"))

-- captures: up to 32; one more is an error
print(select("#", string.match("x", string.rep("()", 32))))
e(string.match, "x", string.rep("()", 33))
e(string.match, "x", string.rep("(", 33) .. "x" .. string.rep(")", 33))
print(select("#", string.match(string.rep("a", 32), string.rep("(a)", 32))))

-- back-references to open or missing captures
e(string.find, "aa", "(a%1)")
e(string.find, "aa", "(a)%2")
e(string.gsub, "aa", "(a)", "%2")
e(string.gsub, "aa", "a", "%2")
print(string.gsub("aa", "a", "%1"))

-- the recursion bound (200 levels, like the reference)
e(string.find, string.rep("a", 300), string.rep("a?", 300))
e(string.match, string.rep("a", 250), string.rep("(a)?", 30) .. string.rep("a?", 200))
print(#string.match(string.rep("a", 300), string.rep("a?", 150)))
print(string.find(string.rep("a", 2000), ".-b"))
print(#string.match(string.rep("a", 100000), "a*"))
print(#string.match(string.rep("ab", 50000), "[ab]*"))
print(string.find(string.rep("a", 10000) .. "b", "a-b"))
e(string.gsub, string.rep("a", 500), string.rep("a?", 250), "")
local ok, msg = pcall(string.rep("x?", 400).find, string.rep("x", 400), string.rep("x?", 400))
print(ok, msg)

-- errors from Lua code carry the caller's position
print(pcall(function() return ("x"):find("%") end))
print(pcall(function() return ("x"):gsub("x", "%9") end))
print(pcall(function() return string.match("x", "[") end))

-- the exact depth at which each construct gives up matches the reference
local function limit(make)
  for n = 190, 210 do
    if not pcall(make, n) then return n end
  end
  return "none"
end
print(limit(function(n) return string.find(string.rep("a", n), string.rep("a?", n)) end))
print(limit(function(n) return string.find(string.rep("a", n), string.rep("a-", n) .. "$") end))
print(limit(function(n) return string.match(string.rep("a", n), string.rep("()a", 30) .. string.rep("a?", n - 30)) end))
print(limit(function(n) return string.gsub(string.rep("ab", n), string.rep("%w?", n), "") end))
print(limit(function(n) return string.find(string.rep("ab", n), string.rep("(.)", 16) .. string.rep("a?b?", n)) end))
print(limit(function(n) return string.find(string.rep("a", n) .. "b", string.rep("a*", n // 50) .. "b") end))
