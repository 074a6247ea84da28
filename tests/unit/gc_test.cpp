// The collector through the C++ API: reachability, weak tables, finalizers, accounting, pacers.
#include <gtest/gtest.h>

#include "inspect/inspector.h"
#include "lib/libs.h"
#include "run_lua.h"
#include "vm/state.h"

namespace lunette {
namespace {

using test::buildLiveHeap;

void makeGarbage(State& S, int n) {
  Lua L = S.mainApi();
  for (int i = 0; i < n; ++i) {
    L.newTable(8, 0);
    L.pop(1);
  }
}

size_t sumByKind(const Collector& gc) {
  size_t sum = 0;
  for (size_t b : gc.bytesByKind) sum += b;
  return sum;
}

TEST(GcAccounting, CountEqualsTheSumByType) {
  State S;
  openStandardLibraries(S);
  buildLiveHeap(S, 100, 50);
  makeGarbage(S, 1000);
  EXPECT_EQ(sumByKind(S.collector), S.collector.heapBytes);
  S.collector.fullCollect(S);
  EXPECT_EQ(sumByKind(S.collector), S.collector.heapBytes);
  EXPECT_EQ(S.collector.validateHeap(S), "");
}

size_t bytesOfKind(const State& S, Tag kind) { return S.collector.bytesByKind[static_cast<size_t>(kind)]; }

// The per-object costs the footprint benchmark (tests/bench/footprint.sh) depends on.
TEST(GcAccounting, AShortStringCostsA32ByteHeaderPlusItsCharacters) {
  if (sizeof(void*) != 8) GTEST_SKIP() << "64-bit layout";
  State S;
  size_t before = bytesOfKind(S, Tag::String);
  String* s = S.newString("item:123456");
  EXPECT_EQ(bytesOfKind(S, Tag::String) - before, 32u + 11u + 1u);
  EXPECT_TRUE(s->isShort());
  EXPECT_TRUE(s->isHashed());
  EXPECT_EQ(s->view(), "item:123456");
}

TEST(GcAccounting, AnEmptyTableCosts56Bytes) {
  if (sizeof(void*) != 8) GTEST_SKIP() << "64-bit layout";
  State S;
  size_t before = bytesOfKind(S, Tag::Table);
  newTable(S);
  EXPECT_EQ(bytesOfKind(S, Tag::Table) - before, 56u);
}

TEST(GcAccounting, AClosureWithOneUpvalueCosts32Bytes) {
  if (sizeof(void*) != 8) GTEST_SKIP() << "64-bit layout";
  EXPECT_EQ(luaClosureSize(1), 32u);
}

TEST(GcAccounting, ACoroutineParkedInItsBodysYieldHoldsThreeFrames) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(test::run(S, "co = coroutine.create(function(x) local y = coroutine.yield(x) return y end) "
                         "print(coroutine.resume(co, 1))"),
            "true\t1\n");
  const Value* co = S.globals->getString(S.newString("co"));
  ASSERT_EQ(co->tag, Tag::Thread);
  EXPECT_EQ(co->asThread()->calls.size(), 3u);
  EXPECT_EQ(co->asThread()->calls.capacityBytes(), 3 * sizeof(CallInfo));
}

TEST(GcIncremental, FullCollectFreesUnreachableTablesAndKeepsReachableOnes) {
  State S;
  openStandardLibraries(S);
  buildLiveHeap(S, 10, 10);
  S.collector.fullCollect(S);
  size_t live = S.collector.heapBytes;
  S.collector.running = false;  // let the garbage pile up
  makeGarbage(S, 5000);
  EXPECT_GT(S.collector.heapBytes, live + 5000 * sizeof(Table));
  S.collector.fullCollect(S);
  EXPECT_EQ(S.collector.heapBytes, live);
  Lua L = S.mainApi();
  L.getField(kRegistryIndex, "live");
  L.rawGetI(-1, 10);
  L.rawGetI(-1, 10);
  EXPECT_EQ(*L.toInteger(-1), 10);
}

TEST(GcIncremental, StepsWalkThroughEveryPhase) {
  State S;
  openStandardLibraries(S);
  buildLiveHeap(S, 50, 20);
  S.collector.running = false;
  bool seen[5] = {};
  for (int i = 0; i < 100000 && !(seen[1] && seen[3] && S.collector.phase == GcPhase::Pause && S.collector.cycles > 0); ++i) {
    S.collector.explicitStep(S, 0);
    seen[static_cast<int>(S.collector.phase)] = true;
  }
  EXPECT_TRUE(seen[static_cast<int>(GcPhase::Propagate)] || seen[static_cast<int>(GcPhase::Sweep)]);
  EXPECT_GE(S.collector.cycles, 1u);
}

TEST(GcBarrier, TableStoredIntoABlackTableSurvivesTheCycle) {
  State S;
  openStandardLibraries(S);
  Lua L = S.mainApi();
  L.newTable();
  L.setField(kRegistryIndex, "holder");
  S.collector.running = false;
  S.collector.stepsize = 0;  // steps of a unit or two: the stores land in the middle of the cycle
  // Start a cycle and propagate until the holder is black.
  S.collector.explicitStep(S, 0);
  ASSERT_EQ(S.collector.phase, GcPhase::Propagate);
  for (int i = 0; i < 1000 && S.collector.phase == GcPhase::Propagate; ++i) {
    L.getField(kRegistryIndex, "holder");
    L.newTable();  // a fresh (white) table...
    L.pushInteger(42);
    L.rawSetI(-2, 1);
    L.rawSetI(-2, i + 1);  // ...stored into the holder: the barrier must catch it
    L.pop(1);
    S.collector.explicitStep(S, 0);
  }
  while (S.collector.phase != GcPhase::Pause) S.collector.explicitStep(S, 0);
  EXPECT_EQ(S.collector.validateHeap(S), "");
  L.getField(kRegistryIndex, "holder");
  L.rawGetI(-1, 1);
  ASSERT_EQ(L.type(-1), Type::Table);
  L.rawGetI(-1, 1);
  EXPECT_EQ(*L.toInteger(-1), 42);
}

constexpr int kBigArray = 3 * static_cast<int>(Collector::kTableChunk);

TEST(GcIncremental, ABigArrayIsMarkedAcrossSeveralSteps) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(test::run(S, "collectgarbage('incremental') big = {} for i = 1, " +
                             std::to_string(kBigArray) + " do big[i] = {i} end collectgarbage()"),
            "");
  S.collector.running = false;
  ASSERT_TRUE(test::stepIntoTableWalk(S));
  int stepsInWalk = 0;
  while (S.collector.tableWalkInProgress()) {
    S.collector.explicitStep(S, 0);
    ++stepsInWalk;
  }
  EXPECT_GE(stepsInWalk, 1);  // the walk outlived the step that began it
  test::finishCycle(S);
  EXPECT_EQ(S.collector.validateHeap(S), "");
  EXPECT_EQ(test::run(S, "local ok = true for i = 1, #big do ok = ok and big[i][1] == i end print(ok)"),
            "true\n");
}

TEST(GcBarrier, WritesAndARehashDuringAnArrayWalkLoseNothing) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(test::run(S, "collectgarbage('incremental') big = {} for i = 1, " +
                             std::to_string(kBigArray) + " do big[i] = {i} end collectgarbage()"),
            "");
  S.collector.running = false;
  ASSERT_TRUE(test::stepIntoTableWalk(S));
  // A fresh table into the part already walked (the back barrier), then a rehash: two thirds
  // of the slots emptied and a new key, so the array part collapses and values the walk has not
  // reached move into the hash part, which it has passed. The new key's value is a number: no
  // barrier sees that move.
  ASSERT_EQ(test::run(S, "big[1] = {1} "
                         "for i = 1, #big do if i % 3 ~= 1 then big[i] = nil end end "
                         "big.x = 1"),
            "");
  test::finishCycle(S);
  EXPECT_EQ(S.collector.validateHeap(S), "");
  S.collector.running = true;
  EXPECT_EQ(test::run(S, "collectgarbage() local ok, n = true, 0 "
                         "for i = 1, " + std::to_string(kBigArray) + ", 3 do "
                         "ok = ok and big[i][1] == i n = n + 1 end print(ok, n)"),
            "true\t" + std::to_string((kBigArray + 2) / 3) + "\n");
}

TEST(GcLuaJit, SeedTraceStepTwoRunsExactlyThreeStepsAndLeavesNoDebt) {
  State S;
  openStandardLibraries(S);
  buildLiveHeap(S, 400, 1000);  // several MB of live tables
  Collector& gc = S.collector;
  gc.fullCollect(S);
  gc.setMode(S, GcMode::LuaJit);
  gc.pause = 200;
  gc.stepmul = 200;
  gc.debt = 0;
  uint64_t stepsBefore = gc.steps;
  uint64_t eventsBefore = inspectorOf(S).events.nextSequence();
  bool finished = gc.explicitStep(S, 2);
  EXPECT_FALSE(finished);
  EXPECT_EQ(gc.steps - stepsBefore, 3u);
  EXPECT_EQ(gc.debt, 0);
  EXPECT_EQ(gc.threshold, gc.heapBytes + 1024);
  // The trace: debt 2048 -> 1024 -> 0, threshold set to total, total, then total + 1024.
  std::vector<GcStepRecord> stepsSeen;
  for (uint64_t s = eventsBefore; s < inspectorOf(S).events.nextSequence(); ++s)
    if (inspectorOf(S).events.at(s).kind == EventKind::Step)
      stepsSeen.push_back(inspectorOf(S).stepOf(inspectorOf(S).events.at(s)));
  ASSERT_EQ(stepsSeen.size(), 3u);
  EXPECT_EQ(stepsSeen[0].debtAfter, 1024);
  EXPECT_EQ(stepsSeen[1].debtAfter, 0);
  EXPECT_EQ(stepsSeen[2].debtAfter, 0);
  EXPECT_EQ(stepsSeen[0].thresholdAfter, stepsSeen[0].totalAfter);
  EXPECT_EQ(stepsSeen[2].thresholdAfter, stepsSeen[2].totalAfter + 1024);
}

TEST(GcLuaJit, CycleEndSetsThresholdFromEstimateAndPause) {
  State S;
  openStandardLibraries(S);
  buildLiveHeap(S, 50, 100);
  Collector& gc = S.collector;
  gc.setMode(S, GcMode::LuaJit);
  gc.pause = 150;
  gc.fullCollect(S);
  EXPECT_EQ(gc.threshold, gc.estimate / 100 * 150);
}

// Pacing parameters arrive unchecked from scripts and from the page. A negative pause means
// "collect at once", never a threshold wrapped past every heap (which stopped the collector).
TEST(GcPacing, ANegativeLuaJitPauseCollectsInsteadOfNeverCollecting) {
  State S;
  openStandardLibraries(S);
  Collector& gc = S.collector;
  gc.setMode(S, GcMode::LuaJit);
  gc.pause = -10;
  gc.fullCollect(S);
  EXPECT_LE(gc.threshold, gc.heapBytes);
  uint64_t cyclesBefore = gc.cycles;
  makeGarbage(S, 20000);
  EXPECT_GT(gc.cycles, cyclesBefore);
}

// The incremental pacer does Lua 5.4's work per byte (stepmul units per 16 bytes allocated):
// a cycle marks and sweeps the heap while the mutator allocates a small fraction of it, so
// the heap peaks near estimate * pause / 100. At stepmul units per kilobyte (64 times less)
// this heap peaked at 2.7 times the live data.
TEST(GcPacing, AnIncrementalCycleEndsBeforeTheHeapOutgrowsItsPause) {
  State S;
  openStandardLibraries(S);
  buildLiveHeap(S, 2000, 200);  // about 6 MB of live tables
  Collector& gc = S.collector;
  gc.setMode(S, GcMode::Incremental);
  gc.fullCollect(S);
  size_t live = gc.estimate;
  size_t peak = 0;
  uint64_t cyclesBefore = gc.cycles;
  Lua L = S.mainApi();
  while (gc.cycles < cyclesBefore + 3) {
    L.newTable(8, 0);
    L.pop(1);
    peak = std::max(peak, gc.heapBytes);
  }
  EXPECT_LT(peak, live / 100 * 225) << "live " << live;
}

// A native function may allocate a lot between two safe points (lunette.gctrace(128) makes
// 64 KB of tables): a debt of 6.25 units per byte, which paid in one step was a 3 ms pause. A
// pacer step stops after kStepWorkLimit units or a kDebtSpread-th of the debt, whichever is
// more (and one unit, the largest being a chunk of a big table); the debt left makes the next
// safe points step again until it is paid.
TEST(GcPacing, AStepAfterABigAllocationDoesBoundedWorkAndLeavesTheRestOwed) {
  State S;
  openStandardLibraries(S);
  buildLiveHeap(S, 400, 1000);  // several MB of live tables
  Collector& gc = S.collector;
  gc.setMode(S, GcMode::Incremental);
  gc.fullCollect(S);
  ASSERT_EQ(gc.phase, GcPhase::Pause);
  constexpr size_t kUnsafeBytes = 64 * 1024;  // as if 64 KB came without a safe point
  gc.threshold = gc.heapBytes - kUnsafeBytes;
  uint64_t eventsBefore = inspectorOf(S).events.nextSequence();
  gc.step(S);
  EXPECT_EQ(gc.phase, GcPhase::Propagate);
  EXPECT_LE(gc.threshold, gc.heapBytes) << "the rest is still owed: the next safe point steps";
  int steps = 1;
  for (; gc.phase != GcPhase::Pause && steps < 5000; ++steps) gc.step(S);
  EXPECT_EQ(gc.phase, GcPhase::Pause);
  EXPECT_GT(steps, 20);
  uint64_t mostWork = 0;
  for (uint64_t s = eventsBefore; s < inspectorOf(S).events.nextSequence(); ++s)
    if (inspectorOf(S).events.at(s).kind == EventKind::Step)
      mostWork = std::max(mostWork, inspectorOf(S).stepOf(inspectorOf(S).events.at(s)).work);
  uint64_t owed = kUnsafeBytes / 16 * 100;
  EXPECT_LE(mostWork, owed / 64 + Collector::kTableChunk + 1);
}

// Safe points come with allocations: a loop that only fills big tables meets one at each
// resize (array_sum of tests/bench). A step there pays a share of the debt however big (a
// kDebtSpread-th), so cycles still finish and the arrays of past rounds are freed: the heap
// peaks at 16 MB here, and at 160 MB with steps of a fixed size.
TEST(GcPacing, ALoopThatOnlyGrowsTablesStillFinishesCycles) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(test::run(S, "collectgarbage('incremental') local peak = 0 "
                         "for round = 1, 10 do "
                         "  local t = {} for i = 1, 300000 do t[#t + 1] = i end "
                         "  local u = {} for i = 1, 300000 do u[i] = t[i] end "
                         "  peak = math.max(peak, collectgarbage('count')) "
                         "end "
                         "print(peak < 48 * 1024)"),
            "true\n");
}

// Out-of-range values in every mode, switched between as the page switches them: the heap stays
// bounded and the debt stays a real distance to the threshold.
TEST(GcPacing, ExtremeParametersInEveryModeKeepTheHeapBoundedAndTheDebtSane) {
  const int extremes[] = {-10, 0, 1, 2000, 1 << 30};
  for (int value : extremes) {
    State S;
    openStandardLibraries(S);
    Collector& gc = S.collector;
    for (GcMode mode : {GcMode::LuaJit, GcMode::Incremental, GcMode::Generational, GcMode::Incremental}) {
      gc.setMode(S, mode);
      gc.pause = value;
      gc.stepmul = value;
      gc.stepsize = value;
      gc.minormul = value;
      gc.majormul = value;
      makeGarbage(S, 20000);
      gc.explicitStep(S, int64_t{1} << 62);
      EXPECT_LE(gc.threshold, gc.heapBytes + (size_t{1} << 40)) << "value " << value;
      EXPECT_GE(gc.debt, -(int64_t{1} << 40)) << "value " << value;
      EXPECT_LT(gc.heapBytes, size_t{64} << 20) << "value " << value;
    }
  }
}

// A cycle or step event still in the event ring reads its own record, however many cycles ran
// since, or, once its record's shorter ring has moved past it, none (Inspector::readable; a
// ring of 256 cycle summaries once handed old events a newer cycle's figures). The newest
// records are all there.
TEST(GcEvents, OldEventsInTheRingReadTheirOwnCycleAndStepRecordsOrNone) {
  State S;
  openStandardLibraries(S);
  S.collector.setMode(S, GcMode::Generational);
  ASSERT_EQ(test::run(S, "local keep = {} for i = 1, 3000000 do keep[i % 64 + 1] = {} end"), "");
  const Inspector& inspector = inspectorOf(S);
  const EventRing& ring = inspector.events;
  uint64_t lastCycle = 0;
  size_t cycleEvents = 0, steps = 0;
  bool lostRecordsOnlyBeforeKeptOnes = true;
  for (uint64_t s = ring.oldestSequence(); s < ring.nextSequence(); ++s) {
    const TelemetryEvent& e = ring.at(s);
    if (!inspector.readable(e)) {
      lostRecordsOnlyBeforeKeptOnes &= e.kind == EventKind::Cycle ? cycleEvents == 0 : steps == 0;
      continue;
    }
    if (e.kind == EventKind::Cycle) {
      uint64_t cycle = inspector.cycleOf(e).cycle;
      if (lastCycle) EXPECT_EQ(cycle, lastCycle + 1) << "event " << s;
      lastCycle = cycle;
      ++cycleEvents;
    } else if (e.kind == EventKind::Step) {
      const GcStepRecord& step = inspector.stepOf(e);
      EXPECT_LE(step.totalAfter, step.totalBefore + (1u << 20)) << "event " << s;
      // A generational step either ends a young collection or leaves its sweep pending, or
      // is a step of an incremental major (its whitening sweep, its marking).
      EXPECT_TRUE(step.phaseAfter == GcPhase::Pause || step.phaseAfter == GcPhase::Sweep ||
                  step.phaseAfter == GcPhase::Propagate)
          << "event " << s << " ends in " << gcPhaseName(step.phaseAfter);
      ++steps;
    }
  }
  EXPECT_TRUE(lostRecordsOnlyBeforeKeptOnes);
  EXPECT_GT(cycleEvents, 300u) << "more cycles in the ring than the old summary ring held";
  EXPECT_LE(cycleEvents, kCycleRecordCapacity);
  EXPECT_EQ(lastCycle, S.collector.cycles);
}

TEST(GcMemoryLimit, AllocationBeyondTheLimitIsACatchableError) {
  State S;
  openStandardLibraries(S);
  S.collector.memoryLimit = S.collector.heapBytes + 64 * 1024;
  Lua L = S.mainApi();
  bool raised = false;
  try {
    L.newTable(1 << 20, 0);
  } catch (const LuaError&) {
    raised = true;
    EXPECT_EQ(std::string(S.mainThread->errorValue.asString()->view()), "not enough memory");
  }
  EXPECT_TRUE(raised);
}

}  // namespace
}  // namespace lunette

namespace lunette {
namespace {

TEST(GcMemoryLimit, AnAllocationOverTheLimitCollectsFirst) {
  State S;
  openStandardLibraries(S);
  std::string output;
  S.outputSink = [&](std::string_view text) { output += text; };
  // The collector is stopped, so only the emergency collection inside the failing allocation
  // can make room for the big string.
  ASSERT_TRUE(S.load("local lunette = require 'lunette'\n"
                     "collectgarbage('stop')\n"
                     "local base = collectgarbage('count') * 1024\n"
                     "lunette.memorylimit(math.floor(base) + 8 * 1024 * 1024)\n"
                     "for i = 1, 50000 do local t = {i, i, i, i} end\n"
                     "local big = string.rep('x', 4 * 1024 * 1024)\n"
                     "print(#big)",
                     "=emergency")
                  .ok);
  S.start(0);
  ASSERT_EQ(S.run(INT64_MAX / 4), RunStatus::Finished) << S.errorMessage();
  EXPECT_EQ(output, "4194304\n");
  EXPECT_EQ(S.collector.validateHeap(S), "");
}

// Objects made while marking are white, and one left only on a stack (a local, a table being
// filled) is reached through its thread, which takes no barriers. The re-mark rounds traverse
// the threads again, so such objects are marked incrementally before the atomic phase instead
// of all at once inside it (on a big heap: every table a loop built during the mark).
TEST(GcRemark, AnObjectLeftOnAStackIsMarkedByARemarkRoundBeforeTheAtomicPhase) {
  State S;
  openStandardLibraries(S);
  buildLiveHeap(S, 50, 4);
  S.collector.fullCollect(S);
  S.collector.held = true;  // only stepUnit works from here
  GcUnitReport unit;
  do unit = S.collector.stepUnit(S);
  while (unit.kind != GcUnitKind::Remark && unit.kind != GcUnitKind::Atomic);
  ASSERT_EQ(unit.kind, GcUnitKind::Remark);
  Lua L = S.mainApi();
  L.newTable();  // white, and only on the main thread's stack
  Thread* main = S.mainThread;
  GcObject* fresh = main->stack[main->top - 1].gc;
  ASSERT_TRUE(S.collector.isWhite(fresh));
  while (!S.collector.isBlack(fresh)) {
    unit = S.collector.stepUnit(S);
    ASSERT_NE(unit.kind, GcUnitKind::Atomic) << "the atomic phase had to mark it";
    ASSERT_EQ(S.collector.validateHeap(S), "");
  }
  test::finishCycle(S);
  EXPECT_EQ(S.collector.validateHeap(S), "");
  L.pushInteger(7);  // it survived the sweep (ASan would see a freed table here)
  L.rawSetI(-2, 1);
  L.rawGetI(-1, 1);
  EXPECT_EQ(*L.toInteger(-1), 7);
  L.pop(2);
}

// Generational mode: a minor collection marks in one step and sweeps its young segment in
// batches over the next steps, while the mutator runs. What the mutator does meanwhile must
// fit: new objects are young (not swept), a dead string the interner brings back is alive
// (and old once swept), and a survivor that leaves the all-objects list for the finalizable
// one (setmetatable with __gc) must not take the old generation's front with it.
TEST(GcGenerational, AYoungSweepRunsAcrossStepsWhileTheMutatorWorks) {
  State S;
  openStandardLibraries(S);
  S.collector.setMode(S, GcMode::Generational);
  ASSERT_EQ(test::run(S, "keep = {}"), "");
  S.collector.running = false;  // only the steps below
  S.collector.majormul = 100000;  // young collections only
  int young = 8 * static_cast<int>(Collector::kYoungSweepBatch);
  ASSERT_EQ(test::run(S, "local dying = 'revive' .. 'me' "
                         "for i = 1, " + std::to_string(young) + " do "
                         "local g = {i} if i % 10 == 0 then keep[#keep + 1] = g end end "
                         "last = {}"),
            "");
  size_t before = S.collector.heapBytes;
  S.collector.step(S);  // the mark
  ASSERT_EQ(S.collector.phase, GcPhase::Sweep);
  ASSERT_EQ(S.collector.validateHeap(S), "");
  // More new objects than a batch, the newest referring to the oldest: none may be swept (a
  // batch ending among them would blacken `holder` and leave `early` white).
  ASSERT_EQ(test::run(S, "early = {} for i = 1, " + std::to_string(young / 4) + " do early[i] = {} end "
                         "holder = {early}"),
            "");
  S.collector.step(S);  // the first batch: `last`, the newest survivor, is the new front
  ASSERT_EQ(S.collector.phase, GcPhase::Sweep);
  ASSERT_EQ(S.collector.validateHeap(S), "");
  ASSERT_EQ(test::run(S, "revive = 'revive' .. 'me' fresh = {} "
                         "setmetatable(last, {__gc = function() finalized = true end})"),
            "");
  ASSERT_EQ(S.collector.validateHeap(S), "");
  int steps = 2;
  while (S.collector.phase == GcPhase::Sweep) {
    S.collector.step(S);
    ++steps;
    ASSERT_EQ(S.collector.validateHeap(S), "") << "after step " << steps;
  }
  EXPECT_EQ(S.collector.phase, GcPhase::Pause);
  EXPECT_GE(steps, 4);  // the sweep outlived the step that began it
  EXPECT_LT(S.collector.heapBytes, before);
  // The next young collection sees the objects made during the sweep as young.
  S.collector.step(S);
  while (S.collector.phase == GcPhase::Sweep) S.collector.step(S);
  EXPECT_EQ(S.collector.validateHeap(S), "");
  S.collector.running = true;
  EXPECT_EQ(test::run(S, "print(revive, #keep, type(fresh)) last = nil collectgarbage() print(finalized)"),
            "reviveme\t" + std::to_string(young / 10) + "\ttable\ntrue\n");
  EXPECT_EQ(S.collector.validateHeap(S), "");
}

// A minor collection marks in one step what its young generation kept, so on a big heap the
// young generation is capped (Collector::maxYoungBytes) instead of being minormul% of the heap:
// allocating a few caps' worth runs a minor collection per cap, and each one marks little.
TEST(GcGenerational, ABigHeapRunsAMinorCollectionEveryMaxYoungBytesOfAllocation) {
  State S;
  openStandardLibraries(S);
  S.collector.setMode(S, GcMode::Generational);
  S.collector.majormul = 100000;  // young collections only
  constexpr size_t kCap = 64 * 1024;
  S.collector.maxYoungBytes = kCap;
  // A heap whose minormul% (20) share is far above the cap.
  ASSERT_EQ(test::run(S, "keep = {} for i = 1, 40000 do keep[i] = {i} end"), "");
  S.collector.fullCollect(S);
  ASSERT_GT(S.collector.heapBytes / 5, 4 * kCap);
  uint64_t minorsBefore = S.collector.minorCycles;
  uint64_t allocatedBefore = S.collector.allocatedTotal;
  ASSERT_EQ(test::run(S, "local kept = 0 for i = 1, 20000 do local g = {i, i} "
                         "if i % 100 == 0 then kept = kept + 1 keep[kept] = {i} end end"),
            "");
  uint64_t allocated = S.collector.allocatedTotal - allocatedBefore;
  uint64_t minors = S.collector.minorCycles - minorsBefore;
  // About one minor collection per cap of allocation (the threshold counts the heap, which
  // the young sweeps shrink meanwhile); uncapped, 20% of this heap is about 10 caps.
  EXPECT_GE(minors, allocated / kCap / 2) << allocated << " bytes allocated";
  EXPECT_LE(S.collector.threshold - S.collector.heapBytes, kCap);
  EXPECT_EQ(S.collector.validateHeap(S), "");
}

// The finalizable list of a generational heap is young up to the objects that were there at
// the last collection, which are black (old) and cannot die in a minor collection: a minor
// collection looks only at the young part (a list of 100k old finalizable objects would
// otherwise cost every minor collection a walk of 100k cold objects), finalizes the young
// objects that died and leaves the old ones, dead or not, to the next major collection.
TEST(GcGenerational, AMinorCollectionLooksOnlyAtTheFinalizableObjectsRegisteredSinceTheLast) {
  State S;
  openStandardLibraries(S);
  S.collector.setMode(S, GcMode::Generational);
  S.collector.verifyEvery = 1;
  ASSERT_EQ(test::run(S, "finalized = 0 local mt = {__gc = function() finalized = finalized + 1 end} "
                         "function make() return setmetatable({}, mt) end "
                         "old = {} for i = 1, 5000 do old[i] = make() end"),
            "");
  S.collector.running = false;     // only the steps below
  S.collector.majormul = 100000;   // young collections only
  S.collector.fullCollect(S);      // everything is old
  auto minorCollection = [&] {
    S.collector.step(S);
    ASSERT_EQ(S.collector.phase, GcPhase::Sweep);
    while (S.collector.phase != GcPhase::Pause) S.collector.step(S);
  };
  ASSERT_EQ(test::run(S, "young = {} for i = 1, 300 do young[i] = make() end "
                         "for i = 1, 100 do young[i] = nil end old[1] = nil"),
            "");
  minorCollection();
  EXPECT_EQ(S.collector.youngFinalizableExamined, 300u);
  EXPECT_EQ(test::run(S, "print(finalized)"), "100\n");  // the young dead only
  minorCollection();
  EXPECT_EQ(S.collector.youngFinalizableExamined, 0u);  // the 200 young survivors are old now
  ASSERT_EQ(test::run(S, "young[101] = nil make()"), "");
  minorCollection();
  EXPECT_EQ(S.collector.youngFinalizableExamined, 1u);
  EXPECT_EQ(test::run(S, "print(finalized)"), "101\n");  // the new one; old[1] and young[101] wait
  EXPECT_EQ(S.collector.verifyFailure, "");
  S.collector.running = true;
  EXPECT_EQ(test::run(S, "collectgarbage() print(finalized)"), "103\n");
  EXPECT_EQ(S.collector.verifyFailure, "");
}

// A cycle's longest step is the longest part of a step spent inside that cycle: a step that
// finished one cycle and began the next (a generational step running a minor collection, say)
// must not charge the new cycle for work done before it started.
TEST(GcCycleSummary, NoCycleReportsAStepLongerThanItself) {
  for (GcMode mode : {GcMode::Incremental, GcMode::Generational, GcMode::LuaJit}) {
    State S;
    openStandardLibraries(S);
    S.collector.setMode(S, mode);
    ASSERT_EQ(test::run(S, "keep = {}"), "");
    const EventRing& ring = inspectorOf(S).events;
    uint64_t cursor = ring.nextSequence();
    int cycles = 0;
    for (int chunk = 0; chunk < 20; ++chunk) {
      ASSERT_EQ(test::run(S, "for i = 1, 20000 do keep[i % 500 + 1] = { i, tostring(i) } end"), "");
      ASSERT_GE(cursor, ring.oldestSequence()) << "the ring overflowed: read it more often";
      for (; cursor < ring.nextSequence(); ++cursor) {
        const TelemetryEvent& e = ring.at(cursor);
        if (e.kind != EventKind::Cycle) continue;
        const GcCycleSummary& cycle = inspectorOf(S).cycleOf(e);
        ++cycles;
        EXPECT_LE(cycle.longestStepNanoseconds, cycle.durationNanoseconds)
            << "mode " << static_cast<int>(mode) << ", cycle " << cycle.cycle;
      }
    }
    EXPECT_GT(cycles, 10) << "mode " << static_cast<int>(mode);
  }
}

}  // namespace
}  // namespace lunette
