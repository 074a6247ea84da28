// Opening the standard libraries into a State, as the reference's luaL_openlibs: each library
// table goes into package.loaded (registry._LOADED) and into its global; the `lunette` module
// and the server shims only into package.loaded. The VM opens nothing itself (the layers go
// vm <- inspect <- lib): an embedder calls this once, before loading code.
#include <string_view>

#include "inspect/inspector.h"
#include "lib/embedded_modules.h"
#include "lib/libs.h"
#include "vm/state.h"

namespace lunette {

void openStandardLibraries(State& S) {
  if (!S.observer) attachInspector(S);  // the lunette module reads it
  Lua L(S, *S.mainThread);
  // registry._LOADED holds every module, as the reference's package.loaded.
  L.newTable();
  L.setField(kRegistryIndex, "_LOADED");
  struct Library {
    const char* name;
    NativeFunction open;
  };
  const Library libraries[] = {
      {"_G", openBase},       {"package", openPackage}, {"coroutine", openCoroutine},
      {"table", openTable},   {"io", openIo},           {"os", openOs},
      {"string", openString}, {"math", openMath},       {"utf8", openUtf8},
      {"debug", openDebug},
  };
  for (const Library& lib : libraries) {
    L.getField(kRegistryIndex, "_LOADED");
    L.pushNative(lib.open);
    L.call(0, 1);
    L.pushValue(-1);
    L.setField(-3, lib.name);
    if (std::string_view(lib.name) != "_G") {
      L.pushValue(-1);
      L.setGlobal(lib.name);
    }
    L.pop(2);
  }
  // The inspector's module: require "lunette" finds it; it is not a global.
  S.collector.ready = true;  // every root exists: allocations may now collect in an emergency
  L.getField(kRegistryIndex, "_LOADED");
  L.pushNative(openLunette);
  L.call(0, 1);
  L.setField(-2, "lunette");
  L.pop(1);
  openShims(L);  // require "lunette.shim.ngx" / ".skynet" (nothing runs until required)
}

void setArgTable(Lua& L, std::string_view interpreter, std::string_view script,
                 const std::vector<std::string>& args) {
  L.newTable();
  L.pushString(interpreter);
  L.rawSetI(-2, -1);
  L.pushString(script);
  L.rawSetI(-2, 0);
  for (size_t i = 0; i < args.size(); ++i) {
    L.pushString(args[i]);
    L.rawSetI(-2, static_cast<int64_t>(i + 1));
  }
  L.setGlobal("arg");
}

}  // namespace lunette
