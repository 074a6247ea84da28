-- Pins down a complete program: class hierarchy with super calls, tostring and operator overloads.
local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, {__index = parent}) end
  c.new = function(...)
    local o = setmetatable({}, c)
    if o.init then o:init(...) end
    return o
  end
  return c
end
local Shape = class()
function Shape:init(name) self.name = name end
function Shape:area() return 0 end
function Shape:describe() return self.name .. " area=" .. string.format("%.2f", self:area()) end
Shape.__tostring = function(s) return "Shape(" .. s.name .. ")" end
local Rect = class(Shape)
function Rect:init(w, h) Shape.init(self, "rect"); self.w, self.h = w, h end
function Rect:area() return self.w * self.h end
Rect.__tostring = Shape.__tostring
Rect.__eq = function(a, b) return a:area() == b:area() end
Rect.__lt = function(a, b) return a:area() < b:area() end
Rect.__le = function(a, b) return a:area() <= b:area() end
Rect.__add = function(a, b) return Rect.new(a.w + b.w, a.h + b.h) end
local Square = class(Rect)
function Square:init(s) Rect.init(self, s, s); self.name = "square" end
Square.__tostring = function(s) return "Square(" .. s.w .. ")" end
Square.__eq, Square.__lt, Square.__le, Square.__add = Rect.__eq, Rect.__lt, Rect.__le, Rect.__add
local Circle = class(Shape)
function Circle:init(r) Shape.init(self, "circle"); self.r = r end
function Circle:area() return 3 * self.r * self.r end
Circle.__tostring = function(s) return "Circle(" .. s.r .. ")" end
local shapes = {Rect.new(2, 3), Square.new(3), Circle.new(1), Rect.new(1, 6), Square.new(2)}
for _, s in ipairs(shapes) do print(tostring(s), s:describe()) end
print(shapes[1] == shapes[4], shapes[1] < shapes[2], shapes[5] <= shapes[1])
local sum = shapes[1] + shapes[2]
print(tostring(sum), sum:area(), getmetatable(sum) == Rect)
table.sort(shapes, function(a, b) return a:area() < b:area() end)
local names = {}
for _, s in ipairs(shapes) do names[#names + 1] = s.name .. ":" .. s:area() end
print(table.concat(names, " "))
