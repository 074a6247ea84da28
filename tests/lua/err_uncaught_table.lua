-- Pins down an uncaught error with a table value (no __tostring): exit status 1, stdout kept.
print("about to raise a table")
error({code = 1})
