-- Title: Hello from Lunette
-- A tiny tour: closures, a coroutine, and the collector's view of the heap.
-- Watch: the heap chart climbs while 10000 small tables are made, then drops at the explicit
-- collection; the coroutine table shows one generator going suspended -> dead -> collected.
-- Every example prints its findings, and `CHECK name value` lines that the tests verify.

local lunette = require "lunette"

local function check(name, value)
  print(string.format("CHECK %s %s", name, tostring(value)))
end

local function counter()
  local n = 0
  return function() n = n + 1; return n end
end

local nextId = counter()
local ids = { nextId(), nextId(), nextId() }
print("closures count: " .. table.concat(ids, " "))
check("closure_counts", table.concat(ids, ","))

local gen = coroutine.wrap(function()
  for i = 1, 3 do coroutine.yield(i * i) end
end)
local squares = { gen(), gen(), gen() }
print("coroutine squares: " .. table.concat(squares, " "))
check("coroutine_squares", table.concat(squares, ","))

local before = collectgarbage("count")
local garbage = {}
for i = 1, 10000 do garbage[i] = { i } end
local grown = collectgarbage("count")
garbage = nil
gen = nil
collectgarbage("collect")
local after = collectgarbage("count")
print(string.format("heap: %.0f KB -> %.0f KB with 10000 tables -> %.0f KB after collect", before,
  grown, after))
check("heap_grew", grown > before + 100)
check("heap_shrank", after <= before + 64)

local info = lunette.gcinfo()
local collected = 0
for _, r in ipairs(lunette.coroutines()) do
  if r.collected then collected = collected + 1 end
end
print(string.format("collector mode %s, %d cycles so far; coroutines collected: %d", info.mode,
  info.cycles, collected))
check("generator_collected", collected)
