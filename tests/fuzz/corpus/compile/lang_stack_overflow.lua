-- Pins down deep non-tail recursion: a catchable "stack overflow" error, and recovery afterwards.
local function deep(n) return 1 + deep(n + 1) end
local ok, err = pcall(deep, 1)
print(ok, type(err), string.find(err, "stack overflow", 1, true) ~= nil)

-- the state is usable after the overflow
local function fine(n) if n == 0 then return 0 end return 1 + fine(n - 1) end
print(fine(10000))

-- overflow inside a metamethod chain
local t = setmetatable({}, {})
getmetatable(t).__index = function(tbl, k) return tbl[k .. "x"] end
ok, err = pcall(function() return t.a end)
print(ok, string.find(err, "stack overflow", 1, true) ~= nil)

-- overflow through __call is still caught
local c = setmetatable({}, {__call = function(self) return 1 + self() end})
ok, err = pcall(c)
print(ok, string.find(tostring(err), "stack overflow", 1, true) ~= nil)

-- overflow in an error handler-free nested pcall
ok, err = pcall(pcall, deep, 1)
print(ok, err)

-- deep recursion of moderate depth works (well below the limit)
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(150000 // 10))
