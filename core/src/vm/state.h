// The State: one independent Lua universe (no globals anywhere: create as many as you like).
//
// It owns the heap (every collected object, accounted by kind), the string intern table, the
// registry and globals, the main thread, the per-type metatables, the collector and the output
// sinks, and it drives execution: load() compiles a chunk onto the main thread, run(budget)
// executes about `budget` instructions and reports Paused, Finished or Failed.
//
// Invariant: objects are only allocated through allocateObject(), which links them into the
// collector's all-objects list and charges their bytes to their kind; every byte the heap holds
// is in `heapBytes` and in exactly one `bytesByKind` entry.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gc/collector.h"
#include "vm/api.h"
#include "vm/block_pool.h"
#include "vm/intern_table.h"
#include "vm/object.h"
#include "vm/observer.h"
#include "vm/table.h"
#include "vm/thread.h"

namespace lunette {

// Sanitizer builds skip the block pool so that use-after-free is still caught.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kPoolSmallBlocks = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kPoolSmallBlocks = false;
#else
inline constexpr bool kPoolSmallBlocks = true;
#endif
#else
inline constexpr bool kPoolSmallBlocks = true;
#endif

struct FunctionData;

// Thrown to unwind a Lua error; the error value travels in Thread::errorValue.
struct LuaError {};

// Thrown by os.exit to end the run; State::run catches it and reports Finished + exited().
struct ExitRequest {
  int status;
};

enum class RunStatus { Paused, Finished, Failed };

// Why a run failed, as lua.c's status codes tell it: a runtime error (error(), or one the VM
// raised), a memory error ("not enough memory"), or an error raised while handling another one
// ("error in error handling"). Decided where the error is thrown, never from its message.
enum class ErrorKind : uint8_t { Runtime, Memory, Handler };

// A place in the source: the chunk as messages name it (chunkId: "main.lua", [string "..."])
// and a line; line 0 when there is none.
struct SourcePosition {
  std::string chunk;
  int line = 0;
};

struct LoadResult {
  bool ok = false;
  std::string message;  // the syntax error, formatted as the reference formats it
  int line = 0;
  int column = 0;
};

class State {
 public:
  State();
  ~State();
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  // ---- the embedding API -------------------------------------------------------------------
  // Compiles `source` and pushes the main function on the main thread (or the error message).
  LoadResult load(std::string_view source, std::string_view chunkname) {
    return load(*mainThread, source, chunkname);
  }
  LoadResult load(Thread& thread, std::string_view source, std::string_view chunkname);
  // Sets upvalue 1 of the Lua function at `index` to the value on the top (popped).
  void setFirstUpvalue(Thread& thread, int index);
  // Calls the function below `nargs` arguments on the main thread's top; run() executes it.
  void start(int nargs);
  // Runs about `budget` VM instructions (backward jumps and calls are counted). After Finished,
  // the results are on the main thread's stack; after Failed, errorMessage() tells why.
  RunStatus run(int64_t budget);
  bool isRunning() const { return executing_; }
  // os.exit: optionally close the state first (pending to-be-closed variables of the main
  // thread, then every finalizer), then end the run. The embedder sees run() return Finished
  // with exited() true and exitStatus() set; nothing calls std::exit.
  [[noreturn]] void exit(int status, bool close);
  // What destroying the State runs that a script can see, lua_close's finalizers, without
  // freeing anything: for a process that exits next, where freeing every object one by one is
  // time nobody observes. Afterwards the State may only be destroyed or abandoned.
  void finalizeForExit();
  bool exited() const { return exited_; }
  int exitStatus() const { return exitStatus_; }
  // Drops a paused run: every frame of the main thread is discarded (the Stop button).
  void abandon();
  std::string errorMessage() const { return errorMessage_; }
  std::string errorTraceback() const { return errorTraceback_; }
  // After Failed: the error's kind; the position its message names (the `chunk:line:` the VM
  // or error() put in front of it; none for an error object or error(msg, 0)); and the failing
  // thread's Lua frames where the error was raised, innermost first.
  ErrorKind errorKind() const { return errorKind_; }
  const SourcePosition& errorPosition() const { return errorPosition_; }
  const std::vector<SourcePosition>& errorFrames() const { return errorFrames_; }
  Lua mainApi() { return Lua(*this, *mainThread); }
  void requestStop() { stopRequested_ = true; }

  std::function<void(std::string_view)> outputSink;  // print, io.write
  std::function<void(std::string_view)> errorSink;   // io.stderr, warnings
  bool warningsOn = false;
  bool warningContinued = false;

  // ---- heap --------------------------------------------------------------------------------
  template <typename T>
  T* allocateObject(Tag kind, size_t bytes) {
    return allocateObjectAt<T>(kind, bytes, siteIfInspecting());
  }
  // The same, for a caller that knows the allocation site already (see siteOfInstruction).
  template <typename T>
  T* allocateObjectAt(Tag kind, size_t bytes, uint32_t site) {
    auto* object = static_cast<T*>(allocateRaw(bytes, kind));
    adoptAt(object, kind, site);
    return object;
  }
  // Makes freshly allocated (and constructed) memory a heap object: fills the header (kind,
  // colour, generation, allocation site), links it into the heap and counts it.
  void adopt(GcObject* object, Tag kind) { adoptAt(object, kind, siteIfInspecting()); }
  void adoptAt(GcObject* object, Tag kind, uint32_t site) {
    object->kind = kind;
    object->extra = 0;
    object->age = 0;
    object->site = site;
    collector.link(object);
    ++collector.countByKind[static_cast<size_t>(kind)];
  }
  // The inspector's site id of instruction `pc` of `p` (0 when not inspecting). The
  // interpreter knows which instruction allocates: asking here skips allocationSite()'s walk
  // to the innermost Lua frame, which a loop making closures at three places pays in full.
  uint32_t siteOfInstruction(const Proto* p, int pc) const;
  // The Lua line allocating now (the inspector's site id): the running thread's innermost Lua
  // frame, so an object a native function makes belongs to the line that called it.
  uint32_t allocationSite() const;
  // The site a new object records: allocationSite() under an inspector, else none (0).
  uint32_t siteIfInspecting() const { return inspecting ? allocationSite() : 0; }
  // The last two sites allocationSite() found, by position in the code (which names a
  // prototype's instruction), newest first: a loop often allocates at two places in turn (a
  // closure, then the coroutine that runs it). A freed prototype clears them, since its code's
  // address may come back.
  struct SiteCache {
    const Instruction* pc = nullptr;
    uint32_t site = 0;
  };
  mutable std::array<SiteCache, 2> siteCache_{};
  // Prototypes freed so far: a cache keyed by code addresses (the inspector's, of coroutine
  // birthplaces) is valid only while this has not moved.
  uint64_t protosFreed = 0;
  // Charges `kind`; may throw "not enough memory". A block of the pool with room under the
  // limit is taken inline, one free-list pop, without a call: most allocations are such blocks
  // (binary_trees' tables, closures and upvalues), and the call cost more than the pop,
  // in WebAssembly most (V8's prologue and spills around a call). The rest goes out of line.
  void* allocateRaw(size_t bytes, Tag kind) {
    if (kPoolSmallBlocks && kind != Tag::Userdata && bytes <= BlockPool::kMaxBytes &&
        (!collector.memoryLimit || collector.heapBytes + bytes <= collector.memoryLimit)) {
      if (void* p = smallBlocks_.takeFree(bytes)) {
        chargeAllocation(bytes, kind);
        return p;
      }
    }
    return allocateRawOutOfLine(bytes, kind);
  }
  // The same in reverse, inline for a pooled block (what allocateRaw's inline path took).
  void releaseRaw(void* p, size_t bytes, Tag kind) {
    if (kPoolSmallBlocks && kind != Tag::Userdata && bytes <= BlockPool::kMaxBytes && p) {
      smallBlocks_.give(p, bytes);
      collector.heapBytes -= bytes;
      collector.bytesByKind[static_cast<size_t>(kind)] -= bytes;
      return;
    }
    releaseRawOutOfLine(p, bytes, kind);
  }
  // Accounts memory a kind owns but does not allocate through allocateRaw (frame storage).
  void chargeBytes(ptrdiff_t bytes, Tag kind) {
    collector.heapBytes += static_cast<size_t>(bytes);
    collector.bytesByKind[static_cast<size_t>(kind)] += static_cast<size_t>(bytes);
  }
  void* reallocateRaw(void* p, size_t oldBytes, size_t newBytes, Tag kind);

  String* newString(std::string_view text);
  // A long string (more than kMaxShortString bytes) whose `length` characters the caller writes
  // at once, before anything else allocates: what a concatenation builds in place rather than
  // in a buffer copied afterwards. Raises "not enough memory" past kMaxStringLength.
  String* newLongString(size_t length);
  String* newStringLiteral(const char* text) { return newString(text); }
  Proto* newProto(const FunctionData& data);
  LuaClosure* newLuaClosure(Proto* proto) { return newLuaClosure(proto, siteIfInspecting()); }
  LuaClosure* newLuaClosure(Proto* proto, uint32_t site);
  NativeClosure* newNativeClosure(NativeFunction fn, int nupvalues);
  Userdata* newUserdata(size_t size);
  Thread* newThread(int stackSlots = kInitialStackSlots) {
    return newThreadAt(siteIfInspecting(), stackSlots);
  }
  // The same, for a caller that knows the allocation site already (a coroutine's birthplace).
  // wideFrameChunks: the main thread's frame storage (FrameStack::useWideFirstChunk).
  Thread* newThreadAt(uint32_t site, int stackSlots = kInitialStackSlots,
                      bool wideFrameChunks = false);
  UpVal* newUpVal() { return newUpVal(siteIfInspecting()); }
  UpVal* newUpVal(uint32_t site);
  void freeObject(GcObject* object);              // the collector's sweeper calls this

  // Safe point: run the collector if the heap outgrew its threshold. Called by the interpreter
  // and the API after allocating, never in the middle of building an object.
  void checkGc() {
    collector.safePointHead = collector.allObjects;
    if (collector.shouldStep()) collector.step(*this);
    if (collector.allocatedTotal >= collector.allocationMark && collector.sink)
      collector.sink->onAllocationMark();
  }

  // ---- errors ------------------------------------------------------------------------------
  // `position` is what the message names, if anything (see errorPosition()).
  [[noreturn]] void throwValue(Thread& thread, const Value& error,
                               ErrorKind kind = ErrorKind::Runtime, SourcePosition position = {});
  [[noreturn]] void throwMessage(Thread& thread, std::string_view message,  // no position
                                 ErrorKind kind = ErrorKind::Runtime);
  [[noreturn]] void runtimeError(Thread& thread, std::string_view message);  // "chunk:line: "
  // The Lua frame `level` levels down (0: the innermost) as a position, and as the
  // "chunk:line: " prefix of messages ("" / no chunk when that frame is not Lua code).
  SourcePosition positionAt(Thread& thread, int level);
  std::string where(Thread& thread, int level);
  // A coroutine.wrap error crossing into its resumer gets the resumer's position in front.
  void noteErrorPosition(SourcePosition position) { thrownPosition_ = std::move(position); }
  std::string traceback(Thread& thread, int level);

  // ---- metamethods -------------------------------------------------------------------------
  Table* metatableOf(const Value& v) const;
  const Value* metamethod(const Value& v, Event event);  // nullptr when absent
  const Value* fastMetamethod(Table* mt, Event event);   // with the absence cache
  String* eventName(Event e) const { return eventNames_[static_cast<size_t>(e)]; }

  // ---- roots -------------------------------------------------------------------------------
  Table* registry = nullptr;
  Table* globals = nullptr;
  Thread* mainThread = nullptr;
  std::array<Table*, 10> typeMetatables{};  // by Type (string metatable at Type::String)
  Collector collector;
  // The inspector, attached by a layer above (inspect/inspector.h attachInspector); none in a
  // bare State. `inspecting` is false without one, or after stopInspecting() (no events, no
  // coroutine registry, no allocation sites: to measure their cost).
  std::unique_ptr<VmObserver> observer;
  bool inspecting = false;
  void attachObserver(std::unique_ptr<VmObserver> newObserver) {
    observer = std::move(newObserver);
    collector.sink = observer.get();
    inspecting = true;
  }
  void stopInspecting() {
    inspecting = false;
    collector.sink = nullptr;
    collector.allocationMark = UINT64_MAX;
  }

  // ---- interning ---------------------------------------------------------------------------
  InternTable interned;  // every short string, once (vm/intern_table.h)
  uint32_t hashSeed = 0x9e3779b9u;

  // ---- execution ---------------------------------------------------------------------------
  Thread* running = nullptr;      // the thread whose frames the interpreter executes
  int nativeDepth = 0;            // nested interpreter loops on the C++ stack
  int64_t budget = 0;             // instructions left in this run() slice
  // A loop nested in a native call (a sort comparator, a gsub callback) cannot pause: past
  // this many instructions over its slice's budget it raises an error instead of running on
  // beyond the embedder's reach. 0: no limit (the reference's behaviour).
  int64_t nestedOverdraftLimit = 0;
  // Work a native function does in a loop of its own (table.move's elements), counted against
  // the slice's budget as instructions are: such a loop cannot pause either, so past the
  // overdraft limit it fails the same way (or a huge range would run beyond Stop's reach).
  void chargeNativeWork(int64_t units) {
    if (!inSlice_) return;
    budget -= units;
    if (nestedOverdraftLimit > 0 && budget < -nestedOverdraftLimit)
      runtimeError(*running, "instruction budget exhausted in a call that cannot pause");
  }
  int64_t instructionCount = 0;   // instructions executed before the current slice
  int64_t sliceBudget = 0;        // the current run()'s budget
  int64_t instructionsNow() const {
    return inSlice_ ? instructionCount + (sliceBudget - budget) : instructionCount;
  }
  bool inSlice_ = false;  // inside run(): budget counts down from sliceBudget

  // Line stops (stepping a script a line at a time, Session::runToNextLine): with kHookLineStop
  // in a thread's hookMask, the next line event of a frame that may pause pauses the run before
  // that line's first instruction; the bit is then cleared and lineStopped set. When the run
  // resumes, the hooks of the instruction it stopped at have run already: lineStopResumePc
  // tells the interpreter to skip them once.
  bool lineStopped = false;
  int lineStopLine = 0;
  const Instruction* lineStopResumePc = nullptr;

  // A Lua metamethod an operation wants called, left for the interpreter loop to call as an
  // ordinary frame (so it can yield, pause and recurse deeply). Operations record it instead
  // of calling when deferLuaMetamethods is set; see vm/interpreter.cpp.
  struct DeferredCall {
    bool pending = false;
    bool negate = false;  // a <= b computed as not (b < a)
    int concatCount = 0;  // CONCAT: values still to join when the call was made
    int nargs = 0;
    int nresults = 1;
    Value function;
    Value args[3];
  };
  bool deferLuaMetamethods = false;
  DeferredCall deferredCall;
  bool nativeTailCall = false;  // the native returning now asked for Lua::tailCall

  bool stopRequested_ = false;
  std::string errorMessage_;
  std::string errorTraceback_;
  ErrorKind errorKind_ = ErrorKind::Runtime;
  SourcePosition errorPosition_;
  std::vector<SourcePosition> errorFrames_;
  // What the latest throw said (errorKind_ and errorPosition_ take it when a run fails).
  ErrorKind thrownKind_ = ErrorKind::Runtime;
  SourcePosition thrownPosition_;
  bool executing_ = false;
  int pendingCall_ = -1;
  bool exited_ = false;
  int exitStatus_ = 0;
  bool callStarted_ = false;

 private:
  // Small blocks come from slabs by size class (vm/block_pool.h): most objects are small and
  // short-lived; malloc's per-block header and rounding cost memory and its calls time.
  BlockPool smallBlocks_;
  // The memory limit's check before `bytes` more are allocated (may collect, may throw).
  void makeRoomFor(size_t bytes);
  void* allocateRawOutOfLine(size_t bytes, Tag kind);
  void releaseRawOutOfLine(void* p, size_t bytes, Tag kind);
  void chargeAllocation(size_t bytes, Tag kind) {
    collector.heapBytes += bytes;
    collector.bytesByKind[static_cast<size_t>(kind)] += bytes;
    collector.allocatedTotal += bytes;
  }
  void* takeBlock(size_t bytes, Tag kind);
  void giveBlock(void* p, size_t bytes, Tag kind);
  void unlinkInterned(String* s);
  // A string object of `length` characters (uninitialised; the terminating NUL written) with
  // its flags and hash; neither interned nor filled.
  String* allocateString(size_t length, uint8_t extra, uint32_t hash);
  // One chunk's string constants by text, so that identical long literals anywhere in the
  // chunk (nested functions included) are one object, as in the reference.
  using ChunkStrings = std::unordered_map<std::string_view, String*>;
  Proto* newProto(const FunctionData& data, ChunkStrings& strings);
  std::array<String*, static_cast<size_t>(Event::Count_)> eventNames_{};
};

// (Inline: the interpreter asks it on every miss of a field lookup on an object with a class.)
inline const Value* State::fastMetamethod(Table* mt, Event event) {
  if (!mt) return nullptr;
  auto bit = static_cast<unsigned>(event);
  if (bit < 6 && (mt->absentMetamethods & (1u << bit))) return nullptr;
  const Value* m = mt->getShortString(eventName(event));
  if (m->isNil()) {
    if (bit < 6) mt->absentMetamethods |= static_cast<uint8_t>(1u << bit);
    return nullptr;
  }
  return m;
}

inline uint32_t State::siteOfInstruction(const Proto* p, int pc) const {
  if (!inspecting || pc < 0) return 0;
  uint32_t site = p->allocationSites ? p->allocationSites[static_cast<size_t>(pc)] : 0;
  return site ? site : observer->siteAt(p, pc);
}

inline uint32_t State::allocationSite() const {
  const Thread* L = running;
  if (!L || L->calls.empty()) return 0;
  size_t i = L->calls.size() - 1;
  const CallInfo* ci = &L->calls.back();
  while (ci->kind != FrameKind::Lua) {
    if (i == 0) return 0;
    ci = &L->calls[--i];
  }
  // One instruction often allocates several objects (a closure and its upvalues), and a loop
  // comes back to the same one.
  if (ci->savedpc == siteCache_[0].pc) return siteCache_[0].site;
  if (ci->savedpc == siteCache_[1].pc) return siteCache_[1].site;
  const Proto* p = L->stack[ci->func].asLuaClosure()->proto;
  int pc = static_cast<int>(ci->savedpc - p->code.data()) - 1;
  // The prototype caches the observer's answer per instruction; ask it only the first time.
  uint32_t site = p->allocationSites && pc >= 0 ? p->allocationSites[static_cast<size_t>(pc)] : 0;
  if (!site) site = observer->siteAt(p, pc);
  siteCache_[1] = siteCache_[0];
  siteCache_[0] = {ci->savedpc, site};
  return site;
}

}  // namespace lunette
