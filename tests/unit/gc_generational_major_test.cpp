// Generational mode's major collection runs as an incremental cycle in bounded steps (a
// whitening sweep, the ordinary marking, then the atomic phase re-enters generational mode
// with every object young and the batched young sweep promotes the survivors): it takes many
// steps, the heap is sound after each of them, what the mutator makes meanwhile survives into
// the next minor collections, and collectgarbage() still collects everything at once.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "inspect/inspector.h"
#include "lib/libs.h"
#include "run_lua.h"
#include "vm/state.h"

namespace lunette {
namespace {

using test::run;

constexpr int kOldTables = 20000;

// A generational heap of kOldTables old tables in `keep` (and a coroutine parked with a table
// on its stack), the collector stopped so the test steps it, a major due at the next step.
void buildOldHeap(State& S) {
  openStandardLibraries(S);
  S.collector.setMode(S, GcMode::Generational);
  ASSERT_EQ(run(S, "keep = {} for i = 1, " + std::to_string(kOldTables) + " do keep[i] = {i} end "
                   "fresh = {} parked = coroutine.create(function() local t = {42} "
                   "coroutine.yield() return t[1] end) coroutine.resume(parked) "
                   "collectgarbage()"),
            "");
  // A full collection left every object old; the heap grows past it: a major is due.
  S.collector.running = false;
  S.collector.majormul = 0;
  ASSERT_EQ(run(S, "for i = 1, 100 do fresh[i] = {i} end"), "");
  ASSERT_EQ(S.collector.phase, GcPhase::Pause);
}

// Between two collector steps: young tables stored into old tables and into a young one.
const char* kMutatorBetweenSteps =
    "for j = 1, 20 do local n = #fresh + 1 fresh[n] = {n} "
    "keep[(n * 7919) % #keep + 1] = {-n} end";

// Steps a stopped collector until a cycle ends, running the mutator and the verifier between
// steps; returns the number of steps and the phases seen after them.
int stepUntilACycleEnds(State& S, std::set<GcPhase>& phases) {
  Collector& gc = S.collector;
  uint64_t cycles = gc.cycles;
  int steps = 0;
  while (gc.cycles == cycles && steps < 1000000) {
    gc.step(S);
    ++steps;
    phases.insert(gc.phase);
    EXPECT_EQ(gc.validateHeap(S), "") << "after step " << steps << " in " << gcPhaseName(gc.phase);
    if (::testing::Test::HasFailure()) break;
    EXPECT_EQ(run(S, kMutatorBetweenSteps), "");
  }
  return steps;
}

TEST(GcGenerationalMajor, RunsInManyStepsAndEndsInGenerationalModeWithEverySurvivorOld) {
  State S;
  buildOldHeap(S);
  Collector& gc = S.collector;
  uint64_t minors = gc.minorCycles;
  const EventRing& ring = inspectorOf(S).events;
  uint64_t firstEvent = ring.nextSequence();
  std::set<GcPhase> phases;
  int steps = stepUntilACycleEnds(S, phases);
  ASSERT_FALSE(::testing::Test::HasFailure());
  EXPECT_EQ(gc.minorCycles, minors) << "the cycle that ended was a minor collection";
  // A whitening sweep, the marking, then the young sweep: each in steps of bounded work (the
  // one-step major took 1).
  EXPECT_GT(steps, 8);
  EXPECT_TRUE(phases.count(GcPhase::Propagate));
  EXPECT_TRUE(phases.count(GcPhase::Sweep));
  EXPECT_EQ(gc.phase, GcPhase::Pause);
  EXPECT_TRUE(gc.isMarking()) << "back in generational mode: old objects black between collections";
  // The sink heard one major cycle, counting its steps, and the phases of an incremental one.
  std::set<std::pair<GcPhase, GcPhase>> changes;
  int majors = 0;
  for (uint64_t s = firstEvent; s < ring.nextSequence(); ++s) {
    const TelemetryEvent& e = ring.at(s);
    if (e.kind == EventKind::Phase) changes.insert({e.phaseFrom, e.phaseTo});
    if (e.kind != EventKind::Cycle) continue;
    const GcCycleSummary& cycle = inspectorOf(S).cycleOf(e);
    ++majors;
    EXPECT_TRUE(cycle.major);
    EXPECT_EQ(cycle.steps, static_cast<uint32_t>(steps));
  }
  EXPECT_EQ(majors, 1);
  EXPECT_TRUE(changes.count({GcPhase::Pause, GcPhase::Sweep}));      // the whitening
  EXPECT_TRUE(changes.count({GcPhase::Pause, GcPhase::Propagate}));  // the marking
  EXPECT_TRUE(changes.count({GcPhase::Atomic, GcPhase::Sweep}));     // the young sweep

  // The next collections are minor ones, the heap sound after each; the tables made during
  // the major survive them (they are reachable only from old tables, and from the stack).
  gc.majormul = 100;
  uint64_t minorsBefore = gc.minorCycles;
  for (int i = 0; i < 3; ++i) {
    std::set<GcPhase> minorPhases;
    stepUntilACycleEnds(S, minorPhases);
    ASSERT_FALSE(::testing::Test::HasFailure());
    EXPECT_FALSE(minorPhases.count(GcPhase::Propagate)) << "minor " << i;
  }
  EXPECT_EQ(gc.minorCycles, minorsBefore + 3);
  EXPECT_EQ(run(S, "local bad = 0 for i = 1, #fresh do if fresh[i][1] ~= i then bad = bad + 1 end end "
                   "local negative = 0 for i = 1, #keep do if keep[i][1] < 0 then negative = negative + 1 end end "
                   "print(bad, #fresh >= 20 * " + std::to_string(steps) + ", negative > 0, "
                   "select(2, coroutine.resume(parked)))"),
            "0\ttrue\ttrue\t42\n");
  gc.running = true;
  EXPECT_EQ(run(S, "collectgarbage() print(#keep)"), std::to_string(kOldTables) + "\n");
  EXPECT_EQ(gc.validateHeap(S), "");
}

// Objects that died before the major, finalizable ones included, are freed or finalized by
// it, and so are finalizable objects registered during it and unreachable at its atomic
// phase; one registered during it and kept survives it and is finalized once it dies.
TEST(GcGenerationalMajor, FreesWhatDiedAndFinalizesWhatWasRegistered) {
  State S;
  buildOldHeap(S);
  Collector& gc = S.collector;
  ASSERT_EQ(run(S, "finalized = 0 local mt = {__gc = function() finalized = finalized + 1 end} "
                   "for i = 1, 100 do setmetatable({}, mt) end "
                   "for i = 1, 5000 do keep[i] = false end "
                   "later = function() for i = 1, 10 do setmetatable({}, mt) end "
                   "survivor = setmetatable({}, mt) end"),
            "");
  size_t before = gc.heapBytes;
  uint64_t minors = gc.minorCycles;
  uint64_t cycles = gc.cycles;
  int steps = 0;
  while (gc.cycles == cycles) {
    gc.step(S);
    ++steps;
    GcPhase phase = gc.phase;
    if (steps % 16 == 0 || phase != GcPhase::Propagate)
      ASSERT_EQ(gc.validateHeap(S), "") << "after step " << steps;
    if (steps == 30) ASSERT_EQ(run(S, "later()"), "");  // registered during the major
  }
  EXPECT_EQ(gc.minorCycles, minors) << "the cycle that ended was a minor collection";
  EXPECT_GT(steps, 20);
  EXPECT_LT(gc.heapBytes, before);
  EXPECT_EQ(run(S, "print(finalized, survivor ~= nil)"), "110\ttrue\n");
  gc.running = true;
  EXPECT_EQ(run(S, "collectgarbage() print(finalized)"), "110\n");
  EXPECT_EQ(run(S, "survivor = nil collectgarbage() print(finalized)"), "111\n");
  EXPECT_EQ(gc.validateHeap(S), "");
}

// collectgarbage() in the middle of an incremental major is still a full collection, after
// which the heap is generational again; collectgarbage("step") runs a pending major to its
// end; a mode change or the learner's units in the middle of one leave a sound heap.
TEST(GcGenerationalMajor, ExplicitCollectionsInTheMiddleOfOneFinishOrReplaceIt) {
  for (int variant = 0; variant < 4; ++variant) {
    State S;
    buildOldHeap(S);
    Collector& gc = S.collector;
    for (int i = 0; i < 100000 && gc.phase != GcPhase::Propagate; ++i) gc.step(S);  // past the whitening
    for (int i = 0; i < 20; ++i) gc.step(S);
    ASSERT_EQ(gc.phase, GcPhase::Propagate) << "variant " << variant;
    ASSERT_EQ(run(S, "garbage = {} for i = 1, 1000 do garbage[i] = {} end garbage = nil"), "");
    uint64_t cycles = gc.cycles;
    switch (variant) {
      case 0:
        ASSERT_EQ(run(S, "collectgarbage()"), "");
        EXPECT_EQ(gc.phase, GcPhase::Pause);
        EXPECT_TRUE(gc.isMarking()) << "generational again";
        break;
      case 1:
        ASSERT_EQ(run(S, "collectgarbage('step')"), "");
        EXPECT_EQ(gc.phase, GcPhase::Pause);
        EXPECT_TRUE(gc.isMarking()) << "generational again";
        EXPECT_EQ(gc.cycles, cycles + 1);
        break;
      case 2:
        ASSERT_EQ(run(S, "collectgarbage('incremental') collectgarbage('step')"), "");
        break;
      case 3:
        for (int i = 0; i < 50; ++i) gc.stepUnit(S);
        break;
    }
    EXPECT_EQ(gc.validateHeap(S), "") << "variant " << variant;
    gc.running = true;
    EXPECT_EQ(run(S, "collectgarbage() collectgarbage() print(#keep, keep[1][1])"),
              std::to_string(kOldTables) + "\t1\n")
        << "variant " << variant;
    EXPECT_EQ(gc.validateHeap(S), "") << "variant " << variant;
  }
}

// Under collector stress (a generational step at every safe point) with the verifier after
// every step, majors due often run in several steps and keep the heap sound.
TEST(GcGenerationalMajor, StaysSoundUnderStepStressWithTheVerifier) {
  State S;
  openStandardLibraries(S);
  S.collector.setMode(S, GcMode::Generational);
  S.collector.majormul = 5;
  S.collector.verifyEvery = 1;
  S.collector.stressStep = true;
  const EventRing& ring = inspectorOf(S).events;
  uint32_t longestMajor = 0;
  ASSERT_EQ(run(S, "local keep = {} local co = coroutine.wrap(function() "
                   "  local mine = {} while true do mine[#mine % 50 + 1] = {} coroutine.yield(#mine) end end) "
                   "local weak = setmetatable({}, {__mode = 'v'}) "
                   "for i = 1, 3000 do keep[i % 1000 + 1] = {i, tostring(i)} co() weak[i % 10] = {} "
                   "  if i % 100 == 0 then setmetatable({}, {__gc = function() end}) end end "
                   "local sum = 0 for i = 1, 1000 do sum = sum + keep[i][1] end print(sum)"),
            "2500500\n");
  EXPECT_EQ(S.collector.verifyFailure, "");
  // (The ring holds the latest events only: majors are frequent enough to be among them.)
  for (uint64_t cursor = ring.oldestSequence(); cursor < ring.nextSequence(); ++cursor) {
    const TelemetryEvent& e = ring.at(cursor);
    if (e.kind != EventKind::Cycle) continue;
    const GcCycleSummary& cycle = inspectorOf(S).cycleOf(e);
    if (cycle.major && cycle.steps > longestMajor) longestMajor = cycle.steps;
  }
  EXPECT_GT(longestMajor, 1u) << "no major ran in several steps";
}

}  // namespace
}  // namespace lunette
