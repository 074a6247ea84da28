// The interpreter: the dispatch loop, calls and returns, and the operations with metamethods
// that the loop and the native API share.
//
// One loop (execute) runs Lua frames of any thread. Lua->Lua calls, returns, pcall/xpcall,
// coroutine resume/yield/wrap are handled by pushing and popping frames and by switching
// State::running, never by recursing on the C++ stack. A native function that calls back into
// Lua (callFromNative: a sort comparator, a metamethod invoked from an opcode) starts a nested
// loop; that nesting is the C-call boundary a coroutine cannot yield across.
//
// Errors are C++ exceptions (LuaError); execute() catches them and unwinds to the nearest
// protected frame (Pcall/Xpcall) of its own region, or kills the coroutine that raised it and
// hands (false, error) to its resumer. Everything else propagates to the caller's loop.
#pragma once

#include <cstdint>
#include <string>

#include "vm/state.h"

namespace lunette {

enum class ExecEnd { Returned, Paused };

// Pushes a frame, charging any new frame storage to the thread's bytes.
inline void pushFrame(State& S, Thread& L, const CallInfo& ci) {
  if (size_t added = L.calls.push_back(ci)) S.chargeBytes(added, Tag::Thread);
}

// Every coroutine status change goes through here so the inspector sees it: the bookkeeping of
// a switch is done here, and the observer is called only when it asked to be (observer.h).
inline void setCoStatus(State& S, Thread& thread, CoStatus status) {
  thread.gcScanStamp = 0;  // it runs, or ran, or died: its stack changes (gc/collector.h)
  CoStatus from = thread.status;
  if (from == status) return;
  thread.status = status;
  if (!thread.coroutineId) return;
  VmObserver& observer = *S.observer;
  --observer.coroutinesByStatus[static_cast<size_t>(from)];
  ++observer.coroutinesByStatus[static_cast<size_t>(status)];
  int64_t now = S.instructionsNow();
  // A resumer going to "normal" and back is implied by the switch of the coroutine it resumed.
  bool resumerOnly = status == CoStatus::Normal || from == CoStatus::Normal;
  if (!resumerOnly) {
    SwitchStats& s = thread.switches;
    if (status == CoStatus::Running) {
      if (s.resumes++ == 0) s.firstResumeAt = now;
      s.lastResumeAt = now;
    } else if (status == CoStatus::Suspended) {
      s.lastYieldAt = now;
    }
  }
  if (status == CoStatus::Dead || now >= observer.statusCallAt)
    observer.coroutineStatus(thread, from, status, now);
  else if (!resumerOnly)
    ++observer.transitionsUnrecorded;
}

// Makes room for `extra` more slots above the thread's top (rebasing open upvalues).
void growStack(State& S, Thread& L, int extra);
inline void ensureStack(State& S, Thread& L, int extra) {
  if (L.top + extra > L.stackSize) growStack(S, L, extra);
}

// Runs frames until the thread `entry` returns below `stopDepth` frames, or (mayPause) the
// budget runs out.
ExecEnd execute(State& S, Thread* entry, size_t stopDepth, bool mayPause);

// Starts a top-level call on L (frames are then run by execute(S, &L, 1, ...)); true when it
// already completed (a native function).
bool beginCall(State& S, Thread& L, int funcIndex);

// Calls the value at stack[funcIndex] with the arguments above it up to top; leaves `nresults`
// results (kMultRet: all) starting at funcIndex. A C-call boundary when the callee is Lua.
void callFromNative(State& S, Thread& L, int funcIndex, int nresults);


// Like callFromNative, but an error is caught: returns false with the error in L.errorValue,
// every frame above the call dropped and L.top back at funcIndex.
bool callProtected(State& S, Thread& L, int funcIndex, int nresults);

// ---- operations shared with the API ----------------------------------------------------------
bool rawEquals(const Value& a, const Value& b);
bool equalObjects(State& S, Thread& L, const Value& a, const Value& b);   // __eq
bool lessThan(State& S, Thread& L, const Value& a, const Value& b);       // __lt
bool lessEqual(State& S, Thread& L, const Value& a, const Value& b);      // __le
void arithmetic(State& S, Thread& L, ArithOp op, const Value& a, const Value& b, Value& out);
void concatenate(State& S, Thread& L, int first, int count);  // stack[first..] -> stack[first]
void lengthOf(State& S, Thread& L, const Value& v, Value& out);           // __len
void getIndexed(State& S, Thread& L, const Value& t, const Value& key, Value& out);
void setIndexed(State& S, Thread& L, const Value& t, const Value& key, const Value& v);
void closeUpvalues(State& S, Thread& L, int level);
// Takes an open upvalue off its thread's open list.
void unlinkOpenUpvalue(UpVal* u);
// Calls pending __close methods of slots >= level, innermost first. On a normal exit
// (unwinding false) an error in a closing method propagates; while unwinding, each method gets
// the error and an error it raises replaces it. Returns the final error.
Value closeToBeClosed(State& S, Thread& L, int level, const Value& error, bool unwinding);

// Conversions with Lua's coercion rules.
bool toNumberValue(const Value& v, double& out);           // numbers and numeric strings
bool toIntegerValue(const Value& v, int64_t& out);         // exact integers (floats, strings too)
bool stringToNumberValue(const String* s, Value& out);
String* toStringCoerced(State& S, Value& v);               // numbers converted in place
std::string numberToString(const Value& v);

// Special natives the loop handles itself when Lua calls them (libs register these).
int nativePcall(Lua& L);
int nativeXpcall(Lua& L);
int nativePairs(Lua& L);
int nativeNext(Lua& L);
int nativeIpairsStep(Lua& L);  // the iterator ipairs returns
int nativeResume(Lua& L);
int nativeYield(Lua& L);
int nativeWrapped(Lua& L);  // the function coroutine.wrap returns (upvalue 1: the coroutine)
// Whether `f` is one of the six above the loop runs itself (pcall, xpcall, pairs, resume, yield,
// wrapped): exact, and cheap enough for CALL to ask at every native call.
bool isSpecialNative(NativeFunction f);

}  // namespace lunette
