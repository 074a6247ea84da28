-- Pins down string.format's %s (tostring, __tostring, __name, embedded zeros, padding and
-- truncation), %q (strings, integers, floats, specials, keywords, round trips) and %p.
print(string.format("%s|%s|%s|%s|%s", "x", 1, 1.5, true, nil))
print(string.format("[%10s][%-10s][%.2s][%5.1s][%-5.3s][%.0s][%.10s]", "hi", "hi", "hello", "hello", "hello", "hello", "hi"))
print(string.format("%s", "a\0b") == "a\0b", #string.format("%s%s", "\0", "\0"))
print(string.format("%s", string.rep("x", 200)) == string.rep("x", 200))
print(string.format("%5s", string.rep("y", 120)) == string.rep("y", 120))
print(string.format("%.3s", string.rep("z", 120)))
print(string.format("%-99s|", "w"):len(), string.format("%99s", "w"):len())
print(string.format("%s %s", 1e100, -0.0), string.format("%s", math.mininteger), string.format("%s", 2^63))
print(string.format("%10s|", 12), string.format("%-10s|", 1.25), string.format("%s", "%d"))

local obj = setmetatable({}, {__tostring = function() return "OBJ" end})
print(string.format("%s|%8s|%-8s|%.1s", obj, obj, obj, obj))
local named = setmetatable({}, {__name = "MyType"})
print((string.format("%s", named):gsub("0x%x+", "ADDR")))
print(string.format("%s", setmetatable({}, {__tostring = function() return 42 end})))
print(pcall(string.format, "%s", setmetatable({}, {__tostring = function() return {} end})))
print(pcall(string.format, "%10s", setmetatable({}, {__tostring = function() return "a\0b" end})))
print(string.format("%s", setmetatable({}, {__tostring = function() return "a\0b" end})) == "a\0b")
print((string.format("%s %s", print, {}):gsub("0x%x+", "ADDR")))

-- %q
print(string.format("%q", "hello"))
print(string.format("%q", 'quote " and \\ backslash'))
print(string.format("%q", "line1\nline2"))
print(string.format("%q", "tab\tcr\rnul\0bell\7del\127end"))
print(string.format("%q", "\0001\0a\0019\31\0320"))
print(string.format("%q", "\200\255 high bytes"))
print(string.format("%q", ""))
print(string.format("%q %q %q %q", 0, 42, -7, math.maxinteger))
print(string.format("%q", math.mininteger))
print(string.format("%q %q %q %q", 1.0, 0.5, -2.75, 1e100))
print(string.format("%q %q %q", 1/0, -1/0, 0/0))
print(string.format("%q %q", 0.1, -0.0))
print(string.format("%q %q %q", nil, true, false))
print(string.format("%q", 2^63), string.format("%q", 1e-310))

-- %q output reads back as the same value
local samples = {"a\nb", "\0\1\2", "x\"y\\z", "\r\n", "9\0009", 12, -0.5, 2^60, math.mininteger,
                 1/3, math.huge, -math.huge, 1e-300}
for _, v in ipairs(samples) do
  local back = load("return " .. string.format("%q", v))()
  print(math.type(v) or type(v), back == v, math.type(back) == math.type(v))
end
local nanBack = load("return " .. string.format("%q", 0/0))()
print(nanBack ~= nanBack)

-- %p: non-objects print as (null); objects print an address
print(string.format("%p|%10p|%-10p|", 1, nil, true))
print(string.format("%p", {}):match("^0x%x+$") ~= nil, string.format("%p", print) == string.format("%p", print))
local t = {}
print(string.format("%p", t) == string.format("%p", t), string.format("%p", t) ~= string.format("%p", {}))
