-- Title: Weak tables and ephemerons
-- Weak references keep nothing alive; an ephemeron's value lives only as long as its key.
-- Watch: open Stepping… (keep "pause at line 1"), Run, press Next line until the editor marks
-- line 29 (its collectgarbage() would do the whole cycle at once), then GC step. Dashed edges
-- are weak: the values of `cache` (__mode "v") and both sides of `props` (__mode "k", an
-- ephemeron table: a value is reached only through its key). The atomic step clears the weak
-- entries whose target stayed white: `cache[2]` and the two props entries whose keys nothing
-- else holds, even the one whose value points back at its own key. They turn † and fade in the
-- sweep; `kept` and its property survive because the global `kept` holds the key.

local function check(name, value)
  print(string.format("CHECK %s %s", name, tostring(value)))
end

cache = setmetatable({}, { __mode = "v" })  -- weak values
props = setmetatable({}, { __mode = "k" })  -- weak keys: an ephemeron table

kept = { "kept" }
cache[1] = kept
cache[2] = { "only in the cache" }

props[kept] = { "property of kept" }
props[{}] = { "property of a lost key" }
do
  local key = {}
  props[key] = { owner = key }  -- the value refers back to its key
end

collectgarbage()
local entries = 0
for _ in pairs(props) do entries = entries + 1 end
check("cache1", cache[1] and cache[1][1])
check("cache2_cleared", cache[2] == nil)
check("props_entries", entries)
check("kept_property", props[kept][1])
