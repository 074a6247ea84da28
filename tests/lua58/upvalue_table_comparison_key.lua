-- A comparison used as the key of an upvalue table (`t[1 < 2]`): the key exists only as a
-- jump until it is loaded, and 5.4.4 placed the table's load on one of the jump's paths
-- ("attempt to index a number value"); 5.4.8 reads t[true].
local t = {[true] = "yes", [false] = "no"}
local function get() return t[1 < 2], t[2 < 1], t[#t == 0], t["a" >= "b"] end
print(get())
local x, y = 3, 4
local function getVars() return t[x < y], t[x == y], t[x ~= y], t[not (x <= y)] end
print(getVars())
local function set() t[x > y] = "set false"; t[x < y] = "set true" end
set()
print(t[true], t[false])
-- the same key on a local table never had the problem
local u = {[true] = 1}
print(u[1 < 2])
