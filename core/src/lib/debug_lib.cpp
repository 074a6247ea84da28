// The debug library (manual section 6.10), the subset programs really call: traceback,
// getinfo, getlocal, getmetatable/setmetatable, getupvalue/setupvalue, upvalueid.
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

// getinfo([thread,] f|level [, what]) for Lua frames and functions.
int dbGetinfo(Lua& L) {
  State& S = L.state();
  Thread* target = &L.thread();
  int arg = 1;
  if (Thread* t = L.toThread(1)) {
    target = t;
    arg = 2;
  }
  Value fn;
  const CallInfo* ci = nullptr;
  int frameIndex = -1;
  if (L.type(arg) == Type::Number) {
    int64_t level = L.checkInteger(arg);
    frameIndex = static_cast<int>(target->calls.size()) - 1 - static_cast<int>(level) +
                 (target == &L.thread() ? 0 : 1);
    if (level < 0 || frameIndex < 1) {
      L.pushNil();
      return 1;
    }
    ci = &target->calls[frameIndex];
    fn = target->stack[ci->func];
  } else {
    L.checkType(arg, Type::Function);
    fn = *L.thread().at(L.thread().calls.back().func + arg);
  }
  L.newTable();
  if (fn.tag == Tag::LuaClosure) {
    const Proto* p = fn.asLuaClosure()->proto;
    L.pushString(p->source->view());
    L.setField(-2, "source");
    L.pushString(chunkId(p->source->view()));
    L.setField(-2, "short_src");
    L.pushInteger(p->linedefined);
    L.setField(-2, "linedefined");
    L.pushInteger(p->lastlinedefined);
    L.setField(-2, "lastlinedefined");
    L.pushString(p->linedefined == 0 ? "main" : "Lua");
    L.setField(-2, "what");
    L.pushInteger(static_cast<int64_t>(p->upvalues.size()));
    L.setField(-2, "nups");
    L.pushInteger(p->numparams);
    L.setField(-2, "nparams");
    L.pushBoolean(p->isVararg);
    L.setField(-2, "isvararg");
    L.pushInteger(ci ? currentLine(*ci, p) : -1);
    L.setField(-2, "currentline");
  } else {
    L.pushString("=[C]");
    L.setField(-2, "source");
    L.pushString("[C]");
    L.setField(-2, "short_src");
    L.pushInteger(-1);
    L.setField(-2, "linedefined");
    L.pushInteger(-1);
    L.setField(-2, "lastlinedefined");
    L.pushString("C");
    L.setField(-2, "what");
    L.pushInteger(-1);
    L.setField(-2, "currentline");
    L.pushInteger(fn.tag == Tag::NativeClosure ? fn.asNativeClosure()->nupvalues : 0);
    L.setField(-2, "nups");
    L.pushInteger(0);
    L.setField(-2, "nparams");
    L.pushBoolean(true);
    L.setField(-2, "isvararg");
  }
  if (ci) {
    FunctionName name = calledName(S, *target, frameIndex);
    if (!name.kind.empty()) {
      L.pushString(name.name);
      L.setField(-2, "name");
    }
    L.pushString(name.kind);
    L.setField(-2, "namewhat");
    L.pushBoolean(ci->tailcall);
    L.setField(-2, "istailcall");
  }
  L.checkStack(1);
  *L.thread().at(L.thread().top++) = fn;
  L.setField(-2, "func");
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
    L.pushString(d.name ? d.name->view() : "?");
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
    L.pushString(d.name ? d.name->view() : "?");
    return 1;
  }
  return 0;
}

int dbUpvalueid(Lua& L) {
  L.checkType(1, Type::Function);
  int64_t n = L.checkInteger(2);
  Value fn = *L.thread().at(L.thread().calls.back().func + 1);
  if (fn.tag == Tag::LuaClosure) {
    LuaClosure* c = fn.asLuaClosure();
    L.argCheck(n >= 1 && n <= c->nupvalues, 2, "invalid upvalue index");
    L.pushLightUserdata(c->upvals[n - 1]);
    return 1;
  }
  L.argError(2, "invalid upvalue index");
}

int dbGetlocal(Lua& L) {
  int64_t level = L.checkInteger(1);
  int64_t n = L.checkInteger(2);
  Thread& T = L.thread();
  int frameIndex = static_cast<int>(T.calls.size()) - 1 - static_cast<int>(level);
  if (level < 0 || frameIndex < 1) L.argError(1, "level out of range");
  const CallInfo& ci = T.calls[frameIndex];
  if (ci.kind != FrameKind::Lua) {
    L.pushNil();
    return 1;
  }
  const Proto* p = T.stack[ci.func].asLuaClosure()->proto;
  const char* name = localName(p, static_cast<int>(n), currentPc(ci, p));
  if (!name) {
    L.pushNil();
    return 1;
  }
  L.pushString(name);
  Value v = T.stack[ci.base + n - 1];
  L.checkStack(1);
  *T.at(T.top++) = v;
  return 2;
}

// sethook([thread,] [f, mask [, count]]): line and count events (call and return events are
// accepted in the mask but not reported). One hook serves the whole state.
int dbSethook(Lua& L) {
  int arg = L.toThread(1) ? 2 : 1;
  State& S = L.state();
  if (L.isNoneOrNil(arg)) {
    S.hookMask = 0;
    L.pushNil();
    L.setField(kRegistryIndex, "_HOOKFN");
    L.pushNil();
    L.setField(kRegistryIndex, "_HOOKMASK");
    return 0;
  }
  L.checkType(arg, Type::Function);
  std::string mask(L.optString(arg + 1, ""));
  int64_t count = L.optInteger(arg + 2, 0);
  int bits = 0;
  if (mask.find('l') != std::string::npos) bits |= State::kHookLine;
  if (count > 0) bits |= State::kHookCount;
  L.pushValue(arg);
  L.setField(kRegistryIndex, "_HOOKFN");
  L.pushString(mask);
  L.setField(kRegistryIndex, "_HOOKMASK");
  S.hookCount = static_cast<int>(count);
  S.hookCountdown = static_cast<int>(count);
  S.hookMask = bits;
  return 0;
}

int dbGethook(Lua& L) {
  State& S = L.state();
  if (S.hookMask == 0 && L.getField(kRegistryIndex, "_HOOKFN") == Type::Nil) {
    L.pushNil();
    return 1;
  }
  L.setTop(0);
  L.getField(kRegistryIndex, "_HOOKFN");
  L.getField(kRegistryIndex, "_HOOKMASK");
  L.pushInteger(S.hookCount);
  return 3;
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
      {"sethook", dbSethook},
      {"gethook", dbGethook},
  });
  return 1;
}

}  // namespace lunette
