-- os.date on fixed timestamps: every allowed conversion, "*t" and "!*t" tables, literal text,
-- and the errors for bad specifiers and unrepresentable dates.
local function try(f, ...)
  print(pcall(f, ...))
end
local T = 1234567890  -- 2009-02-13 23:31:30 UTC, a Friday

print(os.date("!%c", T))
print(os.date("!%x %X %p", T))
print(os.date("!%Y-%m-%d %H:%M:%S", T))
print(os.date("!%a %A %b %B %h", T))
print(os.date("!%C %d %D %e %F %g %G %H %I %j", T))
print(os.date("!%m %M %R %S %T %u %U %V %w %W %y %Y %%", T))
print(os.date("!%r|%n|%t|", T))
print(os.date("!%z %Z", T))
print(os.date("!%Ec|%EC|%Ex|%EX|%Ey|%EY", T))
print(os.date("!%Od|%Oe|%OH|%OI|%Om|%OM|%OS|%Ou|%OU|%OV|%Ow|%OW|%Oy", T))
print(os.date("!", T) == "", os.date("", T) == "", os.date("!plain text", T))
print(os.date("!%Y\0%m", T) == "2009\0" .. "02")

-- several instants, including the epoch, negatives and leap days
for _, t in ipairs({0, -1, 86399, 951782400, 4107542399, -2208988800, 253402300799}) do
  print(t, os.date("!%Y-%m-%d %H:%M:%S %j %a %U %W %V %G", t))
end
print(os.date("!%c", 1e9), os.date("!%c", "1000000000"), os.date("!%c", 2^31))

-- date tables
local function showTable(d)
  return string.format("%d-%d-%d %d:%d:%d wday=%d yday=%d isdst=%s", d.year, d.month, d.day,
    d.hour, d.min, d.sec, d.wday, d.yday, tostring(d.isdst))
end
print(showTable(os.date("!*t", T)))
print(showTable(os.date("!*t", 0)))
print(showTable(os.date("!*t", 951827696)))
local count = 0
for _ in pairs(os.date("!*t", T)) do count = count + 1 end
print(count)
print(type(os.date("*t", T)), math.type(os.date("*t", T).year), type(os.date("*t").isdst))
print(os.date("!*tx", T), os.date("*T", T) == "*T")
print(os.date("!%H", 3600 * 5), os.date("!%M", 60 * 42), os.date("!%S", 59))

-- local time is consistent with the date table for the same instant
local lt = os.date("*t", T)
print(os.date("%Y %m %d %H %M %S", T) ==
  string.format("%04d %02d %02d %02d %02d %02d", lt.year, lt.month, lt.day, lt.hour, lt.min, lt.sec))
print(os.time(lt) == T)

-- default arguments
print(type(os.date()), type(os.date("%c")), #os.date("!%Y") == 4)

-- errors
try(os.date, "%Q", T)
try(os.date, "%Ez abc", T)
try(os.date, "%E", T)
try(os.date, "%O", T)
try(os.date, "%Oz", T)
try(os.date, "%", T)
try(os.date, "abc %", T)
try(os.date, "!%5d", T)
try(os.date, "%c", 1.5)
try(os.date, "%c", "x")
try(os.date, {}, T)
try(os.date, "!%c", 2^60)
try(os.date, "*t", -2^60)
print(pcall(function() return os.date("%i") end))
