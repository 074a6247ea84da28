-- Writes the chunk fuzzer's seeds (tests/fuzz/corpus/chunk): string.dump of three small programs,
-- stripped and not. Run it again whenever the chunk format changes (kChunkFormatVersion):
--   build/lunette tests/fuzz/make_chunk_seeds.lua tests/fuzz/corpus/chunk
local sources = {
  constants = [[
local big, small = math.maxinteger, math.mininteger
local long = string.rep("long string constant ", 4)
local t = {1, 2.5, "three", true, false, nil, big, small, long, 0x7fffffff, -0.0, 1e308}
return #t, t[3], big // 3, small % 7, 2^53]],
  loops = [[
local s = 0
for i = 1, 10 do s = s + i end
for i = 10, 1, -2 do s = s - i end
for k, v in pairs({a = 1, b = 2}) do s = s + v end
local n = 0
while n < 5 do n = n + 1 end
repeat n = n - 1 until n == 0
for x = 1.0, 2.0, 0.5 do s = s + x end
return s]],
  nested = [[
local function outer(a, ...)
  local count = select("#", ...)
  local function middle(b)
    local function inner(c) return a + b + c + count end
    return inner
  end
  for i = 1, 3 do
    for j = 1, 2 do
      for k = 1, 2 do a = a + i * j * k end
    end
  end
  return middle(a)
end
local f <close> = nil
return outer(1, 2, 3)(4)]],
}
local dir = arg[1]
for name, src in pairs(sources) do
  local f = assert(load(src, "=" .. name))
  for _, strip in ipairs({false, true}) do
    local path = dir .. "/" .. name .. (strip and "_stripped" or "") .. ".luac"
    local out = assert(io.open(path, "wb"))
    out:write(string.dump(f, strip))
    out:close()
  end
end
