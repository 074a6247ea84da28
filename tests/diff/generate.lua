-- generate.lua SEED: writes to stdout a random Lua 5.4 program, the same one for the same seed
-- under any 5.4 interpreter (the generator uses its own PRNG, not math.random). The programs are
-- for differential testing (tests/diff/run.sh): they print only what both lunette and lua5.4
-- must print the same way, so no table addresses, no pairs order, no timing. Each statement runs
-- under pcall and prints its error message, so run-time errors (and how they name the variable
-- at fault) are compared too.
--
-- What a program exercises: integer and float arithmetic (wrap-around, floor division and modulo
-- by zero and by negatives, float-to-integer conversion in bitwise operations and for loops),
-- comparisons across types, string coercion and the string library (rep, sub, byte, format,
-- find with plain text), concatenation, tables (constructors with varargs, length, insert,
-- remove, concat, unpack), closures sharing upvalues, varargs and select, metatables with
-- arithmetic, comparison, __index, __newindex, __len, __call, __concat and __close, coroutines
-- (wrap, yield in loops, status, errors in the body), integer/float keys normalisation, goto.
local seed = tonumber(arg[1]) or 1

-- xorshift on 32 bits, identical in every 5.4 interpreter.
local state = (seed * 2654435761 + 12345) & 0xffffffff
if state == 0 then state = 1 end
local function rand(n)
  state = state ~ ((state << 13) & 0xffffffff)
  state = state ~ (state >> 17)
  state = state ~ ((state << 5) & 0xffffffff)
  return state % n + 1
end
local function pick(list) return list[rand(#list)] end

local out = {}
local function emit(line) out[#out + 1] = line end

local NUMBERS = {"0", "1", "-1", "2", "3", "7", "-7", "10", "255", "0.5", "-0.5", "1.5", "2.0",
  "-0.0", "1e15", "1e308", "3.25", "math.maxinteger", "math.mininteger", "math.pi",
  "math.huge", "-math.huge", "2^53", "0x7fffffff", "0xff", "1//0.0"}
local STRINGS = {'"10"', '"0x10"', '"1e2"', '" 5 "', '"abc"', '""', '"3.0"', '"-2"', '"x y z"',
  '"\\0nul"', '"é"'}
local ARITH = {"+", "-", "*", "/", "//", "%", "^"}
local BITWISE = {"&", "|", "~", "<<", ">>"}
local COMPARE = {"==", "~=", "<", "<=", ">", ">="}

local function number() return pick(NUMBERS) end
local function operand()
  local r = rand(10)
  if r <= 6 then return number() end
  if r <= 8 then return pick(STRINGS) end
  if r == 9 then return pick({"nil", "true", "{}"}) end
  return "v" .. rand(4)
end

local function scalar()
  return rand(3) == 1 and pick(STRINGS) or number()
end

local function expression(depth)
  depth = depth or 0
  if depth > 2 or rand(3) == 1 then return operand() end
  local r = rand(8)
  local a, b = expression(depth + 1), expression(depth + 1)
  if r <= 3 then return "(" .. a .. " " .. pick(ARITH) .. " " .. b .. ")" end
  if r == 4 then return "(" .. a .. " " .. pick(BITWISE) .. " " .. b .. ")" end
  if r == 5 then return "(" .. a .. " " .. pick(COMPARE) .. " " .. b .. ")" end
  if r == 6 then return "(" .. a .. " .. " .. b .. ")" end
  if r == 7 then return "(" .. pick({"-", "~", "#", "not"}) .. " " .. a .. ")" end
  return pick({"math.type", "tonumber", "math.tointeger", "math.floor",
    "math.abs", "string.len", "type"}) .. "(" .. a .. ")"
end

-- Every statement is a function run under pcall; its results or error are printed.
local snippets = {}
local function statement(body)
  snippets[#snippets + 1] = body
end

local function arithmetic()
  statement("local v1, v2, v3, v4 = " .. number() .. ", " .. pick(STRINGS) .. ", " .. number() ..
    ", nil\n  return " .. expression() .. ", " .. expression())
end

local function strings()
  local s = pick(STRINGS)
  local forms = {
    "return string.rep(" .. s .. ", " .. rand(4) - 1 .. ", " .. pick({'","', '""', "nil"}) .. ")",
    "return (" .. s .. "):sub(" .. rand(7) - 4 .. ", " .. rand(7) - 4 .. ")",
    "return (" .. s .. "):byte(1, -1)",
    -- (no table operand: "%s" would print its address)
    "return string.format(" .. pick({'"%d"', '"%5.2f"', '"%q"', '"%x"', '"%s|%s"', '"%g"',
      '"%-5s|"', '"%.3s"', '"%i"', '"%c"'}) .. ", " .. scalar() .. ", " .. scalar() .. ")",
    "return (" .. s .. "):find(" .. pick(STRINGS) .. ", 1, true)",
    "return (" .. s .. "):upper(), (" .. s .. "):reverse(), #" .. s,
    "return tostring(" .. number() .. "), tostring(" .. number() .. ")",
    "return string.format('%.14g', " .. number() .. ")",
    "return math.tointeger(" .. pick(STRINGS) .. "), tonumber(" .. pick(STRINGS) .. ", " ..
      pick({"10", "16", "2", "36"}) .. ")",
  }
  statement(pick(forms))
end

local function tables()
  local forms = {
    "local t = {" .. number() .. ", nil, " .. number() .. "} return #t >= 1, t[1], t[3]",
    "local t = {} for i = 1, " .. rand(20) .. " do t[i] = i * i end table.remove(t, " .. rand(3) ..
      ") table.insert(t, 1, 'a') return #t, table.concat(t, ',', 1, math.min(#t, 5))",
    "local function f(...) return select('#', ...), ... end return f(" .. operand() .. ", nil, " ..
      operand() .. ")",
    "local t = {[1] = 'a', [1.0] = 'b', [2^53] = 'c'} return t[1], t[2^53|0]",
    "return table.unpack({" .. number() .. ", " .. number() .. ", " .. number() .. "}, " ..
      rand(3) .. ", " .. rand(4) .. ")",
    "local t = setmetatable({}, {__index = function(t, k) return k .. '!' end}) return t.x, t[1], rawget(t, 'x')",
    "local log = {} local t = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k rawset(t, k, v) end}) " ..
      "t.a = 1 t.a = 2 t.b = 3 return table.concat(log, ','), t.a",
    "local t = setmetatable({}, {__len = function() return " .. number() .. " end}) return #t",
    "local t = {} t[" .. number() .. "] = 1 return next(t) ~= nil",
    "local t = table.pack(" .. operand() .. ", nil) return t.n, select(-1, 1, 2, 3)",
    "local a = {} for i = 10, 1, -3 do a[#a + 1] = i end return table.concat(a, ' ')",
    "local a = {} for i = " .. number() .. ", " .. number() .. ", " .. pick({"1", "-1", "0.5", "2"}) ..
      " do a[#a + 1] = i if #a > 5 then break end end return #a, a[1], a[#a]",
  }
  statement(pick(forms))
end

local function metatables()
  local forms = {
    "local mt = {__add = function(a, b) return 'add' end, __eq = function() return true end, " ..
      "__lt = function() return false end, __concat = function(a, b) return 'cat' end} " ..
      "local x, y = setmetatable({}, mt), setmetatable({}, mt) " ..
      "return x + 1, 1 + x, x == y, x < y, x .. 'a', 'a' .. x, x ~= y",
    "local f = setmetatable({}, {__call = function(self, a, b) return a, b end}) return f(" ..
      operand() .. ", " .. operand() .. ")",
    "local order = {} do local a <close> = setmetatable({}, {__close = function() order[#order + 1] = 'a' end}) " ..
      "local b <close> = setmetatable({}, {__close = function(_, e) order[#order + 1] = 'b' .. tostring(e) end}) end " ..
      "return table.concat(order, ',')",
    "local ok, e = pcall(function() local x <close> = setmetatable({}, {__close = function(_, e) end}) error('in', 0) end) return ok, e",
    "return getmetatable('abc').__index == string, ('x'):rep(3)",
    "local t = setmetatable({}, {__index = {" .. "a = " .. number() .. "}}) return t.a, t.b",
  }
  statement(pick(forms))
end

local function closures()
  local forms = {
    "local fs = {} for i = 1, 3 do fs[i] = function() i = i + 1 return i end end return fs[1](), fs[1](), fs[2]()",
    "local n = 0 local function inc() n = n + 1 return n end local function get() return n end inc() inc() return get()",
    "local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end return fib(" .. rand(15) .. ")",
    "local function count(n) if n == 0 then return 'done' end return count(n - 1) end return count(" .. rand(5000) .. ")",
    "local i = 1 ::top:: i = i * 2 if i < " .. rand(100) .. " then goto top end return i",
    "local s = 0 for _, v in ipairs({" .. number() .. ", " .. number() .. ", nil, 4}) do s = s + v end return s",
  }
  statement(pick(forms))
end

local function coroutines()
  local forms = {
    "local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end) return co(" ..
      rand(9) .. "), co(" .. rand(9) .. ")",
    "local co = coroutine.create(function() error('inside') end) return coroutine.resume(co)",
    "local co = coroutine.create(function() error({code = 1}) end) local ok, e = coroutine.resume(co) return ok, type(e), coroutine.status(co)",
    "local gen = coroutine.wrap(function() for i = 1, " .. rand(6) .. " do coroutine.yield(i) end end) " ..
      "local s = {} for v in gen do s[#s + 1] = v end return table.concat(s, ',')",
    "local co = coroutine.create(function(...) return select('#', ...) end) return coroutine.resume(co, nil, nil)",
    "return coroutine.isyieldable(), coroutine.running() ~= nil",
    "local co = coroutine.create(function() coroutine.yield() end) coroutine.resume(co) " ..
      "return coroutine.close(co), coroutine.status(co)",
    "local co = coroutine.wrap(function() return pcall(coroutine.yield, 1) end) return co(), co(2)",
  }
  statement(pick(forms))
end

local kinds = {arithmetic, arithmetic, arithmetic, strings, strings, tables, tables, metatables,
  closures, coroutines}
for _ = 1, 12 + rand(12) do pick(kinds)() end

emit("-- generated by tests/diff/generate.lua " .. seed)
emit("local function show(...)")
emit("  local n = select('#', ...)")
emit("  local parts = {}")
emit("  for i = 1, n do")
emit("    local v = select(i, ...)")
emit("    local t = type(v)")
emit("    if t == 'number' then parts[i] = math.type(v) .. ':' .. string.format('%.14g', v)")
emit("    elseif t == 'string' then parts[i] = string.format('%q', v)")
emit("    elseif t == 'nil' or t == 'boolean' then parts[i] = tostring(v)")
emit("    else parts[i] = t end")
emit("  end")
emit("  print(table.concat(parts, ' '))")
emit("end")
-- One line per statement: lua5.4 (5.4.4) reports an integer division or modulo by zero at the
-- function's first line (it does not save the pc first; 5.4.6 does, as lunette), and on one line
-- both are the same line.
for i, body in ipairs(snippets) do
  emit("show(" .. i .. ", pcall(function() " .. body:gsub("\n", " ") .. " end))")
end
io.write(table.concat(out, "\n"), "\n")
