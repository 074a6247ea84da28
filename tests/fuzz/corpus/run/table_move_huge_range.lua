-- Kept from a fuzz finding (2026-12-06): table.move over a range of 2^63 elements is one native
-- call that runs no Lua instruction; it must still end within the budget (State::chargeNativeWork).
print(pcall(table.move, {}, 2, math.maxinteger, 2))
print(pcall(table.move, {}, 2, math.maxinteger, 3, {}))
