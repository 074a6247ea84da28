-- lunette.shim.skynet: the parts of skynet's Lua API that coroutine code uses, on the virtual
-- clock of lunette.shim.scheduler. Embedded by shim_lib.cpp.
--
-- One service: skynet.start's function is its first task. A tick is 10 ms of virtual time, as
-- in skynet. skynet.wait parks the calling task until skynet.wakeup(token) (the token defaults
-- to the calling coroutine); a wakeup nobody calls parks it forever, which is the leak the
-- playground shows. skynet.error writes "[:00000008] message" to the output.

local S = require "lunette.shim.scheduler"

local kStartTime = 1700000000  -- seconds, a fixed date so output is the same every run
local kService = ":00000008"
local skynet = {}

local function ticks(n)
  n = tonumber(n) or 0
  return n / 100
end

function skynet.now() return math.floor(S.now() * 100 + 0.5) end
function skynet.starttime() return kStartTime end
function skynet.time() return kStartTime + skynet.now() / 100 end
function skynet.hpc() return math.floor(S.now() * 1e9) end

function skynet.sleep(n, token)
  S.sleep(ticks(n), string.format("sleep until tick %d", skynet.now() + math.floor(tonumber(n) or 0)))
end

function skynet.yield() return skynet.sleep(0) end

function skynet.timeout(n, fn)
  S.timerTask(ticks(n), nil, "timer", function(premature) if not premature then fn() end end)
end

function skynet.fork(fn, ...)
  local co = S.spawn(fn, "fork", ...)
  return co
end

function skynet.start(fn)
  if S.current() then
    fn()
  else
    S.spawn(fn, "start")
  end
end

function skynet.init(fn) fn() end

local sleepers = {}  -- token -> wake function

function skynet.wait(token)
  token = token or coroutine.running()
  local label = "wakeup token " .. tostring(token)
  return S.wait(label, function(wake) sleepers[token] = wake end)
end

function skynet.wakeup(token)
  local wake = sleepers[token]
  if not wake then return false end
  sleepers[token] = nil
  return wake()
end

function skynet.error(...)
  local parts = table.pack(...)
  for i = 1, parts.n do parts[i] = tostring(parts[i]) end
  S.log(kService .. " " .. table.concat(parts, " ", 1, parts.n))
end

function skynet.self() return 8 end
function skynet.exit() S.kill(coroutine.running()) coroutine.yield() end

S.errorHandler = function(task, err)
  S.log(kService .. " " .. tostring(err))
end

package.loaded["skynet"] = skynet
return skynet
