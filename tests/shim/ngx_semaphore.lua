-- args: --shim=ngx
-- Semaphores: FIFO waiters, post with a count, wait with a timeout, count() < 0 for waiters.
local semaphore = require "ngx.semaphore"
local sema = semaphore.new(0)
local function at() return string.format("%.2f", ngx.now() - 1700000000) end
for i = 1, 3 do
  ngx.thread.spawn(function()
    local ok, err = sema:wait(2)
    ngx.say("waiter ", i, " -> ", tostring(ok), " ", tostring(err), " at ", at())
  end)
end
ngx.say("count with three waiters: ", sema:count())
ngx.sleep(1)
sema:post(2)
ngx.say("posted 2 at ", at(), "; count ", sema:count())
ngx.sleep(5)
ngx.say("count after the timeout: ", sema:count())
sema:post(3)
ngx.say("count after posting 3 to nobody: ", sema:count())
print(sema:wait(0), sema:wait(0), sema:wait(0), sema:wait(0))
local ok, err = sema:wait(0.5)
ngx.say("empty wait: ", tostring(ok), " ", err, " at ", at())
local other = semaphore.new(1)
print(other:wait(), other:count())
