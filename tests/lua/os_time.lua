-- os.time with date tables (defaults, normalisation written back, field errors), difftime
-- and clock. Results use the local time zone, the same for both interpreters.
local function try(f, ...)
  print(pcall(f, ...))
end
local function show(d)
  return string.format("%d-%d-%d %d:%d:%d wday=%d yday=%d isdst=%s", d.year, d.month, d.day,
    d.hour, d.min, d.sec, d.wday, d.yday, tostring(d.isdst))
end

print(math.type(os.time()), os.time() > 1600000000, os.time(nil) >= os.time() - 5)

local base = os.time({year = 2020, month = 1, day = 1, hour = 0})
print(os.time({year = 2020, month = 1, day = 2, hour = 0}) - base)
print(os.time({year = 2020, month = 1, day = 1}) - base)  -- hour defaults to 12
print(os.time({year = 2020, month = 1, day = 1, hour = 0, min = 1, sec = 1}) - base)
print(os.time({year = 2020, month = 3, day = 1, hour = 0}) - base)  -- leap year

-- normalisation is written back into the table
local t = {year = 2020, month = 14, day = 35, hour = -5, min = 70, sec = -1}
local r = os.time(t)
print(show(t))
print(r == os.time({year = 2021, month = 3, day = 6, hour = 20, min = 9, sec = 59}))
local feb = {year = 2021, month = 2, day = 29, hour = 12}
os.time(feb)
print(show(feb))
local zero = {year = 2000, month = 1, day = 0}
os.time(zero)
print(show(zero))
local neg = {year = 2000, month = 0, day = 1}
os.time(neg)
print(show(neg))
local big = {year = 2000, month = 1, day = 1, sec = 86400 * 400}
os.time(big)
print(show(big))

-- fields may be numeric strings or integral floats; extra fields are ignored
print(os.time({year = "2020", month = "1", day = 1.0, hour = 0, extra = "x"}) == base)
print(os.time({year = 2020, month = 1, day = 1, hour = 0, wday = 7, yday = 100}) == base)
print(os.time({year = 2020, month = 1, day = 1, hour = 0, isdst = false}) == base)

-- fields are read through __index
local proxy = setmetatable({}, {__index = function(_, k)
  return ({year = 2020, month = 1, day = 1, hour = 0})[k]
end})
print(os.time(proxy) == base, rawget(proxy, "year"), rawget(proxy, "wday"))

-- field errors
try(os.time, {})
try(os.time, {year = 2000})
try(os.time, {year = 2000, month = 1})
try(os.time, {year = "x", month = 1, day = 1})
try(os.time, {year = 1.5, month = 1, day = 1})
try(os.time, {year = 2000, month = {}, day = 1})
try(os.time, {year = 2000, month = 1, day = 1, hour = "noon"})
try(os.time, {year = 2000, month = 1, day = 1, min = 0.5})
try(os.time, {year = 2000, month = 1, day = 1, sec = true})
try(os.time, {year = 2^40, month = 1, day = 1})
try(os.time, {year = -2^31, month = 1, day = 1})
try(os.time, {year = 2000, month = 2^31 + 1, day = 1})
try(os.time, {year = 2000, month = 1, day = 1, hour = 2^31})
try(os.time, {year = 2000, month = 1, day = -2^31 - 1})
try(os.time, "2020")
try(os.time, 5)
print(pcall(function() return os.time({year = 2000}) end))

-- difftime
print(os.difftime(10, 5), os.difftime(5, 10), os.difftime(0, 0), math.type(os.difftime(1, 0)))
print(os.difftime(base + 3600, base), os.difftime("20", "5"))
try(os.difftime, 1)
try(os.difftime)
try(os.difftime, 1.5, 1)
try(os.difftime, 1, "x")

-- clock
local c = os.clock()
print(math.type(c), c >= 0, os.clock() >= c)
