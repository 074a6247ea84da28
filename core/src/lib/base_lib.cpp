// The base library (manual section 6.1): print, type, tostring, tonumber, pairs, ipairs, next,
// select, raw*, metatables, assert, error, pcall, xpcall, load, loadfile, dofile,
// collectgarbage, warn, _G, _VERSION.
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "common/numconv.h"
#include "common/read_file.h"
#include "inspect/inspector.h"
#include "lib/libs.h"
#include "lib/os_platform.h"
#include "vm/interpreter.h"
#include "vm/state.h"

namespace lunette {

namespace {

int basePrint(Lua& L) {
  int n = L.top();
  std::string line;
  for (int i = 1; i <= n; ++i) {
    if (i > 1) line += '\t';
    line += L.toDisplayString(i);
    L.pop(1);
  }
  line += '\n';
  L.writeOutput(line);
  return 0;
}

int baseType(Lua& L) {
  L.checkAny(1);
  L.pushString(L.typeNameAt(1));
  return 1;
}

int baseTostring(Lua& L) {
  L.checkAny(1);
  L.toDisplayString(1);
  return 1;
}

// tonumber(s, base): digits of `base` with an optional sign, surrounded by spaces.
bool parseWithBase(std::string_view s, int base, int64_t& out) {
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  bool negative = false;
  if (i < s.size() && s[i] == '-') {
    negative = true;
    ++i;
  } else if (i < s.size() && s[i] == '+') {
    ++i;
  }
  if (i >= s.size() || !std::isalnum(static_cast<unsigned char>(s[i]))) return false;
  uint64_t n = 0;
  for (; i < s.size() && std::isalnum(static_cast<unsigned char>(s[i])); ++i) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
    int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : c - 'a' + 10;
    if (digit >= base) return false;
    n = n * static_cast<uint64_t>(base) + static_cast<uint64_t>(digit);
  }
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  if (i != s.size()) return false;
  out = static_cast<int64_t>(negative ? 0 - n : n);
  return true;
}

int baseTonumber(Lua& L) {
  if (L.isNoneOrNil(2)) {
    if (L.type(1) == Type::Number) {
      L.setTop(1);
      return 1;
    }
    if (auto s = L.type(1) == Type::String ? L.toString(1) : std::nullopt) {
      if (auto parsed = parseNumber(*s)) {
        if (parsed->isInteger) L.pushInteger(parsed->integer);
        else L.pushNumber(parsed->number);
        return 1;
      }
    }
    L.checkAny(1);
    L.pushNil();
    return 1;
  }
  int64_t base = L.checkInteger(2);
  L.checkType(1, Type::String);
  std::string_view s = *L.toString(1);
  L.argCheck(base >= 2 && base <= 36, 2, "base out of range");
  int64_t value;
  if (parseWithBase(s, static_cast<int>(base), value)) L.pushInteger(value);
  else L.pushNil();
  return 1;
}

int baseIpairs(Lua& L) {
  L.checkAny(1);
  L.pushNative(nativeIpairsStep);
  L.pushValue(1);
  L.pushInteger(0);
  return 3;
}

int baseSelect(Lua& L) {
  int n = L.top();
  if (L.type(1) == Type::String && *L.toString(1) == "#") {
    L.pushInteger(n - 1);
    return 1;
  }
  int64_t i = L.checkInteger(1);
  if (i < 0) i = n + i;
  else if (i > n) i = n;
  L.argCheck(1 <= i, 1, "index out of range");
  return n - static_cast<int>(i);
}

int baseRawequal(Lua& L) {
  L.checkAny(1);
  L.checkAny(2);
  L.pushBoolean(L.rawEqual(1, 2));
  return 1;
}

int baseRawlen(Lua& L) {
  Type t = L.type(1);
  if (t != Type::Table && t != Type::String) L.typeError(1, "table or string");
  L.pushInteger(static_cast<int64_t>(L.rawLen(1)));
  return 1;
}

int baseRawget(Lua& L) {
  L.checkType(1, Type::Table);
  L.checkAny(2);
  L.setTop(2);
  L.rawGet(1);
  return 1;
}

int baseRawset(Lua& L) {
  L.checkType(1, Type::Table);
  L.checkAny(2);
  L.checkAny(3);
  L.setTop(3);
  L.rawSet(1);
  return 1;
}

int baseGetmetatable(Lua& L) {
  L.checkAny(1);
  if (!L.getMetatable(1)) {
    L.pushNil();
    return 1;
  }
  L.getMetaField(1, "__metatable");
  return 1;
}

int baseSetmetatable(Lua& L) {
  Type t = L.type(2);
  L.checkType(1, Type::Table);
  if (t != Type::Nil && t != Type::Table) L.typeError(2, "nil or table");
  if (L.getMetaField(1, "__metatable") != Type::Nil) L.raise("cannot change a protected metatable");
  L.setTop(2);
  L.setMetatable(1);
  return 1;
}

int baseError(Lua& L);

int baseAssert(Lua& L) {
  if (L.toBoolean(1)) return L.top();
  L.checkAny(1);
  L.remove(1);
  L.pushString("assertion failed!");
  L.setTop(1);
  return baseError(L);  // like error(message, 1)
}

int baseError(Lua& L) {
  int64_t level = L.optInteger(2, 1);
  L.setTop(1);
  if (L.type(1) == Type::String && level > 0) {
    std::string text = L.where(static_cast<int>(level));
    if (!text.empty()) {
      text += *L.toString(1);
      L.pushString(text);
      L.errorAt(static_cast<int>(level));
    }
  }
  L.error();
}

// load/loadfile share this: compile or undump `source` (State::load) and set the first upvalue
// to `env` if given.
int finishLoad(Lua& L, std::string_view source, std::string_view chunkname, std::string_view mode,
               int envIndex) {
  bool binary = !source.empty() && source.front() == '\x1b';
  if (binary && mode.find('b') == std::string_view::npos) {
    L.pushNil();
    L.pushString("attempt to load a binary chunk (mode is '" + std::string(mode) + "')");
    return 2;
  }
  if (!binary && mode.find('t') == std::string_view::npos) {
    L.pushNil();
    L.pushString("attempt to load a text chunk (mode is '" + std::string(mode) + "')");
    return 2;
  }
  LoadResult result = L.state().load(L.thread(), source, chunkname);
  if (!result.ok) {
    L.pushNil();
    L.insert(-2);
    return 2;
  }
  if (envIndex != 0) {
    L.pushValue(envIndex);
    L.state().setFirstUpvalue(L.thread(), -2);
  }
  return 1;
}

int baseLoad(Lua& L) {
  std::string source;
  std::string chunkname;
  std::string_view mode = L.optString(3, "bt");
  int envIndex = L.isNone(4) ? 0 : 4;
  if (auto s = L.isString(1) ? L.toString(1) : std::nullopt) {
    source = std::string(*s);
    chunkname = std::string(L.optString(2, source));
  } else {
    chunkname = std::string(L.optString(2, "=(load)"));
    L.checkType(1, Type::Function);
    // Read pieces from the function until it returns nil or an empty string. An error while
    // reading makes load return nil and the message, like a syntax error.
    for (;;) {
      L.pushValue(1);
      if (!L.pcall(0, 1)) {
        L.pushNil();
        L.insert(-2);
        return 2;
      }
      if (L.isNil(-1)) {
        L.pop(1);
        break;
      }
      if (L.type(-1) != Type::String) {
        L.pop(1);
        L.pushNil();
        L.pushString(L.where(1) + "reader function must return a string");
        return 2;
      }
      std::string_view piece = *L.toString(-1);
      if (piece.empty()) {
        L.pop(1);
        break;
      }
      source += piece;
      L.pop(1);
    }
  }
  return finishLoad(L, source, chunkname, mode, envIndex);
}

// Loads a file as the reference's luaL_loadfilex: "@name" chunk name, '#' first line skipped.
int loadFileChunk(Lua& L, const char* name, std::string_view mode, int envIndex) {
  std::string source;
  if (!readWholeFile(name, source)) {
    L.pushNil();
    L.pushString(std::string("cannot open ") + name + ": " + errorMessage(errno));
    return 2;
  }
  skipCommentLine(source);
  std::string chunkname = name ? std::string("@") + name : std::string("=stdin");
  return finishLoad(L, source, chunkname, mode, envIndex);
}

int baseLoadfile(Lua& L) {
  const char* name = nullptr;
  std::string nameStorage;
  if (!L.isNoneOrNil(1)) {
    nameStorage = std::string(L.checkString(1));
    name = nameStorage.c_str();
  }
  std::string_view mode = L.optString(2, "bt");
  int envIndex = L.isNone(3) ? 0 : 3;
  return loadFileChunk(L, name, mode, envIndex);
}

int baseDofile(Lua& L) {
  std::string nameStorage;
  const char* name = nullptr;
  if (!L.isNoneOrNil(1)) {
    nameStorage = std::string(L.checkString(1));
    name = nameStorage.c_str();
  }
  L.setTop(1);
  if (loadFileChunk(L, name, "bt", 0) != 1) L.error();
  return L.tailCall(0);  // the chunk runs as a frame of dofile's caller: it may yield
}

// Lua 5.4 keeps pause, stepmul and majormul in a byte as value / 4, so what it reports back is
// rounded down to a multiple of 4 (set 150, get 148); we keep the same values.
int referenceParameter(int64_t value) {
  if (value < 0) value = 0;
  if (value > 1023) value = 1023;
  return static_cast<int>(value / 4 * 4);
}

int baseCollectgarbage(Lua& L) {
  State& S = L.state();
  Collector& gc = S.collector;
  int option = L.checkOption(1, "collect",
                             {"stop", "restart", "collect", "count", "step", "setpause",
                              "setstepmul", "isrunning", "generational", "incremental",
                              "luajit"});
  if (gc.insideFinalizer()) {  // every option, as the reference's lua_gc answers -1 there
    L.pushNil();
    return 1;
  }
  switch (option) {
    case 0: gc.stop(); L.pushInteger(0); return 1;
    case 1: gc.restart(S); L.pushInteger(0); return 1;
    case 2: gc.fullCollect(S); L.pushInteger(0); return 1;
    case 3: L.pushNumber(static_cast<double>(gc.heapBytes) / 1024.0); return 1;
    case 4: L.pushBoolean(gc.explicitStep(S, L.optInteger(2, 0))); return 1;
    case 5: {
      int previous = gc.pause;
      gc.pause = referenceParameter(L.optInteger(2, 0));
      L.pushInteger(previous);
      return 1;
    }
    case 6: {
      int previous = gc.stepmul;
      gc.stepmul = referenceParameter(L.optInteger(2, 0));
      L.pushInteger(previous);
      return 1;
    }
    case 7: L.pushBoolean(gc.running); return 1;
    case 8: {  // generational [minormul [, majormul]]
      const char* previous = gcModeName(gc.mode);
      if (int64_t m = L.optInteger(2, 0)) gc.minormul = static_cast<int>(m);
      if (int64_t m = L.optInteger(3, 0)) gc.majormul = referenceParameter(m);
      gc.setMode(S, GcMode::Generational);
      L.pushString(previous);
      return 1;
    }
    case 9: {  // incremental [pause [, stepmul [, stepsize]]]
      const char* previous = gcModeName(gc.mode);
      if (int64_t p = L.optInteger(2, 0)) gc.pause = referenceParameter(p);
      if (int64_t m = L.optInteger(3, 0)) gc.stepmul = referenceParameter(m);
      if (int64_t s = L.optInteger(4, 0)) gc.stepsize = static_cast<int>(s);
      gc.setMode(S, GcMode::Incremental);
      L.pushString(previous);
      return 1;
    }
    case 10: {  // luajit [pause [, stepmul]]: Lunette's LuaJIT 2.1 pacing
      const char* previous = gcModeName(gc.mode);
      if (int64_t p = L.optInteger(2, 0)) gc.pause = static_cast<int>(p);
      if (int64_t m = L.optInteger(3, 0)) gc.stepmul = static_cast<int>(m);
      gc.setMode(S, GcMode::LuaJit);
      L.pushString(previous);
      return 1;
    }
  }
  return 0;
}

// collectgarbage, plus a sample of the recording when the call acted on the collector (the
// timeline marks where a script collected, stepped or retuned).
int baseCollectgarbageRecorded(Lua& L) {
  int results = baseCollectgarbage(L);
  State& S = L.state();
  std::optional<std::string_view> option = L.top() >= 1 && L.isString(1)
                                               ? std::optional(*L.toString(1))
                                               : std::nullopt;
  bool acted = !option || (*option != "count" && *option != "isrunning");
  if (acted && S.inspecting) inspectorOf(S).takeSample(SampleReason::CollectGarbage);
  return results;
}

int baseWarn(Lua& L) {
  int n = L.top();
  L.checkString(1);
  for (int i = 2; i <= n; ++i) L.checkString(i);
  for (int i = 1; i <= n; ++i) L.warn(*L.toString(i), i < n);
  return 0;
}

}  // namespace

int openBase(Lua& L) {
  L.pushGlobalTable();
  L.pushValue(-1);
  L.setField(-2, "_G");
  L.setFunctions({
      {"assert", baseAssert},
      {"collectgarbage", baseCollectgarbageRecorded},
      {"dofile", baseDofile},
      {"error", baseError},
      {"getmetatable", baseGetmetatable},
      {"ipairs", baseIpairs},
      {"loadfile", baseLoadfile},
      {"load", baseLoad},
      {"next", nativeNext},
      {"pairs", nativePairs},
      {"pcall", nativePcall},
      {"print", basePrint},
      {"warn", baseWarn},
      {"rawequal", baseRawequal},
      {"rawlen", baseRawlen},
      {"rawget", baseRawget},
      {"rawset", baseRawset},
      {"select", baseSelect},
      {"setmetatable", baseSetmetatable},
      {"tonumber", baseTonumber},
      {"tostring", baseTostring},
      {"type", baseType},
      {"xpcall", nativeXpcall},
  });
  L.pushString("Lua 5.4");
  L.setField(-2, "_VERSION");
  return 1;
}

}  // namespace lunette
