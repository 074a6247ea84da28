// The interpreter: calls and returns, the special frames (pcall, xpcall, resume, wrap, yield),
// error unwinding, and the dispatch loop. See interpreter.h for the design.
#include "vm/interpreter.h"

#include <atomic>
#include <cmath>
#include <cstring>
#include <iterator>

#include "common/numconv.h"
#include "vm/debuginfo.h"
#include "vm/operations.h"

namespace lunette {

namespace {

constexpr int kMaxNativeDepth = 195;  // nested interpreter loops ("C stack overflow")
constexpr uint32_t kMaxNestedResumes = 15000;  // coroutines resuming coroutines
constexpr int kErrorStackExtra = 200;  // room to handle a stack overflow error
constexpr size_t kErrorFramesExtra = 200;  // frames a message handler may add past the limit

// ---- stack ----------------------------------------------------------------------------------

void moveResults(Thread& L, int first, int n, int dest, int wanted) {
  if (wanted == kMultRet) wanted = n;
  Value* s = L.stack;
  int i = 0;
  int copy = n < wanted ? n : wanted;
  if (first != dest)
    for (; i < copy; ++i) s[dest + i] = s[first + i];
  for (i = copy; i < wanted; ++i) s[dest + i] = Value();
  L.top = dest + wanted;
}

}  // namespace

namespace {

void resizeStack(State& S, Thread& L, int size) {
  auto* fresh = static_cast<Value*>(
      S.reallocateRaw(L.stack, sizeof(Value) * L.stackSize, sizeof(Value) * size, Tag::Thread));
  for (int i = L.stackSize; i < size; ++i) fresh[i] = Value();
  for (UpVal* u = L.openUpvals; u; u = u->open.next) u->value = fresh + (u->value - L.stack);
  L.stack = fresh;
  L.stackSize = size;
}

}  // namespace

// Overflow works as the reference's: the first time a limit is hit, the thread enters its
// reserve (a few more slots and frames) and "stack overflow" is raised, so that an xpcall
// message handler can still run on top of the failing frames; hitting the raised limit means
// the handler overflowed too ("error in error handling"). leaveOverflowReserve ends it once
// the error has been handled.
void growStack(State& S, Thread& L, int extra) {
  int needed = L.top + extra + kStackExtra;
  if (needed > kMaxStackSlots) {
    const int reserve = kMaxStackSlots + kErrorStackExtra;
    if (L.overflowReserve && needed > reserve) S.throwMessage(L, "error in error handling", ErrorKind::Handler);
    if (L.stackSize < reserve) resizeStack(S, L, reserve);
    if (L.overflowReserve) return;
    L.overflowReserve = true;
    S.runtimeError(L, "stack overflow");
  }
  int size = L.stackSize ? L.stackSize : needed;
  while (size < needed) size *= 2;
  if (size > kMaxStackSlots) size = kMaxStackSlots;
  resizeStack(S, L, size);
}

namespace {

size_t frameLimit(const Thread& L) {
  return L.overflowReserve ? kMaxCallFrames + kErrorFramesExtra : kMaxCallFrames;
}

// depth (calls.size()) < frameLimit(L), with the common case (far below the plain limit) one
// compare.
inline bool belowFrameLimit(const Thread& L, size_t depth) {
  return depth < kMaxCallFrames || (L.overflowReserve && depth < kMaxCallFrames + kErrorFramesExtra);
}

[[noreturn]] void frameOverflow(State& S, Thread& L) {
  if (L.overflowReserve) S.throwMessage(L, "error in error handling", ErrorKind::Handler);
  L.overflowReserve = true;
  S.runtimeError(L, "stack overflow");
}

void leaveOverflowReserve(State& S, Thread& L) {
  if (!L.overflowReserve || L.calls.size() >= kMaxCallFrames) return;
  int inUse = L.top;
  for (size_t i = 0; i < L.calls.size(); ++i) inUse = std::max(inUse, L.calls[i].top);
  if (inUse + kStackExtra > kMaxStackSlots) return;
  if (L.stackSize > kMaxStackSlots) resizeStack(S, L, kMaxStackSlots);
  L.overflowReserve = false;
}

}  // namespace

// ---- upvalues and to-be-closed variables ----------------------------------------------------

// `site`: the allocation site a new upvalue gets (the closure instruction's).
UpVal* findUpvalue(State& S, Thread& L, int slot, uint32_t site) {
  Value* target = L.stack + slot;
  UpVal** link = &L.openUpvals;
  while (*link && (*link)->value >= target) {
    if ((*link)->value == target) return *link;
    link = &(*link)->open.next;
  }
  if (!L.openUpvals) S.collector.rememberThreadWithUpvalues(&L);
  UpVal* u = S.newUpVal(site);
  u->value = target;
  u->open.next = *link;
  u->open.previous = link;
  if (*link) (*link)->open.previous = &u->open.next;
  *link = u;
  return u;
}

void unlinkOpenUpvalue(UpVal* u) {
  *u->open.previous = u->open.next;
  if (u->open.next) u->open.next->open.previous = u->open.previous;
}

namespace {
// (The test callers make before closeUpvalues, inline: most frames capture nothing.)
inline bool hasOpenUpvaluesFrom(const Thread& L, const Value* level) {
  return L.openUpvals && L.openUpvals->value >= level;
}
}  // namespace

void closeUpvalues(State& S, Thread& L, int level) {
  Value* limit = L.stack + level;
  while (L.openUpvals && L.openUpvals->value >= limit) {
    UpVal* u = L.openUpvals;
    unlinkOpenUpvalue(u);
    u->closed = *u->value;
    u->value = &u->closed;
    S.collector.barrierForward(u, u->closed);
  }
}

Value closeToBeClosed(State& S, Thread& L, int level, const Value& error, bool unwinding) {
  // The error travels in a slot of its own under the closing calls: the copy passed to a
  // closing method becomes one of its registers and may be overwritten, and the collector
  // must still see the error. (The caller keeps `error` reachable until it is stored.)
  int entryTop = L.top;
  int errorSlot = L.tbcSlots.empty() || L.tbcSlots.back() < L.top ? L.top : L.tbcSlots.back() + 1;
  ensureStack(S, L, errorSlot - L.top + 5);
  L.stack[errorSlot] = error;
  L.top = errorSlot + 1;
  while (!L.tbcSlots.empty() && L.tbcSlots.back() >= level) {
    int slot = L.tbcSlots.back();
    L.tbcSlots.pop_back();
    Value object = L.stack[slot];
    const Value* tm = S.metamethod(object, Event::Close);
    int func = L.top;
    ensureStack(S, L, 4);
    L.stack[func] = tm ? *tm : Value();  // a vanished __close is called anyway (and fails)
    L.stack[func + 1] = object;
    L.stack[func + 2] = unwinding ? L.stack[errorSlot] : Value();
    L.top = func + 3;
    if (!unwinding) {
      callFromNative(S, L, func, 0);
    } else if (!callProtected(S, L, func, 0)) {
      L.stack[errorSlot] = L.errorValue;  // while unwinding, an error in a closing method replaces it
    }
    L.top = func;
  }
  Value finalError = L.stack[errorSlot];
  L.top = entryTop;
  return finalError;
}

// ---- calls ----------------------------------------------------------------------------------

// The natives the loop runs itself (they push frames or switch threads), recognised by address.
// CALL asks at every native call, and most natives are not special, so the answer must be
// cheap, and exact: a hot library native mistaken for a special one would take doCall's slow
// path for no reason.
#ifdef __ELF__
// Natively the six are linked into a text section of their own (LUNETTE_SPECIAL_NATIVE below),
// whose bounds the linker names __start_/__stop_<section>: one subtraction and one unsigned
// comparison against the section's size, and no other function can fall in that range.
extern "C" [[gnu::visibility("hidden")]] const char __start_lunette_special_natives[];
extern "C" [[gnu::visibility("hidden")]] const char __stop_lunette_special_natives[];
#define LUNETTE_SPECIAL_NATIVE [[gnu::section("lunette_special_natives")]]

bool isSpecialNative(NativeFunction f) {
  const auto start = reinterpret_cast<uintptr_t>(__start_lunette_special_natives);
  const auto stop = reinterpret_cast<uintptr_t>(__stop_lunette_special_natives);
  return reinterpret_cast<uintptr_t>(f) - start < stop - start;
}
#else
// In WebAssembly a function pointer is an index into the function table, with no sections to
// place it in: a filter with one bit per special native (chosen by a multiplicative hash of the
// index) rules most natives out in a multiply and a shift, and the six comparisons settle the
// few whose bit collides with a special one's.
#define LUNETTE_SPECIAL_NATIVE

namespace {
uint64_t nativeFilterBit(NativeFunction f) {
  uint64_t address = reinterpret_cast<uintptr_t>(f);
  return uint64_t{1} << ((address * 0x9E3779B97F4A7C15u) >> 58);
}
const uint64_t specialNativeFilter =
    nativeFilterBit(nativePcall) | nativeFilterBit(nativeXpcall) | nativeFilterBit(nativeResume) |
    nativeFilterBit(nativeYield) | nativeFilterBit(nativeWrapped) | nativeFilterBit(nativePairs);
}  // namespace

bool isSpecialNative(NativeFunction f) {
  return (specialNativeFilter & nativeFilterBit(f)) != 0 &&
         (f == nativePcall || f == nativeXpcall || f == nativeResume || f == nativeYield ||
          f == nativeWrapped || f == nativePairs);
}
#endif

namespace {

enum class CallOutcome { Completed, NewFrame, Switched };

CallOutcome doCall(State& S, Thread& L, int funcIndex, int nresults);


// ---- hooks (debug.sethook) ---------------------------------------------------------------------

// Calls the running thread's hook function with (event, line or nil) on top of the innermost
// frame, whose registers (a Lua frame's) and results stay untouched. No hook runs inside
// another. The frame is marked as running a hook so the hook is named "hook '?'"; a call or
// return event tells getinfo's "r" which of the frame's locals hold the values transferred
// (ftransfer, the first as getlocal numbers it, and their count ntransfer).
[[gnu::noinline, gnu::cold]] void callHook(State& S, Thread& L, const char* event, int line,
                                           int ftransfer = 0, int ntransfer = 0) {
  if (L.inHook) return;
  L.hookTransfer = {ftransfer, ntransfer};
  Lua api(S, L);
  const int savedTop = L.top;
  CallInfo& ci = L.calls.back();
  if (ci.kind == FrameKind::Lua && L.top < ci.top) L.top = ci.top;
  if (api.getField(kRegistryIndex, "_HOOKKEY") != Type::Table) {
    L.top = savedTop;
    return;
  }
  ensureStack(S, L, 3);
  L.stack[L.top++] = Value::object(&L, Tag::Thread);
  if (api.rawGet(-2) != Type::Function) {
    L.top = savedTop;
    return;
  }
  api.remove(-2);  // the hook table
  api.pushString(event);
  if (line >= 0) api.pushInteger(line);
  else api.pushNil();
  struct Running {
    Thread& L;
    CallInfo& ci;
    Running(Thread& l, CallInfo& c) : L(l), ci(c) { L.inHook = ci.runningHook = true; }
    ~Running() { L.inHook = ci.runningHook = false; }
  } running{L, ci};
  api.call(2, 0);
  L.top = savedTop;
}

// A new Lua frame's kind and flags: kind Lua, every flag clear but callHookPending and
// returnsToLuaCaller. They are eight adjacent bytes (kind .. returnsToLuaCaller), written with
// one store rather than eight (every Lua call runs this).
[[gnu::always_inline]] inline void writeLuaFrameFlags(CallInfo& ci, bool callHookPending,
                                                      bool returnsToLuaCaller) {
  constexpr size_t first = offsetof(CallInfo, kind);
  static_assert(offsetof(CallInfo, tailcall) == first + 1 && offsetof(CallInfo, finishPending) == first + 2 &&
                offsetof(CallInfo, finishNegate) == first + 3 && offsetof(CallInfo, finishRepeat) == first + 4 &&
                offsetof(CallInfo, callHookPending) == first + 5 && offsetof(CallInfo, runningHook) == first + 6 &&
                offsetof(CallInfo, returnsToLuaCaller) == first + 7 && offsetof(CallInfo, metaDepth) >= first + 8,
                "CallInfo's kind and flags must be eight adjacent bytes");
  static_assert(static_cast<uint8_t>(FrameKind::Lua) == 0 && std::endian::native == std::endian::little);
  uint64_t word = static_cast<uint64_t>(callHookPending) << (8 * 5) |
                  static_cast<uint64_t>(returnsToLuaCaller) << (8 * 7);
  std::memcpy(reinterpret_cast<char*>(&ci) + first, &word, sizeof word);
}

// CALL's push when FrameStack::tryPushFast declines: a chunk to enter, or the frame limit
// reached ("stack overflow"). The new frame is the top one (enterLuaFrame reads it back).
[[gnu::noinline]] void pushLuaFrameCheckingLimit(State& S, Thread& L) {
  if (L.calls.size() >= frameLimit(L)) frameOverflow(S, L);
  CallInfo* pushed;
  if (size_t added = L.calls.pushSlow(pushed)) S.chargeBytes(added, Tag::Thread);
}

// Pushes the frame of Lua function `cl` called at `funcIndex` with its arguments up to `top`
// (which the caller may not have stored in L.top yet: CALL's frame then costs one store of the
// top, the new frame's, instead of two),
// `metaDepth` metamethod calls deep, and returns it; `returnsToLuaCaller` as CallInfo states it
// (only CALL and TAILCALL know it). checkFrameLimit: raise "stack overflow" rather than push
// past frameLimit (CALL's check, folded into the push's; the other callers check beforehand or
// never add depth). Inlined into CALL, the hottest call site; everything off the common path
// (a stack to grow, missing arguments, varargs, a new chunk of frames) is a branch it rarely
// takes.
template <bool checkFrameLimit = false>
[[gnu::always_inline]] inline CallInfo* enterLuaFrame(State& S, Thread& L, int funcIndex, int top,
                                                      int nresults, LuaClosure* cl,
                                                      int16_t metaDepth, bool returnsToLuaCaller) {
  const Proto* p = cl->proto;
  const int nfixed = p->numparams;
  const int needed = p->maxstacksize + nfixed + kStackExtra;
  if (top + needed > L.stackSize) [[unlikely]] {
    L.top = top;
    growStack(S, L, needed);
  }
  int nargs = top - funcIndex - 1;
  for (; nargs < nfixed; ++nargs) L.stack[top++] = Value();
  // The new frame is read back as the top one rather than kept from the pushes' out-parameter:
  // pushSlow takes that variable's address, so the compiler would keep it in memory
  // (WebAssembly's shadow stack), and every frame field stored below would wait for it to be
  // stored and loaded back.
  CallInfo* pushed;
  if (!L.calls.tryPushFast(pushed)) [[unlikely]] {
    L.top = top;  // "stack overflow" reports with the arguments in place
    if constexpr (checkFrameLimit) pushLuaFrameCheckingLimit(S, L);
    else if (size_t added = L.calls.pushSlow(pushed)) [[unlikely]] S.chargeBytes(added, Tag::Thread);
  }
  CallInfo* ci = &L.calls.back();
  ci->func = funcIndex;
  ci->nresults = nresults;
  ci->savedpc = p->code.data();
  writeLuaFrameFlags(*ci, (L.hookMask & kHookCall) != 0, returnsToLuaCaller);
  ci->metaDepth = metaDepth;
  ci->hookLine = -1;
  ci->hookPc = 0;
  if (p->isVararg) [[unlikely]] {
    // Fixed parameters move above the extra arguments, which stay where VARARG finds them.
    ci->nextraargs = nargs - nfixed;
    ci->base = top;
    for (int i = 0; i < nfixed; ++i) {
      L.stack[ci->base + i] = L.stack[funcIndex + 1 + i];
      L.stack[funcIndex + 1 + i] = Value();
    }
  } else {
    ci->nextraargs = 0;
    ci->base = funcIndex + 1;
  }
  ci->top = ci->base + p->maxstacksize;
  // Registers above the arguments are not cleared: the code writes each before reading it, and
  // any stale value there refers to a live object (the collector clears the stack above top).
  L.top = ci->top;
  return ci;
}

// The same for the other call sites: the new frame is as deep in metamethods as the current one.
void pushLuaFrame(State& S, Thread& L, int funcIndex, int nresults, LuaClosure* cl) {
  int16_t metaDepth = L.calls.empty() ? 0 : L.calls.back().metaDepth;
  enterLuaFrame(S, L, funcIndex, L.top, nresults, cl, metaDepth, false);
}

// Runs a native function in a frame of its own. True when it ended with Lua::tailCall: then the
// function to call and its arguments are left at funcIndex .. top for the caller to call.
bool callNative(State& S, Thread& L, int funcIndex, int nresults, NativeFunction fn) {
  ensureStack(S, L, kMinNativeStack);
  // The frame is written in place: built aside and copied, it was read back (16 bytes at a
  // time) right after its fields were stored one by one, a store-forwarding stall per read.
  CallInfo* ci;
  if (size_t added = L.calls.pushUninitialized(ci)) [[unlikely]] S.chargeBytes(added, Tag::Thread);
  *ci = CallInfo();
  ci->func = funcIndex;
  ci->base = funcIndex + 1;
  ci->top = L.top + kMinNativeStack;
  ci->nresults = nresults;
  ci->kind = FrameKind::Native;
  if (L.hookMask & kHookCall) [[unlikely]]
    callHook(S, L, "call", -1, 1, L.top - (funcIndex + 1));
  Lua api(S, L);
  int n = fn(api);
  // The mask is read again: a hook set by this very call (debug.sethook) sees its return.
  if (L.hookMask & kHookReturn) [[unlikely]]
    callHook(S, L, "return", -1, L.top - n - funcIndex, n);
  CallInfo& done = L.calls.back();
  if (S.nativeTailCall) [[unlikely]] {
    S.nativeTailCall = false;
    moveResults(L, L.top - n, n, done.func, kMultRet);
    L.calls.pop_back();
    return true;
  }
  moveResults(L, L.top - n, n, done.func, done.nresults);
  L.calls.pop_back();
  return false;
}

// A value that is not a function: use its __call, shifting the arguments up.
void insertCallMetamethod(State& S, Thread& L, int funcIndex) {
  const Value* tm = S.metamethod(L.stack[funcIndex], Event::Call);
  if (!tm) callError(S, L, &L.stack[funcIndex]);
  ensureStack(S, L, 1);
  for (int i = L.top; i > funcIndex; --i) L.stack[i] = L.stack[i - 1];
  ++L.top;
  L.stack[funcIndex] = *tm;
}

bool deliverReturn(State& S, int first, int n, Thread* entry, size_t stopDepth);

// Hands `n` values at L.stack[first] to the resumer of coroutine `co` (which just yielded or
// finished) and makes the resumer running; returns where the values now are.
void handToResumer(State& S, Thread& co, int first, int n, int& outFirst, int& outCount) {
  Thread& R = *co.resumer;
  co.resumer = nullptr;
  CallInfo& marker = R.calls.back();
  bool withStatus = marker.kind == FrameKind::Resume;
  int dest = marker.func;
  R.top = dest;
  ensureStack(S, R, n + 1 + kStackExtra);
  if (withStatus) R.stack[R.top++] = Value::boolean(true);
  for (int i = 0; i < n; ++i) R.stack[R.top++] = co.stack[first + i];
  co.top = first;
  setCoStatus(S, R, CoStatus::Running);
  S.running = &R;
  outFirst = dest;
  outCount = n + (withStatus ? 1 : 0);
}

// A special frame's results may sit on its own function slot; a return hook must see them as
// the frame's locals 1..n (ftransfer), so they move up one slot. Returns where they are.
int liftResultsIntoFrame(State& S, Thread& L, const CallInfo& frame, int first, int n) {
  if (first != frame.func) return first;
  L.top = first + n;
  ensureStack(S, L, 1);
  for (int i = n; i > 0; --i) L.stack[first + i] = L.stack[first + i - 1];
  return first + 1;
}

// Pops the top frame of the running thread with `n` results at `first`, then completes every
// special frame that was waiting for it. Returns true when the loop must exit.
bool deliverReturn(State& S, int first, int n, Thread* entry, size_t stopDepth) {
  for (;;) {
    Thread& L = *S.running;
    CallInfo& done = L.calls.back();
    // A special frame stands for a native (pcall, resume, yield...): its return event.
    if ((L.hookMask & kHookReturn) && done.kind != FrameKind::Lua &&
        done.kind != FrameKind::Native) [[unlikely]] {
      done.kind = FrameKind::Native;  // done protecting: an error in the hook goes past it
      first = liftResultsIntoFrame(S, L, done, first, n);
      L.top = first + n;
      callHook(S, L, "return", -1, first - done.func, n);
    }
    int wanted = done.nresults;
    int dest = done.func;
    moveResults(L, first, n, dest, wanted);
    L.calls.pop_back();
    if (&L == entry && L.calls.size() == stopDepth) return true;
    CallInfo& caller = L.calls.back();
    switch (caller.kind) {
      case FrameKind::Lua:
        if (wanted != kMultRet) L.top = caller.top;
        return false;
      case FrameKind::Pcall:
        L.stack[caller.func] = Value::boolean(true);
        first = caller.func;
        n = L.top - caller.func;
        continue;
      case FrameKind::Pairs:
        // The metamethod's three results sit above the marker (moveResults set the top).
        first = caller.func + 1;
        n = 3;
        continue;
      case FrameKind::Xpcall: {
        // Results sit at func + 2 (the handler is at func + 1): close the gap.
        int count = L.top - (caller.func + 2);
        L.stack[caller.func] = Value::boolean(true);
        for (int i = 0; i < count; ++i) L.stack[caller.func + 1 + i] = L.stack[caller.func + 2 + i];
        first = caller.func;
        n = count + 1;
        L.top = first + n;
        continue;
      }
      case FrameKind::Native:
        if (L.calls.size() == 1 && &L != S.mainThread) {
          // The coroutine's body returned: it is dead, its resumer gets the results.
          setCoStatus(S, L, CoStatus::Dead);
          if (L.coroutineId) S.observer->coroutineDied(&L, false, {});
          int count = L.top - dest;
          if (&L == entry) return true;
          handToResumer(S, L, dest, count, first, n);
          L.calls.clear();
          continue;
        }
        std::abort();  // a native frame waits on the C++ stack: covered by stopDepth
      default: std::abort();
    }
  }
}

// ---- the special natives -------------------------------------------------------------------

// Pushes the frame of a special native (pcall, resume, yield...) called at `funcIndex` with its
// arguments up to the top, and returns it. It is written in place (as callNative writes its
// frame): a CallInfo built aside and copied is read back right after its fields were stored,
// a store-forwarding stall per read, on every pcall and every switch. Its call hook runs while
// it is still a plain native frame: as in the reference, where the hook runs before pcall
// protects anything, an error in the hook is not caught by it.
CallInfo& pushSpecialFrame(State& S, Thread& L, int funcIndex, int nresults, FrameKind kind) {
  CallInfo* frame;
  if (size_t added = L.calls.pushUninitialized(frame)) [[unlikely]] S.chargeBytes(added, Tag::Thread);
  *frame = CallInfo();
  frame->func = funcIndex;
  frame->base = funcIndex + 1;
  frame->top = L.top;
  frame->nresults = nresults;
  frame->kind = FrameKind::Native;
  if (L.hookMask & kHookCall) [[unlikely]]
    callHook(S, L, "call", -1, 1, L.top - (funcIndex + 1));
  frame->kind = kind;
  return *frame;
}

CallOutcome startPcall(State& S, Thread& L, int funcIndex, int nresults, bool withHandler) {
  int nargs = L.top - funcIndex - 1;
  if (nargs < 1 || (withHandler && (nargs < 2 || !L.stack[funcIndex + 2].isFunction()))) {
    // Report the bad call as the native itself would.
    Lua api(S, L);
    pushFrame(S, L, CallInfo{funcIndex, funcIndex + 1, L.top, nullptr, nresults, 0,
                               FrameKind::Native});
    if (withHandler) api.checkType(2, Type::Function);
    else api.checkAny(1);
  }
  int16_t savedNny = static_cast<int16_t>(L.nny);
  int16_t savedNativeDepth = static_cast<int16_t>(S.nativeDepth);
  int callee = funcIndex + 1;
  if (withHandler) {
    // [xpcall, f, handler, args...] -> [xpcall, handler, f, args...]
    std::swap(L.stack[funcIndex + 1], L.stack[funcIndex + 2]);
    callee = funcIndex + 2;
  }
  CallInfo& marker =
      pushSpecialFrame(S, L, funcIndex, nresults, withHandler ? FrameKind::Xpcall : FrameKind::Pcall);
  marker.savedNny = savedNny;  // as they were before the call hook
  marker.savedNativeDepth = savedNativeDepth;
  CallOutcome outcome = doCall(S, L, callee, kMultRet);
  if (outcome != CallOutcome::Completed) return outcome;
  // The callee was native and is done: finish the marker now.
  int count = L.top - callee;
  Value* s = L.stack;
  s[funcIndex] = Value::boolean(true);
  for (int i = 0; i < count; ++i) s[funcIndex + 1 + i] = s[callee + i];
  L.top = funcIndex + 1 + count;
  int results = funcIndex;
  if (L.hookMask & kHookReturn) [[unlikely]] {
    L.calls.back().kind = FrameKind::Native;  // done protecting: an error in the hook goes past
    results = liftResultsIntoFrame(S, L, L.calls.back(), results, count + 1);
    L.top = results + count + 1;
    callHook(S, L, "return", -1, results - funcIndex, count + 1);
  }
  CallInfo done = L.calls.back();
  L.calls.pop_back();
  moveResults(L, results, count + 1, done.func, done.nresults);
  return CallOutcome::Completed;
}

// The metamethod pairs(t) calls, or nullptr when t has none (then pairs is a plain native).
const Value* pairsMetamethod(State& S, Thread& L, int funcIndex) {
  if (L.top <= funcIndex + 1) return nullptr;  // no argument: the native reports it
  Table* mt = S.metatableOf(L.stack[funcIndex + 1]);
  if (!mt) return nullptr;
  const Value* tm = mt->getString(S.newString("__pairs"));
  return tm->isNil() ? nullptr : tm;
}

// pairs(t) with a __pairs metamethod. The metamethod may yield, so it is called from a special
// frame, the way pcall calls its function, rather than from a native on the C++ stack; when it
// returns, its results are cut or padded to three (deliverReturn's Pairs case, or below when it
// was a native that completed at once).
CallOutcome startPairs(State& S, Thread& L, int funcIndex, int nresults, const Value& metamethod) {
  Value handler = metamethod;  // copied: the call hook may change the metatable
  pushSpecialFrame(S, L, funcIndex, nresults, FrameKind::Pairs);
  ensureStack(S, L, 2);
  // [pairs, t, ...] -> [pairs, __pairs, t]: the metamethod gets t alone.
  Value table = L.stack[funcIndex + 1];
  L.stack[funcIndex + 1] = handler;
  L.stack[funcIndex + 2] = table;
  L.top = funcIndex + 3;
  CallOutcome outcome = doCall(S, L, funcIndex + 1, 3);
  if (outcome != CallOutcome::Completed) return outcome;
  // A native metamethod is done already: finish the marker now.
  int results = funcIndex + 1;
  if (L.hookMask & kHookReturn) [[unlikely]] {
    L.calls.back().kind = FrameKind::Native;
    L.top = results + 3;
    callHook(S, L, "return", -1, 1, 3);
  }
  CallInfo done = L.calls.back();
  L.calls.pop_back();
  moveResults(L, results, 3, done.func, done.nresults);
  return CallOutcome::Completed;
}

// Native-style early result for resume failures: (false, message) as the call's results.
CallOutcome completeWith(Thread& L, int funcIndex, int nresults, std::initializer_list<Value> values) {
  int n = 0;
  for (const Value& v : values) L.stack[funcIndex + n++] = v;
  L.top = funcIndex + n;
  moveResults(L, funcIndex, n, funcIndex, nresults);
  return CallOutcome::Completed;
}

// The resumer L waits (normal) and the coroutine C runs: the statuses change in this order
// for the inspector's counts, then C records who resumed it and how deep the chain is.
inline void handOverToCoroutine(State& S, Thread& L, Thread& C) {
  setCoStatus(S, L, CoStatus::Normal);
  setCoStatus(S, C, CoStatus::Running);
  C.resumer = &L;
  C.resumeDepth = L.resumeDepth + 1;
  S.running = &C;
}

CallOutcome startResume(State& S, Thread& L, int funcIndex, int nresults, Thread* co,
                        bool isWrap) {
  auto fail = [&](const char* message) -> CallOutcome {
    if (isWrap) {
      pushFrame(S, L, CallInfo{funcIndex, funcIndex + 1, L.top, nullptr, nresults, 0,
                                 FrameKind::Native});
      Lua api(S, L);
      api.raise(message);
    }
    ensureStack(S, L, 2);
    return completeWith(L, funcIndex, nresults,
                        {Value::boolean(false), Value::string(S.newString(message))});
  };
  if (co->status == CoStatus::Dead) return fail("cannot resume dead coroutine");
  // Resumes do not nest on the C++ stack, but an endless chain must still end (the reference
  // stops at about 200 levels; ours allows far more).
  if (L.resumeDepth >= kMaxNestedResumes) {
    pushFrame(S, L, CallInfo{funcIndex, funcIndex + 1, L.top, nullptr, nresults, 0, FrameKind::Native});
    S.throwMessage(L, "C stack overflow");
  }
  if (co->status != CoStatus::Suspended || co == &L)
    return fail(co->status == CoStatus::Running || co == &L ? "cannot resume non-suspended coroutine"
                                                            : "cannot resume non-suspended coroutine");
  int firstArg = funcIndex + (isWrap ? 1 : 2);
  int nargs = L.top - firstArg;
  if (nargs < 0) nargs = 0;
  pushSpecialFrame(S, L, funcIndex, nresults, isWrap ? FrameKind::Wrap : FrameKind::Resume);
  // Move the arguments over to the coroutine.
  Thread& C = *co;
  C.top = C.top < 1 ? 1 : C.top;
  ensureStack(S, C, nargs + kStackExtra);
  int argBase = C.top;
  for (int i = 0; i < nargs; ++i) C.stack[argBase + i] = L.stack[firstArg + i];
  C.top = argBase + nargs;
  L.top = firstArg;
  handOverToCoroutine(S, L, C);
  if (!C.started) {
    C.started = true;
    CallOutcome outcome = doCall(S, C, 1, kMultRet);
    if (outcome == CallOutcome::Completed) {
      // A native body finished at once.
      int first = 1, n = C.top - 1;
      setCoStatus(S, C, CoStatus::Dead);
      int rf, rn;
      handToResumer(S, C, first, n, rf, rn);
      C.calls.clear();
      return CallOutcome::Switched;  // the resumer's marker gets popped at reentry
    }
    return CallOutcome::Switched;
  }
  // Suspended in a yield: the arguments become yield's results.
  return CallOutcome::Switched;
}

CallOutcome startYield(State& S, Thread& L, int funcIndex, int nresults) {
  if (&L == S.mainThread || !L.resumer) {
    pushFrame(S, L, CallInfo{funcIndex, funcIndex + 1, L.top, nullptr, nresults, 0,
                               FrameKind::Native});
    S.throwMessage(L, "attempt to yield from outside a coroutine");  // no position, as the reference
  }
  if (L.nny > 0) {
    pushFrame(S, L, CallInfo{funcIndex, funcIndex + 1, L.top, nullptr, nresults, 0,
                               FrameKind::Native});
    S.throwMessage(L, "attempt to yield across a C-call boundary");
  }
  pushSpecialFrame(S, L, funcIndex, nresults, FrameKind::Yield);
  setCoStatus(S, L, CoStatus::Suspended);
  return CallOutcome::Switched;
}

CallOutcome doCall(State& S, Thread& L, int funcIndex, int nresults) {
  for (;;) {
    Value& f = L.stack[funcIndex];
    switch (f.tag) {
      case Tag::LuaClosure:
        if (L.calls.size() >= frameLimit(L)) frameOverflow(S, L);
        pushLuaFrame(S, L, funcIndex, nresults, f.asLuaClosure());
        return CallOutcome::NewFrame;
      case Tag::LightNative: {
        NativeFunction fn = f.f;
        if (isSpecialNative(fn)) {
          if (fn == nativePcall) return startPcall(S, L, funcIndex, nresults, false);
          if (fn == nativeXpcall) return startPcall(S, L, funcIndex, nresults, true);
          if (fn == nativeYield) return startYield(S, L, funcIndex, nresults);
          if (fn == nativePairs) {
            if (const Value* tm = pairsMetamethod(S, L, funcIndex))
              return startPairs(S, L, funcIndex, nresults, *tm);
          }
          if (fn == nativeResume) {
            Value& arg = L.stack[funcIndex + 1];
            if (L.top <= funcIndex + 1 || arg.tag != Tag::Thread) break;  // native reports it
            return startResume(S, L, funcIndex, nresults, arg.asThread(), false);
          }
        }
        if (callNative(S, L, funcIndex, nresults, fn)) continue;  // it left a tail call
        return CallOutcome::Completed;
      }
      case Tag::NativeClosure: {
        NativeClosure* c = f.asNativeClosure();
        if (c->function == nativeWrapped)
          return startResume(S, L, funcIndex, nresults, c->upvalues[0].asThread(), true);
        if (callNative(S, L, funcIndex, nresults, c->function)) continue;
        return CallOutcome::Completed;
      }
      default:
        insertCallMetamethod(S, L, funcIndex);
        continue;
    }
    // A resume with a bad argument: let the native raise the argument error.
    if (callNative(S, L, funcIndex, nresults, f.f)) continue;
    return CallOutcome::Completed;
  }
}

// After a Switched outcome, the running thread's top frame may be a Yield that must hand its
// values to the resumer, or a Resume/Wrap marker whose coroutine already finished. Settles them
// until a Lua frame is on top; returns true when the loop must exit.
bool settle(State& S, Thread* entry, size_t stopDepth) {
  for (;;) {
    Thread& L = *S.running;
    CallInfo& top = L.calls.back();
    switch (top.kind) {
      case FrameKind::Lua: return false;
      case FrameKind::Yield: {
        if (L.status == CoStatus::Suspended && L.resumer) {
          // Just yielded: values are the yield's arguments.
          int first = top.func + 1, n = L.top - first;
          if (&L == entry) return true;
          int rf, rn;
          handToResumer(S, L, first, n, rf, rn);
          if (deliverReturn(S, rf, rn, entry, stopDepth)) return true;
          continue;
        }
        // Just resumed: the resume arguments sit where the yield's arguments were.
        int first = top.func + 1, n = L.top - first;
        if (deliverReturn(S, first, n, entry, stopDepth)) return true;
        continue;
      }
      case FrameKind::Resume:
      case FrameKind::Wrap: {
        // The resumed coroutine finished immediately; its results are above the marker.
        int first = top.func, n = L.top - first;
        if (deliverReturn(S, first, n, entry, stopDepth)) return true;
        continue;
      }
      case FrameKind::Native:
        if (&L == entry && L.calls.size() == stopDepth) return true;
        std::abort();
      default: std::abort();
    }
  }
}

// ---- direct switches -------------------------------------------------------------------------
//
// The switch programs make by the million: Lua code resumes a coroutine parked in a yield that
// Lua code called, or that coroutine yields back to a resume (or wrap call) that Lua code made.
// The general path pushes a special frame, marks the switch Switched, and has settle and
// deliverReturn look at the frames again to find the same answer; here the values go straight
// from the caller's registers to the registers the other side's call waits for them in, and
// the other thread's Lua frame is left on top for the loop to load. Anything unusual (a debug
// hook on either thread, a first resume, a yield under pcall, a resumer waiting in a native or
// at the frame the loop must stop at, the resume limit) is left to doCall and settle, which end
// in the same state: these functions then change nothing and return false.

// Ends thread T's top frame, a special frame called by a Lua frame, with `n` values at
// `values` (on another thread's stack) preceded by `true` when withStatus, as its results:
// they land at its function slot, cut or padded to the count its caller wanted.
void finishSpecialFrameWith(State& S, Thread& T, bool withStatus, const Value* values, int n) {
  const CallInfo& done = T.calls.back();
  int dest = done.func;
  int wanted = done.nresults;
  int count = wanted == kMultRet ? n + withStatus : wanted;
  T.top = dest;
  ensureStack(S, T, count + kStackExtra);
  Value* out = T.stack + dest;
  int j = 0;
  if (withStatus && count > 0) out[j++] = Value::boolean(true);
  int copy = count - j < n ? count - j : n;
  for (int v = 0; v < copy; ++v) out[j + v] = values[v];
  for (j += copy; j < count; ++j) out[j] = Value();
  T.calls.pop_back();
  T.top = wanted == kMultRet ? dest + count : T.calls.back().top;
}

// Lua code resuming `co` (coroutine.resume or, isWrap, a wrap function, called at funcIndex
// with its arguments up to the top): startResume and settle's work in one step, when `co`
// waits in a yield that a Lua frame of its own called.
bool resumeDirectly(State& S, Thread& L, int funcIndex, int nresults, Thread& co, bool isWrap,
                    const CallInfo* stopCaller) {
  if (co.status != CoStatus::Suspended || !co.started || ((L.hookMask | co.hookMask) != 0) ||
      L.resumeDepth >= kMaxNestedResumes || co.calls.back().kind != FrameKind::Yield)
    return false;
  const CallInfo* waiting = co.calls.belowBack();
  if (waiting->kind != FrameKind::Lua || waiting == stopCaller) return false;
  int firstArg = funcIndex + (isWrap ? 1 : 2);
  pushSpecialFrame(S, L, funcIndex, nresults, isWrap ? FrameKind::Wrap : FrameKind::Resume);
  finishSpecialFrameWith(S, co, false, L.stack + firstArg, L.top - firstArg);
  L.top = firstArg;
  handOverToCoroutine(S, L, co);
  return true;
}

// Lua code in coroutine L calling coroutine.yield at funcIndex: startYield and settle's work in
// one step, when L's resumer waits in a resume or wrap call that a Lua frame made (and that
// frame is not the one the loop stops at: then the loop must return instead).
bool yieldDirectly(State& S, Thread& L, int funcIndex, int nresults, const Thread* entry,
                   const CallInfo* stopCaller) {
  Thread* resumer = L.resumer;
  if (!resumer || &L == entry || L.nny > 0 || ((L.hookMask | resumer->hookMask) != 0)) return false;
  FrameKind markerKind = resumer->calls.back().kind;
  if (markerKind != FrameKind::Resume && markerKind != FrameKind::Wrap) return false;
  const CallInfo* waiting = resumer->calls.belowBack();
  if (waiting->kind != FrameKind::Lua || waiting == stopCaller) return false;
  int first = funcIndex + 1;
  pushSpecialFrame(S, L, funcIndex, nresults, FrameKind::Yield);
  setCoStatus(S, L, CoStatus::Suspended);
  L.resumer = nullptr;
  finishSpecialFrameWith(S, *resumer, markerKind == FrameKind::Resume, L.stack + first, L.top - first);
  L.top = first;
  setCoStatus(S, *resumer, CoStatus::Running);
  S.running = resumer;
  return true;
}

// CALL and TFORCALL ask here before doCall: true when the callee at funcIndex was a resume, a
// wrap function or a yield that switched directly (S.running's top frame is then Lua).
inline bool switchedDirectly(State& S, Thread& L, int funcIndex, int nresults, const Thread* entry,
                             const CallInfo* stopCaller) {
  const Value& f = L.stack[funcIndex];
  if (f.tag == Tag::LightNative) {
    if (f.f == nativeYield) return yieldDirectly(S, L, funcIndex, nresults, entry, stopCaller);
    if (f.f != nativeResume || L.top <= funcIndex + 1 || L.stack[funcIndex + 1].tag != Tag::Thread)
      return false;
    return resumeDirectly(S, L, funcIndex, nresults, *L.stack[funcIndex + 1].asThread(), false,
                          stopCaller);
  }
  if (f.tag != Tag::NativeClosure || f.asNativeClosure()->function != nativeWrapped) return false;
  return resumeDirectly(S, L, funcIndex, nresults, *f.asNativeClosure()->upvalues[0].asThread(),
                        true, stopCaller);
}

// ---- errors ---------------------------------------------------------------------------------

// Finds a protected frame for the error being propagated in the running thread. Returns true
// when the error was handled and the loop may continue.
bool handleError(State& S, Thread* entry, size_t stopDepth) {
  S.deferLuaMetamethods = false;
  S.deferredCall.pending = false;
  for (;;) {
    Thread& L = *S.running;
    size_t floor = (&L == entry) ? stopDepth : 1;
    size_t m = L.calls.size();
    while (m > floor) {
      FrameKind k = L.calls[m - 1].kind;
      if (k == FrameKind::Pcall || k == FrameKind::Xpcall) break;
      --m;
    }
    if (m > floor) {
      CallInfo marker = L.calls[m - 1];
      Value error = L.errorValue;  // it stays there, reachable, until it is on the stack
      if (marker.kind == FrameKind::Xpcall) {
        // The handler runs before unwinding, so it can see the failing frames.
        int func = L.top > L.calls.back().top ? L.top : L.calls.back().top;
        L.top = func;
        ensureStack(S, L, 3);
        L.stack[func] = L.stack[marker.func + 1];
        L.stack[func + 1] = error;
        L.top = func + 2;
        if (callProtected(S, L, func, 1)) error = L.stack[func];
        else error = Value::string(S.newString("error in error handling"));
        L.errorValue = error;
      }
      int level = marker.func + 1;
      closeUpvalues(S, L, level);
      L.calls.resize(m);  // keep the marker
      L.nny = marker.savedNny;
      S.nativeDepth = marker.savedNativeDepth;
      L.top = marker.top > L.top ? marker.top : L.top;
      error = closeToBeClosed(S, L, level, error, true);
      L.errorValue = error;
      ensureStack(S, L, 2);
      L.stack[marker.func] = Value::boolean(false);
      L.stack[marker.func + 1] = error;
      L.top = marker.func + 2;
      L.errorValue = Value();  // the pcall's results own it now; it must not stay reachable
      leaveOverflowReserve(S, L);
      if (deliverReturn(S, marker.func, 2, entry, stopDepth)) return true;
      return true;
    }
    if (&L == entry) return false;
    // A coroutine resumed by this loop died: its resumer gets the error.
    Value error = L.errorValue;
    setCoStatus(S, L, CoStatus::Dead);
    L.diedInError = true;
    if (L.coroutineId)
      S.observer->coroutineDied(&L, true, error.isString() ? std::string(error.asString()->view())
                                                            : std::string("(error object is a ") +
                                                                  std::string(typeName(typeOfTag(error.tag))) +
                                                                  " value)");
    Thread& R = *L.resumer;
    L.resumer = nullptr;
    setCoStatus(S, R, CoStatus::Running);
    S.running = &R;
    CallInfo& marker = R.calls.back();
    if (marker.kind == FrameKind::Resume) {
      R.top = marker.func;
      ensureStack(S, R, 2);
      R.stack[marker.func] = Value::boolean(false);
      R.stack[marker.func + 1] = error;
      R.top = marker.func + 2;
      if (deliverReturn(S, marker.func, 2, entry, stopDepth)) return true;
      return true;
    }
    // Wrap: the error propagates in the resumer, with position information for strings.
    R.calls.back().kind = FrameKind::Native;
    if (error.isString()) {
      Lua api(S, R);
      std::string text = api.where(1) + std::string(error.asString()->view());
      S.noteErrorPosition(S.positionAt(R, 1));
      error = Value::string(S.newString(text));
      R.errorValue = error;
      S.checkGc();  // a long chain of wraps makes one longer message per level
    }
    // The dead coroutine's pending to-be-closed variables are closed (like lua_closethread),
    // and it forgets the error: the caller owns it now.
    L.calls.resize(1);
    closeUpvalues(S, L, 0);
    error = closeToBeClosed(S, L, 0, error, true);
    L.errorValue = Value();
    L.diedInError = false;
    R.errorValue = error;
  }
}

}  // namespace

// ---- nested calls from native code ----------------------------------------------------------

namespace {
// Counts the nesting for the C-stack limit and the yield boundary, and restores the running
// thread, on every way out (errors included).
struct NativeDepthGuard {
  State& S;
  Thread& L;
  Thread* previous;
  bool savedDefer;
  NativeDepthGuard(State& s, Thread& l)
      : S(s), L(l), previous(s.running), savedDefer(s.deferLuaMetamethods) {
    ++S.nativeDepth;
    ++L.nny;
    S.running = &L;
    S.deferLuaMetamethods = false;
  }
  ~NativeDepthGuard() {
    --S.nativeDepth;
    --L.nny;
    S.running = previous;
    S.deferLuaMetamethods = savedDefer;
  }
};
}  // namespace

void callFromNative(State& S, Thread& L, int funcIndex, int nresults) {
  if (S.nativeDepth >= kMaxNativeDepth) {
    if (S.nativeDepth >= kMaxNativeDepth + 10) S.throwMessage(L, "error in error handling", ErrorKind::Handler);
    S.runtimeError(L, "C stack overflow");
  }
  NativeDepthGuard guard(S, L);
  size_t depth = L.calls.size();
  Value& f = L.stack[funcIndex];
  if (f.tag == Tag::LuaClosure && belowFrameLimit(L, depth)) [[likely]] {
    // A Lua function (a sort comparator, a gsub replacement): its frame goes straight to the
    // loop, doCall's dispatch on the callee's kind and settle's look at the top frame skipped.
    const int16_t metaDepth = depth ? L.calls.back().metaDepth : 0;
    enterLuaFrame(S, L, funcIndex, L.top, nresults, f.asLuaClosure(), metaDepth, false);
    execute(S, &L, depth, false);
    return;
  }
  CallOutcome outcome = doCall(S, L, funcIndex, nresults);
  if (outcome != CallOutcome::Completed) {
    if (!settle(S, &L, depth)) execute(S, &L, depth, false);
  }
}

bool callProtected(State& S, Thread& L, int funcIndex, int nresults) {
  size_t savedCalls = L.calls.size();
  int savedNny = L.nny;
  int savedDepth = S.nativeDepth;
  Thread* savedRunning = S.running;
  size_t savedTbc = L.tbcSlots.size();
  try {
    callFromNative(S, L, funcIndex, nresults);
    return true;
  } catch (const LuaError&) {
    // The frames the error went through are dropped here: nobody else will pop them.
    Value error = L.errorValue;
    closeUpvalues(S, L, funcIndex);
    L.calls.resize(savedCalls);
    L.nny = savedNny;
    S.nativeDepth = savedDepth;
    S.running = savedRunning;
    if (L.tbcSlots.size() > savedTbc) {
      L.top = funcIndex;
      error = closeToBeClosed(S, L, funcIndex, error, true);
    }
    L.tbcSlots.resize(std::min(L.tbcSlots.size(), savedTbc));
    L.errorValue = error;
    L.top = funcIndex;
    leaveOverflowReserve(S, L);
    return false;
  }
}

// ---- the dispatch loop ----------------------------------------------------------------------

namespace {

ExecEnd runLoop(State& S, Thread* entry, size_t stopDepth, bool mayPause);
// The slow paths and cold opcode bodies below stay out of the loop's function in WebAssembly:
// V8 compiles the loop with its optimising compiler in the background while the program runs in
// baseline code, for a time that grows faster than the function's size (out of it, the loop is
// 19.8 KB of wasm code against 25.3 KB). Those with a single caller are kept out by the link's
// limit on Binaryen's inlining too (wasm/CMakeLists.txt). Natively they stay inlinable (GCC
// inlines them), but for setListOp: callgrind counts of the bench programs are those of the
// loop before the split, within half a percent.
// LUNETTE_INTO_LOOP is the other way: a lookup whose call from the loop cost more than its
// body, because V8 spills the loop's live values around every call (see SELF).
#if defined(__EMSCRIPTEN__)
#define LUNETTE_OUT_OF_LOOP [[gnu::noinline]]
#define LUNETTE_INTO_LOOP [[gnu::always_inline]]
#else
#define LUNETTE_OUT_OF_LOOP
#define LUNETTE_INTO_LOOP
#endif

// Runs an operation's slow path, letting it leave a Lua metamethod for the loop to call;
// true when it did (then callDeferred makes the call a frame of its own). The hot locals of the
// loop stay out of these helpers so the compiler can keep them in registers.
template <typename Operation>
bool slowPath(State& S, Operation&& operation) {
  S.deferLuaMetamethods = true;
  struct Off {
    State& S;
    ~Off() { S.deferLuaMetamethods = false; }
  } off{S};
  operation();
  return S.deferredCall.pending;
}

void callDeferred(State& S, Thread& L, CallInfo& ci) {
  State::DeferredCall d = S.deferredCall;
  S.deferredCall.pending = false;
  // Metamethods nest like the reference's C calls: about 200 deep at most.
  if (ci.metaDepth + 1 >= kMaxNativeDepth) S.runtimeError(L, "C stack overflow");
  int func = ci.top > L.top ? ci.top : L.top;
  L.top = func;
  ensureStack(S, L, d.nargs + 1 + kStackExtra);
  L.stack[func] = d.function;
  for (int j = 0; j < d.nargs; ++j) L.stack[func + 1 + j] = d.args[j];
  L.top = func + 1 + d.nargs;
  ci.finishPending = true;
  ci.finishNegate = d.negate;
  ci.finishSlot = func;
  ci.finishCount = d.concatCount;
  int depth = ci.metaDepth + 1;
  pushLuaFrame(S, L, func, d.nresults, d.function.asLuaClosure());
  L.calls.back().metaDepth = depth;
}

// The slow paths of the GET and SET opcodes (metamethods, maybe left for the loop to call as a
// frame). True when a metamethod frame was pushed and the loop must re-enter.
LUNETTE_OUT_OF_LOOP bool getSlow(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                 const Value& t, const Value& key, int a) {
  ci.savedpc = pc;
  Value result;
  if (slowPath(S, [&] { getIndexed(S, L, t, key, result); })) {
    callDeferred(S, L, ci);
    return true;
  }
  L.stack[ci.base + a] = result;
  return false;
}

// The slow path of the arithmetic opcodes (coercions, metamethods, errors): true when a
// metamethod frame was pushed and the loop must re-enter.
LUNETTE_OUT_OF_LOOP bool arithSlow(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                   ArithOp op, const Value& b, const Value& c, int a) {
  ci.savedpc = pc;
  Value result;
  if (slowPath(S, [&] { arithmetic(S, L, op, b, c, result); })) {
    callDeferred(S, L, ci);
    return true;
  }
  L.stack[ci.base + a] = result;
  return false;
}

LUNETTE_OUT_OF_LOOP bool setSlow(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                 const Value& t, const Value& key, const Value& value) {
  ci.savedpc = pc;
  if (slowPath(S, [&] { setIndexed(S, L, t, key, value); })) {
    callDeferred(S, L, ci);
    return true;
  }
  return false;
}

// A field read through __index tables, the class chains of object-oriented code: t[key] for a
// short string key, following each metatable's __index while it is a table. nullptr when a
// __index function (or some other value) must be consulted, or the chain is long: then the
// caller takes the slow path, which also reports loops.
constexpr int kFastIndexChainLength = 16;  // tables read, the first one included

// (In WebAssembly inlined into SELF and GETTABUP; GETFIELD calls it through getFieldPastHome.)
LUNETTE_INTO_LOOP inline const Value* getFieldThroughIndexTables(State& S, Table* h,
                                                                const String* key) {
  for (int depth = 0; depth < kFastIndexChainLength; ++depth) {
    const Value* v = h->getShortString(key);
    if (!v->isNil() || !h->metatable) return v;
    const Value* tm = S.fastMetamethod(h->metatable, Event::Index);
    if (!tm) return v;
    if (tm->tag != Tag::Table) return nullptr;
    h = tm->asTable();
  }
  return nullptr;
}
// GETFIELD's way to the above in the switch build (WebAssembly; unused in the threaded one): its
// home-slot probe reads most fields inline, and the rest stays a call, which leaves the loop's
// other opcodes fewer live values to allocate.
[[maybe_unused]] LUNETTE_OUT_OF_LOOP const Value* getFieldPastHome(State& S, Table* h,
                                                                   const String* key) {
  return getFieldThroughIndexTables(S, h, key);
}

// GETFIELD's way in the threaded build (native): the table itself is read inline and the walk
// above it is a call. Inlined there, the walk's loop made GCC save the loop's live registers to
// the stack (and reload them) around every GETFIELD, the common read of a field of the table
// itself included (callgrind: nbody 635.9M -> 608.4M instructions). GETTABUP and SELF keep the
// inline walk: out of line in all three, the register allocation shifted onto CALL's path (fib
// +1.4%, recursive_args +0.7%).
// getFieldFromIndexChain is that call: the rest of the chain above `h`, whose own lookup found
// nil and which has a metatable. (It restates the walk above rather than calling it: calling
// it cost oop_methods 0.17% more instructions.)
[[gnu::noinline]] const Value* getFieldFromIndexChain(State& S, Table* h, const String* key) {
  for (int depth = 1; depth < kFastIndexChainLength; ++depth) {
    const Value* tm = S.fastMetamethod(h->metatable, Event::Index);
    if (!tm) return &Table::absentValue;
    if (tm->tag != Tag::Table) return nullptr;
    h = tm->asTable();
    const Value* v = h->getShortString(key);
    if (!v->isNil() || !h->metatable) return v;
  }
  return nullptr;
}

// (GETFIELD's lookup in the threaded build; the switch build probes the home slot first.)
[[maybe_unused]] inline const Value* getFieldChainOutOfLine(State& S, Table* h,
                                                            const String* key) {
  const Value* v = h->getShortString(key);
  if (!v->isNil() || !h->metatable) [[likely]] return v;
  return getFieldFromIndexChain(S, h, key);
}

// The value of short-string `key` when the key sits in its home slot (getShortString's first
// probe), else nullptr, whether or not the key is elsewhere in the table: the whole of most
// field reads of small records, small enough to inline where a call costs more than the probe.
inline const Value* fieldAtHome(const Table* h, const String* key) {
  if (!h->hash) return nullptr;
  const Node& n = h->hash[key->hash & h->hashMask];
  if (n.key.gc == reinterpret_cast<const GcObject*>(key) && n.key.tag == Tag::String) return &n.value;
  return nullptr;
}

// TFORCALL over ipairs(t) or pairs(t)/next of a table: the step the iterator would take, done
// without calling it when nothing could tell the difference (no hook watches calls; ipairs
// meets no nil that a __index might fill). Fills R[A+4 .. A+3+wanted] as the call's results
// would; false when the iterator must be called. Raises next's "invalid key" error itself:
// the caller has saved its pc.
inline bool stepIteratorInPlace(State& S, Value* ra, int wanted) {
  Table* h = ra[1].asTable();
  Value key, value;
  if (ra[0].f == nativeIpairsStep) {
    if (ra[2].tag != Tag::Integer) return false;
    int64_t n = wrapAdd(ra[2].i, 1);
    const Value* v = h->getInt(n);
    if (v->isNil()) {
      if (h->metatable) return false;
    } else {
      key = Value::integer(n);
      value = *v;
    }
  } else if (ra[0].f == nativeNext) {
    key = ra[2];
    if (!h->next(S, key, value)) key = value = Value();
  } else {
    return false;
  }
  ra[4] = key;
  if (wanted > 1) ra[5] = value;
  for (int j = 2; j < wanted; ++j) ra[4 + j] = Value();
  return true;
}

// The store of a key a table lacks (or holds with a nil value) when no __newindex can be
// involved: what setIndexed does for a plain table, without its walk. `slot` is what the
// lookup found (&Table::absentValue when the key is absent); the key is neither nil nor NaN.
// False when the table's metatable has a __newindex: the caller takes the slow path. May
// rehash, i.e. allocate: the caller has saved its pc.
bool storeWithoutNewIndex(State& S, Table* h, Value* slot, const Value& key, const Value& value) {
  Table* mt = h->metatable;
  constexpr unsigned kNoNewIndex = 1u << static_cast<unsigned>(Event::NewIndex);
  if (mt && !(mt->absentMetamethods & kNoNewIndex) && S.fastMetamethod(mt, Event::NewIndex))
    return false;
  if (slot != &Table::absentValue) *slot = value;
  else if (!value.isNil()) *h->slotFor(S, key) = value;  // assigning nil creates nothing
  h->absentMetamethods = 0;
  S.collector.barrierBackValue(h, value);
  S.collector.barrierBackValue(h, key);  // an entry with a nil value may hold an unmarked key
  return true;
}

// debug.sethook's call, count and line events, checked before each instruction of a Lua frame
// while its thread has a hook; and the line stop (kHookLineStop): true when the loop must pause
// before this instruction.
// (Out of line natively: inlined, its setup code leaked into every instruction's dispatch. In
// WebAssembly the other way round: a call at the top of the loop made TurboFan's code for the
// whole loop ~12% slower, 27 against 31 M instructions/s on fib, best slices of 2M.)
#if defined(__EMSCRIPTEN__)
[[gnu::always_inline]] inline
#else
[[gnu::noinline]]
#endif
bool runHooks(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                bool mayPause) {
  if (pc == S.lineStopResumePc) {  // resuming where a line stop paused: its hooks ran
    S.lineStopResumePc = nullptr;
    return false;
  }
  if (L.inHook) {  // no events inside a hook, but its instructions count, as the reference's
    ci.callHookPending = false;
    if ((L.hookMask & kHookCount) && --L.hookCountdown <= 0) L.hookCountdown = L.hookCount;
    return false;
  }
  const Proto* p = L.stack[ci.func].asLuaClosure()->proto;
  int index = static_cast<int>(pc - p->code.data());
  ci.savedpc = pc + 1;  // currentline is the instruction about to run
  if (ci.callHookPending) {
    ci.callHookPending = false;
    callHook(S, L, ci.tailcall ? "tail call" : "call", -1, 1, p->numparams);
  }
  bool count = false;
  int line = -1;
  if ((L.hookMask & kHookCount) && --L.hookCountdown <= 0) {
    L.hookCountdown = L.hookCount;
    count = true;
  }
  if (L.hookMask & (kHookLine | kHookLineStop)) {
    int current = index < static_cast<int>(p->lineinfo.size()) ? p->lineinfo[index] : -1;
    bool newLine = current != ci.hookLine || index <= ci.hookPc;
    // VARARGPREP is not a line of its own, as in the reference.
    if (newLine && !(index == 0 && opOf(*pc) == Op::VarargPrep)) {
      ci.hookLine = current;
      line = current;
    }
    ci.hookPc = index;
  }
  if (count) callHook(S, L, "count", -1);
  if (line >= 0 && (L.hookMask & kHookLine)) callHook(S, L, "line", line);
  if (line < 0 || !(L.hookMask & kHookLineStop) || !mayPause) return false;
  L.hookMask = static_cast<uint8_t>(L.hookMask & ~kHookLineStop);
  S.lineStopped = true;
  S.lineStopLine = line;
  S.lineStopResumePc = pc;
  return true;
}

// The switch build's hook step (see runLoop): runs the hooks of the instruction at `pc`, then
// leaves the frame at it (savedpc) with its hooks marked as run (lineStopResumePc, as a line
// stop marks them for its resume), for the loop to start over at it. True when a line stop
// pauses before it. A call of its own: nothing of the loop is live across it.
[[maybe_unused]] LUNETTE_OUT_OF_LOOP bool runHooksThenMark(State& S, Thread& L, CallInfo& ci,
                                                                 const Instruction* pc,
                                                                 bool mayPause) {
  ci.savedpc = pc + 1;  // the instruction about to run, as runHooks leaves it
  bool stop = runHooks(S, L, ci, pc, mayPause);
  CallInfo& frame = L.calls.back();
  --frame.savedpc;
  if (stop) return true;
  if (L.hookMask) S.lineStopResumePc = frame.savedpc;  // (a hook may have turned them off)
  ++S.budget;  // reentry charges the instruction again: once in all, as without hooks
  return false;
}

// CLOSE and RETURN close the frame's pending to-be-closed variables from `level` up. Each
// __close that is a Lua function runs as a frame of its own (so it may yield), with the
// instruction set to run again once it returns (finishRepeat), values below `above` kept;
// other __close values are called in place. True when a frame was pushed.
bool closeNextAsFrame(State& S, Thread& L, CallInfo& ci, int level, int above) {
  while (!L.tbcSlots.empty() && L.tbcSlots.back() >= level) {
    const Value object = L.stack[L.tbcSlots.back()];
    const Value* tm = S.metamethod(object, Event::Close);
    if (!tm || tm->tag != Tag::LuaClosure) {
      L.top = above;
      int slot = L.tbcSlots.back();
      closeToBeClosed(S, L, slot, Value(), false);  // just this one: it is the innermost
      continue;
    }
    Value closer = *tm;
    L.tbcSlots.pop_back();
    L.top = above;
    ensureStack(S, L, 3 + kStackExtra);
    L.stack[above] = closer;
    L.stack[above + 1] = object;
    L.stack[above + 2] = Value();
    L.top = above + 3;
    ci.finishPending = true;
    ci.finishRepeat = true;
    ci.finishSlot = above;
    pushLuaFrame(S, L, above, 0, closer.asLuaClosure());
    return true;
  }
  return false;
}

// Completes the opcode of a Lua frame whose metamethod (called as a frame of its own) has
// returned: stores the result, or takes the conditional jump a comparison decides.
// True when it left a further metamethod as a frame of its own (the next __concat of a chain,
// so that it may yield too), which the loop must enter.
bool finishPendingOp(State& S, Thread& L, CallInfo& ci) {
  ci.finishPending = false;
  if (ci.finishRepeat) {  // a __close returned: the CLOSE or RETURN goes on with the next one
    ci.finishRepeat = false;
    --ci.savedpc;
    L.top = ci.finishSlot;
    return false;
  }
  Value result = L.stack[ci.finishSlot];
  Instruction inst = ci.savedpc[-1];
  switch (opOf(inst)) {
    case Op::Concat: {
      // The pair at the end was joined by __concat; join the rest (a further metamethod is
      // left as a frame again).
      int first = ci.base + argA(inst);
      int count = ci.finishCount;
      L.top = ci.top;
      L.stack[first + count - 2] = result;
      if (slowPath(S, [&] { concatenate(S, L, first, count - 1); })) {
        callDeferred(S, L, ci);
        return true;
      }
      break;
    }
    case Op::Eq: case Op::Lt: case Op::Le: case Op::EqK: case Op::EqI:
    case Op::LtI: case Op::LeI: case Op::GtI: case Op::GeI: {
      bool cond = result.isTruthy() != ci.finishNegate;
      if (cond != argK(inst)) ++ci.savedpc;  // skip the jump
      break;
    }
    case Op::SetTabUp: case Op::SetTable: case Op::SetI: case Op::SetField: break;
    default: L.stack[ci.base + argA(inst)] = result; break;
  }
  L.top = ci.top;
  return false;
}

// ---- cold opcode bodies -----------------------------------------------------------------------
//
// The opcodes and slow paths that hot loops rarely run, kept out of the loop's function in
// WebAssembly (see LUNETTE_OUT_OF_LOOP): V8 runs the loop in baseline code until its optimising
// compiler is done with it, for a time that grows faster than the function's size. Each takes
// the instruction and the pc past it and saves the pc in the frame first (each may raise, or
// run a metamethod, a hook or the collector). A bool result true means a frame was pushed for
// the loop to enter (goto reentry). The loop reloads its base after any of them.

// SELF whose method is not found through plain __index tables.
LUNETTE_OUT_OF_LOOP bool selfSlow(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                  Instruction i, Value object, Value key) {
  ci.savedpc = pc;
  Value result;
  L.stack[ci.base + argA(i) + 1] = object;
  if (slowPath(S, [&] { getIndexed(S, L, L.stack[ci.base + argB(i)], key, result); })) {
    callDeferred(S, L, ci);
    return true;
  }
  L.stack[ci.base + argA(i) + 1] = object;
  L.stack[ci.base + argA(i)] = result;
  return false;
}

// UNM, BNOT and LEN on what their inline cases do not handle (coercions, metamethods, errors).
LUNETTE_OUT_OF_LOOP bool unarySlow(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                   Instruction i) {
  ci.savedpc = pc;
  const Value& operand = L.stack[ci.base + argB(i)];  // in place: an error names the variable
  Value result;
  if (slowPath(S, [&] {
        if (opOf(i) == Op::Len) lengthOf(S, L, operand, result);
        else arithmetic(S, L, opOf(i) == Op::Unm ? ArithOp::Unm : ArithOp::BNot, operand, operand, result);
      })) {
    callDeferred(S, L, ci);
    return true;
  }
  L.stack[ci.base + argA(i)] = result;
  return false;
}

// CONCAT (it always calls out: the string is built and interned out of line anyway).
LUNETTE_OUT_OF_LOOP bool concatOp(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                  Instruction i) {
  ci.savedpc = pc;
  int first = ci.base + argA(i);
  int count = argB(i);
  if (slowPath(S, [&] { concatenate(S, L, first, count); })) {
    callDeferred(S, L, ci);
    return true;
  }
  S.checkGc();
  return false;
}

enum class Comparison { Equal, Less, LessEqual };
// (An outcome returned rather than stored through a pointer: a loop local whose address escapes
// to a call is kept in memory, which cost GCC's code for LT and LTI instructions natively.)
enum class SlowOutcome { False, True, Reenter };

// The comparisons' slow path (mixed numbers, strings, metamethods, errors): the outcome, or
// Reenter when a metamethod frame was pushed.
LUNETTE_OUT_OF_LOOP SlowOutcome compareSlow(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                            Comparison comparison, const Value& lhs,
                                            const Value& rhs) {
  ci.savedpc = pc;
  bool result = false;
  if (slowPath(S, [&] {
        switch (comparison) {
          case Comparison::Equal: result = equalObjects(S, L, lhs, rhs); break;
          case Comparison::Less: result = lessThan(S, L, lhs, rhs); break;
          case Comparison::LessEqual: result = lessEqual(S, L, lhs, rhs); break;
        }
      })) {
    callDeferred(S, L, ci);
    return SlowOutcome::Reenter;
  }
  return result ? SlowOutcome::True : SlowOutcome::False;
}

// CLOSE: closes the upvalues and to-be-closed variables from R[A] up.
LUNETTE_OUT_OF_LOOP bool closeOp(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                 Instruction i) {
  ci.savedpc = pc;
  int level = ci.base + argA(i);
  closeUpvalues(S, L, level);
  if (!L.tbcSlots.empty() && L.tbcSlots.back() >= level) {
    if (closeNextAsFrame(S, L, ci, level, ci.top)) return true;
    L.top = ci.top;
  }
  return false;
}

// TBC: marks R[A] as a to-be-closed variable.
LUNETTE_OUT_OF_LOOP void tbcOp(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                               Instruction i) {
  ci.savedpc = pc;
  const Value& variable = L.stack[ci.base + argA(i)];
  if (variable.isFalsy()) return;  // nil and false need no closing
  if (!S.metamethod(variable, Event::Close)) {
    const Proto* p = L.stack[ci.func].asLuaClosure()->proto;
    int reg = argA(i);
    const char* name = localName(p, reg + 1, static_cast<int>(pc - 1 - p->code.data()));
    S.runtimeError(L, std::string("variable '") + (name ? name : "?") + "' got a non-closable value");
  }
  L.tbcSlots.push_back(ci.base + argA(i));
}

// RETURN of a function that may hold open upvalues or to-be-closed variables (k set): closes
// them, the results being R[first .. first+n-1].
LUNETTE_OUT_OF_LOOP bool closeOnReturn(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                       int first, int n) {
  ci.savedpc = pc;
  if (hasOpenUpvaluesFrom(L, L.stack + ci.base)) closeUpvalues(S, L, ci.base);
  if (!L.tbcSlots.empty() && L.tbcSlots.back() >= ci.base) {
    if (closeNextAsFrame(S, L, ci, ci.base, first + n)) return true;
    L.top = first + n;
  }
  return false;
}

// RETURN's event for debug.sethook.
LUNETTE_OUT_OF_LOOP void returnHook(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                    int first, int n) {
  ci.savedpc = pc;
  L.top = first + n;
  callHook(S, L, "return", -1, first - ci.base + 1, n);
  L.top = first + n;
}

// A call the loop does not make inline (not a Lua function below the frame limit, nor a plain
// native): special natives, __call, thread switches. True when the loop must re-enter; false
// when the call completed, its results in place and the top set for the caller.
LUNETTE_OUT_OF_LOOP bool callOutOfLine(State& S, Thread& L, int funcIndex, int nresults,
                                       Thread* entry, const CallInfo* stopCaller) {
  if (switchedDirectly(S, L, funcIndex, nresults, entry, stopCaller)) return true;
  if (doCall(S, L, funcIndex, nresults) != CallOutcome::Completed) return true;
  if (nresults != kMultRet) L.top = L.calls.back().top;
  return false;
}

// TAILCALL of a native: calls it, then returns its results. True when the loop must end
// (the return went back to the loop's caller); else it re-enters.
LUNETTE_OUT_OF_LOOP bool tailCallNative(State& S, Thread& L, int funcIndex, Thread* entry,
                                        size_t stopDepth) {
  if (doCall(S, L, funcIndex, kMultRet) != CallOutcome::Completed) return false;
  // (Otherwise the pending return happens when the special frame completes.)
  return deliverReturn(S, funcIndex, L.top - funcIndex, entry, stopDepth);
}

// FORPREP: true when the loop is skipped.
LUNETTE_OUT_OF_LOOP bool forPrepOp(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                   Value* ra) {
  ci.savedpc = pc;
  return forPrep(S, L, ra);
}

// TFORPREP: R[A+3], when not false, is a to-be-closed variable.
LUNETTE_OUT_OF_LOOP void tforPrepOp(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                    Instruction i) {
  ci.savedpc = pc;
  const Value& closing = L.stack[ci.base + argA(i) + 3];
  if (!closing.isTruthy()) return;
  if (!S.metamethod(closing, Event::Close))
    S.runtimeError(L, "variable '(for state)' got a non-closable value");
  L.tbcSlots.push_back(ci.base + argA(i) + 3);
}

// NEWTABLE.
LUNETTE_OUT_OF_LOOP void newTableOp(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                    Instruction i) {
  ci.savedpc = pc;
  const Proto* p = L.stack[ci.func].asLuaClosure()->proto;
  uint32_t site = S.siteOfInstruction(p, static_cast<int>(pc - p->code.data()) - 1);
  Table* t = newTableAt(S, static_cast<uint32_t>(argC(i)), static_cast<uint32_t>(argB(i)), site);
  L.stack[ci.base + argA(i)] = Value::table(t);
  // The code generator puts a constructor's table in the first free register, so nothing
  // above it is live: a collection here need not keep what those registers held (a loop
  // that builds a big table per round would otherwise carry last round's tables through
  // one more cycle, as the reference does not).
  L.top = ci.base + argA(i) + 1;
  S.checkGc();
  L.top = ci.top;
}

// SETLIST (`pc` points at its EXTRAARG when k is set). Out of line natively too: GCC inlining it
// back cost the whole loop's register allocation (callgrind: fib +4.5%, nbody +3.9%
// instructions).
[[gnu::noinline]] void setListOp(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                   Instruction i) {
  ci.savedpc = pc;
  int n = argB(i);
  int64_t start = argK(i) ? argAx(*pc) : argC(i);
  if (n == 0) n = L.top - (ci.base + argA(i)) - 1;
  Value* ra = L.stack + ci.base + argA(i);
  if (ra->tag != Tag::Table)  // NEWTABLE put it there, unless a crafted binary chunk did not
    S.runtimeError(L, "corrupted bytecode: SETLIST target is not a table");
  Table* t = ra->asTable();
  if (static_cast<uint64_t>(start + n) > t->arraySize) {
    uint32_t hashCount = t->used;
    t->resize(S, static_cast<uint32_t>(start + n), hashCount);
  }
  for (int j = 1; j <= n; ++j) t->array[start + j - 1] = ra[j];
  S.collector.barrierBackAll(t);
  L.top = ci.top;
}

// CLOSURE: a new closure of the running function's child prototype Bx in R[A].
LUNETTE_OUT_OF_LOOP void closureOp(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                   Instruction i) {
  ci.savedpc = pc;
  LuaClosure* cl = L.stack[ci.func].asLuaClosure();
  Proto* p = cl->proto->children[argBx(i)];
  uint32_t site = S.siteOfInstruction(cl->proto, static_cast<int>(pc - cl->proto->code.data()) - 1);
  LuaClosure* c = S.newLuaClosure(p, site);
  for (size_t u = 0; u < p->upvalues.size(); ++u) {
    const UpvalDesc& d = p->upvalues[u];
    c->upvals[u] = d.instack ? findUpvalue(S, L, ci.base + d.index, site) : cl->upvals[d.index];
  }
  L.stack[ci.base + argA(i)] = Value::object(c, Tag::LuaClosure);
  L.top = ci.top;
  S.checkGc();
}

// VARARG: the frame's extra arguments into R[A] on (C-1 of them; all when C is 0).
LUNETTE_OUT_OF_LOOP void varargOp(State& S, Thread& L, CallInfo& ci, const Instruction* pc,
                                  Instruction i) {
  ci.savedpc = pc;
  int wanted = argC(i) - 1;
  int nextra = ci.nextraargs;
  int from = ci.func + 1 + L.stack[ci.func].asLuaClosure()->proto->numparams;
  if (wanted < 0) {
    wanted = nextra;
    int target = ci.base + argA(i);
    if (target + wanted + kStackExtra > L.stackSize) {
      L.top = target;
      growStack(S, L, wanted);
    }
    L.top = target + wanted;
  }
  Value* dst = L.stack + ci.base + argA(i);
  for (int j = 0; j < wanted; ++j) dst[j] = j < nextra ? L.stack[from + j] : Value();
}

}  // namespace

ExecEnd execute(State& S, Thread* entry, size_t stopDepth, bool mayPause) {
  for (;;) {
    try {
      return runLoop(S, entry, stopDepth, mayPause);
    } catch (const LuaError&) {
      if (!handleError(S, entry, stopDepth)) throw;
      Thread& L = *S.running;
      if (&L == entry && L.calls.size() == stopDepth) return ExecEnd::Returned;
      if (L.calls.back().kind != FrameKind::Lua && settle(S, entry, stopDepth))
        return ExecEnd::Returned;
    }
  }
}

namespace {

// True when the slice's budget has run out (the caller pauses if it may). A loop nested in a
// native call may not pause, so beyond the embedder's overdraft limit it fails instead.
inline bool budgetExhausted(State& S, int64_t cost) {
  S.budget -= cost;
  if (S.budget >= 0) [[likely]] return false;
  if (S.nativeDepth > 0 && S.nestedOverdraftLimit > 0 && S.budget < -S.nestedOverdraftLimit)
    S.runtimeError(*S.running, "instruction budget exhausted in a call that cannot pause");
  return true;
}

// ---- dispatch ----------------------------------------------------------------------------
//
// With GCC and clang each opcode ends in a jump of its own to the next opcode's code (a
// computed goto through kDispatch): no range check, and the branch predictor learns each
// opcode's likely successor. Elsewhere the same cases form a plain switch; so in WebAssembly,
// which has no indirect jumps (each computed goto would become a br_table of its own).
// Either way an opcode body starts with LUNETTE_CASE(name) and ends with LUNETTE_NEXT; a
// debug hook (or a line stop) sends the next instruction through the top of the loop, where
// runHooks runs first. kDispatch has an entry for every opcode only: the bytecode checker
// rejects unknown opcodes before any code runs.

#define LUNETTE_OPCODES(X)                                                                   \
  X(Move) X(LoadI) X(LoadF) X(LoadK) X(LoadKX) X(LoadFalse) X(LFalseSkip) X(LoadTrue)        \
  X(LoadNil) X(GetUpval) X(SetUpval) X(GetTabUp) X(GetTable) X(GetI) X(GetField)             \
  X(SetTabUp) X(SetTable) X(SetI) X(SetField) X(NewTable) X(Self)                            \
  X(AddK) X(SubK) X(MulK) X(ModK) X(PowK) X(DivK) X(IDivK) X(BAndK) X(BOrK) X(BXorK)         \
  X(ShlK) X(ShrK) X(Add) X(Sub) X(Mul) X(Mod) X(Pow) X(Div) X(IDiv) X(BAnd) X(BOr) X(BXor)   \
  X(Shl) X(Shr) X(Unm) X(BNot) X(Not) X(Len) X(Concat) X(Close) X(Tbc) X(Jmp)                \
  X(Eq) X(Lt) X(Le) X(EqK) X(EqI) X(LtI) X(LeI) X(GtI) X(GeI) X(Test) X(TestSet)             \
  X(Call) X(TailCall) X(Return) X(Return0) X(Return1) X(ForLoop) X(ForPrep) X(TForPrep) X(TForCall) X(TForLoop)    \
  X(SetList) X(Closure) X(Vararg) X(VarargPrep) X(ExtraArg)

// The list above is the enum of bytecode/opcodes.h, in its order (kDispatch is indexed by it).
#define LUNETTE_OP_ENUMERATOR(name) Op::name,
constexpr Op kOpcodeOrder[] = {LUNETTE_OPCODES(LUNETTE_OP_ENUMERATOR)};
#undef LUNETTE_OP_ENUMERATOR
constexpr bool opcodeListInEnumOrder() {
  if (std::size(kOpcodeOrder) != static_cast<size_t>(Op::Count_)) return false;
  for (size_t n = 0; n < std::size(kOpcodeOrder); ++n)
    if (kOpcodeOrder[n] != static_cast<Op>(n)) return false;
  return true;
}
static_assert(opcodeListInEnumOrder(), "LUNETTE_OPCODES must list every opcode in enum order");

#if defined(__GNUC__) && !defined(__EMSCRIPTEN__)
#define LUNETTE_THREADED_DISPATCH 1
#define LUNETTE_CASE(name) case Op::name: op_##name:
#define LUNETTE_NEXT                               \
  {                                                \
    i = *pc++;                                     \
    ra = base + argA(i);                           \
    goto* dispatch[static_cast<size_t>(opOf(i))];  \
  }
// After anything that may have run other code (a metamethod, a native, a hook, a finalizer):
// the stack may have moved, and a hook may have been set or cleared (debug.sethook).
#define LUNETTE_RELOAD_BASE() \
  (base = L->stack + ci->base, dispatch = L->hookMask ? kHookDispatch : kDispatch)
// (The switch build reads its frame state back after every out-of-line call; see there.)
#define LUNETTE_RELOAD_AFTER_CALL() ((void)0)
#define LUNETTE_CALL_OUT(call) (call)
#define LUNETTE_RELOAD_CI() ((void)0)
#define LUNETTE_REREAD(kept, reread) (kept)
#else
#define LUNETTE_THREADED_DISPATCH 0
#define LUNETTE_CASE(name) case Op::name:
#define LUNETTE_NEXT break
// The top of the loop tests the thread's hook mask before each instruction (kHookDispatch's
// part): one load from the thread, where a local copy of the flag costs V8's register allocator
// a register, or a spill and a reload, in every opcode (see runLoop).
// After a call out of the loop the whole frame state is read back from the frame, not only the
// base: the frame is still the top one and the callee stored savedpc (every out-of-line opcode
// body does, as does CALL before calling a native), one past the instruction running. So the
// loop's locals (ci, pc, i, cl, k, base) do not live across such a call, which leaves V8's
// register allocator fewer values to keep in stack slots, stored to at every instruction.
// Measured on fib(30) (instructions run in V8's code under valgrind, node --no-liftoff):
// 1103.4M -> 1062.4M with the in-place hook test and the frame read back in enterLuaFrame,
// 1046.6M reloading ci, pc, cl and k here, 1014.9M with the barrier in the hook test, `i` and
// the three loop-preparing opcodes too (-8.0% in all).
#define LUNETTE_RELOAD_BASE()                                                       \
  (ci = &L->calls.back(), pc = ci->savedpc, i = pc[-1],                             \
   cl = L->stack[ci->func].asLuaClosure(), k = cl->proto->constants.data(),         \
   base = L->stack + ci->base)
#define LUNETTE_RELOAD_AFTER_CALL() LUNETTE_RELOAD_BASE()
// A call in an opcode's fast path (a lookup, a barrier, a libm function): savedpc stored before
// it and the frame state read back after it, as around the slow paths, so no local of the loop
// is live across it. One such call left anywhere in the loop was enough to keep pc, ci, base
// and `i` in stack slots, stored to at every instruction's dispatch (TurboFan's code for fib:
// four stores at the loop head). What the opcode uses after the call (ra, its operands) it
// computes again from the reloaded state.
#define LUNETTE_CALL_OUT(call) (ci->savedpc = pc, (call), LUNETTE_RELOAD_BASE())
// The same for the frame alone, where an opcode goes on with its own state after a call.
#define LUNETTE_RELOAD_CI() (ci = &L->calls.back())
// An operand after a LUNETTE_CALL_OUT: read again from the reloaded state here, kept natively.
#define LUNETTE_REREAD(kept, reread) (reread)
#endif

// Raw equality of two values of one tag, neither a table nor a userdata, unless both are long
// strings (LUNETTE_EQUALITY_NEEDS_CALL): what rawEquals decides for them, without its call
// (memcmp), which the switch build keeps out of the loop's fast paths (see LUNETTE_CALL_OUT).
[[maybe_unused]] inline bool equalWithoutCall(const Value& a, const Value& b) {
  switch (a.tag) {
    case Tag::Nil:
    case Tag::False:
    case Tag::True: return true;
    case Tag::Integer: return a.i == b.i;
    case Tag::Float: return a.n == b.n;
    case Tag::String: return a.asString() == b.asString();  // interned, or a long one itself
    default: return a.p == b.p;
  }
}

// fastArith, but in the switch build without its calls of pow and fmod (float `%`, `^` but
// squaring): those take arithSlow, after which the loop reads its state back.
[[gnu::always_inline]] inline bool fastArithInLoop(ArithOp op, const Value& a, const Value& b,
                                                   Value& out) {
#if !LUNETTE_THREADED_DISPATCH
  if (op == ArithOp::Pow) {
    bool squared = a.tag == Tag::Float && (b.tag == Tag::Integer ? b.i == 2 : b.tag == Tag::Float && b.n == 2);
    if (squared) out = Value::number(a.n * a.n);
    return squared;
  }
  if (op == ArithOp::Mod && !(a.tag == Tag::Integer && b.tag == Tag::Integer)) return false;
#endif
  return fastArith(op, a, b, out);
}

#if LUNETTE_THREADED_DISPATCH
#define LUNETTE_EQUALITY_NEEDS_CALL(a, b) false
#define LUNETTE_RAW_EQUALS(a, b) rawEquals(a, b)
#else
#define LUNETTE_EQUALITY_NEEDS_CALL(a, b)                                              \
  ((a).tag == Tag::String && (a).asString() != (b).asString() && !(a).asString()->isShort() && \
   !(b).asString()->isShort())
#define LUNETTE_RAW_EQUALS(a, b) equalWithoutCall(a, b)
#endif

ExecEnd runLoop(State& S, Thread* entry, size_t stopDepth, bool mayPause) {
#if LUNETTE_THREADED_DISPATCH
  // While the thread has a hook (or a line stop), `dispatch` is kHookDispatch, which sends
  // every instruction through the top of the loop, where runHooks runs: so the common case
  // tests nothing per instruction. Every place that may have run other code recomputes it
  // (LUNETTE_RELOAD_BASE), as does the top of the loop.
#define LUNETTE_LABEL_ADDRESS(name) &&op_##name,
  static const void* const kDispatch[] = {LUNETTE_OPCODES(LUNETTE_LABEL_ADDRESS)};
#undef LUNETTE_LABEL_ADDRESS
#define LUNETTE_HOOK_ADDRESS(name) &&hooked,
  static const void* const kHookDispatch[] = {LUNETTE_OPCODES(LUNETTE_HOOK_ADDRESS)};
#undef LUNETTE_HOOK_ADDRESS
  const void* const* dispatch = kDispatch;
#endif
  // A RETURN must leave this loop (deliverReturn) when it would go back to the entry thread's
  // frame below stopDepth: that frame's address, fixed for the loop's life (frames never move
  // and the thread keeps its frame storage), so RETURN tests one pointer instead of the thread
  // and its depth. (stopDepth frames exist on entry: execute runs the frames pushed above them.)
  // (Without such a frame, a frame no RETURN can see: never null, which a bottom frame's
  // missing caller is.)
  static const CallInfo kNoStopFrame;
  const CallInfo* const stopCaller = stopDepth >= 1 && stopDepth <= entry->calls.size()
                                         ? &entry->calls[stopDepth - 1]
                                         : &kNoStopFrame;
  Thread* L;
  CallInfo* ci;
  LuaClosure* cl;
  const Value* k;
  Value* base;
  const Instruction* pc;

reentry:
  if (L = S.running; L->calls.back().kind != FrameKind::Lua) {
    if (settle(S, entry, stopDepth)) return ExecEnd::Returned;
  }
  L = S.running;
  ci = &L->calls.back();
  cl = L->stack[ci->func].asLuaClosure();
  k = cl->proto->constants.data();
  base = L->stack + ci->base;
  pc = ci->savedpc;
  if (ci->finishPending) {
#if LUNETTE_THREADED_DISPATCH
    if (finishPendingOp(S, *L, *ci)) goto reentry;
    pc = ci->savedpc;
    base = L->stack + ci->base;  // the stack may have grown
#else
    // Done or a frame pushed for it, either way the frame state is read again (the stack may
    // have grown; and nothing of this loop stays live across the call).
    finishPendingOp(S, *L, *ci);
    goto reentry;
#endif
  }
  if (budgetExhausted(S, 1) && mayPause) return ExecEnd::Paused;

  Instruction i;
  Value* ra;
  for (;;) {
    if (L->hookMask) [[unlikely]] {
#if LUNETTE_THREADED_DISPATCH
      bool stop = runHooks(S, *L, *ci, pc, mayPause);
      base = L->stack + ci->base;
      if (stop) {
        ci->savedpc = pc;
        return ExecEnd::Paused;
      }
#else
      // The hooks may call Lua. After them the loop starts over from the frame (reentry),
      // the instruction's hooks marked as run (lineStopResumePc, as a line stop marks them for
      // its resume; cleared by the next pass): with the state read back here instead, the
      // reloaded values met the others at the dispatch, where V8 kept each in a stack slot of
      // its own, stored to at every instruction.
      if (pc == S.lineStopResumePc) {
        S.lineStopResumePc = nullptr;
      } else {
        if (runHooksThenMark(S, *L, *ci, pc, mayPause)) return ExecEnd::Paused;
        goto reentry;
      }
#endif
    }
#if LUNETTE_THREADED_DISPATCH
    dispatch = L->hookMask ? kHookDispatch : kDispatch;
#endif
    i = *pc++;
    ra = base + argA(i);
    switch (opOf(i)) {
      LUNETTE_CASE(Move) *ra = base[argB(i)]; LUNETTE_NEXT;
      LUNETTE_CASE(LoadI) *ra = Value::integer(argSBx(i)); LUNETTE_NEXT;
      LUNETTE_CASE(LoadF) *ra = Value::number(static_cast<double>(argSBx(i))); LUNETTE_NEXT;
      LUNETTE_CASE(LoadK) *ra = k[argBx(i)]; LUNETTE_NEXT;
      LUNETTE_CASE(LoadKX)
        *ra = k[argAx(*pc)];
        ++pc;
        LUNETTE_NEXT;
      LUNETTE_CASE(LoadFalse) *ra = Value::boolean(false); LUNETTE_NEXT;
      LUNETTE_CASE(LFalseSkip)
        *ra = Value::boolean(false);
        ++pc;
        LUNETTE_NEXT;
      LUNETTE_CASE(LoadTrue) *ra = Value::boolean(true); LUNETTE_NEXT;
      LUNETTE_CASE(LoadNil)
        for (int b = argB(i); b >= 0; --b) *ra++ = Value();
        LUNETTE_NEXT;
      LUNETTE_CASE(GetUpval) *ra = *cl->upvals[argB(i)]->value; LUNETTE_NEXT;
      LUNETTE_CASE(SetUpval) {
        UpVal* u = cl->upvals[argB(i)];
        *u->value = *ra;
#if LUNETTE_THREADED_DISPATCH
        S.collector.barrierForward(u, *ra);
#else
        if (S.collector.isMarking() && ra->isCollectable()) [[unlikely]]
          LUNETTE_CALL_OUT(S.collector.barrierForward(u, *u->value));
#endif
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(GetTabUp) {
        const Value& t = *cl->upvals[argB(i)]->value;
        const String* key = k[argC(i)].asString();
        if (t.tag == Tag::Table) {
#if !LUNETTE_THREADED_DISPATCH
          // A global in its home slot of _ENV is read with one probe, as fields are in GETFIELD
          // (see there); the full lookup below is inline too, as _ENV is large enough for
          // collisions to be common (the two together: 289.4M -> 274.1M instructions in V8's
          // code on 600k calls of global functions; sort, nbody, fib unchanged within 0.03%).
          const Value* home = fieldAtHome(t.asTable(), key);
          if (home && !home->isNil()) {
            *ra = *home;
            LUNETTE_NEXT;
          }
#endif
          if (const Value* v = getFieldThroughIndexTables(S, t.asTable(), key)) {
            *ra = *v;
            LUNETTE_NEXT;
          }
        }
        if (getSlow(S, *L, *ci, pc, t, k[argC(i)], argA(i))) goto reentry;
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(GetTable) {
        const Value& t = base[argB(i)];
        const Value& key = base[argC(i)];
        if (t.tag == Tag::Table) {
#if LUNETTE_THREADED_DISPATCH
          const Value* v = key.tag == Tag::Integer ? t.asTable()->getInt(key.i) : t.asTable()->get(key);
#else
          Table* h = t.asTable();
          const Value* v;
          if (key.tag == Tag::Integer) v = h->getInt(key.i);
          else if (key.tag == Tag::String && key.asString()->isShort()) v = h->getShortString(key.asString());
          else LUNETTE_CALL_OUT(v = h->get(key));
#endif
          if (!v->isNil()) {
            *LUNETTE_REREAD(ra, base + argA(i)) = *v;
            LUNETTE_NEXT;
          }
        }
        if (getSlow(S, *L, *ci, pc, LUNETTE_REREAD(t, base[argB(i)]), LUNETTE_REREAD(key, base[argC(i)]),
                    argA(i)))
          goto reentry;
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(GetI) {
        const Value& t = base[argB(i)];
        if (t.tag == Tag::Table) {
          const Value* v = t.asTable()->getInt(argC(i));
          if (!v->isNil()) {
            *ra = *v;
            LUNETTE_NEXT;
          }
        }
        if (getSlow(S, *L, *ci, pc, t, Value::integer(argC(i)), argA(i))) goto reentry;
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(GetField) {
        const Value& t = base[argB(i)];
        if (t.tag == Tag::Table) {
#if !LUNETTE_THREADED_DISPATCH
          // A present field in its home slot is read here: Binaryen keeps the lookup below a
          // function of its own, and V8 spills the loop's live values around every call.
          // (A nil there may still be filled by __index: that goes on to the full lookup.)
          const Value* home = fieldAtHome(t.asTable(), k[argC(i)].asString());
          if (home && !home->isNil()) {
            *ra = *home;
            LUNETTE_NEXT;
          }
          const Value* v;
          LUNETTE_CALL_OUT(v = getFieldPastHome(S, t.asTable(), k[argC(i)].asString()));
#else
          const Value* v = getFieldChainOutOfLine(S, t.asTable(), k[argC(i)].asString());
#endif
          if (v) {
            *LUNETTE_REREAD(ra, base + argA(i)) = *v;
            LUNETTE_NEXT;
          }
        }
        if (getSlow(S, *L, *ci, pc, LUNETTE_REREAD(t, base[argB(i)]), k[argC(i)], argA(i))) goto reentry;
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
#if LUNETTE_THREADED_DISPATCH
      LUNETTE_CASE(SetTabUp) {
        const Value& t = *cl->upvals[argA(i)]->value;
        const Value& value = argK(i) ? k[argC(i)] : base[argC(i)];
        if (t.tag == Tag::Table) {
          Table* h = t.asTable();
          Value* slot = const_cast<Value*>(h->getShortString(k[argB(i)].asString()));
          if (!slot->isNil()) {
            *slot = value;
            h->absentMetamethods = 0;
            S.collector.barrierBackValue(h, value);
            LUNETTE_NEXT;
          }
          ci->savedpc = pc;
          if (storeWithoutNewIndex(S, h, slot, k[argB(i)], value)) LUNETTE_NEXT;
        }
        if (setSlow(S, *L, *ci, pc, t, k[argB(i)], value)) goto reentry;
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(SetTable) {
        const Value& key = base[argB(i)];
        const Value& value = argK(i) ? k[argC(i)] : base[argC(i)];
        if (ra->tag == Tag::Table) {
          Table* h = ra->asTable();
          Value* slot = const_cast<Value*>(key.tag == Tag::Integer ? h->getInt(key.i) : h->get(key));
          if (!slot->isNil()) {
            *slot = value;
            h->absentMetamethods = 0;
            S.collector.barrierBackValue(h, value);
            LUNETTE_NEXT;
          }
          if (key.tag == Tag::Integer || key.tag == Tag::String) {  // (nil and NaN keys raise)
            ci->savedpc = pc;
            if (storeWithoutNewIndex(S, h, slot, key, value)) LUNETTE_NEXT;
          }
        }
        if (setSlow(S, *L, *ci, pc, *ra, key, value)) goto reentry;
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(SetI) {
        const Value& value = argK(i) ? k[argC(i)] : base[argC(i)];
        if (ra->tag == Tag::Table) {
          Table* h = ra->asTable();
          Value* slot = const_cast<Value*>(h->getInt(argB(i)));
          if (!slot->isNil()) {
            *slot = value;
            S.collector.barrierBackValue(h, value);
            LUNETTE_NEXT;
          }
          ci->savedpc = pc;
          if (storeWithoutNewIndex(S, h, slot, Value::integer(argB(i)), value)) LUNETTE_NEXT;
        }
        if (setSlow(S, *L, *ci, pc, *ra, Value::integer(argB(i)), value)) goto reentry;
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(SetField) {
        const Value& value = argK(i) ? k[argC(i)] : base[argC(i)];
        if (ra->tag == Tag::Table) {
          Table* h = ra->asTable();
          Value* slot = const_cast<Value*>(h->getShortString(k[argB(i)].asString()));
          if (!slot->isNil()) {
            *slot = value;
            h->absentMetamethods = 0;
            S.collector.barrierBackValue(h, value);
            LUNETTE_NEXT;
          }
          ci->savedpc = pc;
          if (storeWithoutNewIndex(S, h, slot, k[argB(i)], value)) LUNETTE_NEXT;
        }
        if (setSlow(S, *L, *ci, pc, *ra, k[argB(i)], value)) goto reentry;
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
#else
// The table stores: the value is R[C] or, with k set, K[C]. A store into a slot the table
// already holds is inline; its barrier, and the store of a new key (storeWithoutNewIndex, which
// may rehash), are calls (LUNETTE_CALL_OUT), after which the operands are read again.
#define LUNETTE_STORED_VALUE (argK(i) ? k[argC(i)] : base[argC(i)])
#define LUNETTE_STORE_IN_SLOT(h, slot)                                          \
  {                                                                             \
    const Value& value_ = LUNETTE_STORED_VALUE;                                 \
    *(slot) = value_;                                                           \
    if (value_.isCollectable() && S.collector.isMarking()) [[unlikely]]         \
      LUNETTE_CALL_OUT(S.collector.barrierBackValue(h, *(slot)));               \
    LUNETTE_NEXT;                                                               \
  }
// SETTABUP and SETFIELD: a store under a constant short-string key K[B] into TABLE, an
// expression read again for the slow path, after the calls out that may have moved the stack.
#define LUNETTE_SET_CONSTANT_FIELD(TABLE)                                                        \
  {                                                                                              \
    if ((TABLE).tag == Tag::Table) {                                                             \
      Table* h = (TABLE).asTable();                                                              \
      Value* slot = const_cast<Value*>(h->getShortString(k[argB(i)].asString()));                \
      if (!slot->isNil()) {                                                                      \
        h->absentMetamethods = 0;                                                                \
        LUNETTE_STORE_IN_SLOT(h, slot)                                                           \
      }                                                                                          \
      ci->savedpc = pc;                                                                          \
      bool stored;                                                                               \
      LUNETTE_CALL_OUT(stored =                                                                  \
                           storeWithoutNewIndex(S, h, slot, k[argB(i)], LUNETTE_STORED_VALUE));  \
      if (stored) LUNETTE_NEXT;                                                                  \
    }                                                                                            \
    if (setSlow(S, *L, *ci, pc, TABLE, k[argB(i)], LUNETTE_STORED_VALUE)) goto reentry;          \
    LUNETTE_RELOAD_BASE();                                                                       \
    LUNETTE_NEXT;                                                                                \
  }
      LUNETTE_CASE(SetTabUp) LUNETTE_SET_CONSTANT_FIELD(*cl->upvals[argA(i)]->value)
      LUNETTE_CASE(SetTable) {
        const Value& key = base[argB(i)];
        if (ra->tag == Tag::Table) {
          Table* h = ra->asTable();
          Value* slot;
          if (key.tag == Tag::Integer) slot = const_cast<Value*>(h->getInt(key.i));
#if !LUNETTE_THREADED_DISPATCH
          else if (key.tag == Tag::String && key.asString()->isShort())
            slot = const_cast<Value*>(h->getShortString(key.asString()));
#endif
          else LUNETTE_CALL_OUT(slot = const_cast<Value*>(h->get(base[argB(i)])));
          if (!slot->isNil()) {
            h->absentMetamethods = 0;
            LUNETTE_STORE_IN_SLOT(h, slot)
          }
          const Value& newKey = base[argB(i)];
          if (newKey.tag == Tag::Integer || newKey.tag == Tag::String) {  // (nil and NaN keys raise)
            ci->savedpc = pc;
            bool stored;
            LUNETTE_CALL_OUT(stored = storeWithoutNewIndex(S, h, slot, newKey, LUNETTE_STORED_VALUE));
            if (stored) LUNETTE_NEXT;
          }
        }
        if (setSlow(S, *L, *ci, pc, base[argA(i)], base[argB(i)], LUNETTE_STORED_VALUE)) goto reentry;
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(SetI) {
        if (ra->tag == Tag::Table) {
          Table* h = ra->asTable();
          Value* slot = const_cast<Value*>(h->getInt(argB(i)));
          if (!slot->isNil()) LUNETTE_STORE_IN_SLOT(h, slot)
          ci->savedpc = pc;
          bool stored;
          LUNETTE_CALL_OUT(stored = storeWithoutNewIndex(S, h, slot, Value::integer(argB(i)),
                                                         LUNETTE_STORED_VALUE));
          if (stored) LUNETTE_NEXT;
        }
        if (setSlow(S, *L, *ci, pc, base[argA(i)], Value::integer(argB(i)), LUNETTE_STORED_VALUE))
          goto reentry;
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(SetField) LUNETTE_SET_CONSTANT_FIELD(base[argA(i)])
#undef LUNETTE_STORE_IN_SLOT
#undef LUNETTE_SET_CONSTANT_FIELD
#undef LUNETTE_STORED_VALUE
#endif
      LUNETTE_CASE(NewTable) {
        newTableOp(S, *L, *ci, pc, i);
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(Self) {
        Value object = base[argB(i)];
        const Value& key = argK(i) ? k[argC(i)] : base[argC(i)];
        if (object.tag == Tag::Table && key.tag == Tag::String && key.asString()->isShort()) {
          // In WebAssembly the whole lookup is inline, not just GETFIELD's home-slot probe: a
          // method is mostly absent from its object, and a small record's hash part is sized to
          // fit, so another key sits in the method's home slot and only the full probe can tell
          // (a home-slot check before the call, tried: oop_methods 736.9M -> 754.0M instructions
          // in V8's code, at 300k iterations; inline: 711.5M).
          if (const Value* v = getFieldThroughIndexTables(S, object.asTable(), key.asString())) {
            ra[1] = object;
            *ra = *v;
            LUNETTE_NEXT;
          }
        }
        if (selfSlow(S, *L, *ci, pc, i, object, key)) goto reentry;
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }

// Each arithmetic opcode comes in two: second operand a constant (K) or a register. A K form
// with k set had its operands swapped by the compiler (`2 * x`, a commutative operator): the
// numbers give the same result either way; a metamethod or an error sees the source order.
#define LUNETTE_ARITH_BODY(SECOND, SWAPPED, ARITH)                                          \
  {                                                                                         \
    const Value& vb = base[argB(i)];                                                        \
    const Value& vc = SECOND;                                                               \
    if (!fastArithInLoop(ArithOp::ARITH, vb, vc, *ra)) {                                    \
      bool swapped_ = (SWAPPED);                                                            \
      if (arithSlow(S, *L, *ci, pc, ArithOp::ARITH, swapped_ ? vc : vb, swapped_ ? vb : vc, \
                    argA(i)))                                                               \
        goto reentry;                                                                       \
      LUNETTE_RELOAD_BASE();                                                               \
    }                                                                                       \
    LUNETTE_NEXT;                                                                           \
  }
#define LUNETTE_ARITH_CASE(OPK, OP, ARITH)                                                  \
  LUNETTE_CASE(OPK) LUNETTE_ARITH_BODY(k[argC(i)], argK(i), ARITH)                          \
  LUNETTE_CASE(OP) LUNETTE_ARITH_BODY(base[argC(i)], false, ARITH)
        LUNETTE_ARITH_CASE(AddK, Add, Add)
        LUNETTE_ARITH_CASE(SubK, Sub, Sub)
        LUNETTE_ARITH_CASE(MulK, Mul, Mul)
        LUNETTE_ARITH_CASE(ModK, Mod, Mod)
        LUNETTE_ARITH_CASE(PowK, Pow, Pow)
        LUNETTE_ARITH_CASE(DivK, Div, Div)
        LUNETTE_ARITH_CASE(IDivK, IDiv, IDiv)
        LUNETTE_ARITH_CASE(BAndK, BAnd, BAnd)
        LUNETTE_ARITH_CASE(BOrK, BOr, BOr)
        LUNETTE_ARITH_CASE(BXorK, BXor, BXor)
        LUNETTE_ARITH_CASE(ShlK, Shl, Shl)
        LUNETTE_ARITH_CASE(ShrK, Shr, Shr)
#undef LUNETTE_ARITH_CASE
#undef LUNETTE_ARITH_BODY

      LUNETTE_CASE(Unm) {
        const Value& vb = base[argB(i)];
        if (vb.tag == Tag::Integer) *ra = Value::integer(static_cast<int64_t>(0 - static_cast<uint64_t>(vb.i)));
        else if (vb.tag == Tag::Float) *ra = Value::number(-vb.n);
        else {
          if (unarySlow(S, *L, *ci, pc, i)) goto reentry;
          LUNETTE_RELOAD_BASE();
        }
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(BNot) {
        const Value& vb = base[argB(i)];
        if (vb.tag == Tag::Integer) *ra = Value::integer(~vb.i);
        else {
          if (unarySlow(S, *L, *ci, pc, i)) goto reentry;
          LUNETTE_RELOAD_BASE();
        }
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(Not) *ra = Value::boolean(base[argB(i)].isFalsy()); LUNETTE_NEXT;
      LUNETTE_CASE(Len) {
        const Value& vb = base[argB(i)];
        if (vb.tag == Tag::Table && !vb.asTable()->metatable) {
          uint64_t length;
          LUNETTE_CALL_OUT(length = vb.asTable()->length());
          *LUNETTE_REREAD(ra, base + argA(i)) = Value::integer(static_cast<int64_t>(length));
        } else if (vb.tag == Tag::String) {
          *ra = Value::integer(static_cast<int64_t>(vb.asString()->length));
        } else {
          if (unarySlow(S, *L, *ci, pc, i)) goto reentry;
          LUNETTE_RELOAD_BASE();
        }
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(Concat) {
        if (concatOp(S, *L, *ci, pc, i)) goto reentry;
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(Close) {
        if (closeOp(S, *L, *ci, pc, i)) goto reentry;
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(Tbc) {
        tbcOp(S, *L, *ci, pc, i);
        LUNETTE_RELOAD_AFTER_CALL();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(Jmp) {
        int offset = argSJ(i);
        pc += offset;
        if (offset < 0 && budgetExhausted(S, -offset) && mayPause) {
          ci->savedpc = pc;
          return ExecEnd::Paused;
        }
        LUNETTE_NEXT;
      }

// A test and the JMP after it form one instruction: the test takes the jump itself, so a
// backward one (the end of a `repeat ... until`) charges the budget here, as JMP would.
#define LUNETTE_COND_JUMP(COND)                                          \
  {                                                                      \
    bool cond_ = (COND);                                                 \
    if (cond_ != argK(i)) {                                              \
      ++pc;                                                              \
      LUNETTE_NEXT;                                                             \
    }                                                                    \
    int offset_ = argSJ(*pc) + 1;                                        \
    pc += offset_;                                                       \
    if (offset_ < 0 && budgetExhausted(S, -offset_) && mayPause) {       \
      ci->savedpc = pc;                                                  \
      return ExecEnd::Paused;                                            \
    }                                                                    \
    LUNETTE_NEXT;                                                               \
  }
      LUNETTE_CASE(Eq) {
        const Value& a = *ra;
        const Value& b = base[argB(i)];
        bool equal;
        if (a.tag == b.tag && a.tag != Tag::Table && a.tag != Tag::Userdata &&
            !LUNETTE_EQUALITY_NEEDS_CALL(a, b))
          equal = LUNETTE_RAW_EQUALS(a, b);
        else {
          SlowOutcome outcome = compareSlow(S, *L, *ci, pc, Comparison::Equal, a, b);
          if (outcome == SlowOutcome::Reenter) goto reentry;
          equal = outcome == SlowOutcome::True;
          LUNETTE_RELOAD_BASE();
        }
        LUNETTE_COND_JUMP(equal)
      }
      LUNETTE_CASE(Lt) {
        const Value& a = *ra;
        const Value& b = base[argB(i)];
        bool result;
        if (a.tag == Tag::Integer && b.tag == Tag::Integer) result = a.i < b.i;
        else if (a.tag == Tag::Float && b.tag == Tag::Float) result = a.n < b.n;
        else {
          SlowOutcome outcome = compareSlow(S, *L, *ci, pc, Comparison::Less, a, b);
          if (outcome == SlowOutcome::Reenter) goto reentry;
          result = outcome == SlowOutcome::True;
          LUNETTE_RELOAD_BASE();
        }
        LUNETTE_COND_JUMP(result)
      }
      LUNETTE_CASE(Le) {
        const Value& a = *ra;
        const Value& b = base[argB(i)];
        bool result;
        if (a.tag == Tag::Integer && b.tag == Tag::Integer) result = a.i <= b.i;
        else if (a.tag == Tag::Float && b.tag == Tag::Float) result = a.n <= b.n;
        else {
          SlowOutcome outcome = compareSlow(S, *L, *ci, pc, Comparison::LessEqual, a, b);
          if (outcome == SlowOutcome::Reenter) goto reentry;
          result = outcome == SlowOutcome::True;
          LUNETTE_RELOAD_BASE();
        }
        LUNETTE_COND_JUMP(result)
      }
      LUNETTE_CASE(EqK) {
        // Integers and short (interned) strings compare by payload, here; the rest out of line.
        const Value& a = *ra;
        const Value& b = k[argB(i)];
        bool samePayloadKind =
            a.tag == b.tag && (a.tag == Tag::Integer || (a.tag == Tag::String && a.asString()->isShort()));
#if LUNETTE_THREADED_DISPATCH
        LUNETTE_COND_JUMP(samePayloadKind ? a.i == b.i : rawEquals(a, b))
#else
        bool equal;
        if (samePayloadKind) equal = a.i == b.i;
        else if (a.tag == b.tag && !LUNETTE_EQUALITY_NEEDS_CALL(a, b)) equal = equalWithoutCall(a, b);
        else {
          SlowOutcome outcome = compareSlow(S, *L, *ci, pc, Comparison::Equal, a, b);
          if (outcome == SlowOutcome::Reenter) goto reentry;  // (a constant has no __eq)
          equal = outcome == SlowOutcome::True;
          LUNETTE_RELOAD_BASE();
        }
        LUNETTE_COND_JUMP(equal)
#endif
      }
      LUNETTE_CASE(EqI) {
        const Value& a = *ra;
        bool equal = a.tag == Tag::Integer ? a.i == argSB(i)
                     : a.tag == Tag::Float ? a.n == static_cast<double>(argSB(i))
                                           : false;
        LUNETTE_COND_JUMP(equal)
      }
// Each comparison with an immediate has a body of its own (one test on the fast path). The
// immediate is an integer; C set means the source wrote it as a float (4.0): the same result,
// and a metamethod gets the float.
// (The slow path compares a with b as the source wrote them: `i > 1` is `1 < i`.)
#define LUNETTE_ORDER_IMMEDIATE(CMP, COMPARISON, SWAPPED)                                  \
  {                                                                                        \
    const Value& a = *ra;                                                                  \
    int64_t imm = argSB(i);                                                                \
    bool result;                                                                           \
    if (a.tag == Tag::Integer) {                                                           \
      result = a.i CMP imm;                                                                \
    } else if (a.tag == Tag::Float) {                                                      \
      result = a.n CMP static_cast<double>(imm);                                           \
    } else {                                                                               \
      Value b = argC(i) ? Value::number(static_cast<double>(imm)) : Value::integer(imm);   \
      Value lhs = a;                                                                       \
      SlowOutcome outcome = compareSlow(S, *L, *ci, pc, Comparison::COMPARISON,            \
                                        SWAPPED ? b : lhs, SWAPPED ? lhs : b);             \
      if (outcome == SlowOutcome::Reenter) goto reentry;                                   \
      result = outcome == SlowOutcome::True;                                               \
      LUNETTE_RELOAD_BASE();                                                               \
    }                                                                                      \
    LUNETTE_COND_JUMP(result)                                                              \
  }
      LUNETTE_CASE(LtI) LUNETTE_ORDER_IMMEDIATE(<, Less, false)
      LUNETTE_CASE(LeI) LUNETTE_ORDER_IMMEDIATE(<=, LessEqual, false)
      LUNETTE_CASE(GtI) LUNETTE_ORDER_IMMEDIATE(>, Less, true)
      LUNETTE_CASE(GeI) LUNETTE_ORDER_IMMEDIATE(>=, LessEqual, true)
#undef LUNETTE_ORDER_IMMEDIATE
      LUNETTE_CASE(Test) LUNETTE_COND_JUMP(ra->isTruthy())
      LUNETTE_CASE(TestSet) {
        const Value& vb = base[argB(i)];
        if (vb.isTruthy() != argK(i)) {
          ++pc;
          LUNETTE_NEXT;
        }
        *ra = vb;
        int offset = argSJ(*pc) + 1;
        pc += offset;
        if (offset < 0 && budgetExhausted(S, -offset) && mayPause) {
          ci->savedpc = pc;
          return ExecEnd::Paused;
        }
        LUNETTE_NEXT;
      }
#undef LUNETTE_COND_JUMP

      LUNETTE_CASE(Call) {
        ci->savedpc = pc;
        int b = argB(i);
        int funcIndex = ci->base + argA(i);
        // A Lua callee's frame set-up takes the top as an argument and stores only its own.
        int top = b != 0 ? funcIndex + b : L->top;
        int nresults = argC(i) - 1;
        if (ra->tag == Tag::LuaClosure) [[likely]] {
          // Lua -> Lua: push the frame (or raise "stack overflow") and go on in this loop.
#if LUNETTE_THREADED_DISPATCH
          cl = ra->asLuaClosure();
          k = cl->proto->constants.data();  // read before the frame's stores, which might alias it
          ci = enterLuaFrame<true>(S, *L, funcIndex, top, nresults, cl, ci->metaDepth, true);
#else
          // The callee's closure and constants are read after the push, from the stack (the
          // same three loads): read before it, they were live across its calls (a stack to
          // grow, a chunk of frames to add), and so was cl and k's range in the whole loop,
          // stored to a stack slot at every instruction's dispatch.
          ci = enterLuaFrame<true>(S, *L, funcIndex, top, nresults, ra->asLuaClosure(),
                                   ci->metaDepth, true);
          cl = L->stack[funcIndex].asLuaClosure();
          k = cl->proto->constants.data();
#endif
          base = L->stack + ci->base;
          pc = ci->savedpc;
          if (budgetExhausted(S, 1) && mayPause) return ExecEnd::Paused;
          LUNETTE_NEXT;
        }
        L->top = top;
        if (ra->tag == Tag::LightNative && !isSpecialNative(ra->f)) {
          if (!callNative(S, *L, funcIndex, nresults, ra->f)) [[likely]] {
#if LUNETTE_THREADED_DISPATCH
            if (nresults != kMultRet) L->top = ci->top;
            LUNETTE_RELOAD_BASE();
#else
            LUNETTE_RELOAD_BASE();  // (first: ci too is read back)
            if (nresults != kMultRet) L->top = ci->top;
#endif
            LUNETTE_NEXT;
          }
          // The native left a tail call at funcIndex: make it below, like any other call.
        }
        if (callOutOfLine(S, *L, funcIndex, nresults, entry, stopCaller)) goto reentry;
        ci = &L->calls.back();
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(TailCall) {
        ci->savedpc = pc;
        int b = argB(i);
        int funcIndex = ci->base + argA(i);
        if (b != 0) L->top = funcIndex + b;
        // (k clear: the compiler saw nothing in this function that could leave an upvalue open)
        if (argK(i) && hasOpenUpvaluesFrom(*L, base)) closeUpvalues(S, *L, ci->base);
        // Resolve __call first so the callee's kind is known.
        while (!L->stack[funcIndex].isFunction()) insertCallMetamethod(S, *L, funcIndex);
        LUNETTE_RELOAD_CI();
        if (L->stack[funcIndex].tag == Tag::LuaClosure) {
          // Reuse the frame: move the function and its arguments down to this frame's func.
          int nargs = L->top - funcIndex;
          int dest = ci->func;
          int nresults = ci->nresults;
          int16_t metaDepth = ci->metaDepth;
          bool returnsToLuaCaller = ci->returnsToLuaCaller;  // the caller stays the same
          for (int j = 0; j < nargs; ++j) L->stack[dest + j] = L->stack[funcIndex + j];
          L->top = dest + nargs;
          L->calls.pop_back();
#if LUNETTE_THREADED_DISPATCH
          cl = L->stack[dest].asLuaClosure();
          k = cl->proto->constants.data();  // read before the frame's stores, which might alias it
          ci = enterLuaFrame(S, *L, dest, L->top, nresults, cl, metaDepth, returnsToLuaCaller);
#else
          // (After the push, as in CALL.)
          ci = enterLuaFrame(S, *L, dest, L->top, nresults, L->stack[dest].asLuaClosure(),
                             metaDepth, returnsToLuaCaller);
          cl = L->stack[dest].asLuaClosure();
          k = cl->proto->constants.data();
#endif
          ci->tailcall = true;
          base = L->stack + ci->base;
          pc = ci->savedpc;
          if (budgetExhausted(S, 1) && mayPause) return ExecEnd::Paused;
          LUNETTE_NEXT;
        }
        // A native callee: call it, then return its results.
        if (tailCallNative(S, *L, funcIndex, entry, stopDepth)) return ExecEnd::Returned;
        goto reentry;
      }
// RETURN's common end, back to the Lua frame that called this one (see
// CallInfo::returnsToLuaCaller) once the results are in place: pop the frame and go on with the
// caller's state in this loop.
#define LUNETTE_BACK_TO_LUA_CALLER(wanted)              \
  {                                                      \
    L->calls.pop_back();                                 \
    ci = &L->calls.back();                               \
    if ((wanted) != kMultRet) L->top = ci->top;          \
    cl = L->stack[ci->func].asLuaClosure();              \
    k = cl->proto->constants.data();                     \
    base = L->stack + ci->base;                          \
    pc = ci->savedpc;                                    \
    LUNETTE_NEXT;                                        \
  }
      // RETURN0 and RETURN1 (settleExits): RETURN of no value or one, from a frame with nothing
      // to close. Back to a Lua caller with no return hook, that is a move of at most one value,
      // without RETURN's operand decoding and close test; anything else takes RETURN's path,
      // whose operands they share.
      LUNETTE_CASE(Return0) {
        if (ci->returnsToLuaCaller && !(L->hookMask & kHookReturn)) [[likely]] {
          int wanted = ci->nresults;
          if (wanted != 0) moveResults(*L, ci->func, 0, ci->func, wanted);  // nils
          LUNETTE_BACK_TO_LUA_CALLER(wanted);
        }
        goto anyReturn;
      }
      LUNETTE_CASE(Return1) {
        if (ci->returnsToLuaCaller && !(L->hookMask & kHookReturn)) [[likely]] {
          int wanted = ci->nresults;
          if (wanted == 1) L->stack[ci->func] = *ra;
          else moveResults(*L, ci->base + argA(i), 1, ci->func, wanted);
          LUNETTE_BACK_TO_LUA_CALLER(wanted);
        }
        goto anyReturn;
      }
      LUNETTE_CASE(Return)
      anyReturn: {
        // (savedpc is stored only where other code may look at the frame: a __close, a hook.)
        int b = argB(i);
        int first = ci->base + argA(i);
        int n = b != 0 ? b - 1 : L->top - first;
        // k set: this function may hold open upvalues or to-be-closed variables (the compiler's
        // and the chunk loader's settleExits); most frames hold neither and skip both tests.
        if (argK(i)) [[unlikely]] {
          if (closeOnReturn(S, *L, *ci, pc, first, n)) goto reentry;
          LUNETTE_RELOAD_BASE();  // a native __close may have run
        }
        if (L->hookMask & kHookReturn) [[unlikely]] {
          returnHook(S, *L, *ci, pc, first, n);
          LUNETTE_RELOAD_BASE();  // the hook may have cleared itself
        }
        if (ci->returnsToLuaCaller) [[likely]] {
          // Back to the Lua frame that called this one (see CallInfo::returnsToLuaCaller): move
          // the results and go on in this loop.
          int wanted = ci->nresults;
          if (wanted == 1) L->stack[ci->func] = n > 0 ? L->stack[first] : Value();
          else moveResults(*L, first, n, ci->func, wanted);
          LUNETTE_BACK_TO_LUA_CALLER(wanted);
        }
        CallInfo* caller = L->calls.belowBack();
        if (caller == stopCaller) {
          // Back to whoever started this loop (a native calling a Lua function, a sort
          // comparator): deliverReturn's first step, without its loop over special frames.
          moveResults(*L, first, n, ci->func, ci->nresults);
          L->calls.pop_back();
          return ExecEnd::Returned;
        }
        if (caller && caller->kind == FrameKind::Lua) [[likely]] {
          // Back to a Lua caller: move the results and go on in this loop.
          int wanted = ci->nresults;
          if (wanted == 1) L->stack[ci->func] = n > 0 ? L->stack[first] : Value();
          else moveResults(*L, first, n, ci->func, wanted);
          L->calls.pop_back();
          ci = caller;
          LUNETTE_RELOAD_CI();
          if (wanted != kMultRet) L->top = ci->top;
          if (ci->finishPending) [[unlikely]] {
            if (finishPendingOp(S, *L, *ci)) goto reentry;
            LUNETTE_RELOAD_CI();
          }
          cl = L->stack[ci->func].asLuaClosure();
          k = cl->proto->constants.data();
          // Nothing ran since the last reload but the hook (which reloaded): the dispatch table
          // stands, only the base moves to the caller's.
          base = L->stack + ci->base;
          pc = ci->savedpc;
          LUNETTE_NEXT;
        }
        if (deliverReturn(S, first, n, entry, stopDepth)) return ExecEnd::Returned;
        goto reentry;
      }
#undef LUNETTE_BACK_TO_LUA_CALLER
      LUNETTE_CASE(ForLoop) {
        if (!forLoopStateIntact(ra)) {  // only a crafted binary chunk gets here
          ci->savedpc = pc;
          S.runtimeError(*L, "corrupted bytecode: 'for' loop state is not numeric");
        }
        if (ra[2].tag == Tag::Integer) {
          uint64_t count = static_cast<uint64_t>(ra[1].i);
          if (count > 0) {
            int64_t step = ra[2].i;
            ra[1].i = static_cast<int64_t>(count - 1);
            ra->i = static_cast<int64_t>(static_cast<uint64_t>(ra->i) + static_cast<uint64_t>(step));
            ra[3] = Value::integer(ra->i);
            pc -= argBx(i) + 1;
            if (budgetExhausted(S, argBx(i) + 1) && mayPause) {
              ci->savedpc = pc;
              return ExecEnd::Paused;
            }
          }
        } else if (floatForLoop(ra)) {
          pc -= argBx(i) + 1;
          if (budgetExhausted(S, argBx(i) + 1) && mayPause) {
            ci->savedpc = pc;
            return ExecEnd::Paused;
          }
        }
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(ForPrep) {
        bool skip = forPrepOp(S, *L, *ci, pc, ra);
        LUNETTE_RELOAD_AFTER_CALL();
        if (skip) pc += argBx(i) + 1;
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(TForPrep) {
        tforPrepOp(S, *L, *ci, pc, i);
        LUNETTE_RELOAD_AFTER_CALL();
        pc += argBx(i);
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(TForCall) {
        ci->savedpc = pc;
#if LUNETTE_THREADED_DISPATCH
        if (ra[0].tag == Tag::LightNative && ra[1].tag == Tag::Table && !L->hookMask &&
            stepIteratorInPlace(S, ra, argC(i)))
          LUNETTE_NEXT;
#else
        if (ra[0].tag == Tag::LightNative && ra[1].tag == Tag::Table && !L->hookMask) {
          bool stepped;
          LUNETTE_CALL_OUT(stepped = stepIteratorInPlace(S, ra, argC(i)));
          if (stepped) LUNETTE_NEXT;
          ra = base + argA(i);
        }
#endif
        ra[4] = ra[0];
        ra[5] = ra[1];
        ra[6] = ra[2];
        int funcIndex = ci->base + argA(i) + 4;
        L->top = funcIndex + 3;
        if (callOutOfLine(S, *L, funcIndex, argC(i), entry, stopCaller)) goto reentry;
        ci = &L->calls.back();
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(TForLoop) {
        if (!ra[4].isNil()) {
          ra[2] = ra[4];
          pc -= argBx(i);
          if (budgetExhausted(S, argBx(i)) && mayPause) {
            ci->savedpc = pc;
            return ExecEnd::Paused;
          }
        }
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(SetList) {
        setListOp(S, *L, *ci, pc, i);
        LUNETTE_RELOAD_AFTER_CALL();
        if (argK(i)) ++pc;  // its EXTRAARG
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(Closure) {
        closureOp(S, *L, *ci, pc, i);
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(Vararg) {
        varargOp(S, *L, *ci, pc, i);
        LUNETTE_RELOAD_BASE();
        LUNETTE_NEXT;
      }
      LUNETTE_CASE(VarargPrep) LUNETTE_NEXT;  // done at call time (pushLuaFrame)
      LUNETTE_CASE(ExtraArg) LUNETTE_NEXT;
#if LUNETTE_THREADED_DISPATCH
    hooked:  // through kHookDispatch: the instruction just fetched runs after the hooks
      --pc;
      continue;
#endif
      default: std::abort();
    }
  }
}

#undef LUNETTE_CASE
#undef LUNETTE_NEXT
#undef LUNETTE_RELOAD_BASE
#undef LUNETTE_RELOAD_AFTER_CALL
#undef LUNETTE_CALL_OUT
#undef LUNETTE_RELOAD_CI
#undef LUNETTE_REREAD
#undef LUNETTE_EQUALITY_NEEDS_CALL
#undef LUNETTE_RAW_EQUALS
#undef LUNETTE_THREADED_DISPATCH
#undef LUNETTE_OPCODES

}  // namespace

bool beginCall(State& S, Thread& L, int funcIndex) {
  S.running = &L;
  if (doCall(S, L, funcIndex, kMultRet) == CallOutcome::Completed) return true;
  return settle(S, &L, 1);
}

// ---- the special natives when called as plain natives (never from Lua code) ----------------

LUNETTE_SPECIAL_NATIVE int nativePcall(Lua& L) {
  L.checkAny(1);
  int n = L.top();
  bool ok = L.pcall(n - 1, kMultRet);
  L.pushBoolean(ok);
  L.insert(1);
  return L.top();
}

LUNETTE_SPECIAL_NATIVE int nativeXpcall(Lua& L) {
  int n = L.top();
  L.checkType(2, Type::Function);
  L.pushValue(1);  // f
  L.copy(2, 1);    // handler to 1
  L.replace(2);    // f to 2
  bool ok = L.pcall(n - 2, kMultRet, 1);
  L.pushBoolean(ok);
  L.replace(1);
  return L.top();
}

// next(t, k): the global `next`, which pairs returns (so that pairs(t) == next).
int nativeNext(Lua& L) {
  L.checkType(1, Type::Table);
  L.setTop(2);
  if (L.next(1)) return 2;
  L.pushNil();
  return 1;
}

// The iterator ipairs returns: (t, i) -> i + 1, t[i + 1], or nil at the first nil (with
// __index). A generic for over a plain table steps it in place (stepIteratorInPlace).
int nativeIpairsStep(Lua& L) {
  int64_t i = L.checkInteger(2);
  i = static_cast<int64_t>(static_cast<uint64_t>(i) + 1);
  L.pushInteger(i);
  return L.getI(1, i) == Type::Nil ? 1 : 2;
}

// pairs(t): next, t, nil; or, when t has a __pairs metamethod, its first three results. From
// Lua code doCall runs the metamethod (startPairs), so it may yield; from a native it is
// called here and may not.
LUNETTE_SPECIAL_NATIVE int nativePairs(Lua& L) {
  L.checkAny(1);
  if (L.getMetaField(1, "__pairs") == Type::Nil) {
    L.pushNative(nativeNext);
    L.pushValue(1);
    L.pushNil();
  } else {
    L.pushValue(1);
    L.call(1, 3);
  }
  return 3;
}

LUNETTE_SPECIAL_NATIVE int nativeResume(Lua& L) {
  // Only reached with a bad first argument (doCall handles the rest).
  L.typeError(1, "thread");
}

LUNETTE_SPECIAL_NATIVE int nativeYield(Lua& L) {
  L.state().throwMessage(L.thread(), "attempt to yield across a C-call boundary");
}

LUNETTE_SPECIAL_NATIVE int nativeWrapped(Lua& L) {
  L.raise("cannot resume non-suspended coroutine");
}

}  // namespace lunette
