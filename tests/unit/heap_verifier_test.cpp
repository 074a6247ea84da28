// The heap verifier (gc/heap_verifier.h), the chunked traversal of big tables and the re-mark
// rounds: the verifier passes on sound heaps in every mode, fails when a barrier is taken away
// (through the collector's test-only switch) or the accounting drifts; the resumable table walk
// stays sound when its table is written, grown or rehashed in the middle of the walk; tables
// written during marking are traversed again before the atomic step, not in it.
#include <gtest/gtest.h>

#include <string>

#include "inspect/inspector.h"
#include "lib/libs.h"
#include "run_lua.h"
#include "vm/state.h"

namespace lunette {
namespace {

using test::finishCycle;
using test::run;
using test::stepIntoTableWalk;

constexpr GcMode kModes[] = {GcMode::Incremental, GcMode::Generational, GcMode::LuaJit};

// Old tables receiving fresh ones, so that stores into black tables happen while marking (in
// generational mode: old tables receiving young ones between collections). The incremental
// modes run a step at every safe point; generational mode runs at its own pace, since a
// minor collection at every safe point would promote each fresh table before it is stored.
const char* kStoresIntoOldTables =
    "local holders = {} for i = 1, 50 do holders[i] = {} end\n"
    "collectgarbage() collectgarbage()\n"
    "for round = 1, 200 do\n"
    "  for i = 1, 50 do holders[i][round % 7 + 1] = {round} end\n"
    "end\n"
    "local sum = 0 for i = 1, 50 do sum = sum + holders[i][1][1] end print(sum)\n";

TEST(GcVerifier, PassesEveryStepOfAStressedRunInEveryMode) {
  for (GcMode mode : kModes) {
    State S;
    openStandardLibraries(S);
    S.collector.setMode(S, mode);
    S.collector.verifyEvery = 1;
    S.collector.stressStep = mode != GcMode::Generational;
    EXPECT_EQ(run(S, kStoresIntoOldTables), "9800\n") << gcModeName(mode);
    EXPECT_EQ(S.collector.verifyFailure, "") << gcModeName(mode);
    EXPECT_GT(S.collector.steps, 20u) << gcModeName(mode);
  }
}

// The test that proves the verifier can fail: the same run without the table barrier.
TEST(GcVerifier, ReportsAStoreIntoABlackTableWhoseBarrierWasRemoved) {
  for (GcMode mode : kModes) {
    State S;
    openStandardLibraries(S);
    S.collector.setMode(S, mode);
    S.collector.verifyEvery = 1;
    S.collector.stressStep = mode != GcMode::Generational;
    S.collector.testSkipTableBarrier = true;
    run(S, kStoresIntoOldTables);  // the output may be anything: the heap is broken
    const std::string& failure = S.collector.verifyFailure;
    EXPECT_EQ(failure.find(": a black table"), failure.find(':'))
        << gcModeName(mode) << ": " << failure;
    EXPECT_NE(failure.find("refers to a white table"), std::string::npos)
        << gcModeName(mode) << ": " << S.collector.verifyFailure;
  }
}

TEST(GcVerifier, ReportsBytesByKindThatDisagreeWithTheObjects) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(S.collector.validateHeap(S), "");
  // Bytes moved from one kind to another: the total still adds up, the per-kind sums do not.
  S.collector.bytesByKind[static_cast<size_t>(Tag::Table)] -= 16;
  S.collector.bytesByKind[static_cast<size_t>(Tag::String)] += 16;
  EXPECT_NE(S.collector.validateHeap(S).find("accounted"), std::string::npos);
}

// ---- the chunked walk of big tables ---------------------------------------------------------

const std::string kBigHash = std::to_string(3 * Collector::kTableChunk);

TEST(GcIncremental, ABigHashPartIsMarkedAcrossSeveralSteps) {
  State S;
  openStandardLibraries(S);
  S.collector.verifyEvery = 1;
  ASSERT_EQ(run(S, "collectgarbage('incremental') big = {} for i = 1, " + kBigHash +
                       " do big['k' .. i] = {i} end collectgarbage()"),
            "");
  S.collector.running = false;
  ASSERT_TRUE(stepIntoTableWalk(S));
  int stepsInWalk = 0;
  while (S.collector.tableWalkInProgress()) {
    EXPECT_EQ(S.collector.phase, GcPhase::Propagate);
    S.collector.explicitStep(S, 0);
    ++stepsInWalk;
  }
  EXPECT_GE(stepsInWalk, 2);  // the walk outlived the step that began it
  finishCycle(S);
  EXPECT_EQ(S.collector.verifyFailure, "");
  S.collector.running = true;
  EXPECT_EQ(run(S, "collectgarbage() local ok = true for i = 1, " + kBigHash +
                       " do ok = ok and big['k' .. i][1] == i end print(ok)"),
            "true\n");
}

// A walk of the hash part interrupted by stores (fresh tables: the forward barrier) and by a
// rehash (the hash part grows to twice its size, so entries move to nodes the walk has passed):
// the walk starts over, nothing is lost, and the verifier is content after every step.
TEST(GcBarrier, AHashPartGrownInTheMiddleOfItsWalkLosesNothing) {
  for (GcMode mode : {GcMode::Incremental, GcMode::LuaJit}) {
    State S;
    openStandardLibraries(S);
    S.collector.setMode(S, mode);
    S.collector.verifyEvery = 1;
    ASSERT_EQ(run(S, "big = {} for i = 1, " + kBigHash + " do big['k' .. i] = {i} end collectgarbage()"), "");
    S.collector.running = false;
    ASSERT_TRUE(stepIntoTableWalk(S)) << gcModeName(mode);
    S.collector.explicitStep(S, 0);
    ASSERT_TRUE(S.collector.tableWalkInProgress()) << gcModeName(mode);
    ASSERT_EQ(run(S, "for i = 1, 3 do big['new' .. i] = {-i} end "
                     "for i = 1, " + kBigHash + " do big['more' .. i] = i end"),
              "");
    finishCycle(S);
    EXPECT_EQ(S.collector.verifyFailure, "") << gcModeName(mode);
    S.collector.running = true;
    EXPECT_EQ(run(S, "collectgarbage() collectgarbage() local ok = true for i = 1, " + kBigHash +
                         " do ok = ok and big['k' .. i][1] == i end "
                         "print(ok, big.new1[1], big.new3[1])"),
              "true\t-1\t-3\n")
        << gcModeName(mode);
  }
}

// A store into a big black table keeps it black (a forward barrier): the stored value is
// marked, and the table is not traversed a second time in the cycle.
TEST(GcBarrier, AStoreIntoABigBlackTableMarksTheValueInstead) {
  State S;
  openStandardLibraries(S);
  S.collector.verifyEvery = 1;
  ASSERT_EQ(run(S, "collectgarbage('incremental') big = {} for i = 1, " + kBigHash +
                       " do big[i] = i end collectgarbage()"),
            "");
  S.collector.running = false;
  S.collector.stepsize = 0;  // a unit or two per step: the walk's end leaves the cycle marking
  ASSERT_TRUE(stepIntoTableWalk(S));
  while (S.collector.tableWalkInProgress()) S.collector.explicitStep(S, 0);
  ASSERT_EQ(S.collector.phase, GcPhase::Propagate);
  Lua L = S.mainApi();
  L.getGlobal("big");
  const auto* big = static_cast<const GcObject*>(L.toPointer(-1));
  ASSERT_TRUE(S.collector.isBlack(big));
  ASSERT_EQ(run(S, "big[1] = {'fresh'}"), "");
  EXPECT_TRUE(S.collector.isBlack(big));
  finishCycle(S);
  EXPECT_EQ(S.collector.verifyFailure, "");
  S.collector.running = true;
  EXPECT_EQ(run(S, "collectgarbage() print(big[1][1])"), "fresh\n");
}

// ---- re-mark rounds ---------------------------------------------------------------------------

// Tables written after their traversal go gray again; the re-mark rounds traverse them
// incrementally, so the atomic step does not carry them. 200 tables of 64 slots (about 1 KB
// each) are written once, after they turned black: the atomic step's work stays far below
// what traversing them would cost.
TEST(GcIncremental, TablesWrittenWhileMarkingAreTraversedAgainBeforeTheAtomicStep) {
  State S;
  openStandardLibraries(S);
  S.collector.verifyEvery = 1;
  ASSERT_EQ(run(S, "collectgarbage('incremental') holders = {} "
                   "for i = 1, 200 do local t = {} for j = 1, 64 do t[j] = j end holders[i] = t end "
                   "collectgarbage()"),
            "");
  Lua L = S.mainApi();
  L.getGlobal("holders");
  L.rawGetI(-1, 1);  // the gray list is a stack: the first holder is traversed last
  const auto* last = static_cast<const GcObject*>(L.toPointer(-1));
  L.pop(2);
  S.collector.running = false;
  S.collector.explicitStep(S, 0);
  for (int i = 0; i < 100000 && !S.collector.isBlack(last); ++i) S.collector.explicitStep(S, 0);
  ASSERT_EQ(S.collector.phase, GcPhase::Propagate);
  ASSERT_EQ(run(S, "for i = 1, 200 do holders[i][1] = {'fresh'} end"), "");
  uint64_t eventsBefore = inspectorOf(S).events.nextSequence();
  finishCycle(S);
  uint64_t atomicWork = UINT64_MAX;
  for (uint64_t e = eventsBefore; e < inspectorOf(S).events.nextSequence(); ++e) {
    const TelemetryEvent& event = inspectorOf(S).events.at(e);
    if (event.kind != EventKind::Step) continue;
    const GcStepRecord& step = inspectorOf(S).stepOf(event);
    if (step.phaseBefore == GcPhase::Propagate && step.phaseAfter != GcPhase::Propagate) atomicWork = step.work;
  }
  ASSERT_NE(atomicWork, UINT64_MAX);
  constexpr uint64_t kWrittenTablesWork = 200 * (64 * 16 + 64) / 16;
  EXPECT_LT(atomicWork, kWrittenTablesWork / 4);
  EXPECT_EQ(S.collector.verifyFailure, "");
  S.collector.running = true;
  EXPECT_EQ(run(S, "collectgarbage() local n = 0 for i = 1, 200 do "
                   "if holders[i][1][1] == 'fresh' then n = n + 1 end end print(n)"),
            "200\n");
}

}  // namespace
}  // namespace lunette
