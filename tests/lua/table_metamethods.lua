-- The table functions go through __index, __newindex and __len (5.4 semantics), and accept
-- non-tables whose metatables provide the needed metamethods.
local log = {}
local function record(s) log[#log + 1] = s end
local function flush(label)
  print(label, table.concat(log, " "))
  log = {}
end

local store = {}
local proxy = setmetatable({}, {
  __index = function(_, k) record("get" .. tostring(k)) return store[k] end,
  __newindex = function(_, k, v) record("set" .. tostring(k) .. "=" .. tostring(v)) store[k] = v end,
  __len = function() record("len") return #store end,
})

table.insert(proxy, "a")
table.insert(proxy, "b")
table.insert(proxy, 1, "c")
flush("insert")
print(table.concat(proxy, ","))
flush("concat")
print(table.unpack(proxy))
flush("unpack")
print(table.remove(proxy, 1))
flush("remove")
table.sort(proxy, function(x, y) return x > y end)
flush("sort")
print(store[1], store[2], store[3])
table.move(proxy, 1, 2, 2)
flush("move")
local dest = setmetatable({}, {__newindex = function(t, k, v) record("dest" .. k .. "=" .. v) rawset(t, k, v) end})
table.move({"p", "q"}, 1, 2, 1, dest)
flush("move to")
local packed = table.pack(1, 2)
print(packed.n)

-- userdata-like values: a table is required unless the metatable has what is needed
local function try(f, ...) print(pcall(f, ...)) end
try(table.concat, setmetatable({}, {__len = function() return 2 end}))
try(table.insert, "abc", "x")  -- strings have __index but no __newindex or __len
try(table.concat, "abc")
try(table.unpack, "abc")
local lenOnly = setmetatable({}, {__len = function() return 3 end, __index = function(_, k) return k * 2 end})
print(table.concat(lenOnly, "+"))
print(table.unpack(lenOnly))

-- __len results
try(table.insert, setmetatable({}, {__len = function() return "x" end}), 1)
try(table.insert, setmetatable({}, {__len = function() return 2.0 end}), "v")
try(table.remove, setmetatable({}, {__len = function() return 1.5 end}))
try(table.concat, setmetatable({}, {__len = function() return {} end}))
print(pcall(table.unpack, setmetatable({}, {__len = function() return "2" end})))

-- __index errors propagate
local bad = setmetatable({}, {__index = function(_, k) error("no " .. k) end, __len = function() return 2 end})
print(pcall(table.concat, bad))
print(pcall(table.unpack, bad))

-- __eq is consulted by move to decide whether source and destination are the same table
local eqlog = {}
local eqmt = {__eq = function() eqlog[#eqlog + 1] = "eq" return true end}
local src = setmetatable({1, 2, 3}, eqmt)
local dst = setmetatable({}, eqmt)
table.move(src, 1, 3, 2, dst)
print(#eqlog, dst[2], dst[3], dst[4])
