# Writes OUT: a C++ file defining lunette::kEmbeddedModules, the Lua modules listed in INPUTS
# (a ;-list of name=path pairs) as raw string literals. Run by the build (cmake -P), so the
# .lua files stay the source of truth and are edited as Lua.
set(body "// Generated from the shim modules by scripts/embed_lua.cmake: do not edit.\n")
string(APPEND body "#include \"lib/embedded_modules.h\"\n\nnamespace lunette {\n\n")
string(APPEND body "const EmbeddedModule kEmbeddedModules[] = {\n")
foreach(pair ${INPUTS})
  string(REPLACE "=" ";" parts "${pair}")
  list(GET parts 0 name)
  list(GET parts 1 path)
  file(READ "${path}" source)
  string(APPEND body "    {\"${name}\", R\"LUNETTE_LUA(${source})LUNETTE_LUA\"},\n")
endforeach()
string(APPEND body "    {nullptr, nullptr},\n};\n\n}  // namespace lunette\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
