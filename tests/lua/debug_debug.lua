-- stdin: data/debug_commands.txt
-- debug.debug runs each stdin line as a chunk (errors go to stderr and do not stop it) until
-- "cont"; the rest of the input is left for the program.
x = 0
debug.debug()
print("x is", x)
print(io.read("l"))
print(io.read("l"))
