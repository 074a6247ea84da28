-- Concatenations whose results fall on each side of the short/long string boundary (40 bytes):
-- a long result is written in place in its string, a short one interned. Pieces mix strings,
-- integers and floats; results must equal the same text built another way, whatever the size,
-- and work as table keys and in comparisons.
local function built(n, ch) return string.rep(ch, n) end

for total = 36, 46 do
  local left = built(total - 4, "a")
  local joined = left .. 12 .. "zz"
  assert(#joined == total, total)
  assert(joined == built(total - 4, "a") .. "12zz")
  assert(joined == string.format("%s%d%s", left, 12, "zz"))
  local t = {[joined] = total}
  assert(t[left .. "12" .. "zz"] == total)
  print(total, #joined, joined:sub(-6))
end

-- Several pieces at once (one CONCAT of many registers), with a float and an empty string.
local a, b, c, d = ("x"):rep(20), 3.5, "", ("y"):rep(25)
local s = a .. b .. c .. d .. 7
print(#s, s:sub(18, 26), s < a .. "4", s > a)

-- A string grown piece by piece, with collections in between.
local acc = ""
for i = 1, 300 do
  acc = acc .. (i % 10)
  if i % 50 == 0 then collectgarbage("step") end
end
print(#acc, acc:sub(1, 12), acc:sub(-12))
collectgarbage()
print(acc == (("1234567890"):rep(30)))
