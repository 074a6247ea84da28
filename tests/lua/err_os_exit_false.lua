-- Pins down os.exit(false): exit status 1 (EXIT_FAILURE) after printing.
print("exiting with false")
os.exit(false)
