// The package library (manual section 6.3): require, package.loaded, package.preload,
// package.path searching for Lua files, package.searchpath, package.searchers.
// Native (C) modules are not supported: package.cpath is kept for compatibility only.
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

// Returns the first readable file, or "" and the "no file" lines in `tried`.
std::string searchPath(std::string_view name, std::string_view path, std::string_view sep,
                       std::string_view rep, std::string& tried) {
  std::string n(name);
  if (!sep.empty()) n = replaceAll(n, sep, rep);
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(';', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view templ = path.substr(start, end - start);
    if (!templ.empty()) {
      std::string candidate = replaceAll(std::string(templ), "?", n);
      if (readable(candidate)) return candidate;
      tried += "\n\tno file '" + candidate + "'";
    }
    start = end + 1;
  }
  return {};
}

int pkgSearchpath(Lua& L) {
  std::string tried;
  std::string found = searchPath(L.checkString(1), L.checkString(2), L.optString(3, "."),
                                 L.optString(4, "/"), tried);
  if (!found.empty()) {
    L.pushString(found);
    return 1;
  }
  L.pushNil();
  L.pushString(tried.empty() ? tried : tried.substr(1));
  return 2;
}

int searcherPreload(Lua& L) {
  std::string_view name = L.checkString(1);
  L.getField(kRegistryIndex, "_PRELOAD");
  if (L.getField(-1, name) == Type::Nil) {
    L.pushString("\n\tno field package.preload['" + std::string(name) + "']");
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
  std::string tried;
  std::string file = searchPath(name, *path, ".", "/", tried);
  if (file.empty()) {
    L.pushString(tried);
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

int searcherNative(Lua& L) {
  std::string name(L.checkString(1));
  L.getField(upvalueIndex(1), "cpath");
  auto cpath = L.toString(-1);
  std::string tried;
  if (cpath) searchPath(name, *cpath, ".", "/", tried);
  L.pushString(tried);
  return 1;
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
    if (L.type(-2) == Type::String) message += *L.toString(-2);
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
  NativeFunction searchers[] = {searcherPreload, searcherLua, searcherNative};
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
