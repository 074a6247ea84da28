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
// Records. Entries sit in a ring in id order: ids grow with creation, so a new coroutine's
// entry goes at the end. A slot is an entry's position counted from the first ever (modulo
// 2^32; the ring's index is the slot modulo its size), so growing the ring moves no slot. A
// live entry points at its thread and the thread knows its slot (Thread::inspectorSlot). When
// the collector frees the thread, the entry takes the thread's final figures and joins the
// collected history, a ring of slots in collection order; the oldest beyond historyLimit is
// evicted and its entry becomes a hole. Holes at the front of the ring leave it at once; holes
// behind a longer-lived entry are squeezed out when they are half the entries and at least
// 1024 (renumbering the moved threads' slots and the history's). Which entries are holes is
// kept in a byte per slot beside the ring, so evicting does not touch the cold entry. So a
// coroutine costs one entry written at birth and one update when it is freed: no heap node, no
// string, no clock reading. Readers pay instead: a lookup by id is a binary search, and a
// reading interpolates the switch times.
//
// Times. Birth, death and collection come with a time (the inspector's latest clock reading).
// Switches leave only instruction counts in the thread (SwitchStats); a CoroutineRecord is a
// reading of an entry, whose switch times the ClockMap interpolates when it is read, as precise
// as the clock readings around each count (ClockMap thins old readings, so a long-gone switch
// is placed less precisely than a recent one), and never before the birth.
//
// Invariants (consistent() checks them): entry ids strictly increase from begin_ to end_; a
// live entry's thread has the entry's slot and id; the history holds exactly the collected
// entries that are not holes; holes_ counts the holes. Records hold no reference the collector
// sees: the registry never keeps a coroutine alive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
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

  // A new coroutine: gives it the next id (Thread::coroutineId) and an entry.
  uint32_t add(Thread& thread, const CreationSite* site, bool wrapped, int64_t instructions,
               double ms);
  void died(Thread& thread, double ms, bool inError, std::string error);
  // The collector is freeing the thread: its entry keeps the final figures in the history.
  void collected(Thread& thread, double ms);

  // Readings, in id order: every record kept, or the `newest` ones.
  std::vector<CoroutineRecord> records(const ClockMap& clock, size_t newest = kAll) const;
  std::optional<CoroutineRecord> record(uint32_t id, const ClockMap& clock) const;
  Thread* liveThread(uint32_t id) const;  // nullptr when collected or unknown

  // Collected records kept; lowering it evicts the excess at the next collection.
  size_t historyLimit = 10000;
  uint32_t entryCount() const { return end_ - begin_; }  // holes included
  bool consistent() const;  // the invariants above, in O(entries) (for tests)

 private:
  struct Entry {
    uint32_t id = 0;
    CoStatus status = CoStatus::Suspended;  // once collected
    bool wrapped = false;
    bool diedInError = false;
    bool collected = false;
    const CreationSite* site = nullptr;
    Thread* thread = nullptr;  // while live
    int64_t createdAt = 0;  // instructions
    double createdMs = 0, deathMs = -1, collectedMs = -1;
    SwitchStats switches;  // once collected
  };
  // The ring; its size is 0 or a power of two. Its storage comes zeroed from calloc, so the
  // pages of slots not used yet are never touched and cost no resident memory (every entry
  // is written whole when it is added).
  struct FreeStorage {
    void operator()(Entry* p) const { std::free(p); }
  };
  std::unique_ptr<Entry[], FreeStorage> entries_;
  uint32_t mask_ = 0;             // the ring's size - 1 (for holeFlags_ too)
  uint32_t begin_ = 0, end_ = 0;  // the slots in use: [begin_, end_)
  uint32_t nextId_ = 1;
  uint32_t holes_ = 0;
  // Which entries are holes (collected and out of the history), beside the ring: evicting the
  // oldest collected entry then touches a byte in cache rather than the entry.
  std::vector<uint8_t> holeFlags_;
  Entry& at(uint32_t slot) { return entries_[slot & mask_]; }
  const Entry& at(uint32_t slot) const { return entries_[slot & mask_]; }
  uint8_t& holeFlag(uint32_t slot) { return holeFlags_[slot & mask_]; }
  bool isHole(uint32_t slot) const { return holeFlags_[slot & mask_] != 0; }
  // The history: slots of collected entries, oldest collected first, in a ring (its size is 0
  // or a power of two).
  std::vector<uint32_t> history_;
  size_t historyMask_ = 0;  // history_.size() - 1
  size_t historyHead_ = 0, historySize_ = 0;
  uint32_t& historyAt(size_t i) { return history_[(historyHead_ + i) & historyMask_]; }
  std::vector<uint32_t> renumbered_;  // squeeze()'s scratch: new slot by old position
  std::unordered_map<uint32_t, std::string> errors_;  // by id, for those that died in error

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
  const Entry* find(uint32_t id) const;
  CoroutineRecord read(const Entry& e, const ClockMap& clock) const;
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

inline const CreationSite* CoroutineRegistry::creationSiteOf(State& S, Thread& creator,
                                                             const Value& body) {
  // The caller of coroutine.create / wrap is the frame below the running native one; its call
  // instruction caches the site it was last named (nameSite fills the cache).
  if (creator.calls.size() >= 2) {
    const CallInfo& ci = creator.calls[creator.calls.size() - 2];
    if (ci.kind == FrameKind::Lua) {
      const Proto* caller = creator.stack[ci.func].asLuaClosure()->proto;
      size_t pc = static_cast<size_t>(ci.savedpc - caller->code.data() - 1);
      if (caller->creationSites && pc < caller->code.size()) {
        const Proto::CreationSiteSlot& slot = caller->creationSites[pc];
        if (slot.site && bodyMatches(slot.body, caller, body)) return sites_[slot.site - 1].get();
      }
    }
  }
  return nameSite(S, creator, body);
}

inline uint32_t CoroutineRegistry::add(Thread& thread, const CreationSite* site, bool wrapped,
                                       int64_t instructions, double ms) {
  if (!entries_ || entryCount() > mask_) grow();
  uint32_t slot = end_++;
  holeFlag(slot) = 0;
  Entry& e = at(slot);
  e = Entry{};
  e.id = nextId_++;
  e.wrapped = wrapped;
  e.site = site;
  e.thread = &thread;
  e.createdAt = instructions;
  e.createdMs = ms;
  thread.coroutineId = e.id;
  thread.inspectorSlot = slot;
  return e.id;
}

inline void CoroutineRegistry::collected(Thread& thread, double ms) {
  uint32_t slot = thread.inspectorSlot;
  Entry& e = at(slot);
  e.status = thread.status;
  e.switches = thread.switches;
  e.collectedMs = ms;
  e.collected = true;
  e.thread = nullptr;
  if (historySize_ > historyMask_ || history_.empty()) growHistory();
  historyAt(historySize_++) = slot;
  while (historySize_ > historyLimit) evictOldest();
  // Holes at the front leave for free; those behind an older survivor (a long-lived
  // coroutine) wait until they are half the entries, so a squeeze costs at most a move per hole.
  while (begin_ != end_ && isHole(begin_)) {
    ++begin_;
    --holes_;
  }
  if (holes_ >= 1024 && holes_ * 2 >= entryCount()) squeeze();
}

inline void CoroutineRegistry::evictOldest() {
  uint32_t slot = historyAt(0);
  historyHead_ = (historyHead_ + 1) & historyMask_;
  --historySize_;
  holeFlag(slot) = 1;
  ++holes_;
  if (!errors_.empty() && at(slot).diedInError) errors_.erase(at(slot).id);
}

}  // namespace lunette
