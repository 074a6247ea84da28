-- Footprint: binary-trees at depth 16 (one long-lived tree, many short-lived ones); the heap
-- count printed is the largest seen between the trees it builds.
local maxDepth = tonumber(arg and arg[1]) or 16
local peak = 0
local function sample()
  local kb = collectgarbage("count")
  if kb > peak then peak = kb end
end
local function bottomUp(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return {bottomUp(depth), bottomUp(depth)}
end
local function check(tree)
  if tree[1] then return 1 + check(tree[1]) + check(tree[2]) end
  return 1
end
local longLived = bottomUp(maxDepth)
local results = {}
for depth = 4, maxDepth, 2 do
  local iterations = 1 << (maxDepth - depth + 4)
  local c = 0
  for _ = 1, iterations do
    local tree = bottomUp(depth)
    sample()
    c = c + check(tree)
  end
  results[#results + 1] = iterations .. ":" .. c
end
print("heap_kb", peak)
print("checksum", table.concat(results, " "), check(longLived))
