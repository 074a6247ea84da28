// The collector: heap accounting, incremental tri-colour marking, sweeping, weak tables,
// finalizers, and three pacers.
//
// Colours. Every object is white (not yet reached this cycle), gray (reached, its children not
// yet traversed: it sits on a gray list) or black (reached and traversed). Two whites alternate
// between cycles: at the end of marking the current white flips, so objects created during the
// sweep get the new white and survive it, while unreached objects keep the old ("dead") white
// and are freed by the sweeper.
//
// The tri-colour invariant (isMarking() phases): no black object points to a white one. The
// mutator keeps it through barriers: storing into a table makes a black table gray again
// (barrierBackValue: tables are written often, re-traversing once is cheaper), except a big
// table (more than kTableChunk slots, and not weak), whose store marks the stored value
// instead, so a million-slot table written all through the cycle is traversed once; storing
// into an upvalue, a metatable slot or a native closure marks the stored value
// (barrierForward). Threads are never left black while marking: their stacks change without
// barriers, so they are re-traversed in the atomic phase, except a suspended (or dead) thread
// whose stack was scanned whole in this cycle and has not changed since (Thread::gcScanStamp:
// cleared when the thread is resumed, yields, dies or is written by debug.setlocal): it
// turns black there without a scan, so a coroutine parked deep in a recursion costs the atomic
// phase nothing. A stack is scanned kStackChunk slots per unit of work (PartialStack); the
// slots above its top are cleared on the way (they may hold stale references the sweep would
// leave dangling), so an unchanged stack is also a clean one. Exempt from the invariant: the weak
// parts of weak tables, the value of an open upvalue (a stack slot), and the slots of a big
// table its chunked walk has not reached yet. gc/heap_verifier.h checks all of it, edge by
// edge (validateHeap; after steps in checked mode, verifyEvery).
//
// Phases. Pause -> Propagate (incremental: one gray object, or one kTableChunk-slot chunk of a
// big table, or one kStackChunk-slot chunk of a stack, per unit of work; then up to
// kRemarkRounds re-mark rounds that traverse the threads and the tables written since their
// traversal again, incrementally; then the finalizable list scanned kFinalizerScanChunk
// objects per unit for the unreached ones; when it found more than kFinalizerSeparateChunk,
// the finalization decision: one step that marks like the atomic phase up to its separation,
// every stack and touched table again, ephemerons converged, weak values cleared; the
// candidates still white then are condemned, and separated kFinalizerSeparateChunk per unit,
// then traversed (resurrected) incrementally, while the mutator runs with the barriers on;
// objects registered meanwhile are kept for the next cycle: see decideFinalization) -> Atomic
// (one indivisible step: re-traverse the threads that may have changed and the tables touched
// since the last re-mark round, converge ephemerons, clear weak values, separate the scan's
// candidates still unreached and the finalizable objects registered since the scan, unless the
// decision did, resurrect them, clear weak keys, flip the white) -> Sweep (incremental: a batch
// of objects per unit, the all-objects list, the finalizable list, then the objects waiting
// for their finalizers recoloured) ->
// CallFinalizers (a few finalizers per unit) -> Pause. A learner can walk the same cycle by
// hand with stepUnit: one gray object, one chunk, the atomic phase, kUnitSweepBatch objects
// swept or one finalizer per call, while `held` keeps the pacer from stepping on its own.
//
// Pacers decide when and how much work to do; the work itself is the same:
//  - incremental (Lua 5.4): a cycle starts when the heap reaches estimate * pause / 100; a
//    step does stepmul units of work per 16 bytes of allocation debt (Lua's incstep), plus a
//    step's credit ahead (2^stepsize bytes' worth, at most kStepWorkLimit * stepmul / 100
//    units), and then waits until the credit is allocated. A step at a safe point stops after
//    that many units, or a 64th of the debt when that is more, even in debt; the debt left
//    makes the next safe points step again, so the debt of many allocations between two safe
//    points (a native function that makes 64 KB of tables owes 400,000 units) is paid in
//    short steps, while one big allocation still buys its share of a cycle.
//  - luajit (LuaJIT 2.1, as the second seed describes): total, threshold, debt, estimate,
//    GCSTEPSIZE 1024; a step does lim = (GCSTEPSIZE/100) * stepmul units; at the end of a cycle
//    threshold = estimate / 100 * pause; `collectgarbage("step", n)` runs the lua_gc loop.
//  - generational (Lua 5.4's parameters): between collections old objects stay black and young
//    ones (allocated since the last collection, at the head of the all-objects list) are white,
//    so the barriers above double as the old->young remembered set. A minor collection marks
//    from the roots, every thread that ran since its last scan (gcScanStamp), the touched
//    tables and the weak tables in one step, separates only the finalizable objects registered
//    since the last collection (the old part of that list is black: oldFinalizable_), flips
//    the white, then sweeps only the young segment, kYoungSweepBatch objects per step while the
//    mutator runs (phase Sweep; objects made meanwhile are linked ahead of the sweep cursor and
//    are young), and promotes the survivors (they stay black); it runs when the heap grows by
//    minormul%, or by maxYoungBytes if that is less (minorAllowance: a minor's one step then
//    marks at most what that much allocation left alive). Anything that leaves generational mode or needs a whole collection finishes a
//    pending young sweep first. A major collection runs when the heap outgrows the last major's by
//    majormul%. The pacer runs it as an incremental cycle, in bounded steps (incrementalMajor_):
//    a sweep over the whole heap first turns every object white (the old ones are black; the
//    sweep frees nothing, since after a completed young sweep no object has the dead white),
//    then the ordinary cycle marks with the incremental pacer's steps (stepmul, stepsize), and
//    its atomic phase re-enters generational mode with every object young: the marked ones are
//    black, the unreached ones dead white, exactly what a minor collection's mark leaves, so
//    the batched young sweep frees the dead and promotes the survivors (old boundary: none).
//    The phases the sink hears for one major: Pause -> Sweep (the whitening) -> Pause ->
//    Propagate -> Atomic -> Sweep (the young sweep) -> Pause (or CallFinalizers), and one
//    cycle end, flagged major, when the young sweep ends. collectgarbage(), an emergency and a
//    mode change still run a major as one full collection (majorCollection: its survivors
//    all blackened at once); collectgarbage("step") runs a pending major to its end.
//
// Cost model: a unit of work is a byte traversed (an object's size; a chunk's slots for a big
// table) when marking, and a fixed cost per object swept or finalizer called. A step is
// therefore bounded by its pacer's budget (kStepWorkLimit * stepmul / 100 units for the
// incremental pacer) plus one
// unit: the largest units are a chunk of
// kTableChunk slots or kStackChunk stack slots, a weak table, and the atomic phase (the
// threads that ran since their scan, roots, weak tables, what the mutator wrote after the
// last re-mark round, and the finalizable objects that died in the cycle when they are at most
// kFinalizerSeparateChunk: each is touched to be separated and resurrected; more are separated
// in steps after the decision, whose step costs what the atomic phase would without them).
//
// The memory limit. An allocation that would pass memoryLimit first runs an emergency
// collection (a full cycle without finalizers; only there, so that each one buys all the room
// up to the limit). A full collection costs the whole live heap, so a program living at its
// limit would pay one at every allocation. Emergencies are therefore paced. One that frees too
// little (it leaves room for less than a quarter of the live heap, or not for the request)
// starts a back-off: the next allocation past the limit fails ("not enough memory") without
// collecting, unless the request that collected in vain already failed, and each further
// emergency that frees too little doubles the failures before the next one (1, 2, 4, ...,
// counting its own request when that does not fit). A normal cycle that completes, or the
// heap shrinking well below what the last emergency left, ends the back-off. So a program runs
// with collections that each buy at least a share of the live heap in allocation, or fails
// after a logarithmic number of them; a program that catches its memory error gets a
// collection at its next allocation past the limit.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "vm/object.h"

namespace lunette {

class State;
struct Table;
struct Node;
struct String;
struct Thread;

enum class GcPhase : uint8_t { Pause, Propagate, Atomic, Sweep, CallFinalizers };
enum class GcMode : uint8_t { Incremental, Generational, LuaJit };

const char* gcPhaseName(GcPhase phase);
const char* gcModeName(GcMode mode);

// The collector's bits of an object's `marked` byte. It changes only these: the byte's other
// bits belong to the object's kind (vm/table.h's kInlineHashRoomBits).
inline constexpr uint8_t kWhite0 = 1, kWhite1 = 2, kBlack = 4, kFinalized = 8;
inline constexpr uint8_t kWhiteBits = kWhite0 | kWhite1;
inline constexpr int64_t kLuaJitStepSize = 1024;  // GCSTEPSIZE

// ---- telemetry records (plain data, see inspect/telemetry.h) ---------------------------------

struct GcStepRecord {
  uint64_t work = 0;
  size_t totalBefore = 0, totalAfter = 0;
  size_t thresholdBefore = 0, thresholdAfter = 0;
  int64_t debtBefore = 0, debtAfter = 0;
  uint64_t nanoseconds = 0;
  GcPhase phaseBefore = GcPhase::Pause, phaseAfter = GcPhase::Pause;
};

struct GcCycleSummary {
  uint64_t cycle = 0;
  bool major = true;
  size_t totalBefore = 0, totalAfter = 0;
  size_t freed = 0;
  std::array<size_t, kTagCount> freedByKind{};
  uint32_t finalized = 0;
  uint32_t weakCleared = 0;
  uint64_t durationNanoseconds = 0;
  uint64_t longestStepNanoseconds = 0;
  uint32_t steps = 0;
};

// What one unit of collector work did (Collector::stepUnit), for the page that steps through a
// cycle and draws the colours.
enum class GcUnitKind : uint8_t {
  None,          // nothing: the collector was busy (a unit asked from inside a step)
  StartCycle,    // a cycle began: the roots turned gray
  Mark,          // one gray object traversed: it is black, its white children gray
  TableChunk,    // the next kTableChunk slots of a big table's walk
  StackChunk,    // the next kStackChunk slots of a thread's stack walk
  FinalizerScan, // the next kFinalizerScanChunk objects of the finalizable list looked at
  Separate,      // the finalization decision (many candidates: see kFinalizerSeparateChunk),
                 // or the next kFinalizerSeparateChunk objects it condemned separated
  Remark,        // a re-mark round: threads and the tables written since their traversal are
                 // gray again
  Atomic,        // the atomic phase, whole
  Sweep,         // kUnitSweepBatch objects of the all-objects list examined
  Finalize,      // one __gc finalizer called
};
const char* gcUnitKindName(GcUnitKind kind);

struct GcUnitReport {
  GcUnitKind kind = GcUnitKind::None;
  GcPhase phaseBefore = GcPhase::Pause, phaseAfter = GcPhase::Pause;
  const GcObject* processed = nullptr;  // the object traversed or finalized, if any
  size_t freed = 0;                     // objects freed by this unit
};

// Who listens to the collector (the inspector). Calls cost nothing when no sink is set.
class GcSink {
 public:
  virtual ~GcSink() = default;
  virtual void onPhase(GcPhase from, GcPhase to) = 0;
  virtual void onStep(const GcStepRecord& step) = 0;
  virtual void onCycle(const GcCycleSummary& cycle) = 0;
  virtual void onFree(Thread* thread) = 0;  // before a thread (a coroutine) is freed
  virtual void onEmergency() {}             // an emergency collection ended
  virtual void onAllocationMark() {}        // allocatedTotal reached allocationMark
};

// How a table's __mode makes it weak.
enum class TableWeakness : uint8_t { None, Keys, Values, Both };
TableWeakness tableWeakness(State& state, const Table* table);

// The bytes an object accounts for now (a table's parts, a thread's stack included).
size_t objectBytes(const GcObject* o);

class Collector {
 public:
  // ---- accounting ----
  size_t heapBytes = 0;
  std::array<size_t, kTagCount> bytesByKind{};
  std::array<size_t, kTagCount> countByKind{};
  size_t threshold = 256 * 1024;
  int64_t debt = 0;         // luajit: the accumulated step debt; others: heapBytes - threshold
  size_t memoryLimit = 0;   // 0: none; beyond it allocation raises "not enough memory"
  size_t estimate = 0;      // bytes live after the last mark
  uint64_t allocatedTotal = 0;  // bytes ever allocated (the charts' alternative x-axis)
  // The sink hears at the first safe point where allocatedTotal reaches this (it sets the next).
  uint64_t allocationMark = UINT64_MAX;

  // ---- parameters ----
  GcMode mode = GcMode::Incremental;
  int pause = 200;
  int stepmul = 100;
  int stepsize = 13;
  int minormul = 20;
  int majormul = 100;
  // Generational mode: at most this many bytes are allocated between two minor collections,
  // whatever minormul% of the heap is; 0: no cap (Lua 5.4's pacing). See minorAllowance.
  static constexpr size_t kDefaultMaxYoungBytes = size_t{8} << 20;
  size_t maxYoungBytes = kDefaultMaxYoungBytes;
  bool running = true;     // collectgarbage("stop") clears it
  int stressEvery = 0;     // > 0: a full collection at every N-th safe point (stress mode)
  bool stressStep = false; // a collector step at every safe point (stress mode)
  // Stepping (a learner walks a cycle by hand): no pacer steps at safe points, stress modes
  // included; only stepUnit, explicit collectgarbage calls and the memory limit's emergency
  // collections do collector work.
  bool held = false;

  // ---- statistics ----
  uint64_t cycles = 0;
  uint64_t minorCycles = 0;
  uint64_t steps = 0;
  uint64_t emergencyCollections = 0;  // full collections forced by the memory limit
  // Objects of the finalizable list the last minor collection looked at (the young part only).
  size_t youngFinalizableExamined = 0;

  String* memoryErrorMessage = nullptr;  // preallocated: raising it must not allocate
  GcSink* sink = nullptr;

  // ---- objects ----
  GcObject* allObjects = nullptr;
  GcObject* finalizable = nullptr;          // objects with a __gc metamethod
  std::deque<GcObject*> toBeFinalized;      // unreached finalizable objects, in call order
  uint8_t currentWhite = kWhite0;
  GcPhase phase = GcPhase::Pause;

  void link(GcObject* object) {
    object->marked = currentWhite;
    object->next = allObjects;
    // A sweep that has not passed the head yet keeps its place ahead of the new object (what a
    // young sweep must not examine: see sweepYoungSome).
    if (sweepCursor_ == &allObjects) sweepCursor_ = &object->next;
    allObjects = object;
  }

  // Safe-point check (State::checkGc).
  bool shouldStep() const {
    return !held && ((running && heapBytes >= threshold) || stressStep || stressEvery);
  }
  void step(State& state);              // one pacer step (called when shouldStep())
  void fullCollect(State& state);       // a complete cycle now, finalizers included
  // The smallest unit of work the cycle has (see GcUnitKind): for stepping through a cycle one
  // object at a time. In generational mode the first unit leaves the generational state (every
  // object white again), so the units walk an ordinary incremental cycle.
  GcUnitReport stepUnit(State& state);
  static constexpr int kUnitSweepBatch = 8;
  // Before "not enough memory": a full cycle, no finalizers, judged by the pacing (is there
  // room for `request` more bytes and a share of the live heap?).
  void emergencyCollect(State& state, size_t request = 0);
  // From inside an allocation: objects made since the last safe point may be under
  // construction (linked but not yet reachable), so they are kept as roots for this cycle.
  void emergencyCollectInAllocation(State& state, size_t request);
  // An allocation would pass the limit: may it collect first? False while the
  // pacing (see the header comment) refuses requests; each call then uses up one refusal.
  bool mayCollectForLimit();
  // An emergency must leave room for live / kEmergencyRoomDivisor more bytes: the collections
  // near the limit then mark at most about kEmergencyRoomDivisor times as much per byte
  // allocated as the default pace (pause = 200: the heap doubles between cycles) does.
  static constexpr size_t kEmergencyRoomDivisor = 4;
  GcObject* safePointHead = nullptr;   // allObjects at the last safe point
  bool ready = false;                  // the state's roots exist (set once the State is built)
  bool explicitStep(State& state, int64_t kilobytes);  // collectgarbage("step", n): cycle ended?
  void setMode(State& state, GcMode mode);
  void restart(State& state);           // collectgarbage("restart")
  void stop() { running = false; }
  // Inside a __gc finalizer the collector cannot be re-entered: collectgarbage answers fail.
  bool insideFinalizer() const { return runningFinalizers_; }
  void freeAll(State& state);           // at state close: run finalizers, free everything
  // freeAll's first half: every pending finalizer runs, as at close, and nothing is freed.
  // Afterwards the collector is closing (it never steps again): the State may only be
  // destroyed (freeAll then frees, with no finalizer left to run) or abandoned at exit.
  void finalizeAtClose(State& state);
  void runAllFinalizers(State& state);  // every pending finalizer now (os.exit(_, true))

  // Threads that have (or had) open upvalues. A closure can outlive the coroutine whose local it
  // captured; the atomic phase keeps such upvalues' values alive (remarkOpenUpvalues) so the
  // dying thread can close them into its upvalues before it is freed.
  void rememberThreadWithUpvalues(Thread* thread);
  void forgetThread(Thread* thread);  // before a thread is freed

  // Called by setmetatable when the metatable has __gc: the object becomes finalizable.
  void checkFinalizer(State& state, GcObject* object, Table* metatable);

  // ---- barriers ----
  bool isMarking() const { return phase == GcPhase::Propagate || generationalActive_; }
  bool isBlack(const GcObject* o) const { return (o->marked & kBlack) != 0; }
  bool isWhite(const GcObject* o) const { return (o->marked & kWhiteBits) != 0; }
  // A store into a table. A big table (one walked in chunks, see kTableChunk) takes a forward
  // barrier instead of going gray again: re-traversing a million slots because one of them
  // changed would be one long pause (in the atomic phase, or in a minor collection).
  void barrierBackValue(Table* table, const Value& v) {
    if (v.isCollectable() && isMarking() && isBlack(reinterpret_cast<GcObject*>(table)))
      tableBarrier(table, v);
  }
  // A store whose values are not at hand (SETLIST): the table goes gray again whatever its size.
  void barrierBackAll(Table* table) {
    if (isMarking() && isBlack(reinterpret_cast<GcObject*>(table)) && !testSkipTableBarrier)
      makeGrayAgain(table);
  }
  void barrierForward(GcObject* owner, const Value& v) {
    if (isMarking() && v.isCollectable() && isBlack(owner) && isWhite(v.gc)) markObject(v.gc);
  }
  static bool isBigTable(const Table* t);
  // During a sweep, an object of the previous white is dead (not yet freed).
  bool isDeadWhite(const GcObject* o) const {
    return phase == GcPhase::Sweep && (o->marked & (currentWhite ^ kWhiteBits)) != 0;
  }

  // ---- marking (used by the traversals) ----
  void markValue(const Value& v) {
    if (v.isCollectable() && (v.gc->marked & kWhiteBits)) markObject(v.gc);
  }
  void markObject(GcObject* object);

  // Calls visit(const GcObject*) for every object of the heap: the all-objects list, the
  // finalizable list and those waiting for their finalizer.
  template <typename Visit>
  void forEachObject(Visit&& visit) const {
    for (const GcObject* o = allObjects; o; o = o->next) visit(o);
    for (const GcObject* o = finalizable; o; o = o->next) visit(o);
    for (const GcObject* o : toBeFinalized) visit(o);
  }

  // The most work units an incremental pacer step does at stepmul 100 (in proportion to
  // stepmul otherwise: a faster collector takes bigger steps, as in Lua 5.4, whose default
  // step, 2^13 bytes at stepmul 100, is 51,200 units). A unit is about a 16-byte slot marked
  // or an object swept; an object freed costs most (about 0.1 us), so 2,048 units keep the
  // 99th-percentile step of the mixed heap of gc_pause.sh near 0.2 ms (4,096: 0.23-0.29 ms;
  // issue 14 asks 0.25).
  static constexpr int64_t kStepWorkLimit = 2048;
  // A table with more slots (array slots plus hash nodes) than this is traversed this many
  // slots per unit of work, with a cursor that survives between steps (see PartialTable);
  // big tables also take forward barriers (barrierBackValue).
  static constexpr uint32_t kTableChunk = 1024;
  // True while a big table is partly traversed.
  bool tableWalkInProgress() const { return !walks_.empty(); }
  // Before the atomic phase the finalizable list is looked at this many objects per unit of
  // work, to find the objects still unreached (the candidates for finalization), so the
  // atomic phase separates only those and the objects registered since (see
  // scanFinalizableSome); the sweep recolours the list in batches of kSweepBatch too.
  static constexpr size_t kFinalizerScanChunk = 1024;
  // When the scan found more candidates than this, the decision which of them die is taken in
  // a step of its own before the atomic phase, and they are separated (and marked for their
  // finalizers) this many per unit of work while the mutator runs (see decideFinalization).
  static constexpr size_t kFinalizerSeparateChunk = 256;
  // A thread's stack is traversed this many slots per unit of work (see PartialStack).
  static constexpr int kStackChunk = 1024;
  // The thread whose stack is partly traversed (the innermost walk), or nullptr.
  const Thread* threadBeingWalked() const { return stackWalks_.empty() ? nullptr : stackWalks_.back().thread; }
  // True inside a pacer step, which the sink hears about (onStep) before it ends: what it
  // hears meanwhile (phase changes, a cycle's end) happens at the step's instant.
  bool stepInProgress() const { return stepInProgress_; }
  // Before the atomic phase, the threads and the tables written since their traversal are
  // traversed again incrementally this many times (the re-mark rounds), so the atomic phase
  // only meets what was written (or made and left on a stack) in the last round.
  static constexpr int kRemarkRounds = 2;
  // Generational mode: after a minor collection's mark, its young segment is swept this many
  // objects per step, while the mutator runs (sweepYoungSome); phase is Sweep meanwhile.
  static constexpr size_t kYoungSweepBatch = 4096;

  // The heap verifier (gc/heap_verifier.h): every edge against the tri-colour invariant of the
  // phase, list membership and accounting. Returns an empty string when the heap is sound.
  std::string validateHeap(State& state) const;
  // Checked mode: > 0 runs validateHeap before every N-th collector step, and after a step that
  // changed the phase and after a full collection. The first problem found is kept in verifyFailure, and the collector
  // stops collecting so that the evidence is not freed.
  int verifyEvery = 0;
  std::string verifyFailure;
  // Step and cycle durations are wall-clock time; with cpuClock (native Linux only, for
  // benchmarks on a loaded machine) they are the thread's CPU time, so a step the scheduler
  // interrupted does not count the time it spent descheduled.
  static bool cpuClock;
  static uint64_t nowNanoseconds();
  // Tests only: stores into black tables take no barrier (the verifier must notice).
  bool testSkipTableBarrier = false;

 private:
  friend class HeapVerifier;
  std::vector<GcObject*> gray_;
  // A big table being traversed a chunk per unit of work (see markTableChunk), with the shape
  // it had when the walk (re)started. Slots are numbered array part first, then hash nodes.
  // The table is black meanwhile: stores into it take the forward barrier, so the slots
  // already passed stay sound. A resize may move entries the walk has not reached into the
  // part it has passed, so a changed shape restarts the walk from slot 0. Walks nest (a big
  // table found by a chunk of another starts its own walk): walks_ is a stack.
  struct PartialTable {
    Table* table = nullptr;
    const Value* array = nullptr;
    uint32_t arraySize = 0;
    const Node* hash = nullptr;
    uint32_t hashCapacity = 0;
    uint32_t next = 0;  // the first slot not marked yet
    bool sameShape(const Table* t) const;
  };
  std::vector<PartialTable> walks_;
  // A thread's stack being traversed a chunk per unit of work (markStackChunk), slots 0 up to
  // its stackSize: the live ones (below top) are marked, the dead ones cleared. The thread is
  // gray meanwhile and already on the gray-again list (consumed only once no walk is left). The
  // thread may run, grow or shrink its stack between chunks: each chunk reads the stack as it
  // is then, and a thread that changed (its gcScanStamp, set to the cycle's when the walk
  // began, was cleared; or it is running) is scanned again by a re-mark round or the atomic
  // phase. A surviving thread is traversed in every cycle, which stamps or clears it, so a
  // stamp that matches the cycle's is from this cycle (a 16-bit count is enough). Between
  // generational collections scanCycle_ stays that of the last major collection: a minor
  // collection stamps the stacks it scans with it and skips the old threads still stamped
  // (their referents survived that scan and are old).
  struct PartialStack {
    Thread* thread = nullptr;
    int next = 0;  // the first slot not visited yet
  };
  std::vector<PartialStack> stackWalks_;
  uint16_t scanCycle_ = 0;  // numbers cycles for Thread::gcScanStamp (never 0)
  bool hasGray() const { return !gray_.empty() || !walks_.empty() || !stackWalks_.empty(); }
  uint64_t markStackChunk();
  bool stackUnchangedSinceScan(State& state, const Thread* thread) const;
  // The scan of the finalizable list before the atomic phase (scanFinalizableSome). The list
  // only grows at its head until the atomic phase (setmetatable registers new objects there;
  // nothing leaves it before the separation), so the part the scan covers keeps its links: a
  // candidate is remembered with the link that pointed to it, nullptr for the scan's first
  // object (whose link is wherever the objects registered since end).
  struct FinalizerCandidate {
    GcObject* object;
    GcObject** link;
  };
  // Done: the candidates are known; Separating: the decision is taken (decideFinalization),
  // the candidates still unreached are being separated a chunk per unit; Separated: they are,
  // the atomic phase finishes the cycle.
  enum class FinalizerScan : uint8_t { NotStarted, Running, Done, Separating, Separated };
  FinalizerScan finalizerScan_ = FinalizerScan::NotStarted;
  GcObject* finalizerScanHead_ = nullptr;  // the list's head when the scan began
  GcObject* finalizerScanLast_ = nullptr;  // the last object the scan looked at
  std::vector<FinalizerCandidate> finalizerCandidates_;
  bool finalizerScanPending() const {
    return !noFinalizers_ && (finalizerScan_ == FinalizerScan::NotStarted || finalizerScan_ == FinalizerScan::Running);
  }
  uint64_t scanFinalizableSome();
  void resetFinalizerScan() {
    finalizerScan_ = FinalizerScan::NotStarted;
    finalizerScanHead_ = finalizerScanLast_ = nullptr;
    finalizerCandidates_.clear();
    separationCursor_ = 0;
    separationHeadLink_ = lastSeparatedLink_ = nullptr;
    lastSeparated_ = firstRegisteredInWindow_ = nullptr;
  }
  void separateScannedFinalizable();
  // The separation in steps (see decideFinalization). The candidates are unlinked in list
  // order from separationCursor_ on; separationHeadLink_ is the link to the scanned part of the
  // list (where a candidate remembered with no link is), lastSeparated_ the candidate unlinked
  // last and lastSeparatedLink_ the link that pointed to it. Objects registered while the
  // mutator runs between the decision and the atomic phase (the window) go to the list's head:
  // the first of them takes over a link that was the list head's, and is remembered, so that
  // the atomic phase keeps them alive for the next cycle (made after the decision, as if after
  // the reference's atomic phase).
  size_t separationCursor_ = 0;
  GcObject** separationHeadLink_ = nullptr;
  GcObject* lastSeparated_ = nullptr;
  GcObject** lastSeparatedLink_ = nullptr;
  GcObject* firstRegisteredInWindow_ = nullptr;
  bool separationDue() const {
    return !noFinalizers_ && finalizerScan_ == FinalizerScan::Done &&
           finalizerCandidates_.size() > kFinalizerSeparateChunk;
  }
  bool separationPending() const { return finalizerScan_ == FinalizerScan::Separating; }
  uint64_t decideFinalization(State& state);
  uint64_t separateSome(size_t limit);
  void markRegisteredInWindow();
  bool sweepingFinalizable_ = false;  // the sweep has reached the finalizable list
  size_t pendingRecoloured_ = 0;      // ...and recoloured this many of toBeFinalized after it
  void clearWalks() {
    walks_.clear();
    stackWalks_.clear();
  }
  void beginTableWalk(Table* t);
  uint64_t markTableChunk();
  int remarkRound_ = 0;  // re-mark rounds done in this cycle
  bool remarkSome();
  void tableBarrier(Table* table, const Value& v);
  std::vector<GcObject*> pinned_;  // extra roots of an emergency collection
  std::vector<GcObject*> grayAgain_;
  std::vector<Table*> weakTables_;
  std::vector<Table*> ephemerons_;
  GcObject** sweepCursor_ = nullptr;
  bool runningFinalizers_ = false;
  bool collecting_ = false;     // a step is in progress (no re-entrance)
  bool stepInProgress_ = false;  // inside recordedStep: the sink hears onStep before it ends
  bool noFinalizers_ = false;   // emergency collection
  // Memory-limit pacing: allocations past the limit still to refuse, the refusals the next
  // emergency that frees too little will impose, and the heap that emergency left.
  uint64_t refusalsLeft_ = 0;
  uint64_t nextRefusals_ = 1;
  size_t heapAfterEmergency_ = 0;
  void judgeEmergency(size_t request);
  void endEmergencyBackoff() {
    refusalsLeft_ = 0;
    nextRefusals_ = 1;
  }
  size_t lastMajorEstimate_ = 0;
  size_t heapAtAtomic_ = 0;
  uint64_t workThisStep_ = 0;
  uint64_t stepStartNs_ = 0;
  bool generationalActive_ = false;     // old objects are black between collections
  GcObject* oldBoundary_ = nullptr;     // first old object in allObjects (young ones precede it)
  // The first old object of the finalizable list (nullptr: none). Registration links objects at
  // the list's head and only a separation unlinks them, so the objects registered since the last
  // generational collection precede it and the old ones (black) follow: a minor collection
  // separates and promotes only the former (separateYoungFinalizable).
  GcObject* oldFinalizable_ = nullptr;
  std::vector<Thread*> oldThreads_;     // scanned by every minor collection
  std::vector<Table*> oldWeakTables_;   // re-traversed (and cleared) by every minor collection
  uint64_t safePoints_ = 0;
  GcCycleSummary cycle_;
  uint64_t cycleStartNs_ = 0;  // when the cycle in progress started (nowNanoseconds)

  // the work
  uint64_t singleStep(State& state);
  void startCycle(State& state);
  uint64_t propagateOne(State& state);
  uint64_t atomic(State& state);
  uint64_t sweepSome(State& state, int batch);
  GcUnitReport doUnit(State& state);
  void freeSwept(State& state, GcObject* o);
  uint64_t finalizeOne(State& state);
  void endCycle(State& state);
  void enterPhase(GcPhase next);
  void runUntilPause(State& state);
  void abortCycle();

  void markRoots(State& state, bool withPendingFinalizers = true);
  uint64_t propagateAll(State& state);
  uint64_t traverse(State& state, GcObject* object);
  uint64_t traverseTable(State& state, Table* table);
  uint64_t traverseThread(State& state, Thread* thread);
  void makeGrayAgain(Table* table);
  void verifyBeforeStep(State& state, bool always = false);
  void verifyAfterStep(State& state, GcPhase before, bool always = false);
  void recordVerification(State& state, const std::string& when);
  void convergeEphemerons(State& state);
  uint32_t clearWeakValues();
  uint32_t clearWeakKeys();
  void separateUnreachedFinalizable(State& state);
  void separateYoungFinalizable();
  GcObject** separateWhiteAheadOf(GcObject* stop, size_t& examined);
  void remarkOpenUpvalues();
  std::vector<Thread*> threadsWithUpvalues_;
  bool isCleared(const Value& v);

  // One pacer step, counted, timed and reported to the sink; returns what `work` returns.
  template <typename Work>
  int recordedStep(Work&& work) {
    ++steps;
    GcStepRecord record;
    record.totalBefore = heapBytes;
    record.thresholdBefore = threshold;
    record.debtBefore = debt;
    record.phaseBefore = phase;
    workThisStep_ = 0;
    uint64_t start = nowNanoseconds();
    stepStartNs_ = start;
    stepInProgress_ = true;
    ++cycle_.steps;  // a step that begins a cycle counts in the new one (see startCycle)
    int result = work();
    stepInProgress_ = false;
    uint64_t end = nowNanoseconds();
    uint64_t elapsed = end - start;
    // The pause the mutator felt: the longest step of the cycle in progress (or just ended).
    // A step that finished one cycle and started the next counts in the new one only from its
    // start, so no cycle reports a step longer than itself.
    uint64_t inCycle = std::min(elapsed, end - cycleStartNs_);
    if (inCycle > cycle_.longestStepNanoseconds) cycle_.longestStepNanoseconds = inCycle;
    if (sink) {
      record.totalAfter = heapBytes;
      record.thresholdAfter = threshold;
      record.debtAfter = debt;
      record.phaseAfter = phase;
      record.nanoseconds = elapsed;
      record.work = workThisStep_;
      sink->onStep(record);
    }
    return result;
  }

  // the pacers
  // bounded: a pacer step at a safe point, its work limited (see payDebt).
  void incrementalStep(State& state, bool bounded = true);
  template <typename More>
  int64_t payDebt(State& state, int64_t mul, bool bounded, More more);
  void setThresholdAhead(int64_t owed, int64_t mul);
  void generationalStep(State& state);
  void minorCollection(State& state);
  void majorCollection(State& state);
  // The incremental major (see the header comment): begun by generationalStep when a major is
  // due, stepped by incrementalMajorStep until its atomic phase re-enters generational mode.
  bool incrementalMajor_ = false;
  // The sweep in progress only whitens the heap for an incremental major: its end is no
  // cycle's end (no estimate, no cycle summary).
  bool whitening_ = false;
  bool majorSummaryOpen_ = false;  // the whitening opened the major's cycle summary
  void beginIncrementalMajor(State& state);
  void incrementalMajorStep(State& state);
  void reenterGenerationalYoung();
  void finishIncrementalMajor(State& state);
  void enterGenerational(State& state);
  void leaveGenerational(State& state);
  GcObject* youngSurvivor_ = nullptr;  // the first survivor the young sweep met (the new front)
  bool youngSweepPending() const { return generationalActive_ && phase == GcPhase::Sweep; }
  uint64_t sweepYoungSome(State& state, size_t batch);
  void finishYoungSweep(State& state);
  void completeYoungSweep(State& state);
  void setGenerationalThreshold();
  // The allocation until the next minor collection: minormul% of the heap, capped at
  // maxYoungBytes. A minor collection marks in one step, and its work grows with what the young
  // generation keeps: after a program builds its data, all of it. On the mixed heap of
  // gc_pause.sh (about 240 MB, so 48 MB between minors) the first minor after the build marked
  // 1.4M units and separated 100k young finalizable objects in one 5-9 ms step; capped at 8 MB
  // the longest minor took about 1 ms. Below maxYoungBytes * 100 / minormul (40 MB at the
  // defaults) the cap changes nothing.
  size_t minorAllowance() const;
  void blackenSurvivors(State& state);
  void runFinalizersNow(State& state);
  int luajitStep(State& state);  // lj_gc_step: 1 cycle finished, 0 more to do, -1 caught up
  void setPauseThreshold();
  uint64_t timedSingleStep(State& state);
};

}  // namespace lunette
