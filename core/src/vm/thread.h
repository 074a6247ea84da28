// Threads: a Lua stack plus a list of call frames. The main thread and every coroutine is one.
//
// Representation. `stack` is one contiguous array of Values that may be reallocated as it grows;
// anything that must survive a reallocation stores an index, not a pointer (CallInfo does), and
// open upvalues, which do point into the stack, are rebased by growStack(). Frames live in a
// FrameStack so a CallInfo& stays valid while frames are pushed above it. `top` is the first
// free slot. Frames live in `calls` (index 0 is the bottom); a Lua frame's registers are
// stack[base .. base + maxstacksize).
//
// The interpreter never recurses on the C++ stack for Lua->Lua calls, pcall, or coroutine
// resume/yield: those are frames in `calls` (and special frame kinds), so a paused or suspended
// thread is entirely described by this struct.
#pragma once

#include <cassert>
#include <cstdint>
#include <bit>
#include <memory>
#include <vector>

#include "vm/object.h"

namespace lunette {

enum class FrameKind : uint8_t {
  Lua,          // a Lua function; savedpc is its position
  Native,       // a native function running on the C++ stack
  Pcall,        // pcall(f, ...): f's results come back here and get `true` prepended
  Xpcall,       // xpcall(f, handler, ...): like Pcall, with a message handler at func + 1
  Resume,       // coroutine.resume called from Lua: waits for the coroutine to yield or end
  Wrap,         // a coroutine.wrap function called from Lua: like Resume, errors propagate
  Yield,        // coroutine.yield inside a suspended coroutine: resume's values come back here
  Pairs,        // pairs(t) calling t's __pairs: its results come back here, cut or padded to 3
};

struct CallInfo {
  int func = 0;          // stack index of the function (results go here on return)
  int base = 0;          // first register / first argument
  int top = 0;           // limit of the frame's registers
  const Instruction* savedpc = nullptr;
  int nresults = 0;      // wanted results, kMultRet for all
  int nextraargs = 0;    // vararg functions: how many extra arguments sit below `func`
  // (The fields below are ordered to leave no padding: a CallInfo is 64 bytes. The depths
  // are 16-bit: they stay under the C-call limit, about 200.)
  FrameKind kind = FrameKind::Lua;
  bool tailcall = false;       // entered by a tail call (its caller's name is unknown)
  bool finishPending = false;  // waiting for a metamethod frame to finish the current opcode
  bool finishNegate = false;   //   ...whose truth is to be inverted (a <= b as not b < a)
  bool finishRepeat = false;   //   ...a __close ran: run CLOSE/RETURN again, with top = finishSlot
  bool callHookPending = false;  // a call hook is due before this Lua frame's first instruction
  bool runningHook = false;      // a hook function called from this frame is running
  // A Lua frame pushed by the CALL opcode (or replacing one by a tail call): the frame below is
  // the Lua frame that called it, in the same loop, waiting for nothing but the results, so
  // its RETURN goes straight back there (no stop frame, special frame or pending metamethod
  // to check for).
  bool returnsToLuaCaller = false;
  int16_t metaDepth = 0;         // metamethod calls below this frame (the reference's C-call limit)
  int16_t savedNny = 0;          // Pcall/Xpcall: the non-yieldable count to restore on an error
  int16_t savedNativeDepth = 0;  // Pcall/Xpcall: the C++ nesting to restore on an error
  int finishSlot = 0;          // finishPending: the stack slot the metamethod's result lands in
  int finishCount = 0;         //   ...CONCAT: how many values were left to join
  int hookLine = -1;           // debug.sethook: the line last reported for this frame
  int hookPc = 0;              //   ...and the pc it was at (a jump back reports the line again)
};
static_assert(sizeof(void*) != 8 || sizeof(CallInfo) == 64);

// Lua frames per thread: a Lua call that would make more is a "stack overflow" (a message
// handler may add a few past it: interpreter.cpp). FrameStack's fast push stops here.
inline constexpr size_t kMaxCallFrames = 220000;

// The frames of a thread: a stack of CallInfo whose elements never move (a reference stays
// valid while frames are pushed above it) and whose storage is kept when frames are popped, so
// deep recursion going up and down allocates nothing. Storage grows in chunks of 3, 5, 8,
// 16, ... frames, so a coroutine that never calls deep costs one small chunk: a coroutine
// parked in a yield of its body holds exactly three frames (its base, the body and the yield),
// the shape programs hold by the hundred thousand. The main thread's chunks are 8, 8, 16, ...
// frames (useWideFirstChunk): its base, the main chunk, a function and the native or
// comparator that function calls are four frames, and a chunk boundary under them would be
// crossed (a pushSlow and a popIntoPreviousChunk, about 60 instructions) on every such call:
// every math.sqrt of nbody's loop, every comparator call of a table.sort.
//
// Invariants. Empty: last_ and lastFastPushable_ are null. Otherwise last_ is the top frame,
// in chunk chunkIndex_ = [chunkBegin_, chunkEnd_), whose first frame has index chunkFirst_
// (so size() is computed, not counted on every push and pop), and lastFastPushable_ is the
// highest slot of that chunk tryPushFast may fill: it pushes only within the chunk and only
// onto fewer than kMaxCallFrames frames (CALL's limit). So a Lua call's push and its
// frame-limit check are one compare, and every other push (a chunk to enter, or a frame at or past the limit,
// which only a native or a message handler makes) goes through pushSlow.
class FrameStack {
 public:
  size_t size() const { return last_ ? chunkFirst_ + static_cast<size_t>(last_ - chunkBegin_) + 1 : 0; }
  bool empty() const { return last_ == nullptr; }
  CallInfo& operator[](size_t i) { return *locate(i); }
  const CallInfo& operator[](size_t i) const { return *locate(i); }
  CallInfo& back() { return *last_; }
  const CallInfo& back() const { return *last_; }
  // The frame below the top one (a return's caller), nullptr when there is only one.
  // (A Lua function called from a native often sits at a chunk's first slot: the frame below
  // is then the previous chunk's last, found without computing the depth.)
  CallInfo* belowBack() {
    if (last_ > chunkBegin_) return last_ - 1;  // the common case: in the same chunk
    if (chunkIndex_ == 0) return nullptr;       // only one frame, or none
    if (chunkIndex_ == 1) return &firstChunk_[firstChunkFrames() - 1];
    return laterChunks_[chunkIndex_ - 2].end - 1;
  }
  // A new top frame (through `frame`), when it fits in this chunk and fewer than
  // kMaxCallFrames frames are below it; false (nothing pushed) otherwise. Every Lua call runs it.
  [[gnu::always_inline]] bool tryPushFast(CallInfo*& frame) {
    if (last_ < lastFastPushable_) [[likely]] {  // equal (both null) when empty
      frame = ++last_;
      return true;
    }
    return false;
  }
  // A new top frame, to be filled in place (returned through `frame`), whatever the depth; the
  // result is the bytes of storage it had to add (0 almost always), for the heap accounting.
  // (Only the common case is inlined: the chunk switch, left in line, made the compiler save
  // and restore registers on every push.)
  [[gnu::always_inline]] size_t pushUninitialized(CallInfo*& frame) {
    if (tryPushFast(frame)) [[likely]] return 0;
    return pushSlow(frame);
  }
  // The push tryPushFast declined (into the next chunk, or at or past the frame limit), with
  // pushUninitialized's result.
  [[gnu::noinline]] size_t pushSlow(CallInfo*& frame) {
    if (last_ && last_ + 1 < chunkEnd_) [[unlikely]] {  // at or past the frame limit
      frame = ++last_;
      return 0;
    }
    size_t next = last_ ? chunkIndex_ + 1 : 0;
    size_t allocated = firstChunk_ ? laterChunks_.size() + 1 : 0;
    size_t added = next == allocated ? grow() : 0;
    enterChunk(next);
    last_ = frame = chunkBegin_;
    return added;
  }
  size_t push_back(const CallInfo& ci) {
    CallInfo* frame;
    size_t added = pushUninitialized(frame);
    *frame = ci;
    return added;
  }
  void pop_back() {
    if (last_ > chunkBegin_) [[likely]] {  // the common case: the previous slot of this chunk
      --last_;
      return;
    }
    popIntoPreviousChunk();
  }
  size_t resize(size_t n) {
    size_t added = 0;
    while (size() < n) added += push_back(CallInfo());
    if (n == 0) {
      clear();
      return added;
    }
    enterChunk(chunkIndexOf(n - 1));
    last_ = chunkBegin_ + (n - 1 - chunkFirst_);
    return added;
  }
  void clear() {
    last_ = lastFastPushable_ = nullptr;
    chunkBegin_ = chunkEnd_ = nullptr;
    chunkIndex_ = 0;
  }
  size_t capacityBytes() const { return capacity_ * sizeof(CallInfo); }
  // The main thread's geometry (see above), chosen before its first push.
  void useWideFirstChunk() {
    assert(!firstChunk_ && "the geometry is chosen before the first chunk is allocated");
    wideFirstChunk_ = true;
  }

 private:
  // Chunk 0 holds frames [0, kFirst), chunk 1 [kFirst, 8), chunk k >= 2 [4 * 2^(k-1), 4 * 2^k).
  // With a wide first chunk: chunk 0 holds [0, 8) and chunk k >= 1 [4 * 2^k, 4 * 2^(k+1)).
  // Only the first boundary is set for coroutines; the later ones stay at powers of two, where
  // a deep recursion (fib(35) lives around depth 25) crosses them less often than at 3 * 2^k.
  static constexpr size_t kFirst = 3;
  static constexpr size_t kSecondEnd = 8;
  // A chunk after the first, and its bounds, computed once when it is allocated: a recursion
  // going up and down across a boundary (Ackermann's does, tens of thousands of times) enters a
  // chunk by copying them. (Chunk 0's are constants: kept out of every thread's FrameStack.)
  struct Chunk {
    std::unique_ptr<CallInfo[]> frames;
    CallInfo* end = nullptr;
    CallInfo* lastFastPushable = nullptr;  // see tryPushFast
    size_t first = 0;                      // the index of its first frame
  };
  // Chunk 0 sits here and the others in a vector, which a shallow thread then never allocates.
  std::unique_ptr<CallInfo[]> firstChunk_;
  std::vector<Chunk> laterChunks_;
  size_t capacity_ = 0;
  CallInfo* last_ = nullptr;
  CallInfo* lastFastPushable_ = nullptr;
  CallInfo* chunkBegin_ = nullptr;  // the chunk holding last_
  CallInfo* chunkEnd_ = nullptr;
  uint32_t chunkIndex_ = 0;         //   ...its number (when there is a last_)
  bool wideFirstChunk_ = false;     // the main thread's geometry (in chunkIndex_'s padding)
  size_t chunkFirst_ = 0;           //   ...and the index of its first frame

  // A recursion that goes up and down across a chunk boundary (Ackermann's does, tens of
  // thousands of times) crosses it by the chunk's number, not by locating the frame's index.
  [[gnu::noinline]] void popIntoPreviousChunk() {
    if (chunkIndex_ == 0) {
      clear();
      return;
    }
    enterChunk(chunkIndex_ - 1);
    last_ = chunkEnd_ - 1;
  }

  size_t firstChunkFrames() const { return wideFirstChunk_ ? kSecondEnd : kFirst; }
  size_t chunkIndexOf(size_t i) const {
    if (i < firstChunkFrames()) return 0;
    if (wideFirstChunk_) return static_cast<size_t>(std::bit_width(i / 4)) - 1;
    if (i < kSecondEnd) return 1;
    return static_cast<size_t>(std::bit_width(i / 4));
  }
  size_t chunkStart(size_t k) const {
    if (k == 0) return 0;
    if (wideFirstChunk_) return size_t{4} << k;
    return k == 1 ? kFirst : size_t{4} << (k - 1);
  }
  size_t chunkLength(size_t k) const {
    if (k == 0) return firstChunkFrames();
    if (wideFirstChunk_) return size_t{4} << k;
    return k == 1 ? kSecondEnd - kFirst : size_t{4} << (k - 1);
  }
  void enterChunk(size_t k) {
    chunkIndex_ = static_cast<uint32_t>(k);
    if (k == 0) {
      chunkFirst_ = 0;
      chunkBegin_ = firstChunk_.get();
      chunkEnd_ = chunkBegin_ + firstChunkFrames();
      lastFastPushable_ = chunkEnd_ - 1;  // a first chunk is far below kMaxCallFrames
      return;
    }
    const Chunk& c = laterChunks_[k - 1];
    chunkFirst_ = c.first;
    chunkBegin_ = c.frames.get();
    chunkEnd_ = c.end;
    lastFastPushable_ = c.lastFastPushable;
  }
  CallInfo* locate(size_t i) const {
    if (i < firstChunkFrames()) return &firstChunk_[i];
    size_t k = chunkIndexOf(i);
    return &laterChunks_[k - 1].frames[i - chunkStart(k)];
  }
  // (Out of line: inlined, its allocation made pushSlow save and restore registers on every
  // chunk crossing.)
  [[gnu::noinline]] size_t grow() {
    if (!firstChunk_) {
      const size_t n = firstChunkFrames();
      firstChunk_ = std::make_unique<CallInfo[]>(n);
      capacity_ += n;
      return n * sizeof(CallInfo);
    }
    size_t k = laterChunks_.size() + 1;
    Chunk& c = laterChunks_.emplace_back();
    size_t n = chunkLength(k);
    c.frames = std::make_unique<CallInfo[]>(n);
    c.end = c.frames.get() + n;
    c.first = chunkStart(k);
    // tryPushFast pushes above slot j of this chunk while j + 1 < n (a slot above it) and
    // first + j + 1 < kMaxCallFrames (the new frame is below the limit).
    size_t room = n - 1;
    size_t roomBelowLimit = kMaxCallFrames > c.first + 1 ? kMaxCallFrames - c.first - 1 : 0;
    c.lastFastPushable = c.frames.get() + (room < roomBelowLimit ? room : roomBelowLimit);
    capacity_ += n;
    return n * sizeof(CallInfo);
  }
};

enum class CoStatus : uint8_t { Suspended, Running, Normal, Dead };

// What the inspector counts on a coroutine's every resume and yield. It lives in the thread,
// which is in cache at a switch (the inspector's record is not); instruction counts, not times:
// the inspector turns them into milliseconds when its records are read (see ClockMap).
struct SwitchStats {
  uint64_t resumes = 0;
  int64_t firstResumeAt = -1, lastResumeAt = -1, lastYieldAt = -1;  // instructions; -1: never
};

struct CreationSite;  // inspect/coroutine_registry.h

// What the inspector records of a coroutine at its birth and death, kept in the thread while it
// lives (the coroutine registry's live entry is the thread itself: inspect/coroutine_registry.h).
struct CoroutineBirth {
  const CreationSite* site = nullptr;
  int64_t createdAt = 0;  // instructions
  double createdMs = 0;
  double deathMs = -1;    // -1: alive
};

struct Thread : GcObject {
  Value* stack = nullptr;
  int stackSize = 0;
  int top = 0;
  FrameStack calls;
  UpVal* openUpvals = nullptr;   // sorted by stack slot, highest first
  std::vector<int> tbcSlots;     // stack slots of to-be-closed variables, innermost last
  CoStatus status = CoStatus::Suspended;
  bool diedInError = false;
  bool started = false;
  bool overflowReserve = false;  // a stack overflow is being handled: the limits are raised a
                                 // little so its message handler can run (interpreter.cpp)
  bool wrapped = false;          // made by coroutine.wrap (the inspector's record)
  Thread* resumer = nullptr;     // the thread that resumed this one (while Running/Normal)
  int nny = 0;                   // > 0: cannot yield (a native boundary is on the C++ stack)
  uint8_t hookMask = 0;          // debug.sethook events for this thread (kHook* bits)
  bool inHook = false;           // a hook of this thread is running: no event starts another
                                 // (per thread: a hook may resume a coroutine that has its own)
  // The collector's: the cycle in which a scan of this stack began, cleared (0) whenever the
  // stack may change while the thread is not the running one: at every status change (a
  // resume, a yield, a death: setCoStatus) and at debug.setlocal. The atomic phase does not
  // scan again a suspended stack whose scan began in this cycle and that has not changed since
  // (gc/collector.h).
  uint16_t gcScanStamp = 0;
  int hookCount = 0;             // count hook period (kHookCount)
  int hookCountdown = 0;         // instructions left until the next count event
  struct { int first, count; } hookTransfer{0, 0};  // the running hook's ftransfer/ntransfer
  Value errorValue;              // the error being propagated, or the one this coroutine died of
  uint32_t coroutineId = 0;      // the inspector's id (0 for the main thread)
  uint32_t resumeDepth = 0;      // how many coroutines are resumed below this one
  uint32_t inspectorSlot = 0;    // the thread's place in the inspector's ring of live coroutines
  int32_t upvalueListIndex = -1; // place in the collector's threads-with-open-upvalues list
  SwitchStats switches;
  CoroutineBirth birth;          // coroutines only

  CallInfo& frame() { return calls.back(); }
  Value* at(int index) { return stack + index; }
};

// debug.sethook event bits (a thread's hookMask); the hook function lives in the registry's
// _HOOKKEY table, keyed by thread.
inline constexpr uint8_t kHookCall = 1, kHookReturn = 2, kHookLine = 4, kHookCount = 8;
// Not a debug.sethook event: pause at the next line (State::lineStopped).
inline constexpr uint8_t kHookLineStop = 16;

inline constexpr int kMaxStackSlots = 1000000;  // beyond: "stack overflow", as the reference
inline constexpr int kStackExtra = 5;           // slack above every frame's top
// A coroutine's first stack: enough for a small body to run and park in a yield (a parked
// coroutine is what programs hold by the thousand); it grows by doubling when a frame needs
// more. The main thread starts at kMainStackSlots.
inline constexpr int kInitialStackSlots = 16;
inline constexpr int kMainStackSlots = 40;
inline constexpr int kMinNativeStack = 20;      // free slots a native function can rely on

}  // namespace lunette
