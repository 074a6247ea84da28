// The collector; collector.h states the phases, invariants, pacers and cost model.
#include "gc/collector.h"

#include <cstdint>
#include <limits>
#include <string>
#include <time.h>

#if defined(__EMSCRIPTEN__)
#include <emscripten/emscripten.h>
#endif

#include "gc/heap_verifier.h"
#include "gc/references.h"
#include "vm/interpreter.h"
#include "vm/state.h"

namespace lunette {

namespace {

// Work units. Lua 5.4's stepmul counts "elements marked or swept per KB allocated": a unit is
// one object swept or one 16-byte slot traversed. LuaJIT counts bytes traversed, and charges
// GCSWEEPCOST = 10 per object swept (40 per sweep step) and GCFINALIZECOST = 100.
constexpr uint64_t kBytesPerElement = 16;
// How far down the gray list propagateOne prefetches (see there).
constexpr size_t kGrayPrefetchDistance = 8;
// Lua 5.4 converts allocation debt to work as (debt / WORK2MEM) * stepmul, WORK2MEM being
// sizeof(TValue): stepmul units per 16 bytes allocated (its manual says "per kilobyte"; the
// code, which we follow, does it per 16 bytes). At stepmul 100 a cycle marks and sweeps the
// live heap while the mutator allocates a small fraction of it, so the heap peaks near
// estimate * pause / 100, as pause promises.
constexpr int64_t kBytesPerWorkMultiple = 16;
int64_t debtInWork(int64_t bytes, int64_t mul) { return bytes / kBytesPerWorkMultiple * mul; }
// A pacer step's usual most work (see Collector::kStepWorkLimit): stepmul still sizes the
// steps, as in Lua 5.4, around a default step short enough for sub-millisecond pauses.
int64_t stepWorkLimit(int64_t mul) { return std::max<int64_t>(Collector::kStepWorkLimit * mul / 100, 1); }
// A step pays at least this fraction of what is owed. Safe points come with allocations: a
// loop that only grows a big table (array_sum: two 300k-slot arrays a round, no other
// allocation) meets one at each resize, and steps of kStepWorkLimit units there left the
// cycle unfinished for rounds (peak RSS 28 MB -> 332 MB). A megabyte allocated at once then
// costs a step of about 100,000 units, the collector's share of that allocation.
constexpr int64_t kDebtSpread = 64;
constexpr int kSweepBatch = 100;
constexpr int kLuaJitSweepBatch = 40;
constexpr uint64_t kLuaJitSweepCost = 10;
constexpr uint64_t kFinalizerCost = 100;
constexpr int kMaxFinalizersPerStep = 8;

// Pacing parameters reach the collector unchecked, from scripts (collectgarbage) and from the
// page (Session::setGc). Its arithmetic therefore saturates instead of wrapping: a negative
// percentage counts as 0 and a huge one stops at kBytesCeiling, a threshold no heap reaches,
// so "collect at once" and "practically never" are both representable and a threshold never
// turns into a negative debt.
// 1 TB natively; a quarter of the address space in wasm32, where a size_t has 32 bits. Times a
// bounded step multiplier (at most 2^20) it still fits an int64_t.
constexpr size_t kBytesCeiling =
    sizeof(size_t) >= 8 ? static_cast<size_t>(uint64_t{1} << 40) : std::numeric_limits<size_t>::max() / 4;

size_t percentOf(size_t bytes, int percent) {
  if (percent <= 0) return 0;
  size_t hundredths = bytes / 100;
  size_t factor = static_cast<size_t>(percent);
  if (hundredths > kBytesCeiling / factor) return kBytesCeiling;
  return hundredths * factor;
}

int64_t signedBytes(size_t bytes) { return static_cast<int64_t>(bytes < kBytesCeiling ? bytes : kBytesCeiling); }

// Lua 5.4 keeps stepmul in a byte (at most 1023) and stepsize under the address width; the page
// and LuaJIT mode may hand over anything, and both feed multiplications and shifts.
int64_t boundedStepMultiplier(int stepmul) { return stepmul < 1 ? 1 : stepmul > 1 << 20 ? 1 << 20 : stepmul; }
int boundedStepSize(int stepsize) { return stepsize < 0 ? 0 : stepsize > 40 ? 40 : stepsize; }

}  // namespace

TableWeakness tableWeakness(State& S, const Table* t) {
  Table* mt = t->metatable;
  if (!mt) return TableWeakness::None;
  const Value* mode = S.fastMetamethod(mt, Event::Mode);
  if (!mode || !mode->isString()) return TableWeakness::None;
  std::string_view m = mode->asString()->view();
  bool keys = m.find('k') != std::string_view::npos;
  bool values = m.find('v') != std::string_view::npos;
  if (keys && values) return TableWeakness::Both;
  if (keys) return TableWeakness::Keys;
  if (values) return TableWeakness::Values;
  return TableWeakness::None;
}

size_t objectBytes(const GcObject* o) {
  switch (o->kind) {
    case Tag::String: return stringSize(static_cast<const String*>(o)->length);
    case Tag::Table: return static_cast<const Table*>(o)->bytes();
    case Tag::LuaClosure: return luaClosureSize(static_cast<const LuaClosure*>(o)->nupvalues);
    case Tag::NativeClosure: return nativeClosureSize(static_cast<const NativeClosure*>(o)->nupvalues);
    case Tag::Userdata: return userdataSize(static_cast<const Userdata*>(o)->size);
    case Tag::UpVal: return sizeof(UpVal);
    case Tag::Proto: return static_cast<const Proto*>(o)->bytes;
    case Tag::Thread: {
      auto* t = static_cast<const Thread*>(o);
      return sizeof(Thread) + sizeof(Value) * static_cast<size_t>(t->stackSize);
    }
    default: return 16;
  }
}

bool Collector::cpuClock = false;

uint64_t Collector::nowNanoseconds() {
#if defined(__EMSCRIPTEN__)
  // steady_clock goes through Emscripten's clock_gettime, a JavaScript function that reads
  // performance.now() and splits it into a timespec: about 90 ns a reading in Node against 60
  // for performance.now() alone (emscripten_get_now; the inspector's clock is the same).
  // closures.lua reads the two clocks about 190,000 times (steps and allocation samples).
  return static_cast<uint64_t>(emscripten_get_now() * 1e6);
#else
#if defined(__linux__)
  if (cpuClock) {
    timespec now;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<uint64_t>(now.tv_sec) * 1000000000u + static_cast<uint64_t>(now.tv_nsec);
  }
#endif
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
#endif
}

const char* gcPhaseName(GcPhase phase) {
  switch (phase) {
    case GcPhase::Pause: return "pause";
    case GcPhase::Propagate: return "propagate";
    case GcPhase::Atomic: return "atomic";
    case GcPhase::Sweep: return "sweep";
    case GcPhase::CallFinalizers: return "callfin";
  }
  return "?";
}

const char* gcModeName(GcMode mode) {
  switch (mode) {
    case GcMode::Incremental: return "incremental";
    case GcMode::Generational: return "generational";
    case GcMode::LuaJit: return "luajit";
  }
  return "?";
}

// ============================================================================================
// Marking
// ============================================================================================

void Collector::markObject(GcObject* o) {
  if (!(o->marked & kWhiteBits)) return;
  o->marked = static_cast<uint8_t>(o->marked & ~kWhiteBits);
  if (o->kind == Tag::String) {
    o->marked |= kBlack;  // no children: straight to black
    return;
  }
  gray_.push_back(o);
}

void Collector::makeGrayAgain(Table* table) {
  auto* o = reinterpret_cast<GcObject*>(table);
  o->marked = static_cast<uint8_t>(o->marked & ~kBlack);
  grayAgain_.push_back(o);
}

void Collector::markRoots(State& S, bool withPendingFinalizers) {
  markObject(S.mainThread);
  markObject(S.registry);
  markObject(S.globals);
  if (S.running) markObject(S.running);
  for (Table* mt : S.typeMetatables)
    if (mt) markObject(mt);
  for (size_t e = 0; e < static_cast<size_t>(Event::Count_); ++e)
    markObject(S.eventName(static_cast<Event>(e)));
  if (memoryErrorMessage) markObject(memoryErrorMessage);
  for (GcObject* o : pinned_) markObject(o);
  // Objects waiting for their finalizer stay alive until it has run. (The atomic phase after a
  // separation in steps knows them marked: those of earlier cycles since the cycle began,
  // those separated since as they were.)
  if (withPendingFinalizers)
    for (GcObject* o : toBeFinalized) markObject(o);
}

// Gray objects first, then a chunk of the innermost big-table walk, then one of the innermost
// stack walk: the children a chunk marks are traversed before the next chunk, so the gray list
// stays about a chunk long instead of growing to the size of the biggest table or stack.
uint64_t Collector::propagateOne(State& S) {
  uint64_t bytes;
  if (!gray_.empty()) {
    // Gray objects lie scattered over the heap: fetching one a few places down the list
    // overlaps its cache miss with the traversals before it (a minor collection marking 34k
    // young tables took 1.6 ms instead of 3.3).
    if (gray_.size() > kGrayPrefetchDistance)
      __builtin_prefetch(gray_[gray_.size() - 1 - kGrayPrefetchDistance]);
    GcObject* o = gray_.back();
    gray_.pop_back();
    o->marked |= kBlack;
    bytes = traverse(S, o);
  } else if (!walks_.empty()) {
    bytes = markTableChunk();
  } else {
    bytes = markStackChunk();
  }
  return mode == GcMode::LuaJit ? bytes : bytes / kBytesPerElement + 1;
}

uint64_t Collector::propagateAll(State& S) {
  uint64_t work = 0;
  while (hasGray()) work += propagateOne(S);
  return work;
}

bool Collector::isBigTable(const Table* t) { return t->arraySize + t->hashCapacity() > kTableChunk; }

// The store of `v` into the black table `t`, while marking.
void Collector::tableBarrier(Table* t, const Value& v) {
  if (testSkipTableBarrier) return;
  // A weak table must go gray again (a forward mark would keep a weak entry alive); one whose
  // metatable is not known to lack __mode (the absence cache) is treated as possibly weak.
  constexpr uint8_t kModeAbsent = 1u << static_cast<unsigned>(Event::Mode);
  bool maybeWeak = t->metatable && !(t->metatable->absentMetamethods & kModeAbsent);
  if (!maybeWeak && isBigTable(t)) {
    // Forward: the table stays black, so it is never traversed again in this cycle (nor in a
    // minor collection, where it is old).
    if (isWhite(v.gc)) markObject(v.gc);
  } else {
    makeGrayAgain(t);
  }
}

bool Collector::PartialTable::sameShape(const Table* t) const {
  return t->array == array && t->arraySize == arraySize && t->hash == hash &&
         t->hashCapacity() == hashCapacity;
}

void Collector::beginTableWalk(Table* t) {
  walks_.push_back({t, t->array, t->arraySize, t->hash, t->hashCapacity(), 0});
}

// Marks the next kTableChunk slots (array slots, then hash nodes) of the innermost big-table
// walk. A table that went gray again meanwhile (barrierBackAll) is on the gray-again list and
// will be traversed whole later: its walk just ends. A table whose shape changed starts over.
uint64_t Collector::markTableChunk() {
  PartialTable& p = walks_.back();
  Table* t = p.table;
  if (!isBlack(t)) {
    walks_.pop_back();
    return 0;
  }
  if (!p.sameShape(t)) p = {t, t->array, t->arraySize, t->hash, t->hashCapacity(), 0};
  uint32_t total = p.arraySize + p.hashCapacity;
  uint32_t end = std::min(total, p.next + kTableChunk);
  auto mark = [this](Value& v, Edge e) {
    if (e.kind == EdgeKind::EmptyKey) v.tag = Tag::DeadKey;  // it must keep nothing alive
    else markValue(v);
  };
  if (p.next < p.arraySize) {
    uint32_t arrayEnd = std::min(end, p.arraySize);
    constexpr uint32_t kAhead = 64;
    // The children are scattered in memory: fetching a few slots ahead overlaps the cache
    // misses a slot-by-slot walk would take one after another.
    for (uint32_t j = p.next; j < std::min(arrayEnd, p.next + kAhead); ++j)
      if (t->array[j].isCollectable()) __builtin_prefetch(t->array[j].gc);
    for (uint32_t i = p.next; i < arrayEnd; i += kAhead) {
      uint32_t ahead = std::min(arrayEnd, i + kAhead);
      for (uint32_t j = ahead; j < std::min(arrayEnd, ahead + kAhead); ++j)
        if (t->array[j].isCollectable()) __builtin_prefetch(t->array[j].gc);
      forEachArrayReference(t, i, ahead, mark);
    }
  }
  if (end > p.arraySize) {
    uint32_t from = p.next > p.arraySize ? p.next - p.arraySize : 0;
    forEachHashReference(t, from, end - p.arraySize, mark);
  }
  uint64_t marked = end - p.next;
  p.next = end;
  if (end == total) walks_.pop_back();
  return marked * sizeof(Value);
}

uint64_t Collector::traverse(State& S, GcObject* o) {
  switch (o->kind) {
    case Tag::Table: return traverseTable(S, static_cast<Table*>(o));
    case Tag::Thread: return traverseThread(S, static_cast<Thread*>(o));
    default:
      forEachReference(o, [this](Value& v, Edge) { markValue(v); });
      return objectBytes(o);
  }
}

// Everything live on a stack is below top: a running Lua frame keeps top at its frame's end, a
// native frame's top is exact, and calls always sit above their caller's live registers. The
// dead slots above every frame may hold stale references (a frame's registers are not cleared
// when it is entered): the scans clear them, or a later frame would expose what the sweep
// freed.
uint64_t Collector::traverseThread(State& S, Thread* t) {
  if (phase == GcPhase::Atomic) {
    // A suspended stack scanned whole in this cycle and unchanged since keeps all it holds
    // marked (and its dead slots cleared): it turns black as it is.
    if (!generationalActive_ && stackUnchangedSinceScan(S, t)) return sizeof(Thread);
    // A minor collection's scan holds until the thread changes: its referents survive it.
    t->gcScanStamp = generationalActive_ ? scanCycle_ : 0;
    forEachThreadReference(t, [this](Value& v, Edge) { markValue(v); });
    int limit = t->top < t->stackSize ? t->top : t->stackSize;
    for (int i = limit; i < t->stackSize; ++i) t->stack[i] = Value();
    return objectBytes(t);
  }
  // Stacks change without barriers: the thread stays gray, on the gray-again list, to be looked
  // at again by the re-mark rounds and the atomic phase (see PartialStack).
  t->marked = static_cast<uint8_t>(t->marked & ~kBlack);
  grayAgain_.push_back(t);
  if (stackUnchangedSinceScan(S, t)) return sizeof(Thread);  // a re-mark round: nothing new
  forEachThreadFrameReference(t, [this](Value& v, Edge) { markValue(v); });
  t->gcScanStamp = scanCycle_;
  stackWalks_.push_back({t, 0});
  return markStackChunk() + sizeof(Thread);
}

// The next kStackChunk slots of the innermost stack walk: live slots are marked, dead ones
// cleared. When the walk ends, the scan counts as whole (stackUnchangedSinceScan) unless the
// thread's stamp was cleared meanwhile: a thread resumed during its walk is scanned again.
uint64_t Collector::markStackChunk() {
  PartialStack& p = stackWalks_.back();
  Thread* t = p.thread;
  int end = std::min(t->stackSize, p.next + kStackChunk);  // the stack may have grown or not
  int limit = std::min(t->top, end);
  forEachStackReference(t, p.next, limit, [this](Value& v, Edge) { markValue(v); });
  for (int i = std::max(p.next, limit); i < end; ++i) t->stack[i] = Value();
  uint64_t visited = static_cast<uint64_t>(std::max(end - p.next, 0));
  p.next = end;
  if (end >= t->stackSize) stackWalks_.pop_back();
  return visited * sizeof(Value);
}

// Can the atomic phase take this thread's last scan as final? Only for a thread that cannot
// have run since: suspended or dead, not the running one (a finalizer or a __close method may
// run on a suspended coroutine's stack), not the main thread, and stamped by a walk of this
// cycle (a walk in progress is never asked about: it ends before the atomic phase).
bool Collector::stackUnchangedSinceScan(State& S, const Thread* t) const {
  return t->gcScanStamp == scanCycle_ && t != S.running &&
         t != S.mainThread && (t->status == CoStatus::Suspended || t->status == CoStatus::Dead);
}

uint64_t Collector::traverseTable(State& S, Table* t) {
  if (t->metatable) markObject(t->metatable);
  // (Without a metatable a table is strong: no call to find out, most tables have none.)
  TableWeakness weakness = t->metatable ? tableWeakness(S, t) : TableWeakness::None;
  if (weakness == TableWeakness::None) {
    if (isBigTable(t)) {
      // A chunk now, the rest in the next units of work: one big table is not one long pause.
      beginTableWalk(t);
      return markTableChunk() + sizeof(Table);
    }
    forEachArrayReference(t, 0, t->arraySize, [this](Value& v, Edge) { markValue(v); });
    forEachHashReference(t, 0, t->hashCapacity(), [this](Value& v, Edge e) {
      if (e.kind == EdgeKind::EmptyKey) v.tag = Tag::DeadKey;  // it must keep nothing alive
      else markValue(v);
    });
    return t->bytes();
  }
  bool weakKeys = weakness != TableWeakness::Values;
  bool weakValues = weakness != TableWeakness::Keys;
  forEachHashReference(t, 0, t->hashCapacity(), [&](Value& v, Edge e) {
    if (e.kind == EdgeKind::EmptyKey) v.tag = Tag::DeadKey;
    else if (e.kind == EdgeKind::HashKey && !weakKeys) markValue(v);
  });
  if (!weakValues) forEachArrayReference(t, 0, t->arraySize, [this](Value& v, Edge) { markValue(v); });
  if (weakness == TableWeakness::Keys) {
    // An ephemeron table: a value is reachable when its key is.
    for (uint32_t i = 0; i < t->hashCapacity(); ++i) {
      Node& n = t->hash[i];
      if (n.key.tag == Tag::Nil || n.key.tag == Tag::DeadKey || n.value.isNil()) continue;
      if (!isCleared(n.key)) markValue(n.value);
    }
    ephemerons_.push_back(t);
  } else {
    weakTables_.push_back(t);
  }
  return t->bytes();
}

// True when `v` is a collectable value the cycle did not reach. Strings are values: they are
// never cleared (and get marked here).
bool Collector::isCleared(const Value& v) {
  if (!v.isCollectable()) return false;
  if (v.tag == Tag::String) {
    markObject(v.gc);
    return false;
  }
  return isWhite(v.gc);
}

void Collector::convergeEphemerons(State& S) {
  bool changed;
  do {
    changed = false;
    for (size_t k = 0; k < ephemerons_.size(); ++k) {
      Table* t = ephemerons_[k];
      for (uint32_t i = 0; i < t->hashCapacity(); ++i) {
        Node& n = t->hash[i];
        if (n.key.tag == Tag::Nil || n.key.tag == Tag::DeadKey || n.value.isNil()) continue;
        if (!isCleared(n.key) && n.value.isCollectable() && isWhite(n.value.gc)) {
          markObject(n.value.gc);
          changed = true;
        }
      }
    }
    if (changed) propagateAll(S);
  } while (changed);
}

uint32_t Collector::clearWeakValues() {
  uint32_t cleared = 0;
  for (Table* t : weakTables_) {
    for (uint32_t i = 0; i < t->arraySize; ++i)
      if (isCleared(t->array[i])) {
        t->array[i] = Value();
        ++cleared;
      }
    for (uint32_t i = 0; i < t->hashCapacity(); ++i) {
      Node& n = t->hash[i];
      if (n.key.tag == Tag::Nil || n.key.tag == Tag::DeadKey) continue;
      if (isCleared(n.value)) {
        n.value = Value();
        ++cleared;
      }
      // An emptied entry's key dies with it now, before clearWeakKeys could mark a string key
      // (in a "kv" table that key is freed in this cycle, as in the reference).
      if (n.value.isNil() && n.key.isCollectable()) n.key.tag = Tag::DeadKey;
    }
  }
  return cleared;
}

uint32_t Collector::clearWeakKeys() {
  uint32_t cleared = 0;
  auto clearKeys = [&](Table* t) {
    for (uint32_t i = 0; i < t->hashCapacity(); ++i) {
      Node& n = t->hash[i];
      if (n.key.tag == Tag::Nil || n.key.tag == Tag::DeadKey) continue;
      if (isCleared(n.key)) {
        if (!n.value.isNil()) ++cleared;
        n.value = Value();
        n.key.tag = Tag::DeadKey;
      }
    }
  };
  for (Table* t : ephemerons_) clearKeys(t);
  for (Table* t : weakTables_) clearKeys(t);  // tables weak in keys and values alike
  return cleared;
}

// ============================================================================================
// Finalizers
// ============================================================================================

void Collector::checkFinalizer(State& S, GcObject* o, Table* mt) {
  if (o->marked & kFinalized) return;  // already registered
  if (!S.fastMetamethod(mt, Event::Gc)) return;
  // Move the object from the all-objects list to the finalizable list (usually near the head).
  for (GcObject** p = &allObjects; *p; p = &(*p)->next) {
    if (*p == o) {
      // The first survivor of a young sweep, if it leaves, hands over to the next one (every
      // object between it and the cursor survived), or to none.
      if (youngSurvivor_ == o) youngSurvivor_ = sweepCursor_ == &o->next ? nullptr : o->next;
      if (sweepCursor_ == &o->next) sweepCursor_ = p;
      if (oldBoundary_ == o) oldBoundary_ = o->next;
      *p = o->next;
      bool inWindow = finalizerScan_ == FinalizerScan::Separating || finalizerScan_ == FinalizerScan::Separated;
      if (inWindow && !firstRegisteredInWindow_) {
        // The first object registered in the window comes ahead of the list's old head: a
        // link of the separation that was the head's is now its `next`.
        firstRegisteredInWindow_ = o;
        if (separationHeadLink_ == &finalizable) separationHeadLink_ = &o->next;
        if (lastSeparatedLink_ == &finalizable) lastSeparatedLink_ = &o->next;
      }
      o->next = finalizable;
      finalizable = o;
      o->marked |= kFinalized;
      return;
    }
  }
}

// The next kFinalizerScanChunk objects of the finalizable list: the unreached ones become
// candidates. Marking is over (no gray object is left) but for what the mutator does next and
// what the atomic phase finds on stacks, so most candidates stay unreached.
uint64_t Collector::scanFinalizableSome() {
  if (finalizerScan_ == FinalizerScan::NotStarted) {
    finalizerScan_ = FinalizerScan::Running;
    finalizerScanHead_ = finalizable;
    finalizerScanLast_ = nullptr;
    finalizerCandidates_.clear();
  }
  GcObject* o = finalizerScanLast_ ? finalizerScanLast_->next : finalizerScanHead_;
  size_t looked = 0;
  for (; o && looked < kFinalizerScanChunk; ++looked) {
    if (isWhite(o)) finalizerCandidates_.push_back({o, finalizerScanLast_ ? &finalizerScanLast_->next : nullptr});
    finalizerScanLast_ = o;
    o = o->next;
  }
  if (!o) finalizerScan_ = FinalizerScan::Done;
  return looked + 1;
}

// The separation after a scan: the objects registered since the scan began (ahead of its first
// object) are looked at here, the rest of the list only through the candidates, in list order.
// Unlinking a candidate leaves the links remembered for the next ones valid, except one that
// was the removed candidate's own `next`: the link that pointed to the removed one takes over.
void Collector::separateScannedFinalizable() {
  size_t examined = 0;
  separationHeadLink_ = separateWhiteAheadOf(finalizerScanHead_, examined);
  separateSome(finalizerCandidates_.size());
  resetFinalizerScan();
}

// The next `limit` candidates from separationCursor_: the unreached ones move to toBeFinalized
// and are marked (resurrected until their finalizers ran; the traversal is left to the units
// of work that follow). Returns the work done.
uint64_t Collector::separateSome(size_t limit) {
  size_t end = std::min(finalizerCandidates_.size(), separationCursor_ + limit);
  // The candidates lie scattered over the heap: fetching a few ahead overlaps their misses.
  constexpr size_t kAhead = 8;
  for (size_t i = separationCursor_; i < end; ++i) {
    if (i + kAhead < end) __builtin_prefetch(finalizerCandidates_[i + kAhead].object);
    const FinalizerCandidate& c = finalizerCandidates_[i];
    GcObject** link = c.link ? c.link : separationHeadLink_;
    if (lastSeparated_ && link == &lastSeparated_->next) link = lastSeparatedLink_;
    if (!isWhite(c.object)) continue;  // reached since the scan looked at it
    *link = c.object->next;
    toBeFinalized.push_back(c.object);
    markObject(c.object);
    lastSeparated_ = c.object;
    lastSeparatedLink_ = link;
  }
  uint64_t work = end - separationCursor_ + 1;
  separationCursor_ = end;
  if (separationCursor_ == finalizerCandidates_.size() && separationPending()) {
    finalizerScan_ = FinalizerScan::Separated;
    finalizerCandidates_.clear();
  }
  return work;
}

// The finalization decision, when the scan found many candidates (separationDue): what the
// atomic phase does up to its separation, in a step of its own, and the separation then in
// steps (separateSome) while the mutator runs, before the atomic phase proper. Every stack and
// everything written since its traversal is marked again and the ephemerons converged, so the
// candidates still white now are unreached, exactly as the atomic phase would find them; weak
// values are cleared of them now (before their finalizers run, as in the reference). The
// phase stays Propagate (stacks traversed here stay gray, barriers stay on): the mutator can
// reach a condemned object again only through a weak key, and one reached so is simply kept
// alive (not separated) for a later cycle. The separated objects are marked gray and traversed
// only once the separation is over, so no traversal reaches a candidate before its turn. The
// objects registered in the window are kept alive by the atomic phase for the next cycle
// (markRegisteredInWindow), and the atomic phase skips the pending finalizers, all marked.
uint64_t Collector::decideFinalization(State& S) {
  for (GcObject* o : grayAgain_) {
    if (!(o->marked & kBlack) && !(o->marked & kWhiteBits)) gray_.push_back(o);
  }
  grayAgain_.clear();
  markRoots(S);
  uint64_t work = propagateAll(S);
  remarkOpenUpvalues();
  work += propagateAll(S);
  convergeEphemerons(S);
  cycle_.weakCleared += clearWeakValues();
  size_t examined = 0;
  separationHeadLink_ = separateWhiteAheadOf(finalizerScanHead_, examined);
  finalizerScan_ = FinalizerScan::Separating;
  separationCursor_ = 0;
  return work + examined + 1;
}

// The atomic phase after a separation in steps: the objects registered since the decision
// (ahead of the list's old head, up to the first of them) survive this cycle, with what they
// reach.
void Collector::markRegisteredInWindow() {
  if (firstRegisteredInWindow_) {
    for (GcObject* o = finalizable; o; o = o->next) {
      markObject(o);
      if (o == firstRegisteredInWindow_) break;
    }
  }
  resetFinalizerScan();
}

// A minor collection's separation: only the objects registered since the last collection
// (ahead of oldFinalizable_) can be unreached; the old ones are black.
void Collector::separateYoungFinalizable() {
  youngFinalizableExamined = 0;
  separateWhiteAheadOf(oldFinalizable_, youngFinalizableExamined);
}

// Moves the unreached (white) objects of the finalizable list that come before `stop` to
// toBeFinalized, resurrecting them until their finalizers ran; counts the objects looked at
// into `examined` and returns the link that now points to `stop`.
GcObject** Collector::separateWhiteAheadOf(GcObject* stop, size_t& examined) {
  GcObject** p = &finalizable;
  for (; *p != stop; ++examined) {
    GcObject* o = *p;
    if (isWhite(o)) {
      *p = o->next;
      toBeFinalized.push_back(o);
      markObject(o);
    } else {
      p = &o->next;
    }
  }
  return p;
}

void Collector::separateUnreachedFinalizable(State& S) {
  // The finalizable list is newest first; finalizers run in that order (the reverse of
  // registration), as in the reference.
  if (finalizerScan_ == FinalizerScan::Separated) {
    markRegisteredInWindow();
    return;
  }
  if (finalizerScan_ == FinalizerScan::Done) {
    // (What waited from earlier cycles was marked with the roots.)
    separateScannedFinalizable();
    return;
  }
  resetFinalizerScan();
  GcObject** p = &finalizable;
  while (*p) {
    GcObject* o = *p;
    if (isWhite(o)) {
      *p = o->next;
      toBeFinalized.push_back(o);
    } else {
      p = &o->next;
    }
  }
  for (GcObject* o : toBeFinalized) markObject(o);  // resurrected until the finalizer ran
}

uint64_t Collector::finalizeOne(State& S) {
  GcObject* o = toBeFinalized.front();
  toBeFinalized.pop_front();
  // Back to an ordinary object; it may register again with a new setmetatable. While marking
  // (finalizers run at exit in any phase, and right after a minor collection in generational
  // mode) black objects may refer to it: it turns gray, to be traversed, not white.
  o->marked = static_cast<uint8_t>(o->marked & ~(kFinalized | kBlack | kWhiteBits));
  if (isMarking()) gray_.push_back(o);
  else o->marked |= currentWhite;
  if (sweepCursor_ == &allObjects) sweepCursor_ = &o->next;  // ahead of a sweep (see link)
  o->next = allObjects;
  allObjects = o;
  ++cycle_.finalized;
  Value object = Value::object(o, o->kind);
  const Value* tm = S.metamethod(object, Event::Gc);
  // Any non-nil __gc is called: a callable table runs through __call, and a value that cannot
  // be called fails like any finalizer error (a warning).
  if (!tm || tm->isNil()) return kFinalizerCost;
  Value finalizer = *tm;
  Thread& L = *S.running;
  int savedTop = L.top;
  if (L.top < L.calls.back().top) L.top = L.calls.back().top;
  ensureStack(S, L, 3);
  L.stack[L.top++] = finalizer;
  L.stack[L.top++] = object;
  Lua api(S, L);
  bool wasRunning = running;
  running = false;  // no collection steps inside a finalizer
  runningFinalizers_ = true;
  bool ok = api.pcall(1, 0);
  runningFinalizers_ = false;
  running = wasRunning;
  if (!ok) {
    // Only a string error is shown as is (a number is not converted, as in the reference).
    auto text = api.type(-1) == Type::String ? api.toString(-1) : std::nullopt;
    std::string message = text ? std::string(*text) : "error object is not a string";
    api.warn("error in __gc (" + message + ")", false);
  }
  L.top = savedTop;
  return kFinalizerCost;
}

// ============================================================================================
// The cycle
// ============================================================================================

void Collector::enterPhase(GcPhase next) {
  GcPhase previous = phase;
  phase = next;
  if (sink && previous != next) sink->onPhase(previous, next);
}

void Collector::startCycle(State& S) {
  gray_.clear();
  clearWalks();
  grayAgain_.clear();
  weakTables_.clear();
  ephemerons_.clear();
  if (!(incrementalMajor_ && majorSummaryOpen_)) {
    cycle_ = GcCycleSummary();
    cycle_.cycle = cycles + 1;
    cycle_.totalBefore = heapBytes;
    cycle_.steps = stepInProgress_ ? 1 : 0;  // the step that begins it does its first work
    cycleStartNs_ = nowNanoseconds();
  }
  majorSummaryOpen_ = false;
  remarkRound_ = 0;
  resetFinalizerScan();
  if (++scanCycle_ == 0) scanCycle_ = 1;  // no stack counts as scanned in the new cycle
  enterPhase(GcPhase::Propagate);
  markRoots(S);
}

// A re-mark round: the tables written since their traversal and the threads (the gray-again
// list) go back to the gray list and are traversed again by the next units of work, while the
// mutator runs, instead of all at once in the atomic phase. Threads matter most: objects made
// during the cycle are white and often reachable only from a stack (a table filled by a loop
// in a local), and stacks take no barriers, so without a round the atomic phase would mark
// all of them at once. A thread traversed in a round goes back on the gray-again list (its
// stack keeps changing), so the atomic phase still sees every stack whole, but only what the
// mutator made since the last round is left for it. Stores during a round put tables back on
// the list; after kRemarkRounds the atomic phase takes what is left. False when there is
// nothing to re-mark (or the rounds are used up).
bool Collector::remarkSome() {
  if (remarkRound_ >= kRemarkRounds) return false;
  bool moved = false;
  for (GcObject* o : grayAgain_) {
    if (o->marked & (kBlack | kWhiteBits)) continue;  // not gray: nothing to re-traverse
    gray_.push_back(o);
    moved = true;
  }
  grayAgain_.clear();
  ++remarkRound_;
  return moved;
}

uint64_t Collector::atomic(State& S) {
  enterPhase(GcPhase::Atomic);
  // Threads and tables touched by barriers are traversed again, now with the world stopped.
  for (GcObject* o : grayAgain_) {
    if (!(o->marked & kBlack) && !(o->marked & kWhiteBits)) gray_.push_back(o);
  }
  grayAgain_.clear();
  markRoots(S, finalizerScan_ != FinalizerScan::Separated);
  uint64_t work = propagateAll(S);
  remarkOpenUpvalues();
  work += propagateAll(S);
  convergeEphemerons(S);
  uint32_t cleared = clearWeakValues();  // values go before finalizers run...
  if (!noFinalizers_) {
    separateUnreachedFinalizable(S);
    propagateAll(S);
    convergeEphemerons(S);
  }
  cleared += clearWeakKeys();  // ...keys after (resurrected keys stay)
  cleared += clearWeakValues();
  cycle_.weakCleared += cleared;  // (decideFinalization may have cleared some)
  currentWhite ^= kWhiteBits;  // objects made from now on survive this sweep
  sweepCursor_ = &allObjects;
  sweepingFinalizable_ = false;
  pendingRecoloured_ = 0;
  heapAtAtomic_ = heapBytes;
  if (incrementalMajor_) reenterGenerationalYoung();
  enterPhase(GcPhase::Sweep);
  return work + 1;  // the re-traversal done here (threads, touched tables)
}

void Collector::rememberThreadWithUpvalues(Thread* t) {
  if (t->upvalueListIndex >= 0) return;
  t->upvalueListIndex = static_cast<int32_t>(threadsWithUpvalues_.size());
  threadsWithUpvalues_.push_back(t);
}

void Collector::forgetThread(Thread* t) {
  if (t->upvalueListIndex < 0) return;
  Thread* last = threadsWithUpvalues_.back();
  threadsWithUpvalues_[static_cast<size_t>(t->upvalueListIndex)] = last;
  last->upvalueListIndex = t->upvalueListIndex;
  threadsWithUpvalues_.pop_back();
  t->upvalueListIndex = -1;
}

// A thread that was not reached will be freed by this sweep, but a reached closure may still
// hold one of its open upvalues, whose value lives in that thread's stack. The upvalue was
// traversed when it was reached, yet the slot may have changed since (stacks take no
// barriers), so mark the current value of every reached open upvalue of an unreached thread.
// Threads without open upvalues leave the list.
void Collector::remarkOpenUpvalues() {
  for (size_t i = 0; i < threadsWithUpvalues_.size();) {
    Thread* t = threadsWithUpvalues_[i];
    if (!t->openUpvals) {
      forgetThread(t);
      continue;
    }
    if (isWhite(t)) {
      for (UpVal* u = t->openUpvals; u; u = u->open.next)
        if (!isWhite(u)) markValue(*u->value);
    }
    ++i;
  }
}

// Frees an object a sweep found dead (already unlinked): the sink hears of a thread first, and
// the cycle summary counts the bytes by kind.
void Collector::freeSwept(State& S, GcObject* o) {
  if (sink && o->kind == Tag::Thread) sink->onFree(static_cast<Thread*>(o));
  size_t kindIndex = static_cast<size_t>(o->kind);
  size_t before = bytesByKind[kindIndex];
  S.freeObject(o);
  size_t freed = before - bytesByKind[kindIndex];
  cycle_.freed += freed;
  cycle_.freedByKind[kindIndex] += freed;
}

// The all-objects list, then the finalizable list (whose objects all survive: they only take
// the new white), `batch` objects per call. An object registered for finalization meanwhile
// joins the finalizable list at its head: swept already, or new (and of the new white).
uint64_t Collector::sweepSome(State& S, int batch) {
  uint8_t dead = currentWhite ^ kWhiteBits;
  int examined = 0;
  while (examined < batch) {
    GcObject* o = *sweepCursor_;
    if (!o) {
      if (sweepingFinalizable_) break;
      sweepingFinalizable_ = true;
      sweepCursor_ = &finalizable;
      continue;
    }
    ++examined;
    if ((o->marked & dead) && !sweepingFinalizable_) {
      *sweepCursor_ = o->next;
      freeSwept(S, o);
    } else {
      o->marked = static_cast<uint8_t>((o->marked & ~(kBlack | kWhiteBits)) | currentWhite);
      sweepCursor_ = &o->next;
    }
  }
  if (sweepingFinalizable_ && !*sweepCursor_) {
    // Waiting for their finalizers: recoloured in batches too (a cycle that condemned 10k
    // objects spent 0.9-1.4 ms recolouring them in one step), before the cycle can end (the
    // next one's roots must find them white).
    constexpr size_t kAhead = 8;
    while (examined < batch && pendingRecoloured_ < toBeFinalized.size()) {
      if (pendingRecoloured_ + kAhead < toBeFinalized.size())
        __builtin_prefetch(toBeFinalized[pendingRecoloured_ + kAhead]);
      GcObject* o = toBeFinalized[pendingRecoloured_++];
      o->marked = static_cast<uint8_t>((o->marked & ~(kBlack | kWhiteBits)) | currentWhite);
      ++examined;
    }
    if (pendingRecoloured_ < toBeFinalized.size())
      return static_cast<uint64_t>(examined) * (mode == GcMode::LuaJit ? kLuaJitSweepCost : 1);
    pendingRecoloured_ = 0;
    sweepingFinalizable_ = false;
    sweepCursor_ = nullptr;
    if (whitening_) {
      // Every object is white now: the incremental major's cycle can begin (its next step).
      whitening_ = false;
      enterPhase(GcPhase::Pause);
      return static_cast<uint64_t>(examined);
    }
    // Live after the mark: what the atomic phase saw, less what this sweep freed.
    estimate = heapAtAtomic_ > cycle_.freed ? heapAtAtomic_ - cycle_.freed : heapBytes;
    enterPhase(toBeFinalized.empty() || noFinalizers_ ? GcPhase::Pause : GcPhase::CallFinalizers);
    if (phase == GcPhase::Pause) endCycle(S);
  }
  return static_cast<uint64_t>(examined) * (mode == GcMode::LuaJit ? kLuaJitSweepCost : 1);
}

void Collector::endCycle(State& S) {
  // The step that ends the cycle is still running: count it so far.
  uint64_t now = nowNanoseconds();
  if (stepStartNs_) {
    uint64_t sofar = now - std::max(stepStartNs_, cycleStartNs_);
    if (sofar > cycle_.longestStepNanoseconds) cycle_.longestStepNanoseconds = sofar;
  }
  ++cycles;
  // A cycle the pacer ran has freed what it could: the limit's back-off starts over.
  if (!noFinalizers_) endEmergencyBackoff();
  cycle_.totalAfter = heapBytes;
  cycle_.durationNanoseconds = now - cycleStartNs_;
  if (sink) sink->onCycle(cycle_);
}

uint64_t Collector::singleStep(State& S) {
  switch (phase) {
    case GcPhase::Pause:
      startCycle(S);
      return 64;
    case GcPhase::Propagate:
      // The separation comes before any traversal (see decideFinalization).
      if (separationPending()) return separateSome(kFinalizerSeparateChunk);
      if (hasGray()) return propagateOne(S);
      if (remarkSome()) return 1;
      if (finalizerScanPending()) return scanFinalizableSome();
      if (separationDue()) return decideFinalization(S);
      return atomic(S);
    case GcPhase::Atomic: return atomic(S);  // not reached: atomic is one step
    case GcPhase::Sweep:
      if (youngSweepPending()) return sweepYoungSome(S, kYoungSweepBatch);
      return sweepSome(S, mode == GcMode::LuaJit ? kLuaJitSweepBatch : kSweepBatch);
    case GcPhase::CallFinalizers: {
      if (runningFinalizers_ || noFinalizers_) {
        // Not now (inside a finalizer, or an emergency): a later cycle calls them.
        enterPhase(GcPhase::Pause);
        endCycle(S);
        return kFinalizerCost;
      }
      uint64_t work = 0;
      for (int i = 0; i < kMaxFinalizersPerStep && !toBeFinalized.empty(); ++i) work += finalizeOne(S);
      if (toBeFinalized.empty() && phase == GcPhase::CallFinalizers) {
        enterPhase(GcPhase::Pause);
        endCycle(S);
      }
      return work;
    }
  }
  return 0;
}

const char* gcUnitKindName(GcUnitKind kind) {
  switch (kind) {
    case GcUnitKind::None: return "none";
    case GcUnitKind::StartCycle: return "start";
    case GcUnitKind::Mark: return "mark";
    case GcUnitKind::TableChunk: return "chunk";
    case GcUnitKind::StackChunk: return "stack";
    case GcUnitKind::FinalizerScan: return "finscan";
    case GcUnitKind::Separate: return "separate";
    case GcUnitKind::Remark: return "remark";
    case GcUnitKind::Atomic: return "atomic";
    case GcUnitKind::Sweep: return "sweep";
    case GcUnitKind::Finalize: return "finalize";
  }
  return "?";
}

// One unit, counted and reported like a pacer step (the inspector sees it), checked like one
// in checked mode.
GcUnitReport Collector::stepUnit(State& S) {
  if (collecting_) return {};
  incrementalMajor_ = false;  // the units walk an ordinary cycle (see stepUnit's comment)
  if (generationalActive_) leaveGenerational(S);
  verifyBeforeStep(S);
  collecting_ = true;
  GcPhase before = phase;
  GcUnitReport report;
  recordedStep([&] {
    report = doUnit(S);
    return 0;
  });
  collecting_ = false;
  verifyAfterStep(S, before);
  return report;
}

// singleStep's work cut at its smallest grain: the same functions, one object (or chunk, or
// finalizer) at a time.
GcUnitReport Collector::doUnit(State& S) {
  GcUnitReport report;
  report.phaseBefore = phase;
  size_t objectsBefore = 0;
  for (size_t n : countByKind) objectsBefore += n;
  switch (phase) {
    case GcPhase::Pause:
      report.kind = GcUnitKind::StartCycle;
      workThisStep_ += singleStep(S);
      break;
    case GcPhase::Propagate:
      if (separationPending()) {
        report.kind = GcUnitKind::Separate;
        workThisStep_ += separateSome(kFinalizerSeparateChunk);
      } else if (!gray_.empty()) {
        report.kind = GcUnitKind::Mark;
        report.processed = gray_.back();
        workThisStep_ += propagateOne(S);
      } else if (!walks_.empty()) {
        report.kind = GcUnitKind::TableChunk;
        report.processed = reinterpret_cast<GcObject*>(walks_.back().table);
        workThisStep_ += propagateOne(S);
      } else if (!stackWalks_.empty()) {
        report.kind = GcUnitKind::StackChunk;
        report.processed = stackWalks_.back().thread;
        workThisStep_ += propagateOne(S);
      } else if (remarkSome()) {
        report.kind = GcUnitKind::Remark;
      } else if (finalizerScanPending()) {
        report.kind = GcUnitKind::FinalizerScan;
        workThisStep_ += scanFinalizableSome();
      } else if (separationDue()) {
        report.kind = GcUnitKind::Separate;
        workThisStep_ += decideFinalization(S);
      } else {
        report.kind = GcUnitKind::Atomic;
        workThisStep_ += atomic(S);
      }
      break;
    case GcPhase::Atomic:  // not reached: atomic is one unit
      report.kind = GcUnitKind::Atomic;
      workThisStep_ += atomic(S);
      break;
    case GcPhase::Sweep:
      report.kind = GcUnitKind::Sweep;
      workThisStep_ += sweepSome(S, kUnitSweepBatch);
      break;
    case GcPhase::CallFinalizers:
      report.kind = GcUnitKind::Finalize;
      if (!runningFinalizers_ && !noFinalizers_ && !toBeFinalized.empty()) {
        report.processed = toBeFinalized.front();
        workThisStep_ += finalizeOne(S);
      }
      if ((toBeFinalized.empty() || runningFinalizers_ || noFinalizers_) &&
          phase == GcPhase::CallFinalizers) {
        enterPhase(GcPhase::Pause);
        endCycle(S);
      }
      break;
  }
  if (phase == GcPhase::Pause && report.phaseBefore != GcPhase::Pause) setPauseThreshold();
  size_t objectsAfter = 0;
  for (size_t n : countByKind) objectsAfter += n;
  report.freed = objectsBefore > objectsAfter ? objectsBefore - objectsAfter : 0;
  report.phaseAfter = phase;
  return report;
}

uint64_t Collector::timedSingleStep(State& S) {
  uint64_t work = singleStep(S);
  workThisStep_ += work;
  return work;
}

// A propagating cycle restarted from scratch: everything becomes white again.
void Collector::abortCycle() {
  if (phase != GcPhase::Propagate) return;
  for (GcObject* o = allObjects; o; o = o->next)
    o->marked = static_cast<uint8_t>((o->marked & ~(kBlack | kWhiteBits)) | currentWhite);
  for (GcObject* o = finalizable; o; o = o->next)
    o->marked = static_cast<uint8_t>((o->marked & ~(kBlack | kWhiteBits)) | currentWhite);
  // Waiting for finalizers (separated by this cycle, or earlier): white too, so that the next
  // cycle's roots traverse them again.
  for (GcObject* o : toBeFinalized)
    o->marked = static_cast<uint8_t>((o->marked & ~(kBlack | kWhiteBits)) | currentWhite);
  gray_.clear();
  clearWalks();
  grayAgain_.clear();
  resetFinalizerScan();
  enterPhase(GcPhase::Pause);
}

void Collector::runUntilPause(State& S) {
  while (phase != GcPhase::Pause) timedSingleStep(S);
}

// ============================================================================================
// Pacers
// ============================================================================================

void Collector::setPauseThreshold() {
  size_t base = estimate ? estimate : heapBytes;
  size_t next = percentOf(base, pause < 1 ? 1 : pause);
  if (mode != GcMode::LuaJit && next < heapBytes) next = heapBytes;
  threshold = next;
  if (mode != GcMode::LuaJit) debt = signedBytes(heapBytes) - signedBytes(threshold);
}

void Collector::incrementalStep(State& S, bool bounded) {
  int64_t mul = boundedStepMultiplier(stepmul);
  int64_t owed = payDebt(S, mul, bounded, [&] { return phase != GcPhase::Pause; });
  if (phase == GcPhase::Pause) setPauseThreshold();
  else setThresholdAhead(owed, mul);
}

// Lua 5.4's pacing (incstep): `mul` units of work per kBytesPerWorkMultiple bytes of debt, plus
// a step's credit in advance, while `more()`; returns what is still owed (negative: work done
// ahead). The credit is Lua's (2^stepsize bytes' worth) but at most stepWorkLimit(mul) units,
// and a bounded step (the pacer's, at a safe point) stops after that many units, or after a
// kDebtSpread-th of the debt when that is more, even in debt: what it still owes is paid by
// the steps at the next safe points (setThresholdAhead), so the debt of many small
// allocations made between two safe points is many short pauses, not one long one.
template <typename More>
int64_t Collector::payDebt(State& S, int64_t mul, bool bounded, More more) {
  int64_t owed = debtInWork(signedBytes(heapBytes) - signedBytes(threshold), mul);
  int64_t stepBytes = int64_t{1} << boundedStepSize(stepsize);
  int64_t credit = std::clamp<int64_t>(debtInWork(stepBytes, mul), 1, stepWorkLimit(mul));
  int64_t limit = std::max(stepWorkLimit(mul), owed / kDebtSpread);
  int64_t done = 0;
  do {
    int64_t work = static_cast<int64_t>(timedSingleStep(S));
    owed -= work;
    done += work;
  } while (owed > -credit && !(bounded && done >= limit) && more());
  return owed;
}

// The next step comes when the work done ahead (-owed) has been allocated, or at the next safe
// point while work is still owed.
void Collector::setThresholdAhead(int64_t owed, int64_t mul) {
  int64_t ahead = -owed / mul * kBytesPerWorkMultiple;
  int64_t heap = signedBytes(heapBytes);
  threshold = static_cast<size_t>(ahead >= 0 ? heap + ahead : std::max<int64_t>(heap + ahead, 0));
  debt = heap - signedBytes(threshold);
}

int Collector::luajitStep(State& S) {
  int64_t lim = (kLuaJitStepSize / 100) * stepmul;
  if (lim == 0) lim = INT64_MAX;
  if (heapBytes > threshold) debt += static_cast<int64_t>(heapBytes - threshold);
  do {
    lim -= static_cast<int64_t>(timedSingleStep(S));
    if (phase == GcPhase::Pause) {
      // End of a cycle: LuaJIT starts the next one with no debt.
      threshold = percentOf(estimate, pause);
      debt = 0;
      return 1;
    }
  } while (lim > 0);
  if (debt < kLuaJitStepSize) {
    threshold = heapBytes + kLuaJitStepSize;
    return -1;
  }
  debt -= kLuaJitStepSize;
  threshold = heapBytes;
  return 0;
}

void Collector::generationalStep(State& S) {
  if (youngSweepPending()) {
    workThisStep_ += sweepYoungSome(S, kYoungSweepBatch);
  } else if (incrementalMajor_) {
    incrementalMajorStep(S);
    return;
  } else {
    size_t majorBase = lastMajorEstimate_ ? lastMajorEstimate_ : heapBytes;
    if (!generationalActive_ || heapBytes > majorBase + percentOf(majorBase, majormul)) {
      beginIncrementalMajor(S);
      incrementalMajorStep(S);
      return;
    }
    minorCollection(S);
  }
  setGenerationalThreshold();
}

// A major collection due between generational collections (no young sweep pending, phase
// Pause): leave generational mode without touching every object, by a sweep that whitens the
// heap in batches (the next steps). Outside generational mode (the units of a learner left
// it) the cycle in progress, if any, is carried on as the major's.
void Collector::beginIncrementalMajor(State& S) {
  (void)S;
  incrementalMajor_ = true;
  threshold = heapBytes;  // the major's first step does one step's worth of work
  debt = 0;
  if (!generationalActive_) return;
  generationalActive_ = false;
  // The gray objects (old tables given young values, finalized objects) are on the gray lists,
  // which the cycle rebuilds from the roots: they become white with the rest.
  auto whiten = [&](GcObject* o) {
    o->marked = static_cast<uint8_t>((o->marked & ~(kBlack | kWhiteBits)) | currentWhite);
  };
  for (GcObject* o : gray_) whiten(o);
  for (GcObject* o : grayAgain_) whiten(o);
  gray_.clear();
  grayAgain_.clear();
  clearWalks();
  oldThreads_.clear();
  oldWeakTables_.clear();
  oldBoundary_ = nullptr;
  oldFinalizable_ = nullptr;
  // The major's summary opens with the whitening, so its steps count in the major's.
  cycle_ = GcCycleSummary();
  cycle_.cycle = cycles + 1;
  cycle_.totalBefore = heapBytes;
  cycle_.steps = stepInProgress_ ? 1 : 0;
  cycleStartNs_ = nowNanoseconds();
  majorSummaryOpen_ = true;
  whitening_ = true;
  sweepCursor_ = &allObjects;
  sweepingFinalizable_ = false;
  pendingRecoloured_ = 0;
  enterPhase(GcPhase::Sweep);
}

// The incremental pacer's step (see incrementalStep) for the major, until its atomic phase
// hands the heap back to generational mode; then the young sweep's pacing takes over.
void Collector::incrementalMajorStep(State& S) {
  // The incremental pace: since the pacer counts Lua 5.4's work per byte, a major keeps up with
  // the mutator as the one-step major did (binary_trees' peak RSS was 3.4 times the live data at
  // 64 times less work per byte, and needed a 64-fold pace factor then).
  int64_t mul = boundedStepMultiplier(stepmul);
  int64_t owed = payDebt(S, mul, true, [&] { return incrementalMajor_; });
  if (!incrementalMajor_) setGenerationalThreshold();
  else setThresholdAhead(owed, mul);
}

// The incremental major's atomic phase ends here instead of in an ordinary sweep: every
// object is young, the reached ones black and the unreached dead white, as after a minor
// collection's mark, so the young sweep (over the whole list: no old boundary) frees the dead
// and promotes the survivors, rebuilding the old threads and weak tables as it goes. The
// finalizable objects left are all black (reached, or resurrected and propagated): old.
void Collector::reenterGenerationalYoung() {
  incrementalMajor_ = false;
  generationalActive_ = true;
  oldBoundary_ = nullptr;
  oldFinalizable_ = finalizable;
  youngSurvivor_ = nullptr;
  oldThreads_.clear();
  oldWeakTables_.clear();
}

// A pending incremental major, run to its end, young sweep included.
void Collector::finishIncrementalMajor(State& S) {
  while (incrementalMajor_) timedSingleStep(S);
  completeYoungSweep(S);
}

size_t Collector::minorAllowance() const {
  size_t share = percentOf(heapBytes, minormul < 1 ? 1 : minormul);
  return maxYoungBytes ? std::min(share, maxYoungBytes) : share;
}

// While a young sweep is pending its next batch comes after a step's worth (2^stepsize bytes)
// of allocation; otherwise the next minor collection after minorAllowance() more bytes.
void Collector::setGenerationalThreshold() {
  if (youngSweepPending())
    threshold = heapBytes + (size_t{1} << boundedStepSize(stepsize));
  else
    threshold = heapBytes + minorAllowance();
  debt = signedBytes(heapBytes) - signedBytes(threshold);
}

// Old objects are black and stay so; only the young segment is marked here, in one step (its
// mark is small: the roots, the old threads, the old tables given young values and the young
// survivors). The young segment is then swept incrementally (sweepYoungSome).
void Collector::minorCollection(State& S) {
  cycle_ = GcCycleSummary();
  cycle_.cycle = cycles + 1;
  cycle_.major = false;
  cycle_.totalBefore = heapBytes;
  cycle_.steps = stepInProgress_ ? 1 : 0;
  cycleStartNs_ = nowNanoseconds();
  ++minorCycles;
  enterPhase(GcPhase::Atomic);
  weakTables_.clear();
  ephemerons_.clear();
  markRoots(S);
  // Stacks change without barriers: every old thread is scanned again, but one that has not
  // changed since its last scan (whose referents all survived it, and are old now).
  for (Thread* t : oldThreads_)
    if (!stackUnchangedSinceScan(S, t)) gray_.push_back(t);
  for (GcObject* o : grayAgain_) gray_.push_back(o);          // old tables given young values
  grayAgain_.clear();
  for (Table* t : oldWeakTables_) gray_.push_back(reinterpret_cast<GcObject*>(t));
  propagateAll(S);
  remarkOpenUpvalues();
  propagateAll(S);
  convergeEphemerons(S);
  uint32_t cleared = clearWeakValues();
  separateYoungFinalizable();
  propagateAll(S);
  convergeEphemerons(S);
  cleared += clearWeakKeys();
  cleared += clearWeakValues();
  cycle_.weakCleared = cleared;
  // The young finalizable objects left are black (reached, or resurrected and propagated):
  // they are old from now on.
  oldFinalizable_ = finalizable;
  // The young segment (from the head of the all-objects list to the old boundary) now holds
  // the unreached, white, and the survivors, black. The white flips, as in the atomic phase,
  // so objects made during the sweep are young rather than dead.
  currentWhite ^= kWhiteBits;
  sweepCursor_ = &allObjects;
  youngSurvivor_ = nullptr;
  enterPhase(GcPhase::Sweep);
}

// Up to `batch` objects of the young segment: the dead are freed, the survivors become old.
// New objects are linked ahead of the cursor (see link), so the segment between the cursor
// and the old boundary holds only what the last minor collection judged.
uint64_t Collector::sweepYoungSome(State& S, size_t batch) {
  uint8_t dead = currentWhite ^ kWhiteBits;
  size_t examined = 0;
  while (examined < batch && *sweepCursor_ != oldBoundary_) {
    GcObject* o = *sweepCursor_;
    ++examined;
    if (o->marked & dead) {
      *sweepCursor_ = o->next;
      freeSwept(S, o);
      continue;
    }
    // A survivor; a white one is a string the interner brought back (State::intern): it is
    // reachable again, and old from now on.
    if (o->marked & kWhiteBits) o->marked = static_cast<uint8_t>((o->marked & ~kWhiteBits) | kBlack);
    if (o->kind == Tag::Thread) oldThreads_.push_back(static_cast<Thread*>(o));
    if (o->kind == Tag::Table && static_cast<Table*>(o)->metatable &&
        tableWeakness(S, static_cast<Table*>(o)) != TableWeakness::None)
      oldWeakTables_.push_back(static_cast<Table*>(o));
    if (!youngSurvivor_) youngSurvivor_ = o;
    sweepCursor_ = &o->next;
  }
  if (*sweepCursor_ == oldBoundary_) finishYoungSweep(S);
  return examined;
}

// The survivors, from the first one on, are the old generation's new front; then the pending
// finalizers run, as at the end of an incremental cycle.
void Collector::finishYoungSweep(State& S) {
  if (youngSurvivor_) oldBoundary_ = youngSurvivor_;
  youngSurvivor_ = nullptr;
  sweepCursor_ = nullptr;
  estimate = heapBytes;
  // An incremental major's young sweep: the next major is due when the heap outgrows what
  // its mark found live (what the atomic phase saw, less what the sweep freed).
  if (cycle_.major) lastMajorEstimate_ = heapAtAtomic_ > cycle_.freed ? heapAtAtomic_ - cycle_.freed : heapBytes;
  if (toBeFinalized.empty()) {
    enterPhase(GcPhase::Pause);
    endCycle(S);
  } else {
    enterPhase(GcPhase::CallFinalizers);
    runFinalizersNow(S);
  }
}

void Collector::completeYoungSweep(State& S) {
  while (youngSweepPending()) sweepYoungSome(S, SIZE_MAX);
}

void Collector::runFinalizersNow(State& S) {
  while (phase == GcPhase::CallFinalizers) singleStep(S);
}

// Every surviving object becomes old (black); the lists minor collections need are rebuilt.
void Collector::blackenSurvivors(State& S) {
  oldThreads_.clear();
  oldWeakTables_.clear();
  grayAgain_.clear();
  gray_.clear();
  clearWalks();
  auto blacken = [&](GcObject* o) {
    o->marked = static_cast<uint8_t>((o->marked & ~kWhiteBits) | kBlack);
    if (o->kind == Tag::Thread) oldThreads_.push_back(static_cast<Thread*>(o));
    if (o->kind == Tag::Table && static_cast<Table*>(o)->metatable &&
        tableWeakness(S, static_cast<Table*>(o)) != TableWeakness::None)
      oldWeakTables_.push_back(static_cast<Table*>(o));
  };
  for (GcObject* o = allObjects; o; o = o->next) blacken(o);
  for (GcObject* o = finalizable; o; o = o->next) blacken(o);
  for (GcObject* o : toBeFinalized) blacken(o);
  oldBoundary_ = allObjects;
  oldFinalizable_ = finalizable;
  generationalActive_ = true;
}

void Collector::leaveGenerational(State& S) {
  if (!generationalActive_) return;
  completeYoungSweep(S);  // its dead must not turn white again: they would look alive
  generationalActive_ = false;
  auto whiten = [&](GcObject* o) {
    o->marked = static_cast<uint8_t>((o->marked & ~(kBlack | kWhiteBits)) | currentWhite);
  };
  for (GcObject* o = allObjects; o; o = o->next) whiten(o);
  for (GcObject* o = finalizable; o; o = o->next) whiten(o);
  for (GcObject* o : toBeFinalized) whiten(o);
  gray_.clear();
  clearWalks();
  grayAgain_.clear();
  oldThreads_.clear();
  oldWeakTables_.clear();
  oldBoundary_ = nullptr;
  oldFinalizable_ = nullptr;
}

// A full cycle; in generational mode its survivors all become old.
void Collector::majorCollection(State& S) {
  bool generational = mode == GcMode::Generational;
  incrementalMajor_ = false;  // one in progress ends as an ordinary cycle, or its whitening
  leaveGenerational(S);
  abortCycle();
  runUntilPause(S);
  timedSingleStep(S);
  while (phase != GcPhase::Pause && phase != GcPhase::CallFinalizers) timedSingleStep(S);
  if (generational) blackenSurvivors(S);
  runFinalizersNow(S);
  lastMajorEstimate_ = estimate;
}

void Collector::enterGenerational(State& S) { majorCollection(S); }

void Collector::step(State& S) {
  if (collecting_) return;
  if (stressEvery > 0) {
    if (++safePoints_ % static_cast<uint64_t>(stressEvery) == 0) fullCollect(S);
    if (!stressStep && !(running && heapBytes >= threshold)) return;
  }
  verifyBeforeStep(S);
  collecting_ = true;
  GcPhase before = phase;
  recordedStep([&] {
    if (stressStep && mode != GcMode::Generational) {
      timedSingleStep(S);
      if (phase == GcPhase::Pause) setPauseThreshold();
      return 0;
    }
    switch (mode) {
      case GcMode::Incremental: incrementalStep(S); break;
      case GcMode::LuaJit: luajitStep(S); break;
      case GcMode::Generational: generationalStep(S); break;
    }
    return 0;
  });
  collecting_ = false;
  verifyAfterStep(S, before);
}

bool Collector::explicitStep(State& S, int64_t kilobytes) {
  if (collecting_) return false;
  verifyBeforeStep(S);
  collecting_ = true;
  GcPhase before = phase;
  stepStartNs_ = nowNanoseconds();
  bool finished = false;
  // step(n) for an n past any heap is a full cycle's worth, not a wrapped small count.
  int64_t kilobyteCeiling = static_cast<int64_t>(kBytesCeiling >> 10);
  if (kilobytes > kilobyteCeiling) kilobytes = kilobyteCeiling;
  if (mode == GcMode::LuaJit) {
    // lua_gc(LUA_GCSTEP) of LuaJIT 2.1: lower the threshold by n KB and step until caught up.
    uint64_t a = static_cast<uint64_t>(kilobytes < 0 ? 0 : kilobytes) << 10;
    threshold = a <= heapBytes ? heapBytes - a : 0;
    while (heapBytes >= threshold) {
      int result = recordedStep([&] { return luajitStep(S); });
      if (result > 0) {
        finished = true;
        break;
      }
    }
  } else if (mode == GcMode::Generational) {
    // collectgarbage("step") asks for a whole young collection: its sweep included.
    recordedStep([&] {
      completeYoungSweep(S);
      generationalStep(S);
      finishIncrementalMajor(S);
      setGenerationalThreshold();
      return 0;
    });
    finished = true;
  } else {
    // Lua 5.4: add n KB to the debt (0: one basic step) and take a step.
    if (kilobytes <= 0) {
      threshold = heapBytes;
    } else {
      size_t add = static_cast<size_t>(kilobytes) * 1024;
      threshold = threshold > add ? threshold - add : 0;
      if (threshold > heapBytes) threshold = heapBytes;
    }
    recordedStep([&] {
      incrementalStep(S, false);  // the whole debt asked for, as Lua 5.4's lua_gc step does
      return 0;
    });
    finished = phase == GcPhase::Pause;
  }
  collecting_ = false;
  verifyAfterStep(S, before);
  return finished;
}

void Collector::fullCollect(State& S) {
  if (collecting_) return;
  verifyBeforeStep(S, true);
  collecting_ = true;
  GcPhase before = phase;
  stepStartNs_ = nowNanoseconds();  // a full collection is one long step
  if (mode == GcMode::Generational) {
    majorCollection(S);
    threshold = heapBytes + minorAllowance();
    collecting_ = false;
    verifyAfterStep(S, before, true);
    return;
  }
  abortCycle();
  runUntilPause(S);   // finish a cycle in its sweep, if any
  timedSingleStep(S);  // start a fresh one
  runUntilPause(S);
  if (mode == GcMode::LuaJit) {
    threshold = percentOf(estimate, pause);
    debt = 0;
  } else {
    setPauseThreshold();
  }
  lastMajorEstimate_ = estimate;
  collecting_ = false;
  verifyAfterStep(S, before, true);
}

void Collector::emergencyCollect(State& S, size_t request) {
  if (collecting_) return;
  bool saved = noFinalizers_;
  noFinalizers_ = true;
  ++emergencyCollections;
  fullCollect(S);
  noFinalizers_ = saved;
  judgeEmergency(request);
  if (sink) sink->onEmergency();
}

void Collector::emergencyCollectInAllocation(State& S, size_t request) {
  if (collecting_ || !ready || runningFinalizers_) return;
  pinned_.clear();
  for (GcObject* o = allObjects; o && o != safePointHead; o = o->next) pinned_.push_back(o);
  emergencyCollect(S, request);
  pinned_.clear();
}

// ---- memory-limit pacing (see collector.h) ---------------------------------------------------

// Did the emergency just run buy enough room to have been worth it? If not, the next requests
// past the limit fail without collecting: as many as the last time doubled, the request that
// collected in vain (if it still does not fit) counting as the first.
void Collector::judgeEmergency(size_t request) {
  size_t room = memoryLimit > heapBytes ? memoryLimit - heapBytes : 0;
  bool requestFits = room >= request;
  if (requestFits && room >= heapBytes / kEmergencyRoomDivisor) {
    endEmergencyBackoff();
    return;
  }
  refusalsLeft_ = requestFits ? nextRefusals_ : nextRefusals_ - 1;
  if (nextRefusals_ < (uint64_t{1} << 62)) nextRefusals_ *= 2;
  heapAfterEmergency_ = heapBytes;
}

bool Collector::mayCollectForLimit() {
  // Memory dropped well below what the last emergency left (something let go of a large
  // part of the heap): a collection may pay again.
  if (heapBytes + memoryLimit / 16 <= heapAfterEmergency_) endEmergencyBackoff();
  if (refusalsLeft_ == 0) return true;
  --refusalsLeft_;
  return false;
}

void Collector::setMode(State& S, GcMode next) {
  if (next == mode) return;
  // Finish the current cycle under the old rules, then pace with the new ones.
  incrementalMajor_ = false;  // one in progress ends under the old rules too
  if (!collecting_) {
    collecting_ = true;
    runUntilPause(S);
    collecting_ = false;
  }
  if (mode == GcMode::Generational) leaveGenerational(S);
  mode = next;
  debt = 0;
  if (mode == GcMode::Generational) {
    collecting_ = true;
    enterGenerational(S);
    collecting_ = false;
    threshold = heapBytes + minorAllowance();
    return;
  }
  if (mode == GcMode::LuaJit) threshold = percentOf(estimate ? estimate : heapBytes, pause);
  else setPauseThreshold();
}

void Collector::restart(State& S) {
  running = true;
  if (mode == GcMode::LuaJit) threshold = heapBytes;
  else {
    threshold = heapBytes;
    debt = 0;
  }
}

// ============================================================================================
// Validation and shutdown
// ============================================================================================

std::string Collector::validateHeap(State& S) const { return HeapVerifier(S, *this).run(); }

// Checked mode (verifyEvery): the verifier before every N-th step (the heap as the mutator
// left it: a store that missed its barrier shows here, before the step can free anything), and
// after every step that changed the phase and every full collection (the collector's own
// work). The first failure stops the collector, so what it found stays in memory.
void Collector::verifyBeforeStep(State& S, bool always) {
  if (verifyEvery <= 0 || !verifyFailure.empty()) return;
  if (!always && steps % static_cast<uint64_t>(verifyEvery) != 0) return;
  recordVerification(S, "before step " + std::to_string(steps + 1) + " (" + gcPhaseName(phase) + ")");
}

void Collector::verifyAfterStep(State& S, GcPhase before, bool always) {
  if (verifyEvery <= 0 || !verifyFailure.empty()) return;
  if (!always && phase == before) return;
  // Between generational collections every step changes the phase (a young collection's mark
  // leaves its sweep pending, its last batch ends it): the check before every N-th step covers
  // them, or stress mode would verify the whole heap at every safe point.
  if (!always && generationalActive_ && (before == GcPhase::Pause || before == GcPhase::Sweep)) return;
  recordVerification(S, "after step " + std::to_string(steps) + " (" + gcPhaseName(before) + " -> " +
                            gcPhaseName(phase) + ")");
}

void Collector::recordVerification(State& S, const std::string& when) {
  std::string problem = validateHeap(S);
  if (problem.empty()) return;
  verifyFailure = when + ": " + problem;
  running = false;
  stressStep = false;
  stressEvery = 0;
}

void Collector::runAllFinalizers(State& S) {
  resetFinalizerScan();  // the list empties: no scan of it holds
  oldFinalizable_ = nullptr;  // nor its old part
  for (GcObject* o = finalizable; o;) {
    GcObject* next = o->next;
    toBeFinalized.push_back(o);
    o = next;
  }
  finalizable = nullptr;
  bool wasCollecting = collecting_;
  collecting_ = true;
  while (!toBeFinalized.empty()) finalizeOne(S);
  collecting_ = wasCollecting;
}

void Collector::finalizeAtClose(State& S) {
  // Finalizers run at close, for every object that still has one (newest first).
  collecting_ = true;
  for (GcObject* o = finalizable; o;) {
    GcObject* next = o->next;
    toBeFinalized.push_back(o);
    o = next;
  }
  finalizable = nullptr;
  try {
    while (!toBeFinalized.empty()) finalizeOne(S);
  } catch (...) {
  }
}

void Collector::freeAll(State& S) {
  finalizeAtClose(S);
  GcObject* o = allObjects;
  allObjects = nullptr;
  while (o) {
    GcObject* next = o->next;
    S.freeObject(o);
    o = next;
  }
  for (GcObject* f = finalizable; f;) {
    GcObject* next = f->next;
    S.freeObject(f);
    f = next;
  }
  finalizable = nullptr;
}

}  // namespace lunette
