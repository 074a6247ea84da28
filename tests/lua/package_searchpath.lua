-- package.searchpath and require's "not found" message: every template tried is listed (an
-- empty one as "no file ''"), joined by "\n\t" with no leading separator; require prefixes
-- each searcher's message with "\n\t"; the C searchers look in cpath, the root one for
-- the first part of a dotted name.
print(package.searchpath("x.y", "a/?.lua;;b/?/init.lua"))
print(package.searchpath("x.y", ""))
print(package.searchpath("x.y", ";"))
print(package.searchpath("x.y", "?.q;", "", "/"))
print(package.searchpath("x.y", "?_?", ".", "-"))
print(package.searchpath("a.b.c", "?", ".b", "!"))
print(package.searchpath("returns_values", "data/?.lua"))
print(package.searchpath("returns_values", "nothere/?.lua;data/?.lua;also/?"))
print(pcall(package.searchpath, "x"))

package.path = "p1/?.lua;;p2/?/init.lua"
package.cpath = "c1/?.so;c2/?.dll"
print(pcall(require, "nothing_here"))
print(pcall(require, "pkg.sub.mod"))

-- a searcher's own message, and one that returns nothing
table.insert(package.searchers, function(name) return "custom searcher says no to " .. name end)
table.insert(package.searchers, function() end)
print(pcall(require, "zz"))
package.path = "data/?.lua"
print(require("returns_values"))
