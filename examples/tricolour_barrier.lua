-- Title: Tri-colour marking and a write barrier
-- An incremental collector marks while the program runs; a write barrier keeps it correct.
-- Watch: open Stepping… (keep "pause at line 1"), Run, and press Next line until the editor
-- marks line 23. Press GC step until `table holder` is black (●: traversed) while the script
-- still waits. Next line runs line 23: it stores a new, white (○) table into the black holder,
-- which would break the rule "no black object points to a white one"; the barrier turns holder
-- gray (◐) again, so the collector traverses it once more. Finish cycle: the new table survives,
-- and `dropped`, which nothing strong refers to any more, turns † and fades out in the sweep.
-- The dashed edges are the weak keys of `seen`, which watches without keeping anything alive.

local function check(name, value)
  print(string.format("CHECK %s %s", name, tostring(value)))
end

-- Weak keys: the script can see what the collector freed without keeping it alive.
seen = setmetatable({}, { __mode = "k" })

holder = { name = "holder" }
local dropped = { "nobody refers to me" }
seen[dropped] = "dropped"
dropped = nil

holder.child = { "stored after holder was marked" }
seen[holder.child] = "child"

collectgarbage()
local survivors = {}
for _, name in pairs(seen) do survivors[#survivors + 1] = name end
table.sort(survivors)
check("survivors", table.concat(survivors, ","))
check("child", holder.child[1])
