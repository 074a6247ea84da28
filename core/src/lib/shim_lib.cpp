// The embedded modules' loaders (see embedded_modules.h).
#include <string>

#include "lib/embedded_modules.h"
#include "vm/api.h"
#include "vm/state.h"

namespace lunette {

namespace {

// package.preload's loader: compiles the module named by upvalue 1 and runs it with its name.
int loadEmbedded(Lua& L) {
  std::string name(*L.toString(upvalueIndex(1)));
  for (const EmbeddedModule* m = kEmbeddedModules; m->name; ++m) {
    if (name != m->name) continue;
    LoadResult result = L.state().load(L.thread(), m->source, "=[" + name + "]");
    if (!result.ok) L.error();
    L.pushString(name);
    L.call(1, 1);
    return 1;
  }
  L.raise("no embedded module '" + name + "'");
}

}  // namespace

void openShims(Lua& L) {
  L.getField(kRegistryIndex, "_LOADED");
  L.getField(-1, "package");
  L.getField(-1, "preload");
  for (const EmbeddedModule* m = kEmbeddedModules; m->name; ++m) {
    L.pushString(m->name);
    L.pushNative(loadEmbedded, 1);
    L.setField(-2, m->name);
  }
  L.pop(3);
}

bool isShimName(std::string_view name) { return name == "ngx" || name == "skynet"; }

void wrapInShim(Lua& L, std::string_view name) {
  L.getGlobal("require");
  L.pushString("lunette.shim." + std::string(name));
  L.call(1, 0);
  L.getGlobal("require");
  L.pushString("lunette.shim.scheduler");
  L.call(1, 1);
  L.getField(-1, "run");
  L.remove(-2);
  L.insert(-2);  // run, function
}

}  // namespace lunette
