-- Pins down an uncaught error(nil): the process still fails with status 1 after printing.
print("raising nil")
error(nil)
