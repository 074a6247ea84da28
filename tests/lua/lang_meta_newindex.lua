-- Pins down __newindex: only for absent keys, tables and functions as handlers, rawset bypass.
local log = {}
local proxy = setmetatable({}, {__newindex = function(t, k, v)
  log[#log + 1] = tostring(k) .. "=" .. tostring(v)
  rawset(t, k, v)
end})
proxy.a = 1
proxy.a = 2 -- now present: no metamethod
proxy[1] = "one"
proxy.b = nil
print(table.concat(log, " "), proxy.a, proxy[1])

-- table __newindex redirects the store
local store = {}
local redirect = setmetatable({}, {__newindex = store})
redirect.x = 10
print(rawget(redirect, "x"), store.x)

-- chain of __newindex tables
local final = {}
local hop = setmetatable({}, {__newindex = final})
local first = setmetatable({}, {__newindex = hop})
first.k = "v"
print(rawget(first, "k"), rawget(hop, "k"), final.k)

-- __newindex function receives float-normalised keys
local keys = {}
local norm = setmetatable({}, {__newindex = function(t, k, v) keys[#keys + 1] = math.type(k) end})
norm[1.0] = true
norm[1.5] = true
norm[3] = true
print(table.concat(keys, ","))

-- read-only table
local ro = setmetatable({}, {__index = {fixed = 1}, __newindex = function(t, k)
  error("attempt to update a read-only table (" .. k .. ")", 2)
end})
print(ro.fixed, pcall(function() ro.fixed = 2 end))

-- assigning an existing key with nil value (absent) triggers it again
local count = 0
local c = setmetatable({}, {__newindex = function(t, k, v) count = count + 1 end})
c.q = 1
c.q = 2
print(count, rawget(c, "q"))

-- rawset bypasses; rawset returns the table
local r = setmetatable({}, {__newindex = function() error("should not run") end})
print(rawset(r, "k", "v") == r, r.k)

-- __newindex with nil/NaN keys is still an error when reaching a raw set
print(pcall(function() local t = {}; t[nil] = 1 end))
print(pcall(function() local t = {}; t[0/0] = 1 end))
print(pcall(rawset, {}, nil, 1))
-- but a __newindex function gets to see them first
local sees = setmetatable({}, {__newindex = function(t, k, v) print("saw", k, v) end})
sees[nil] = 1
