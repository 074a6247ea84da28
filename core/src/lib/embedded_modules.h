// Lua modules compiled into the binary (the server shims: lunette.shim.scheduler, .ngx,
// .skynet). Their sources are core/src/lib/shim_*.lua; the build turns them into
// kEmbeddedModules (scripts/embed_lua.cmake). openShims() makes `require` find each by name
// through package.preload; nothing runs until a script (or `lunette --shim=`) requires one.
#pragma once

#include <string_view>

namespace lunette {

class Lua;

struct EmbeddedModule {
  const char* name;    // the name require takes ("lunette.shim.ngx")
  const char* source;  // Lua source
};
extern const EmbeddedModule kEmbeddedModules[];  // ends with {nullptr, nullptr}

// package.preload[name] for every embedded module. Expects the package library open.
void openShims(Lua& L);

// The server shims `lunette --shim=NAME` and the Session offer: "ngx", "skynet".
bool isShimName(std::string_view name);
// Requires lunette.shim.NAME (installing its API) and puts the scheduler's run below the
// function on the top of the stack: calling it with the function's arguments (one more
// argument) runs the function as the first task on the shim's virtual clock.
void wrapInShim(Lua& L, std::string_view name);

}  // namespace lunette
