-- A recursion without end, each level holding a <close> variable whose __close appends to a
-- table: "stack overflow" (or, under a tight limit, "not enough memory"), then every level's
-- variable is closed while the error unwinds, each close allocating.
local closed = {}
local function dive(depth)
  local guard <close> = setmetatable({}, {__close = function() closed[#closed + 1] = {depth} end})
  dive(depth + 1)
end
local ok, err = pcall(dive, 1)
local count = #closed
closed = nil
collectgarbage()
print("outcome", ok and "finished" or tostring(err):match("[^:]*$"):gsub("^%s+", ""))
print("closed", count)
