-- Loops the budget must bound: repeat-until and goto back edges, and loops inside native
-- calls (which cannot pause: the overdraft limit ends them).
local n = 0
repeat n = n + 1 until n < 0 and false
::again:: n = n + 1 if n > 0 then goto again end
