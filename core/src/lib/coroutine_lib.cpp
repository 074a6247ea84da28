// The coroutine library (manual section 6.2). resume, yield and the functions made by wrap are
// special natives: when Lua code calls them the interpreter switches threads itself (see
// vm/interpreter.cpp), so nothing here recurses on the C++ stack.
#include "inspect/inspector.h"
#include "lib/libs.h"
#include "vm/interpreter.h"
#include "vm/state.h"

namespace lunette {

namespace {

Thread* checkCoroutine(Lua& L, int arg) {
  Thread* co = L.toThread(arg);
  if (!co) L.typeError(arg, "thread");
  return co;
}

Thread* newCoroutine(Lua& L, bool wrapped) {
  L.checkType(1, Type::Function);
  State& S = L.state();
  Value fn = *L.thread().at(L.thread().calls.back().func + 1);
  Inspector* inspector = S.inspecting ? &inspectorOf(S) : nullptr;
  Inspector::Birthplace birthplace{};
  if (inspector) birthplace = inspector->birthplaceOf(L.thread(), fn);
  Thread* co = S.newThreadAt(birthplace.allocationSite);
  co->status = CoStatus::Suspended;
  // Like lua_newthread, the coroutine inherits its creator's hook mask and count; the hook
  // function itself is kept per thread, so until debug.sethook(co, ...) gives it one, the
  // inherited events find no function to call (gethook in it returns nil, mask, count).
  const Thread& creator = L.thread();
  co->hookMask = creator.hookMask;
  co->hookCount = creator.hookCount;
  co->hookCountdown = creator.hookCount;
  co->stack[co->top++] = fn;
  if (inspector) inspector->coroutineCreated(co, birthplace.site, wrapped);
  return co;
}

int coCreate(Lua& L) {
  State& S = L.state();
  Thread* co = newCoroutine(L, false);
  L.checkStack(1);
  *L.thread().at(L.thread().top++) = Value::thread(co);
  S.checkGc();
  return 1;
}

const char* statusName(Lua& L, Thread* co) {
  if (co == &L.thread()) return "running";
  switch (co->status) {
    case CoStatus::Suspended: return "suspended";
    case CoStatus::Running: return "running";
    case CoStatus::Normal: return "normal";
    case CoStatus::Dead: return "dead";
  }
  return "dead";
}

int coStatus(Lua& L) {
  Thread* co = checkCoroutine(L, 1);
  L.pushString(statusName(L, co));
  return 1;
}

int coRunning(Lua& L) {
  bool isMain = L.pushThread();
  L.pushBoolean(isMain);
  return 2;
}

int coIsyieldable(Lua& L) {
  Thread* co = L.isNone(1) ? &L.thread() : checkCoroutine(L, 1);
  L.pushBoolean(co != L.state().mainThread && co->nny == 0);
  return 1;
}

int coWrap(Lua& L) {
  State& S = L.state();
  Thread* co = newCoroutine(L, true);
  L.checkStack(1);
  *L.thread().at(L.thread().top++) = Value::thread(co);
  S.checkGc();
  L.pushNative(nativeWrapped, 1);
  return 1;
}

int coClose(Lua& L) {
  Thread* co = checkCoroutine(L, 1);
  State& S = L.state();
  const char* status = statusName(L, co);
  if (co->status != CoStatus::Dead && co->status != CoStatus::Suspended)
    L.raise(std::string("cannot close a ") + status + " coroutine");
  if (co == &L.thread()) L.raise("cannot close a running coroutine");
  Value error = co->diedInError ? co->errorValue : Value();
  bool ok = !co->diedInError;
  bool diedBefore = co->status == CoStatus::Dead;  // its record already says how
  closeUpvalues(S, *co, 0);
  if (!co->tbcSlots.empty()) {
    // Pending to-be-closed variables are closed now, getting the error the coroutine died of.
    Thread* saved = S.running;
    Value final = closeToBeClosed(S, *co, 0, error, true);
    S.running = saved;
    if (!rawEquals(final, error)) {
      error = final;
      ok = false;
    }
  }
  setCoStatus(S, *co, CoStatus::Dead);
  if (co->coroutineId && !diedBefore) inspectorOf(S).coroutineDied(co, !ok, ok ? std::string() : "closed with an error");
  co->calls.resize(1);
  co->top = 1;
  co->diedInError = false;
  co->errorValue = Value();
  if (ok) {
    L.pushBoolean(true);
    return 1;
  }
  L.pushBoolean(false);
  L.checkStack(1);
  *L.thread().at(L.thread().top++) = error;
  return 2;
}

}  // namespace

int openCoroutine(Lua& L) {
  L.newTable();
  L.setFunctions({
      {"create", coCreate},
      {"resume", nativeResume},
      {"yield", nativeYield},
      {"status", coStatus},
      {"running", coRunning},
      {"isyieldable", coIsyieldable},
      {"wrap", coWrap},
      {"close", coClose},
  });
  return 1;
}

}  // namespace lunette
