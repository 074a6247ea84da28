// The inspector: what Lunette shows about a running program. It observes, it never steers.
//
//  - an event ring: the collector's phase changes, steps and cycle summaries, and coroutine
//    transitions, each stamped with wall time and instruction count; bounded (old events are
//    overwritten), read by sequence number so several readers can follow it. Coroutine deaths
//    are always recorded; births, resumes, yields and collections are rate-limited in
//    instructions (a burst of kSwitchEventBurst, then one per kSwitchEventSpacing), the others
//    only counted, and the next recorded event carries how many were left out. A program
//    switching millions of times a second, or making and dropping millions of coroutines,
//    would otherwise push every collector event out of the ring (and pay for it); the
//    registry's records are exact either way (their birth and collection instruction counts
//    date them);
//  - allocation sites: every object records (GcObject::site) the Lua line that was running
//    when it was allocated (for a native function, the line that called it); sites are
//    interned here and cached per instruction in the prototype, so the lookup costs a few loads;
//  - the recording (inspect/recording.h): the run's timeline of samples, taken at the
//    collector's steps, phase changes and cycle ends, emergency collections, collectgarbage
//    calls, every kAllocationFraction of the threshold's worth of allocation, coroutine count
//    changes (coalesced: a burst of kCountSampleBurst, then at most one per
//    kCountSampleSpacing instructions, the rest folded into the next sample) and instruction
//    ticks that the embedder takes (takeSample);
//  - the coroutine registry (inspect/coroutine_registry.h): a record per coroutine ever
//    created (id, creation site, status, resumes, times, death, collection, stack size).
//    Records hold no reference to the thread object: the registry must never become the leak
//    it is meant to show. The collector tells the inspector when a thread is freed. Collected
//    records are kept up to a bounded history.
//
// A switch costs the inspector a few stores into the thread (Thread::switches) and two counter
// updates; a birth or a collection costs an entry in the registry and an event, and neither
// reads the clock: they are dated by the latest reading, and switches by their instruction
// counts, turned into milliseconds by the clock map when records are read. Readers of records
// call refresh() first, which takes a clock reading so that the latest counts interpolate up to
// the present.
//
// Invariants: every live coroutine has exactly one record with collected == false, read from
// its thread (status and switch figures are the thread's); countByStatus() is exact at all
// times (it follows every status change).
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "gc/collector.h"
#include "inspect/clock_map.h"
#include "inspect/coroutine_registry.h"
#include "inspect/recording.h"
#include "inspect/run_summary.h"
#include "vm/observer.h"
#include "vm/state.h"
#include "vm/thread.h"

namespace lunette {

class State;

enum class EventKind : uint8_t { Phase, Step, Cycle, Coroutine };
inline constexpr size_t kEventCapacity = 8192;  // events the inspector's ring keeps
inline constexpr size_t kStepRecordCapacity = 2048;    // step records kept (RecordRing)
inline constexpr size_t kCycleRecordCapacity = 1024;   // cycle summaries kept (RecordRing)

struct CoroutineTransition {
  uint32_t id = 0;
  CoStatus from = CoStatus::Suspended;
  CoStatus to = CoStatus::Suspended;
  bool created = false;
  bool collected = false;
  uint32_t skipped = 0;  // transitions (of any coroutine) not recorded before this one
};

// One event, 48 bytes. Step records and cycle summaries are larger: they live in rings of
// their own and the event refers to them (Inspector::stepOf, cycleOf). A program that makes
// and drops millions of coroutines writes two events for each, so the size of an event is
// memory traffic on its hottest path.
struct TelemetryEvent {
  EventKind kind = EventKind::Phase;
  GcPhase phaseFrom = GcPhase::Pause, phaseTo = GcPhase::Pause;
  uint32_t recordSlot = 0;  // Step and Cycle: the record's slot in its ring
  uint64_t sequence = 0;
  double timeMs = 0;
  int64_t instructions = 0;
  CoroutineTransition coroutine;
};

// Records that only some events have (step records, 72 bytes; cycle summaries, 200), in rings
// of their own, shorter than the event ring: a program that churns small heaps ends a cycle
// every few dozen coroutines, and rings as long as the event ring were 2.2 MB of pages touched
// once each (a first touch of a page costs about 13 us on our VMs: 7 ms of such a run). Readers
// reach records through their events; an event whose record was overwritten since (more than
// the ring's capacity of newer records of its kind) has lost its record: holds() says so, and
// readers pass over such events as they pass over events the event ring lost. The ring grows as
// records come: room for kFirstRoom records, then the whole capacity at once (growing by
// doubling allocated, and faulted in, twice the memory). Slots count records ever pushed,
// modulo 2^32; the capacity is a power of two, so the modulo agrees across the wrap.
template <typename Record>
class RecordRing {
 public:
  static constexpr size_t kFirstRoom = 256;
  explicit RecordRing(size_t capacity) : capacity_(std::bit_ceil(capacity)) {}
  uint32_t push(const Record& record) {
    uint32_t slot = written_++;
    if (records_.size() < capacity_) {
      if (records_.size() == records_.capacity())
        records_.reserve(records_.empty() ? std::min(kFirstRoom, capacity_) : capacity_);
      records_.push_back(record);
    } else {
      records_[slot & (capacity_ - 1)] = record;
    }
    if (records_.size() == capacity_) prefetchForWrite(&records_[written_ & (capacity_ - 1)], sizeof(Record));
    return slot;
  }
  // Whether the record pushed at `slot` is still in the ring.
  bool holds(uint32_t slot) const { return written_ - slot - 1 < capacity_; }
  const Record& at(uint32_t slot) const { return records_[slot & (capacity_ - 1)]; }
  uint32_t written() const { return written_; }

 private:
  std::vector<Record> records_;
  size_t capacity_;
  uint32_t written_ = 0;
};

// Capacity is a power of two so a sequence number finds its slot with a mask.
class EventRing {
 public:
  explicit EventRing(size_t capacity = kEventCapacity)
      : buffer_(std::bit_ceil(capacity)), mask_(buffer_.size() - 1) {}
  void push(TelemetryEvent event);
  // The next slot, to fill in place (no copy of a whole event on hot paths).
  TelemetryEvent& emplace(EventKind kind) {
    TelemetryEvent& e = buffer_[written_ & mask_];
    e.kind = kind;
    e.sequence = written_++;
    prefetchForWrite(&buffer_[written_ & mask_], sizeof(TelemetryEvent));
    return e;
  }
  uint64_t nextSequence() const { return written_; }
  uint64_t oldestSequence() const { return written_ > buffer_.size() ? written_ - buffer_.size() : 0; }
  // The event with this sequence number (must be in [oldestSequence, nextSequence)).
  const TelemetryEvent& at(uint64_t sequence) const { return buffer_[sequence & mask_]; }

 private:
  std::vector<TelemetryEvent> buffer_;
  uint64_t mask_;
  uint64_t written_ = 0;
};

// The names every reader of the inspector uses (the JSON protocol, the lunette module).
const char* coStatusName(CoStatus status);  // "suspended", "running", "normal", "dead"
// The collected kinds, in the order samples and censuses list them.
inline constexpr std::array<Tag, 8> kHeapKinds = {
    Tag::String, Tag::Table, Tag::LuaClosure, Tag::NativeClosure,
    Tag::UpVal,  Tag::Proto, Tag::Thread,     Tag::Userdata};
const char* heapKindName(Tag kind);  // "string", "table", "lclosure", ...; nullptr for others

// Where objects were allocated: a line of a chunk, in a function.
struct AllocationSite {
  std::string chunk;     // short source name ("main.lua")
  int line = 0;
  std::string function;  // "main chunk" or "function <main.lua:12>"
};

class Inspector final : public VmObserver {
 public:
  explicit Inspector(State& state);

  // Milliseconds since the state was made (the steady clock). Every reading is also a
  // checkpoint of the clock map that dates coroutine switches.
  double nowMs() const;
  EventRing events;
  const GcStepRecord& stepOf(const TelemetryEvent& event) const { return steps_.at(event.recordSlot); }
  const GcCycleSummary& cycleOf(const TelemetryEvent& event) const { return cycles_.at(event.recordSlot); }
  // Whether a reader can read `event` whole: false for a step or cycle event whose record its
  // ring no longer holds (see RecordRing).
  bool readable(const TelemetryEvent& event) const {
    switch (event.kind) {
      case EventKind::Step: return steps_.holds(event.recordSlot);
      case EventKind::Cycle: return cycles_.holds(event.recordSlot);
      default: return true;
    }
  }

  // ---- allocation sites ----
  // The site of instruction `pc` of `p` (interned on first use; never 0).
  uint32_t siteAt(const Proto* p, int pc) override {
    if (pc < 0 || static_cast<size_t>(pc) >= p->code.size()) return 0;
    if (!p->allocationSites) p->allocationSites = std::make_unique<uint32_t[]>(p->code.size());
    uint32_t& site = p->allocationSites[static_cast<size_t>(pc)];
    if (!site) site = internSite(p, pc);
    return site;
  }
  // Site `id` (nullptr for 0, "unknown": allocated by the runtime, not by Lua code).
  const AllocationSite* site(uint32_t id) const {
    return id && id <= sites_.size() ? &sites_[id - 1] : nullptr;
  }

  // ---- coroutine registry ----
  // Where `creator` (running coroutine.create or wrap) makes a coroutine to run `body`: its
  // creation site and the allocation site its thread records (the Lua line calling create).
  struct Birthplace {
    const CreationSite* site;
    uint32_t allocationSite;
  };
  Birthplace birthplaceOf(Thread& creator, const Value& body);
  // `thread`, born at `site` (birthplaceOf), was made.
  void coroutineCreated(Thread* thread, const CreationSite* site, bool wrapped);
  // A coroutine's status changed from `from` to `to` (Thread::status already says `to`);
  // `instructions` is State::instructionsNow(). Inline: it runs on every coroutine switch.
  void coroutineStatus(Thread& thread, CoStatus from, CoStatus to,
                       int64_t instructions) override;
  void coroutineDied(Thread* thread, bool inError, std::string error) override;
  static constexpr int64_t kSwitchEventSpacing = 4096;  // instructions
  static constexpr int64_t kSwitchEventBurst = 64;      // events
  // Readings of the records kept, in id order: all, or the `newest` ones.
  std::vector<CoroutineRecord> coroutines(size_t newest = CoroutineRegistry::kAll) const {
    return registry_.records(clock_, newest);
  }
  std::optional<CoroutineRecord> record(uint32_t id) const { return registry_.record(id, clock_); }
  // A clock reading, so that the times of the latest switches interpolate up to the present.
  void refresh() { nowMs(); }
  uint32_t countByStatus(CoStatus status) const {
    return coroutinesByStatus[static_cast<size_t>(status)];
  }
  uint32_t collectedCount() const { return collected_; }  // ever, not only those still kept
  // The live coroutine with this id (nullptr when collected or unknown); for retention paths.
  Thread* liveThread(uint32_t id) const { return registry_.liveThread(id); }
  // Collected records kept (10000 unless changed).
  void setHistoryLimit(size_t limit) { registry_.historyLimit = limit; }
  const CoroutineRegistry& registry() const { return registry_; }

  // ---- recording ----
  Recording recording;
  StepStats stepStats;  // every collector step's duration (run_summary.h)
  // A sample of the state now, appended to the recording.
  void takeSample(SampleReason reason) { takeSampleAt(reason, nowMs()); }
  // The same, at `ms`: a clock reading the caller has just made (an event's stamp).
  void takeSampleAt(SampleReason reason, double ms);
  static constexpr int64_t kCountSampleSpacing = 4096;  // instructions
  static constexpr int64_t kCountSampleBurst = 64;      // samples
  static constexpr int kAllocationFraction = 32;        // a sample per threshold/32 allocated
  // A server shim's virtual clock (seconds) moved: later samples carry it in `vtime`, and one
  // is taken now so the virtual-time axis has a point at every jump. NaN until a shim sets it.
  void setVirtualTime(double seconds);
  double virtualTime() const { return virtualTime_; }

  // ---- GcSink ----
  void onPhase(GcPhase from, GcPhase to) override;
  void onStep(const GcStepRecord& step) override;
  void onCycle(const GcCycleSummary& cycle) override;
  void onFree(Thread* thread) override;
  void onEmergency() override;
  void onAllocationMark() override;

 private:
  State& state_;
  double originMs_;
  mutable ClockMap clock_;
  // The latest clock reading (nowMs). Coroutine births, deaths and collections take their time
  // from it rather than from the clock: readings come at every collector step and sample (at
  // least every kCountSampleSpacing instructions while coroutines come and go), and a time so
  // taken never goes backwards.
  mutable double lastReadingMs_ = 0;
  double virtualTime_ = std::numeric_limits<double>::quiet_NaN();
  std::deque<AllocationSite> sites_;  // id - 1 -> site; a deque: references stay valid
  // id - 1 -> the site's line, beside sites_: every sample reads the running line, and a
  // vector's index is one load where the deque's is a division.
  std::vector<int> siteLines_;
  int lineOfSite(uint32_t id) const { return id && id <= siteLines_.size() ? siteLines_[id - 1] : 0; }
  std::unordered_map<std::string, uint32_t> siteIds_;  // "chunk:line:linedefined" -> id
  uint32_t internSite(const Proto* p, int pc);
  // Coroutine events other than deaths are rate-limited like a token bucket measured in
  // instructions: one is allowed when instructions reach coroutineEventAllowedAt_.
  int64_t coroutineEventDue_ = 0;  // when the next event would be due at the steady rate
  int64_t coroutineEventAllowedAt_ = -kSwitchEventBurst * kSwitchEventSpacing;
  // Whether a rate-limited coroutine event may be recorded now: spends the allowance, or
  // counts the event as left out (VmObserver::transitionsUnrecorded, carried by the next event).
  bool mayRecordCoroutineEvent(int64_t instructions) {
    if (instructions < coroutineEventAllowedAt_) {
      ++transitionsUnrecorded;
      return false;
    }
    coroutineEventDue_ = std::max(coroutineEventDue_, instructions) + kSwitchEventSpacing;
    coroutineEventAllowedAt_ = coroutineEventDue_ - kSwitchEventBurst * kSwitchEventSpacing;
    listenAgain();
    return true;
  }
  void recordSwitchEvent(const Thread& thread, CoStatus from, CoStatus to, int64_t instructions);
  uint32_t takeSkipped() {
    uint32_t n = transitionsUnrecorded;
    transitionsUnrecorded = 0;
    return n;
  }
  // The VM calls coroutineStatus again when either kind of record may be due.
  void listenAgain() { statusCallAt = std::min(countSampleAllowedAt_, coroutineEventAllowedAt_); }
  uint32_t collected_ = 0;
  CoroutineRegistry registry_;
  // A loop that makes coroutines at one call with one body asks birthplaceOf the same question
  // over and over: the last answer is kept, keyed by the call's instruction and the body's
  // prototype, until a prototype is freed (its code's address may come back).
  struct LastBirthplace {
    const Instruction* call = nullptr;  // the caller's savedpc (nullptr: nothing kept)
    const Proto* body = nullptr;        // nullptr for a native body (one site serves them all)
    uint64_t protosFreed = 0;           // State::protosFreed when kept
    Birthplace place{};
  };
  LastBirthplace lastBirthplace_;
  // A coroutine event, stamped with the latest clock reading (see lastReadingMs_).
  CoroutineTransition& coroutineEvent(int64_t instructions);
  RecordRing<GcStepRecord> steps_{kStepRecordCapacity};
  RecordRing<GcCycleSummary> cycles_{kCycleRecordCapacity};
  // Count changes are sampled like a token bucket measured in instructions: a quiet stretch
  // earns up to kCountSampleBurst samples (a short script is drawn change by change), the steady
  // rate is one per kCountSampleSpacing; changes in between show in the next sample of any
  // kind. Only count samples move the bucket, so where they fall depends on instructions alone
  // (the same natively and in wasm, whose heap sizes and so collector samples differ).
  int64_t countSampleDue_ = 0;
  int64_t countSampleAllowedAt_ = -kCountSampleBurst * kCountSampleSpacing;
  void countsChanged(int64_t instructions) {
    if (instructions >= countSampleAllowedAt_) takeCountSample(instructions);
  }
  // Out of line: inlined, the clock reading and the sample made every birth and collection
  // save and restore registers for a call that one in many of them makes.
  [[gnu::noinline]] void takeCountSample(int64_t instructions);
  void setAllocationMark();
  TelemetryEvent stamped(EventKind kind) const;
  // A phase change or cycle end inside a pacer step that took no sample of its own (see
  // onPhase, onCycle): the next sample, the step's at the same instant, carries the held
  // reason if its own weighs less. Tick: nothing held.
  SampleReason heldReason_ = SampleReason::Tick;
  void holdSample(SampleReason reason) {
    if (boundaryRank(reason) > boundaryRank(heldReason_)) heldReason_ = reason;
  }
};

// Makes an inspector observe `S` (which has no observer yet) and returns it.
Inspector& attachInspector(State& S);
// The state's inspector, or nullptr when none is attached. (The inspector is the only
// VmObserver there is, so the State's observer is one.)
// Inline: coroutine.create asks at every call.
inline Inspector* findInspector(State& S) { return static_cast<Inspector*>(S.observer.get()); }
inline const Inspector* findInspector(const State& S) {
  return static_cast<const Inspector*>(S.observer.get());
}
// The state's inspector; one must be attached (openStandardLibraries attaches one).
inline Inspector& inspectorOf(State& S) { return *findInspector(S); }
inline const Inspector& inspectorOf(const State& S) { return *findInspector(S); }

inline CoroutineTransition& Inspector::coroutineEvent(int64_t instructions) {
  TelemetryEvent& e = events.emplace(EventKind::Coroutine);
  e.timeMs = lastReadingMs_;
  e.instructions = instructions;
  e.coroutine = CoroutineTransition{};
  e.coroutine.skipped = takeSkipped();
  return e.coroutine;
}

// Inline, as coroutineCreated: it runs at every coroutine.create and wrap.
inline Inspector::Birthplace Inspector::birthplaceOf(Thread& creator, const Value& body) {
  const CallInfo* ci = creator.calls.belowBack();
  const Instruction* call = ci && ci->kind == FrameKind::Lua ? ci->savedpc : nullptr;
  const Proto* bodyProto = body.isLuaClosure() ? body.asLuaClosure()->proto : nullptr;
  const LastBirthplace& last = lastBirthplace_;
  if (call && call == last.call && bodyProto == last.body && state_.protosFreed == last.protosFreed)
    return last.place;
  Birthplace place{registry_.creationSiteOf(state_, creator, body), state_.allocationSite()};
  // Kept only when the call's slot names this site for this body: a site named afresh every
  // time (a server shim's call) is not kept either.
  if (call && registry_.cachedSiteOf(creator, body) == place.site)
    lastBirthplace_ = LastBirthplace{call, bodyProto, state_.protosFreed, place};
  return place;
}

// Inline, with the registry's part of it: it runs at every coroutine.create and wrap.
inline void Inspector::coroutineCreated(Thread* thread, const CreationSite* site, bool wrapped) {
  int64_t now = state_.instructionsNow();
  ++coroutinesByStatus[static_cast<size_t>(thread->status)];
  countsChanged(now);  // first: a sample it takes is a fresh reading to date the birth by
  uint32_t id = registry_.add(*thread, site, wrapped, now, lastReadingMs_);
  if (!mayRecordCoroutineEvent(now)) return;
  CoroutineTransition& c = coroutineEvent(now);
  c.id = id;
  c.created = true;
  c.to = thread->status;
}

// The VM calls this only when a record may be due (VmObserver::statusCallAt) or a coroutine
// died; it has already counted the switch and updated the thread's SwitchStats.
inline void Inspector::coroutineStatus(Thread& thread, CoStatus from, CoStatus to,
                                       int64_t instructions) {
  countsChanged(instructions);
  // A resumer going to "normal" and back is implied by the event of the coroutine it resumed.
  if (to == CoStatus::Normal || from == CoStatus::Normal) return;
  if (to == CoStatus::Dead || mayRecordCoroutineEvent(instructions))
    recordSwitchEvent(thread, from, to, instructions);
}

}  // namespace lunette
