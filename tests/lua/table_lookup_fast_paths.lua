-- Pins down what the loop's inline lookups (GETTABUP's and GETFIELD's home-slot probes, SELF's
-- and GETTABUP's inline walk of __index tables) must still see: shadowing, removal, nil values
-- that __index fills, __index functions, collisions in full small tables, long chains, loops.
local Base = {}
Base.__index = Base
function Base:who() return "base" end
function Base:name() return "base-name" end
local Mid = setmetatable({}, {__index = Base})
Mid.__index = Mid
function Mid:who() return "mid" end
local Leaf = setmetatable({}, {__index = Mid})
Leaf.__index = Leaf
local o = setmetatable({a = 1, b = 2, c = 3, d = 4}, Leaf)  -- a full hash part
local results = {}
for step = 1, 6 do
  if step == 2 then o.who = function() return "own" end end       -- the object shadows
  if step == 3 then o.who = nil end                                 -- and stops
  if step == 4 then Mid.who = nil end                               -- the class loses it
  if step == 5 then Leaf.who = function() return "leaf" end end     -- a nearer class gains it
  if step == 6 then Leaf.__index = function(_, k) return Base[k] end end  -- a function
  results[#results + 1] = o:who() .. "/" .. o:name()
end
print(table.concat(results, " "))

-- a missing method: the error names it, from the first probe or after a walk
print(pcall(function() return o:missing() end))
print(pcall(function() local plain = {x = 1}; return plain:method() end))

-- a long chain of __index tables and a loop of them
local top = {deep = "found", m = function() return "method" end}
local chain = top
for _ = 1, 40 do chain = setmetatable({}, {__index = chain}) end
print(chain:m(), chain.deep, pcall(function() return chain:absent() end))
local loop = {}
setmetatable(loop, {__index = loop})
print(pcall(function() return loop:x() end))
print(pcall(function() return loop.x end))

-- globals: many names (so some collide in _ENV's hash), one set to nil, then a default from
-- a metatable on _ENV, which a present-but-nil entry must still reach
for n = 1, 200 do _ENV["g" .. n] = n end
local sum = 0
for _ = 1, 3 do sum = sum + g1 + g17 + g64 + g99 + g128 + g150 + g199 + g200 end
print(sum)
g17 = nil
setmetatable(_ENV, {__index = function(_, k) return "default:" .. k end})
print(g17, g18, undefined_global)
setmetatable(_ENV, nil)
print(g17, g18)
