#!/usr/bin/env lua
-- Helper chunk for base_dofile.lua: starts with a shebang line that dofile skips.
return "shebang skipped"
