-- Allocation-heavy: binary-trees (build and check many short-lived trees, one long-lived tree).
local function bottomUp(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return {bottomUp(depth), bottomUp(depth)}
end
local function check(tree)
  if tree[1] then return 1 + check(tree[1]) + check(tree[2]) end
  return 1
end
local maxDepth = 14
local longLived = bottomUp(maxDepth)
local results = {}
for depth = 4, maxDepth, 2 do
  local iterations = 1 << (maxDepth - depth + 4)
  local c = 0
  for _ = 1, iterations do c = c + check(bottomUp(depth)) end
  results[#results + 1] = iterations .. ":" .. c
end
print("checksum", table.concat(results, " "), check(longLived))
