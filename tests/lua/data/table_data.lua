-- Helper chunk for base_dofile.lua: a data file in Lua syntax.
return {
  name = "sample",
  values = {3, 1, 4, 1, 5, 9, 2, 6},
  nested = {flag = true, label = "inner"},
}
