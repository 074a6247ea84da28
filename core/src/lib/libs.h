// The standard libraries. Each `open*` is a native function that builds its library table and
// returns it (1 result); openStandardLibraries() calls each like the reference's
// luaL_requiref: the table goes into package.loaded[name] and into the global `name`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vm/api.h"

namespace lunette {

class State;

// Opens every library into `S` (lib/standard_libraries.cpp), attaching an inspector first if
// the state has none.
void openStandardLibraries(State& S);

// The global `arg` of a script run as `interpreter script args...`, as the lua command sets
// it: arg[-1] the interpreter, arg[0] the script, arg[1..] its arguments.
void setArgTable(Lua& L, std::string_view interpreter, std::string_view script,
                 const std::vector<std::string>& args);

int openBase(Lua& L);       // lib/base_lib.cpp      ("_G")
int openPackage(Lua& L);    // lib/package_lib.cpp   ("package", and the global `require`)
int openCoroutine(Lua& L);  // lib/coroutine_lib.cpp ("coroutine")
int openTable(Lua& L);      // lib/table_lib.cpp     ("table")
int openIo(Lua& L);         // lib/io_lib.cpp        ("io")
int openOs(Lua& L);         // lib/os_lib.cpp        ("os")
int openString(Lua& L);     // lib/string_lib.cpp    ("string"; also sets the string metatable)
int openMath(Lua& L);       // lib/math_lib.cpp      ("math")
int openUtf8(Lua& L);       // lib/utf8_lib.cpp      ("utf8")
int openDebug(Lua& L);      // lib/debug_lib.cpp     ("debug")
int openLunette(Lua& L);    // lib/lunette_lib.cpp   ("lunette": in package.loaded only)

}  // namespace lunette
