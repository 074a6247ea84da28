-- Pins down string.gsub: string replacements with %0-%9 and %%, table and function
-- replacements, false/nil keeping the match, the max count, the count result, anchors, empty
-- matches, and the replacement errors.
local function show(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end print(table.concat(t, " ")) end

-- string replacements
show(string.gsub("hello world", "o", "0"))
show(string.gsub("hello world", "(o)", "[%1]"))
show(string.gsub("hello world", "l+", "<%0>"))
show(string.gsub("hello world", "(%w+) (%w+)", "%2 %1"))
show(string.gsub("hello", "", "-"))
show(string.gsub("hello", "x*", "-"))
show(string.gsub("abc", ".-", "-"))
show(string.gsub("hello world", "%w+", "%0 %0", 1))
show(string.gsub("hello world", "o", "%%"))
show(string.gsub("hello world", "o", "100%%"))
show(string.gsub("abc", "b", "%1"))
show(string.gsub("abc", "()b()", "%1-%2"))
show(string.gsub("abc", "(b)", "%0%1%0"))
show(string.gsub("abc", "b", 42))
show(string.gsub("abc", "b", 4.5))
show(string.gsub(12345, 3, 0))
show(string.gsub("a.b.c", "%.", "/"))
show(string.gsub("a.b.c", ".", "/"))
show(string.gsub("", "", "x"))
show(string.gsub("", "a", "x"))
show(string.gsub("abc", "$", "!"))
show(string.gsub("abc", "^", "!"))
show(string.gsub("aaa", "^a", "b"))
show(string.gsub("aaa", "^a*", "b"))
show(string.gsub("abc", "^x", "!"))
show(string.gsub("a\0b\0c", "\0", "0"))
show(string.gsub("a\0b", "%z", "Z"))
show(string.gsub("abc", "%w", "%0\0") == "a\0b\0c\0")

-- the max count
for _, n in ipairs({-1, 0, 1, 2, 3, 10}) do show(n, string.gsub("a a a", "a", "b", n)) end
show(string.gsub("aaa", "a", "b", 2.0))
show(string.gsub("abc", "", "-", 2))

-- table replacements: the first capture (or the whole match) is the key
local t = {name = "Lua", version = "5.4", [3] = "three", yes = false}
show(string.gsub("$name $version $unknown", "%$(%w+)", t))
show(string.gsub("$name-$version", "%$(%w+)", t))
show(string.gsub("hello", "()l", t))
show(string.gsub("x yes y", "%w+", t))
show(string.gsub("abc", "%w", {a = 1, b = 2.5}))
show(string.gsub("abc", "%w", setmetatable({}, {__index = function(_, k) return k:upper() end})))

-- function replacements: called with the captures
show(string.gsub("hello world", "%w+", string.upper))
show(string.gsub("hello world", "(%w)(%w*)", function(a, b) return a:upper() .. b end))
show(string.gsub("abc", "%w", function(c) return c:byte() end))
show(string.gsub("abc", "%w", function(c) if c == "b" then return nil end return "#" end))
show(string.gsub("abc", "%w", function() return false end))
show(string.gsub("abc", "()", function(p) return p end))
show(string.gsub("a=1, b=2", "(%w+)=(%w+)", function(k, v) return v .. "=" .. k end))
local calls = {}
show(string.gsub("x1y22z", "%d+", function(d) calls[#calls + 1] = d end))
print(table.concat(calls, ","))
show(string.gsub("abc", ".", function(c) return c, "ignored" end))

-- a function replacement may itself use the string library
show(string.gsub("a b", "%a", function(c) return (string.gsub(c, "%a", "<%0>")) end))

-- errors
local function e(...) print(select(2, pcall(...))) end
e(string.gsub, "abc", "b", "%2")
e(string.gsub, "abc", "(b)", "%2")
e(string.gsub, "abc", "b", "%")
e(string.gsub, "abc", "b", "%x")
e(string.gsub, "abc", "b", "x%")
e(string.gsub, "abc", "b", {b = {}})
e(string.gsub, "abc", "b", {b = true})
e(string.gsub, "abc", "b", function() return {} end)
e(string.gsub, "abc", "b", function() return print end)
e(string.gsub, "abc", "b")
e(string.gsub, "abc", "b", true)
e(string.gsub, "abc", "b", nil)
e(string.gsub, "abc", "b", "x", "y")
e(string.gsub, "abc", "b", "x", 1.5)
e(string.gsub, "abc", "(", "x")
e(string.gsub, "abc", "b", function() error("boom") end)
print(select(2, pcall(string.gsub, "abc", "b", function() error({code = 7}) end)).code)
e(string.gsub, "abc", "%w", function(c) return c:rep(2^31) end)
