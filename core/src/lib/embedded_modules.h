// Lua modules compiled into the binary (the server shims: lunette.shim.scheduler, .ngx,
// .skynet). Their sources are core/src/lib/shim_*.lua; the build turns them into
// kEmbeddedModules (scripts/embed_lua.cmake). openShims() makes `require` find each by name
// through package.preload; nothing runs until a script (or `lunette --shim=`) requires one.
#pragma once

namespace lunette {

class Lua;

struct EmbeddedModule {
  const char* name;    // the name require takes ("lunette.shim.ngx")
  const char* source;  // Lua source
};
extern const EmbeddedModule kEmbeddedModules[];  // ends with {nullptr, nullptr}

// package.preload[name] for every embedded module. Expects the package library open.
void openShims(Lua& L);

}  // namespace lunette
