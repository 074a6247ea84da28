-- Pins down string.match: whole matches, captures, position captures, anchors, init, and
-- back-references.
local function show(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end print(table.concat(t, " ")) end

show(string.match("hello world", "%w+"))
show(string.match("hello world", "%w+", 6))
show(string.match("hello world", "%w+", -3))
show(string.match("hello world", "(%w+) (%w+)"))
show(string.match("hello world", "()(o)()", 6))
show(string.match("hello", "()"))
show(string.match("hello", "()", 3))
show(string.match("hello", ".-()$"))
show(string.match("hello", "^(h)(.*)$"))
show(string.match("hello", "^(e)"))
show(string.match("hello", "(l+)"))
show(string.match("hello", "l-"))
show(string.match("hello", "l-o"))
show(string.match("date: 2024-01-31", "(%d+)-(%d+)-(%d+)"))
show(string.match("  trim me  ", "^%s*(.-)%s*$"))
show(string.match("", ".*"))
show(string.match("", "(.*)"))
show(string.match("", "()"))
show(string.match("abc", "", 10))
show(string.match("abc", "()", 4))
show(string.match("abc", "()", 5))
show(string.match("key=val", "(%w+)=(%w*)"))
show(string.match("key=", "(%w+)=(%w*)"))
show(string.match("[[nested]]", "%[(%b[])%]"))
show(string.match("abc", "((a)(b)(c))"))
show(string.match("abc", "(a(b(c)))"))
show(string.match("aXbXc", "(.)X(.)X(.)"))

-- back-references
show(string.match('say "hi" and \'bye\'', "([\"'])(.-)%1"))
show(string.match("xyzzy", "(z)%1"))
show(string.match("abcabc", "^(.+)%1$"))
show(string.match("abcab", "^(.+)%1$"))
show(string.match("aaa", "(a*)%1"))
show(string.match("hello hello world", "(%w+) %1"))
show(string.match("a=a b=c", "(%w)=%1"))

-- repetition items
show(string.match("aaab", "a*"), string.match("aaab", "a+"), string.match("aaab", "a-b"), string.match("aaab", "a?"))
show(string.match("b", "a*b"), string.match("b", "a+b"), string.match("b", "a-b"), string.match("b", "a?b"))
show(string.match("<<a>>", "<(.*)>"), string.match("<<a>>", "<(.-)>"))
show(string.match("int x = 10;", "(%a+)%s+(%a+)%s*=%s*(%d+)"))
show(string.match("0x1F", "^0[xX](%x+)$"), string.match("0x1G", "^0[xX](%x+)$"))
show(string.match("1.5e10", "^[+-]?%d+%.?%d*[eE]?[+-]?%d*$"))
show(string.match("color", "colou?r"), string.match("colour", "colou?r"), string.match("colouur", "colou?r"))
show(string.match("abc", "a.?c"), string.match("ac", "a.?c"), string.match("abbc", "a.?c"))

-- anchors: '^' only at the start, '$' only at the end
show(string.match("a^b", "a^b"), string.match("a$b", "a$b"), string.match("ab$", "b%$"))
show(string.match("^x", "^^x"), string.match("x$", "x$$"), string.match("x$", "x%$$"))
show(string.match("abc", "^abc$"), string.match("abcd", "^abc$"), string.match("zabc", "^abc"))
show(string.match("line1\nline2", "^(.-)\n"), string.match("line1\nline2", "\n(.*)$"))

-- numbers as subjects
show(string.match(2^53, "%d+"), string.match(-12.5, "^%-(%d+)"), string.match(100, "0+$"))
