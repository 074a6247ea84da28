-- Method calls through __index chains: a three-level class hierarchy with overridden methods.
local Base = {}
Base.__index = Base
function Base.new(v) return setmetatable({v = v}, Base) end
function Base:value() return self.v end
function Base:step() self.v = self.v + 1 end
local Mid = setmetatable({}, {__index = Base})
Mid.__index = Mid
function Mid.new(v) return setmetatable({v = v, w = 2}, Mid) end
function Mid:value() return Base.value(self) * self.w end
local Leaf = setmetatable({}, {__index = Mid})
Leaf.__index = Leaf
function Leaf.new(v) local o = Mid.new(v); return setmetatable(o, Leaf) end
function Leaf:bonus() return 1 end
local objs = {Base.new(1), Mid.new(2), Leaf.new(3)}
local sum = 0
for i = 1, 3000000 do
  local o = objs[i % 3 + 1]
  o:step()
  sum = sum + o:value() + (o.bonus and o:bonus() or 0)
end
print("checksum", sum)
