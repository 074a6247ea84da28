// The debug library (manual section 6.10): traceback, getinfo, getlocal/setlocal,
// getmetatable/setmetatable, getupvalue/setupvalue, upvalueid/upvaluejoin, getregistry,
// getuservalue/setuservalue, setcstacklimit, sethook/gethook, debug.
//
// Levels. Level 0 of a thread is its innermost frame: for the calling thread, the debug
// function itself; for a suspended coroutine, its coroutine.yield. Frame 0 of every thread is
// the entry sentinel and no level reaches it. Special frames (pcall, resume, yield markers)
// are levels like the natives they stand for.
#include <algorithm>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <string>

#include "common/numconv.h"
#include "lib/libs.h"
#include "vm/debuginfo.h"
#include "vm/interpreter.h"
#include "vm/state.h"

namespace lunette {

namespace {

int dbTraceback(Lua& L) {
  int arg = 1;
  Thread* target = &L.thread();
  if (Thread* t = L.toThread(1)) {
    target = t;
    arg = 2;
  }
  if (!L.isNoneOrNil(arg) && L.type(arg) != Type::String && L.type(arg) != Type::Number) {
    L.pushValue(arg);
    return 1;
  }
  std::string message(L.optString(arg, ""));
  int64_t level = L.optInteger(arg + 1, target == &L.thread() ? 1 : 0);
  std::string text = message.empty() ? std::string() : message + "\n";
  text += L.state().traceback(*target, static_cast<int>(level));
  L.pushString(text);
  return 1;
}

int dbGetmetatable(Lua& L) {
  L.checkAny(1);
  if (!L.getMetatable(1)) L.pushNil();
  return 1;
}

int dbSetmetatable(Lua& L) {
  Type t = L.type(2);
  L.argCheck(t == Type::Nil || t == Type::Table, 2, "nil or table expected");
  L.setTop(2);
  L.setMetatable(1);
  return 1;
}

// ---- arguments, levels and locals -----------------------------------------------------------

// The value of argument `arg` (1-based) of the running native.
Value argumentValue(Lua& L, int arg) { return *L.thread().at(L.thread().calls.back().func + arg); }

void pushRawValue(Lua& L, const Value& v) {
  L.checkStack(1);
  *L.thread().at(L.thread().top++) = v;
}

// The thread named by an optional first argument (else the running one); `arg` becomes the
// position of the next argument.
Thread& threadArgument(Lua& L, int& arg) {
  if (Thread* t = L.toThread(1)) {
    arg = 2;
    return *t;
  }
  arg = 1;
  return L.thread();
}

// Index in target.calls of the frame `level` levels down, or -1 when there is none.
int frameAtLevel(const Thread& target, int64_t level) {
  if (level < 0 || level >= static_cast<int64_t>(target.calls.size())) return -1;
  int index = static_cast<int>(target.calls.size()) - 1 - static_cast<int>(level);
  return index >= 1 ? index : -1;
}

int clampToInt(int64_t n) {
  return static_cast<int>(std::clamp<int64_t>(n, INT32_MIN, INT32_MAX));
}

// The name and stack slot of local `n` of frame `index`, as the reference finds them: the
// active locals by name; other slots in use by the frame as "(temporary)" ("(C temporary)" in a
// native frame); negative n the extra arguments of a vararg function, "(vararg)". nullptr when
// there is no such local.
const char* findLocal(const Thread& T, int index, int n, int& slot) {
  const CallInfo& ci = T.calls[index];
  const bool isLua = ci.kind == FrameKind::Lua;
  const int base = isLua ? ci.base : ci.func + 1;
  const char* name = nullptr;
  if (isLua) {
    const Proto* p = T.stack[ci.func].asLuaClosure()->proto;
    if (n < 0) {
      if (!p->isVararg || n < -ci.nextraargs) return nullptr;
      slot = ci.func + 1 + p->numparams + (-n - 1);  // the extras stay above the function
      return "(vararg)";
    }
    name = localName(p, n, currentPc(ci, p));
  }
  if (!name) {
    const bool innermost = index + 1 == static_cast<int>(T.calls.size());
    const int limit = innermost ? T.top : T.calls[static_cast<size_t>(index) + 1].func;
    if (n <= 0 || limit - base < n) return nullptr;
    name = isLua ? "(temporary)" : "(C temporary)";
  }
  slot = base + n - 1;
  return name;
}

// ---- getinfo ----------------------------------------------------------------------------------

// The lines holding code (the activelines table): every instruction's line, except the
// VARARGPREP that opens a vararg function, which belongs to no line of its own.
void pushActiveLines(Lua& L, const Proto* p) {
  L.newTable();
  size_t first = !p->code.empty() && opOf(p->code[0]) == Op::VarargPrep ? 1 : 0;
  for (size_t i = first; i < p->lineinfo.size(); ++i) {
    L.pushBoolean(true);
    L.rawSetI(-2, p->lineinfo[i]);
  }
}

void setSourceFields(Lua& L, const Value& fn) {
  const bool isLua = fn.tag == Tag::LuaClosure;
  const Proto* p = isLua ? fn.asLuaClosure()->proto : nullptr;
  L.pushString(isLua ? p->source->view() : "=[C]");
  L.setField(-2, "source");
  L.pushString(isLua ? chunkId(p->source->view()) : "[C]");
  L.setField(-2, "short_src");
  L.pushInteger(isLua ? p->linedefined : -1);
  L.setField(-2, "linedefined");
  L.pushInteger(isLua ? p->lastlinedefined : -1);
  L.setField(-2, "lastlinedefined");
  L.pushString(!isLua ? "C" : p->linedefined == 0 ? "main" : "Lua");
  L.setField(-2, "what");
}

void setUpvalueFields(Lua& L, const Value& fn) {
  int nups = 0, nparams = 0;
  bool vararg = true;
  if (fn.tag == Tag::LuaClosure) {
    const Proto* p = fn.asLuaClosure()->proto;
    nups = static_cast<int>(p->upvalues.size());
    nparams = p->numparams;
    vararg = p->isVararg;
  } else if (fn.tag == Tag::NativeClosure) {
    nups = fn.asNativeClosure()->nupvalues;
  }
  L.pushInteger(nups);
  L.setField(-2, "nups");
  L.pushInteger(nparams);
  L.setField(-2, "nparams");
  L.pushBoolean(vararg);
  L.setField(-2, "isvararg");
}

// getinfo([thread,] f|level [, what]): the fields `what` asks for (all but L by default).
int dbGetinfo(Lua& L) {
  int arg;
  Thread& T = threadArgument(L, arg);
  const std::string options(L.optString(arg + 1, "flnSrtu"));
  L.argCheck(options.empty() || options[0] != '>', arg + 1, "invalid option '>'");
  Value fn;
  int index = -1;
  if (L.isFunction(arg)) {
    fn = argumentValue(L, arg);
  } else {
    index = frameAtLevel(T, L.checkInteger(arg));
    if (index < 0) {  // level out of range
      L.pushNil();
      return 1;
    }
    fn = T.stack[T.calls[index].func];
  }
  for (char c : options)
    if (!std::strchr("SlunrtLf", c)) L.argError(arg + 1, "invalid option");
  auto wants = [&](char c) { return options.find(c) != std::string::npos; };
  const CallInfo* ci = index >= 0 ? &T.calls[index] : nullptr;
  const bool isLua = fn.tag == Tag::LuaClosure;
  L.newTable();
  if (wants('S')) setSourceFields(L, fn);
  if (wants('l')) {
    L.pushInteger(ci && isLua ? currentLine(*ci, fn.asLuaClosure()->proto) : -1);
    L.setField(-2, "currentline");
  }
  if (wants('u')) setUpvalueFields(L, fn);
  if (wants('n')) {
    FunctionName name = ci ? calledName(L.state(), T, index) : FunctionName{};
    if (!name.kind.empty()) {
      L.pushString(name.name);
      L.setField(-2, "name");
    }
    L.pushString(name.kind);  // "" when no name is known
    L.setField(-2, "namewhat");
  }
  if (wants('r')) {  // values moved by a call or return event: none outside such hooks
    const bool hooked = ci && ci->runningHook && T.hookTransfer.count != 0;
    L.pushInteger(hooked ? T.hookTransfer.first : 0);
    L.setField(-2, "ftransfer");
    L.pushInteger(hooked ? T.hookTransfer.count : 0);
    L.setField(-2, "ntransfer");
  }
  if (wants('t')) {
    L.pushBoolean(ci && ci->tailcall);
    L.setField(-2, "istailcall");
  }
  if (wants('L') && isLua) {
    pushActiveLines(L, fn.asLuaClosure()->proto);
    L.setField(-2, "activelines");
  }
  if (wants('f')) {
    pushRawValue(L, fn);
    L.setField(-2, "func");
  }
  return 1;
}

int dbGetupvalue(Lua& L) {
  L.checkType(1, Type::Function);
  int64_t n = L.checkInteger(2);
  Value fn = *L.thread().at(L.thread().calls.back().func + 1);
  if (fn.tag == Tag::LuaClosure) {
    LuaClosure* c = fn.asLuaClosure();
    if (n < 1 || n > c->nupvalues) return 0;
    const UpvalDesc& d = c->proto->upvalues[n - 1];
    L.pushString(d.name ? d.name->view() : "(no name)");  // stripped
    L.checkStack(1);
    *L.thread().at(L.thread().top++) = *c->upvals[n - 1]->value;
    return 2;
  }
  if (fn.tag == Tag::NativeClosure) {
    NativeClosure* c = fn.asNativeClosure();
    if (n < 1 || n > c->nupvalues) return 0;
    L.pushString("");
    L.checkStack(1);
    *L.thread().at(L.thread().top++) = c->upvalues[n - 1];
    return 2;
  }
  return 0;
}

int dbSetupvalue(Lua& L) {
  L.checkType(1, Type::Function);
  int64_t n = L.checkInteger(2);
  L.checkAny(3);
  Value fn = *L.thread().at(L.thread().calls.back().func + 1);
  Value v = *L.thread().at(L.thread().calls.back().func + 3);
  if (fn.tag == Tag::LuaClosure) {
    LuaClosure* c = fn.asLuaClosure();
    if (n < 1 || n > c->nupvalues) return 0;
    *c->upvals[n - 1]->value = v;
    L.state().collector.barrierForward(c->upvals[n - 1], v);
    const UpvalDesc& d = c->proto->upvalues[n - 1];
    L.pushString(d.name ? d.name->view() : "(no name)");  // stripped
    return 1;
  }
  return 0;
}

// The identity of upvalue n of a function (its UpVal, or the native closure's slot), or nullptr
// when there is no such upvalue (light natives have none).
void* upvalueId(const Value& fn, int64_t n) {
  if (fn.tag == Tag::LuaClosure) {
    LuaClosure* c = fn.asLuaClosure();
    return n >= 1 && n <= c->nupvalues ? c->upvals[n - 1] : nullptr;
  }
  if (fn.tag == Tag::NativeClosure) {
    NativeClosure* c = fn.asNativeClosure();
    return n >= 1 && n <= c->nupvalues ? &c->upvalues[n - 1] : nullptr;
  }
  return nullptr;
}

int dbUpvalueid(Lua& L) {
  int64_t n = L.checkInteger(2);
  L.checkType(1, Type::Function);
  if (void* id = upvalueId(argumentValue(L, 1), n)) L.pushLightUserdata(id);
  else L.pushNil();
  return 1;
}

// upvaluejoin(f1, n1, f2, n2): upvalue n1 of Lua function f1 becomes upvalue n2 of f2.
int dbUpvaluejoin(Lua& L) {
  for (int arg : {1, 3}) {
    int64_t n = L.checkInteger(arg + 1);
    L.checkType(arg, Type::Function);
    L.argCheck(upvalueId(argumentValue(L, arg), n) != nullptr, arg + 1, "invalid upvalue index");
  }
  L.argCheck(argumentValue(L, 1).tag == Tag::LuaClosure, 1, "Lua function expected");
  L.argCheck(argumentValue(L, 3).tag == Tag::LuaClosure, 3, "Lua function expected");
  LuaClosure* target = argumentValue(L, 1).asLuaClosure();
  UpVal* shared = argumentValue(L, 3).asLuaClosure()->upvals[L.checkInteger(4) - 1];
  target->upvals[L.checkInteger(2) - 1] = shared;
  // A black closure now refers to the upvalue: keep the tri-colour invariant.
  Collector& gc = L.state().collector;
  if (gc.isMarking() && gc.isBlack(target) && gc.isWhite(shared)) gc.markObject(shared);
  return 0;
}

// getlocal([thread,] level|f, n): a function gives its parameter names only (no values).
int dbGetlocal(Lua& L) {
  int arg;
  Thread& T = threadArgument(L, arg);
  const int n = clampToInt(L.checkInteger(arg + 1));
  if (L.isFunction(arg)) {
    Value fn = argumentValue(L, arg);
    const char* name =
        fn.tag == Tag::LuaClosure ? localName(fn.asLuaClosure()->proto, n, 0) : nullptr;
    if (name) L.pushString(name);
    else L.pushNil();
    return 1;
  }
  int index = frameAtLevel(T, L.checkInteger(arg));
  if (index < 0) L.argError(arg, "level out of range");
  int slot = 0;
  const char* name = findLocal(T, index, n, slot);
  if (!name) {
    L.pushNil();
    return 1;
  }
  Value v = T.stack[slot];
  L.pushString(name);
  pushRawValue(L, v);
  return 2;
}

// setlocal([thread,] level, n, value): the local's name, or nil when there is none.
int dbSetlocal(Lua& L) {
  int arg;
  Thread& T = threadArgument(L, arg);
  int index = frameAtLevel(T, L.checkInteger(arg));
  const int n = clampToInt(L.checkInteger(arg + 1));
  if (index < 0) L.argError(arg, "level out of range");
  L.checkAny(arg + 2);
  int slot = 0;
  const char* name = findLocal(T, index, n, slot);
  if (!name) {
    L.pushNil();
    return 1;
  }
  // Thread stacks take no barriers: a stack written while its thread is not running is marked
  // changed, so the collector scans it again before the cycle ends (gc/collector.h).
  T.stack[slot] = argumentValue(L, arg + 2);
  T.gcScanStamp = 0;
  L.pushString(name);
  return 1;
}

int dbGetregistry(Lua& L) {
  L.pushValue(kRegistryIndex);
  return 1;
}

// Lunette's full userdata carry no user values (as the reference's io files): every index is
// out of range, which both functions answer with fail.
int dbGetuservalue(Lua& L) {
  L.optInteger(2, 1);
  L.pushNil();
  return 1;
}

int dbSetuservalue(Lua& L) {
  L.optInteger(3, 1);
  L.checkType(1, Type::Userdata);
  L.checkAny(2);
  L.pushNil();
  return 1;
}

// Deprecated in 5.4: the C stack limit is fixed; answers it as the reference does (200).
int dbSetcstacklimit(Lua& L) {
  L.checkInteger(1);
  L.pushInteger(200);
  return 1;
}

// ---- hooks ------------------------------------------------------------------------------------

// Pushes registry._HOOKKEY, the weak-keyed table of hook functions by thread (made on demand).
void pushHookTable(Lua& L) {
  if (L.getField(kRegistryIndex, "_HOOKKEY") == Type::Table) return;
  L.pop(1);
  L.newTable();
  L.pushString("k");
  L.setField(-2, "__mode");
  L.pushValue(-1);
  L.setMetatable(-2);  // its own metatable: weak keys, so a hooked thread can still be collected
  L.pushValue(-1);
  L.setField(kRegistryIndex, "_HOOKKEY");
}

// sethook([thread,] [f, mask [, count]]): events "c" (call and tail call), "r" (return), "l"
// (line), and a count event every `count` instructions. The hook belongs to that thread only.
int dbSethook(Lua& L) {
  int arg;
  Thread& T = threadArgument(L, arg);
  uint8_t mask = 0;
  int count = 0;
  if (!L.isNoneOrNil(arg)) {
    std::string_view smask = L.checkString(arg + 1);
    L.checkType(arg, Type::Function);
    count = clampToInt(L.optInteger(arg + 2, 0));
    if (smask.find('c') != std::string_view::npos) mask |= kHookCall;
    if (smask.find('r') != std::string_view::npos) mask |= kHookReturn;
    if (smask.find('l') != std::string_view::npos) mask |= kHookLine;
    if (count > 0) mask |= kHookCount;
  }
  pushHookTable(L);
  pushRawValue(L, Value::object(&T, Tag::Thread));
  if (mask) L.pushValue(arg);
  else L.pushNil();
  L.rawSet(-3);
  T.hookMask = mask;
  T.hookCount = mask ? count : 0;
  T.hookCountdown = T.hookCount;
  // Like the reference, no line event for the rest of the line that set the hook: the calling
  // Lua frame counts its current line as reported.
  if (&T == &L.thread() && T.calls.size() >= 2) {
    CallInfo& caller = T.calls[T.calls.size() - 2];
    if (caller.kind == FrameKind::Lua) {
      const Proto* p = T.stack[caller.func].asLuaClosure()->proto;
      caller.hookLine = currentLine(caller, p);
      caller.hookPc = currentPc(caller, p);
    }
  }
  return 0;
}

// gethook([thread]): the hook function, its mask ("crl" order) and count; fail without a hook.
int dbGethook(Lua& L) {
  int arg;
  Thread& T = threadArgument(L, arg);
  if (T.hookMask == 0) {
    L.pushNil();
    return 1;
  }
  pushHookTable(L);
  pushRawValue(L, Value::object(&T, Tag::Thread));
  L.rawGet(-2);
  L.remove(-2);
  std::string smask;
  if (T.hookMask & kHookCall) smask += 'c';
  if (T.hookMask & kHookReturn) smask += 'r';
  if (T.hookMask & kHookLine) smask += 'l';
  L.pushString(smask);
  L.pushInteger(T.hookCount);
  return 3;
}

// debug.debug(): runs each line read from stdin as a chunk, until "cont" or the end of the
// input; prompts and errors go to stderr.
int dbDebug(Lua& L) {
  for (;;) {
    L.writeError("lua_debug> ");
    char buffer[250];
    if (!std::fgets(buffer, sizeof buffer, stdin) || std::strcmp(buffer, "cont\n") == 0) return 0;
    const int base = L.top();
    bool ok = L.state().load(L.thread(), buffer, "=(debug command)").ok && L.pcall(0, 0);
    if (!ok) {
      L.writeError(L.toDisplayString(-1));
      L.writeError("\n");
    }
    L.setTop(base);
  }
}

}  // namespace

int openDebug(Lua& L) {
  L.newTable();
  L.setFunctions({
      {"traceback", dbTraceback},
      {"getinfo", dbGetinfo},
      {"getlocal", dbGetlocal},
      {"getmetatable", dbGetmetatable},
      {"setmetatable", dbSetmetatable},
      {"getupvalue", dbGetupvalue},
      {"setupvalue", dbSetupvalue},
      {"upvalueid", dbUpvalueid},
      {"upvaluejoin", dbUpvaluejoin},
      {"setlocal", dbSetlocal},
      {"getregistry", dbGetregistry},
      {"getuservalue", dbGetuservalue},
      {"setuservalue", dbSetuservalue},
      {"setcstacklimit", dbSetcstacklimit},
      {"debug", dbDebug},
      {"sethook", dbSethook},
      {"gethook", dbGethook},
  });
  return 1;
}

}  // namespace lunette
