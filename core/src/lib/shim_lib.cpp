// The embedded modules' loaders (see embedded_modules.h), and the one native hook the shims'
// scheduler needs: telling the inspector where the virtual clock is, so every sample carries
// it (`vtime`) and the page can draw a run against server time. The hook is handed to the
// scheduler module alone, as its chunk's second argument: no global, nothing user code can
// reach through `require`.
#include <string>

#include "inspect/inspector.h"
#include "lib/embedded_modules.h"
#include "vm/api.h"
#include "vm/state.h"

namespace lunette {

namespace {

constexpr std::string_view kSchedulerModule = "lunette.shim.scheduler";

// clockMoved(seconds): the scheduler's virtual clock now reads `seconds`.
int clockMoved(Lua& L) {
  double seconds = L.checkNumber(1);
  State& S = L.state();
  Inspector* inspector = findInspector(S);
  if (inspector && S.inspecting) inspector->setVirtualTime(seconds);
  return 0;
}

// package.preload's loader: compiles the module named by upvalue 1 and runs it with its name.
int loadEmbedded(Lua& L) {
  std::string name(*L.toString(upvalueIndex(1)));
  for (const EmbeddedModule* m = kEmbeddedModules; m->name; ++m) {
    if (name != m->name) continue;
    LoadResult result = L.state().load(L.thread(), m->source, "=[" + name + "]");
    if (!result.ok) L.error();
    L.pushString(name);
    if (name != kSchedulerModule) {
      L.call(1, 1);
      return 1;
    }
    L.pushNative(clockMoved, 0);
    L.call(2, 1);
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
  L.pushString(kSchedulerModule);
  L.call(1, 1);
  L.getField(-1, "run");
  L.remove(-2);
  L.insert(-2);  // run, function
}

}  // namespace lunette
