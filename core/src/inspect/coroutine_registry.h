// The coroutine registry: a record per coroutine ever created (id, creation site, status,
// resumes, times, death, collection, stack size), kept cheap enough to leave on for programs
// that create and drop millions of coroutines.
//
// Creation sites. Where a coroutine was made (chunk, line of the coroutine.create / wrap call)
// and what it runs (the name the call gave its argument, else "function <chunk:line>" of the
// body, else "native function") are strings, interned once as a CreationSite; a record keeps
// a pointer to its site. Each call instruction caches its site in its prototype
// (Proto::creationSites) together with what the name depended on: nothing when the argument
// has a name (the name is in the bytecode), otherwise the body — native, the calling function
// itself, or one of its nested prototypes (which the calling prototype keeps alive, so the
// pointer cannot have been reused by another prototype). Any other body is named afresh.
// Coroutines the server shims create for a script (lib/shim_*.lua: light threads, timer
// handlers, forks) are named after the script's call that asked for them, else the script's
// function they run; those calls are never cached (one shim line serves every script line).
//
// Records. A live coroutine's record is its thread: the birth (site, times) sits in
// Thread::birth, the status and switch figures in the thread's own fields, so a birth writes
// only into the thread being made (hot in the cache) and a pointer into the ring of live
// threads. That ring is in id order (ids grow with creation, so a new thread goes at the end);
// a slot is a position counted from the first ever (modulo 2^32; the ring's index is the slot
// modulo its size), so growing the ring moves no slot, and the thread knows its slot
// (Thread::inspectorSlot). When the collector frees the thread its slot becomes a hole
// (nullptr) and a copy of its final figures joins the collected history, a ring of records in
// collection order whose oldest beyond historyLimit is overwritten. Holes at the front of the
// live ring leave it at once; holes behind a longer-lived coroutine are squeezed out when they
// are half the slots and at least 1024 (renumbering the moved threads' slots). So a coroutine
// costs a few stores at birth and one record copied when it is freed: no heap node, no string,
// no clock reading. Readers pay instead: the history is sorted by id when read, a lookup by id
// is a binary search, and a reading interpolates the switch times.
//
// Times. Birth and death come with a time (the inspector's latest clock reading); a
// collection's time is read from the clock map at its instruction count.
// Switches leave only instruction counts in the thread (SwitchStats); a CoroutineRecord is a
// reading of an entry, whose switch times the ClockMap interpolates when it is read, as precise
// as the clock readings around each count (ClockMap thins old readings, so a long-gone switch
// is placed less precisely than a recent one), and never before the birth.
//
// Invariants (consistent() checks them): the live ring's threads have strictly increasing ids
// from liveBegin_ to liveEnd_ and know their slots; liveHoles_ counts the holes; the history
// holds at most max(historyLimit, its size when the limit was lowered) records, each of an id
// no live thread has. Records hold no reference the collector sees: the registry never keeps
// a coroutine alive.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "inspect/clock_map.h"
#include "vm/thread.h"
#include "vm/value.h"

namespace lunette {

class State;

// Where coroutines were made, and what they run.
struct CreationSite {
  std::string chunk;     // short source name of the creating code ("main.lua"); "[C]" from native code
  int line = 0;          // line of the coroutine.create / wrap call
  std::string function;  // the body's name when known, else "function <file:line>"
  uint32_t id = 0;       // the registry's number for it, from 1 (collected records keep this)
};

// A reading of a coroutine's record (see CoroutineRegistry::record).
struct CoroutineRecord {
  uint32_t id = 0;
  const CreationSite* site = nullptr;  // never null; interned, lives as long as the State
  CoStatus status = CoStatus::Suspended;  // a collected coroutine's last status
  bool wrapped = false;
  double createdMs = 0;
  int64_t createdInstructions = 0;
  // The thread's switch figures (resumes among them); the times are interpolated from
  // instruction counts, as precise as the clock readings around them (see ClockMap).
  SwitchStats switches;
  double firstResumeMs = -1, lastResumeMs = -1, lastYieldMs = -1;
  double deathMs = -1;
  bool diedInError = false;
  std::string error;
  bool collected = false;
  double collectedMs = -1;
  int64_t collectedInstructions = -1;
  size_t stackBytes = 0;
};

// When the coroutine last did anything (ms): its last yield, else its last resume, else its
// creation. Idle time, for leak suspects, counts from here.
inline double lastActivityMs(const CoroutineRecord& r) {
  if (r.lastYieldMs >= 0 && r.lastYieldMs >= r.lastResumeMs) return r.lastYieldMs;
  if (r.lastResumeMs >= 0) return r.lastResumeMs;
  return r.createdMs;
}

class CoroutineRegistry {
 public:
  static constexpr size_t kAll = std::numeric_limits<size_t>::max();

  // The site of a coroutine that the running function of `creator` (coroutine.create or wrap,
  // a native function) makes with `body` as its function. Inline, as add() and collected():
  // a program may create and drop millions of coroutines, and each pays for these three.
  const CreationSite* creationSiteOf(State& S, Thread& creator, const Value& body);
  // The site the calling instruction's slot holds for `body` (the cache creationSiteOf reads
  // first), nullptr when it holds none.
  const CreationSite* cachedSiteOf(Thread& creator, const Value& body) const;

  // A new coroutine: gives it the next id (Thread::coroutineId) and an entry.
  uint32_t add(Thread& thread, const CreationSite* site, bool wrapped, int64_t instructions,
               double ms);
  void died(Thread& thread, double ms, bool inError, std::string error);
  // The collector is freeing the thread (at `instructions`): its final figures join the
  // history.
  void collected(Thread& thread, int64_t instructions);

  // Readings, in id order: every record kept, or the `newest` ones.
  std::vector<CoroutineRecord> records(const ClockMap& clock, size_t newest = kAll) const;
  std::optional<CoroutineRecord> record(uint32_t id, const ClockMap& clock) const;
  Thread* liveThread(uint32_t id) const;  // nullptr when collected or unknown

  // Collected records kept; lowering it evicts the excess at the next collection.
  size_t historyLimit = 10000;
  uint32_t entryCount() const { return liveEnd_ - liveBegin_; }  // live slots, holes included
  bool consistent() const;  // the invariants above, in O(entries) (for tests)
  // The float nearest to `ms` from below: how collected records keep their times.
  // Inline bit arithmetic rather than std::nextafter (a library call): it runs twice for every
  // coroutine collected.
  static float floatAtOrBefore(double ms) {
    float f = static_cast<float>(ms);
    if (!(f > ms)) return f;  // exact, or already rounded down
    // Rounded up: step to the next float toward -infinity. Floats are sign and magnitude, so
    // a positive one steps by lowering its bits and a negative one by raising them. (memcpy,
    // not std::bit_cast: Emscripten 3.1.6's libc++ lacks it.)
    if (f == 0) return -std::numeric_limits<float>::denorm_min();
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    bits = f > 0 ? bits - 1 : bits + 1;
    std::memcpy(&f, &bits, sizeof f);
    return f;
  }

 private:
  // A collected coroutine's final figures, in one cache line: a program that churns
  // coroutines writes one per coroutine into a ring far bigger than the cache, so the line is
  // the cost. Times are floats (ms since the inspector started: a millisecond's precision for
  // four hours, coarser after), rounded down: a time read back is never later than the
  // reading it stood for, so a coroutine never looks unborn at a moment its birth had been
  // counted (the page compares these times with the samples'). The flags share the creation
  // count's word (instruction counts stay below 2^59); the collection time comes from the
  // clock map, as switch times do.
  struct alignas(64) Collected {
    uint32_t id = 0;
    uint32_t site = 0;  // CreationSite::id
    float createdMs = 0;
    float deathMs = -1;  // -1: collected without having died
    int64_t createdAt : 60 = 0;  // instructions
    unsigned status : 2 = 0;     // CoStatus
    unsigned wrapped : 1 = 0;
    unsigned diedInError : 1 = 0;
    int64_t collectedAt = 0;  // instructions
    SwitchStats switches;
  };
  static_assert(sizeof(Collected) == 64);
  // The live ring; its size is 0 or a power of two. Its storage comes zeroed from calloc, so
  // the pages of slots not used yet cost no resident memory.
  struct FreeStorage {
    void operator()(Thread** p) const { std::free(p); }
  };
  std::unique_ptr<Thread*[], FreeStorage> live_;
  uint32_t liveMask_ = 0;                 // the ring's size - 1
  uint32_t liveBegin_ = 0, liveEnd_ = 0;  // the slots in use: [liveBegin_, liveEnd_)
  uint32_t liveHoles_ = 0;
  uint32_t nextId_ = 1;
  Thread*& liveAt(uint32_t slot) { return live_[slot & liveMask_]; }
  Thread* liveAt(uint32_t slot) const { return live_[slot & liveMask_]; }
  // The history: collected records, oldest first, in a ring (its size 0 or a power of two).
  // Its storage is not initialised: a record's line is written when a coroutine is collected,
  // and the slots beyond the limit (the ring is a power of two) are never touched, so their
  // pages cost no resident memory.
  struct FreeHistory {
    void operator()(Collected* p) const { std::free(p); }
  };
  std::unique_ptr<Collected[], FreeHistory> history_;
  size_t historyMask_ = 0;  // the ring's size - 1 (0 before the first record)
  size_t historyHead_ = 0, historySize_ = 0;
  Collected& historyAt(size_t i) { return history_[(historyHead_ + i) & historyMask_]; }
  const Collected& historyAt(size_t i) const { return history_[(historyHead_ + i) & historyMask_]; }
  // The error each coroutine that died in error died of (possibly empty), by id; kept while
  // its record is.
  std::unordered_map<uint32_t, std::string> errors_;
  // Whether coroutine `id` died in error (most programs have no such coroutine: no lookup).
  bool diedInError(uint32_t id) const { return !errors_.empty() && errors_.count(id) != 0; }

  std::vector<std::unique_ptr<CreationSite>> sites_;  // id - 1 -> site
  std::unordered_map<std::string, uint32_t> siteIds_;  // "chunk\nline\nfunction" -> id

  // What a cached site's name depended on (Proto::CreationSiteSlot::body); n > 0 is the
  // calling prototype's nested prototype n - 1.
  static constexpr int32_t kUncachable = 0;  // also: an empty slot
  static constexpr int32_t kAnyBody = -1;    // the call names its argument: the body does not matter
  static constexpr int32_t kNativeBody = -2;
  static constexpr int32_t kCallerBody = -3;  // the calling function runs itself
  static bool bodyMatches(int32_t key, const Proto* caller, const Value& body);
  static int32_t bodyKey(const Proto* caller, const Value& body);

  uint32_t internSite(std::string chunk, int line, std::string function);
  const CreationSite* nameSite(State& S, Thread& creator, const Value& body);
  void grow();
  void growHistory();
  void evictOldest();
  void squeeze();
  Collected& nextHistoryRecord();
  // floatAtOrBefore of a birth time, remembered for the last one asked: births are dated by
  // the inspector's latest clock reading, so the coroutines a loop makes and drops share a few
  // birth times, and most collections find theirs already converted.
  double lastBirthMs_ = 0;
  float lastBirthFloat_ = 0;
  float createdFloat(double ms) {
    if (ms != lastBirthMs_) {
      lastBirthMs_ = ms;
      lastBirthFloat_ = floatAtOrBefore(ms);
    }
    return lastBirthFloat_;
  }

  const Collected* findCollected(uint32_t id) const;
  CoroutineRecord readLive(const Thread& thread, const ClockMap& clock) const;
  CoroutineRecord readCollected(const Collected& c, const ClockMap& clock) const;
  void finishReading(CoroutineRecord& r, double deathMs, bool diedInError,
                     const ClockMap& clock) const;
};

inline bool CoroutineRegistry::bodyMatches(int32_t key, const Proto* caller, const Value& body) {
  switch (key) {
    case kAnyBody: return true;
    case kNativeBody: return !body.isLuaClosure();
    case kCallerBody: return body.isLuaClosure() && body.asLuaClosure()->proto == caller;
    default:
      return key > 0 && body.isLuaClosure() &&
             static_cast<size_t>(key) <= caller->children.size() &&
             caller->children[static_cast<size_t>(key) - 1] == body.asLuaClosure()->proto;
  }
}

inline const CreationSite* CoroutineRegistry::cachedSiteOf(Thread& creator,
                                                           const Value& body) const {
  // The caller of coroutine.create / wrap is the frame below the running native one; its call
  // instruction caches the site it was last named (nameSite fills the cache).
  const CallInfo* ci = creator.calls.belowBack();
  if (!ci || ci->kind != FrameKind::Lua) return nullptr;
  const Proto* caller = creator.stack[ci->func].asLuaClosure()->proto;
  size_t pc = static_cast<size_t>(ci->savedpc - caller->code.data() - 1);
  if (!caller->creationSites || pc >= caller->code.size()) return nullptr;
  const Proto::CreationSiteSlot& slot = caller->creationSites[pc];
  if (slot.site && bodyMatches(slot.body, caller, body)) return sites_[slot.site - 1].get();
  return nullptr;
}

inline const CreationSite* CoroutineRegistry::creationSiteOf(State& S, Thread& creator,
                                                             const Value& body) {
  if (const CreationSite* site = cachedSiteOf(creator, body)) return site;
  return nameSite(S, creator, body);
}

inline uint32_t CoroutineRegistry::add(Thread& thread, const CreationSite* site, bool wrapped,
                                       int64_t instructions, double ms) {
  if (!live_ || entryCount() > liveMask_) grow();
  uint32_t slot = liveEnd_++;
  liveAt(slot) = &thread;
  thread.coroutineId = nextId_++;
  thread.inspectorSlot = slot;
  thread.wrapped = wrapped;
  thread.birth.site = site;
  thread.birth.createdAt = instructions;
  thread.birth.createdMs = ms;
  return thread.coroutineId;
}

// The slot the next collected record goes to: a new one while the history is below its limit,
// else the oldest record's.
inline CoroutineRegistry::Collected& CoroutineRegistry::nextHistoryRecord() {
  if (historySize_ == historyLimit && errors_.empty()) {
    // Full, the steady state of a churning program: the oldest record leaves and the new one
    // takes the next slot (evictOldest then an append, in one step: no error to forget).
    Collected& slot = history_[(historyHead_ + historySize_) & historyMask_];
    historyHead_ = (historyHead_ + 1) & historyMask_;
    return slot;
  }
  if (historySize_ >= historyLimit) {
    while (historySize_ > historyLimit) evictOldest();  // the limit was lowered
    evictOldest();
  } else if (!history_ || historySize_ > historyMask_) {
    growHistory();
  }
  return historyAt(historySize_++);
}

inline void CoroutineRegistry::collected(Thread& thread, int64_t instructions) {
  liveAt(thread.inspectorSlot) = nullptr;
  // Holes at the front leave for free; those behind an older survivor (a long-lived
  // coroutine) wait until they are half the slots, so a squeeze costs at most a move per hole.
  // (In locals: the loop then keeps them in registers.)
  uint32_t begin = liveBegin_, holes = liveHoles_ + 1;
  while (begin != liveEnd_ && !liveAt(begin)) {
    ++begin;
    --holes;
  }
  liveBegin_ = begin;
  liveHoles_ = holes;
  if (liveHoles_ >= 1024 && liveHoles_ * 2 >= entryCount()) squeeze();
  bool inError = diedInError(thread.coroutineId);
  if (historyLimit == 0) {
    if (inError) errors_.erase(thread.coroutineId);
    return;
  }
  // Written in place: building the line aside and copying it took about ten instructions more.
  Collected& c = nextHistoryRecord();
  c.id = thread.coroutineId;
  c.site = thread.birth.site->id;
  c.createdMs = createdFloat(thread.birth.createdMs);
  c.deathMs = floatAtOrBefore(thread.birth.deathMs);
  c.createdAt = thread.birth.createdAt;
  c.status = static_cast<unsigned>(thread.status);
  c.wrapped = thread.wrapped;
  c.diedInError = inError;
  c.collectedAt = instructions;
  c.switches = thread.switches;
}

inline void CoroutineRegistry::evictOldest() {
  // The oldest record is far behind in the ring, out of the cache: read it only when some
  // coroutine died in error (most programs have none).
  if (!errors_.empty() && historyAt(0).diedInError) errors_.erase(historyAt(0).id);
  historyHead_ = (historyHead_ + 1) & historyMask_;
  --historySize_;
}

}  // namespace lunette
