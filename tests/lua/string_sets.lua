-- Pins down bracket sets (ranges, classes, complements, ']' and '-' placement, escapes),
-- balanced matches %b, and frontiers %f.
local function show(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end print(table.concat(t, " ")) end

local subject = "The Quick-Brown_fox 42! [x] {y} a-b ^c $d %e"
for _, set in ipairs({"[aeiou]", "[a-f]", "[A-Z]", "[^%s]", "[%d%p]", "[%a_]", "[^%a%s]",
                      "[]]", "[^]]", "[a-]", "[-a]", "[%-]", "[%]]", "[%[%]]", "[]x]", "[^^]",
                      "[%^]", "[$%%]", "[z-a]", "[---]", "[%a-]", "[a-%d]", "[.]", "[%.]", "[\0]"}) do
  local count = select(2, subject:gsub(set, ""))
  show(set, count, subject:match(set .. "+"), subject:find(set))
end

-- sets with repetition and captures
show(("2024-01-31"):match("^([0-9]+)%-([0-9][0-9])%-([0-9]+)$"))
show(("hex: DEADbeef!"):match("[%x]+", 5), ("abc"):match("[^abc]"), ("a]b"):match("[%]]"))
show(("word1 word2"):gsub("[%w]+", string.upper))
show(("a,b;;c"):gsub("[,;]+", "|"))
show(("\0\1\2abc"):gsub("[\0-\2]", "."))
show(("\200\201x"):gsub("[\128-\255]", "#"))
show(("AbC"):gsub("[A-Z]", function(c) return c:lower() end))

-- %b balanced
show(("f(a(b)c)d(e)"):match("%b()"))
show(("f(a(b)c)d(e)"):gsub("%b()", "[]"))
show(("if [[x]] then [y]"):match("%b[]"))
show(("{a{b}c"):match("%b{}"), ("{a{b}c}"):match("%b{}"))
show(("no parens"):match("%b()"), ("(("):match("%b()"), ("))"):match("%b()"))
show(("x <a <b> c> y"):match("%b<>"), ("xAyBz"):match("%bAB"), ("xAAyBBz"):match("%bAB"))
show(("''a''"):match("%b''"), ("aa"):match("%baa"), ("abba"):match("%bab"))
show(("(a)(b)(c)"):gsub("%b()", function(s) return #s end))
show(("f(x) + g(y, z)"):gsub("(%w+)(%b())", "%1<%2>"))

-- %f frontier
show(("THE (quick) fox"):find("%f[%a]%a+"))
show(("THE (quick) fox"):gsub("%f[%a]%a+", "W"))
show(("THE (quick) fox"):gsub("%f[%a]", "|"))
show(("THE (quick) fox"):gsub("%f[%A]", "|"))
show(("hello world"):gsub("%f[%w]%w+%f[%W]", "<%0>"))
show(("abc"):find("%f[%l]"), ("abc"):find("%f[%L]"), ("abc"):find("%f[%z]"))
show(("aaa bbb"):find("%f[b]"), ("xxx"):find("%f[x]", 2))
show(("foo.bar,baz"):gsub("%f[%w]%w+", string.upper))
show((" x"):match("%f[%S].*"), ("x"):match("%f[^\0]x"))
