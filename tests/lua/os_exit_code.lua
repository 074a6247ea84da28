-- os.exit with a number: the process status is that number, and pending output (including a
-- last line without a newline) is flushed first.
print("before exit")
io.write("partial line")
io.stdout:write(" and more")
os.exit(3)
print("not reached")
