-- Pins down os.exit(true) inside nested calls and pcall: exit status 0, nothing after it runs.
print("start")
local function deep(n)
  if n == 0 then os.exit(true) end
  return deep(n - 1) + 1
end
print(pcall(deep, 10))
print("never printed")
