-- Pins down the .. operator: right associativity, numbers, long chains and __concat interplay.
print("a" .. "b" .. "c", "x" .. 1 .. 2, 1 .. 2 .. 3)
print(("a"):rep(3) .. "b")
local parts = {}
for i = 1, 20 do parts[#parts + 1] = i end
local s = ""
for i = 1, 20 do s = s .. i .. "," end
print(s)
print(table.concat(parts, ","))
-- long chain in one expression
local a, b, c, d, e = "1", "2", "3", "4", "5"
print(a .. b .. c .. d .. e .. a .. b .. c .. d .. e .. a .. b .. c .. d .. e)
-- concat with embedded zeros keeps length
local z = "a\0b" .. "\0c"
print(#z, z == "a\0b\0c")
-- precedence: .. binds tighter than comparison, looser than arithmetic
print("1" .. 2 + 3, 2 * 3 .. "x", "ab" .. "c" == "abc")
-- right associativity seen through __concat
local mt = {}
mt.__concat = function(l, r)
  local ls = type(l) == "table" and l.name or tostring(l)
  local rs = type(r) == "table" and r.name or tostring(r)
  return setmetatable({name = "(" .. ls .. "+" .. rs .. ")"}, mt)
end
local X = setmetatable({name = "X"}, mt)
local Y = setmetatable({name = "Y"}, mt)
print((X .. Y).name, ("s" .. X).name, (X .. 1).name)
print(("a" .. "b" .. X .. "c" .. "d").name)
print((X .. "m" .. Y).name)
-- empty strings
print("" .. "" == "", #("" .. "abc" .. ""))
-- big strings via repeated doubling
local big = "x"
for i = 1, 16 do big = big .. big end
print(#big)
