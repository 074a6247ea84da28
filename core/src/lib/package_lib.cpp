// The package library (manual section 6.3): require, package.loaded, package.preload,
// package.path searching for Lua files, package.searchpath, package.searchers.
// Native (C) modules are not supported: package.cpath is searched (so that messages list it as
// the reference's do) but a library found there fails to load.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "lib/libs.h"

namespace lunette {

namespace {

constexpr const char* kDefaultPath =
    "/usr/local/share/lua/5.4/?.lua;/usr/local/share/lua/5.4/?/init.lua;"
    "/usr/local/lib/lua/5.4/?.lua;/usr/local/lib/lua/5.4/?/init.lua;./?.lua;./?/init.lua";
constexpr const char* kDefaultCpath = "/usr/local/lib/lua/5.4/?.so;/usr/local/lib/lua/5.4/loadall.so;./?.so";

bool readable(const std::string& name) {
  FILE* f = std::fopen(name.c_str(), "r");
  if (!f) return false;
  std::fclose(f);
  return true;
}

std::string replaceAll(std::string s, std::string_view from, std::string_view to) {
  if (from.empty()) return s;
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

// Returns the first readable file, or "" and in `notFound` the message naming every template
// tried, as the reference words it: "no file 'a'\n\tno file ''..." (an empty template is listed
// too, and the message has no leading separator: require adds that).
std::string searchPath(std::string_view name, std::string_view path, std::string_view sep,
                       std::string_view rep, std::string& notFound) {
  std::string n(name);
  if (!sep.empty()) n = replaceAll(n, sep, rep);
  // The name goes into the whole path first, then the path is split at ';' (a ';' in the
  // name splits too, as in the reference).
  std::string expanded = replaceAll(std::string(path), "?", n);
  for (size_t start = 0; !expanded.empty();) {  // an empty path has no template at all
    size_t end = expanded.find(';', start);
    std::string candidate = expanded.substr(start, end - start);
    if (readable(candidate)) return candidate;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  notFound = "no file '" + replaceAll(expanded, ";", "'\n\tno file '") + "'";
  return {};
}

int pkgSearchpath(Lua& L) {
  std::string notFound;
  std::string found = searchPath(L.checkString(1), L.checkString(2), L.optString(3, "."),
                                 L.optString(4, "/"), notFound);
  if (!found.empty()) {
    L.pushString(found);
    return 1;
  }
  L.pushNil();
  L.pushString(notFound);
  return 2;
}

int searcherPreload(Lua& L) {
  std::string_view name = L.checkString(1);
  L.getField(kRegistryIndex, "_PRELOAD");
  if (L.getField(-1, name) == Type::Nil) {
    L.pushString("no field package.preload['" + std::string(name) + "']");
    return 1;
  }
  L.pushString(":preload:");
  return 2;
}

int searcherLua(Lua& L) {
  std::string name(L.checkString(1));
  L.getField(upvalueIndex(1), "path");
  auto path = L.toString(-1);
  if (!path) L.raise("'package.path' must be a string");
  std::string notFound;
  std::string file = searchPath(name, *path, ".", "/", notFound);
  if (file.empty()) {
    L.pushString(notFound);
    return 1;
  }
  L.getGlobal("loadfile");
  L.pushString(file);
  L.call(1, 2);
  if (L.isNil(-2)) {
    std::string message(L.toString(-1).value_or("?"));
    L.raise("error loading module '" + name + "' from file '" + file + "':\n\t" + message);
  }
  L.pop(1);
  L.pushString(file);
  return 2;
}

// Searches package.cpath for `name` like the reference's C searchers. A file found cannot be
// loaded (no dynamic libraries here): that is the error a reference built without them gives.
int searchCpath(Lua& L, const std::string& name, const std::string& fileName) {
  L.getField(upvalueIndex(1), "cpath");
  auto cpath = L.toString(-1);
  if (!cpath) L.raise("'package.cpath' must be a string");
  std::string notFound;
  std::string file = searchPath(fileName, *cpath, ".", "/", notFound);
  if (file.empty()) {
    L.pushString(notFound);
    return 1;
  }
  L.raise("error loading module '" + name + "' from file '" + file +
          "':\n\tdynamic libraries not enabled; check your Lua installation");
}

int searcherNative(Lua& L) {
  std::string name(L.checkString(1));
  return searchCpath(L, name, name);
}

// "a.b.c" is also looked for as the library of its root "a" (which would hold luaopen_a_b_c).
int searcherNativeRoot(Lua& L) {
  std::string name(L.checkString(1));
  size_t dot = name.find('.');
  if (dot == std::string::npos) return 0;  // a root name: the previous searcher covered it
  return searchCpath(L, name, name.substr(0, dot));
}

int pkgRequire(Lua& L) {
  std::string name(L.checkString(1));
  L.setTop(1);
  L.getField(kRegistryIndex, "_LOADED");  // 2
  if (L.getField(2, name) != Type::Nil && L.toBoolean(-1)) return 1;
  L.pop(1);
  L.getField(upvalueIndex(1), "searchers");  // 3
  if (L.type(3) != Type::Table) L.raise("'package.searchers' must be a table");
  std::string message;
  for (int64_t i = 1;; ++i) {
    if (L.getI(3, i) == Type::Nil) {
      L.pop(1);
      L.raise("module '" + name + "' not found:" + message);
    }
    L.pushString(name);
    L.call(1, 2);
    if (L.type(-2) == Type::Function) break;
    if (L.type(-2) == Type::String) message += "\n\t" + std::string(*L.toString(-2));
    L.pop(2);
  }
  // Loader at -2, its data at -1: call loader(name, data).
  int data = L.top();
  L.pushValue(-2);
  L.pushString(name);
  L.pushValue(data);
  L.call(2, 1);
  if (!L.isNil(-1)) L.setField(2, name);
  else L.pop(1);
  if (L.getField(2, name) == Type::Nil) {
    L.pop(1);
    L.pushBoolean(true);
    L.pushValue(-1);
    L.setField(2, name);
  }
  L.pushValue(data);
  return 2;
}

}  // namespace

int openPackage(Lua& L) {
  L.newTable();  // package
  L.pushNative(pkgSearchpath);
  L.setField(-2, "searchpath");
  L.pushString("/\n;\n?\n!\n-\n");
  L.setField(-2, "config");
  const char* path = std::getenv("LUA_PATH_5_4");
  if (!path) path = std::getenv("LUA_PATH");
  std::string pathValue = path ? replaceAll(path, ";;", std::string(";") + kDefaultPath + ";") : kDefaultPath;
  L.pushString(pathValue);
  L.setField(-2, "path");
  L.pushString(kDefaultCpath);
  L.setField(-2, "cpath");
  L.getField(kRegistryIndex, "_LOADED");
  L.setField(-2, "loaded");
  L.newTable();
  L.pushValue(-1);
  L.setField(kRegistryIndex, "_PRELOAD");
  L.setField(-2, "preload");
  // searchers, each with the package table as upvalue
  L.newTable();
  NativeFunction searchers[] = {searcherPreload, searcherLua, searcherNative, searcherNativeRoot};
  int64_t i = 1;
  for (NativeFunction s : searchers) {
    L.pushValue(-2);
    L.pushNative(s, 1);
    L.rawSetI(-2, i++);
  }
  L.setField(-2, "searchers");
  L.pushValue(-1);
  L.pushNative(pkgRequire, 1);
  L.setGlobal("require");
  return 1;
}

}  // namespace lunette
