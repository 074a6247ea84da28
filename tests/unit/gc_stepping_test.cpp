// Stepping through a collection one unit at a time (Collector::stepUnit): the colours each
// object takes, what a unit reports, the sweep freeing only what was not reached, and the
// write barrier seen between two units.
#include <gtest/gtest.h>

#include <functional>

#include "lib/libs.h"
#include "run_lua.h"
#include "vm/api.h"
#include "vm/state.h"

namespace lunette {
namespace {

enum class Colour { White, Gray, Black };

Colour colourOf(const GcObject* o) {
  if (o->marked & kWhiteBits) return Colour::White;
  if (o->marked & kBlack) return Colour::Black;
  return Colour::Gray;
}

// The object a global names (it must be collectable).
GcObject* global(State& S, const char* name) {
  Lua L = S.mainApi();
  L.getGlobal(name);
  auto* o = static_cast<GcObject*>(const_cast<void*>(L.toPointer(-1)));
  L.pop(1);
  return o;
}

size_t tableCount(const State& S) { return S.collector.countByKind[static_cast<size_t>(Tag::Table)]; }

// A State whose script has run with the collector held and whose collector then finished the
// cycle it was in, so the next unit starts a fresh cycle.
void prepare(State& S, const std::string& script) {
  openStandardLibraries(S);
  S.collector.held = true;
  ASSERT_EQ(test::run(S, script), "");
  while (S.collector.phase != GcPhase::Pause) S.collector.stepUnit(S);
}

// Units until `done` holds (or the cycle ends); each report goes to `seen`.
void stepUntil(State& S, const std::function<bool(const GcUnitReport&)>& done,
               std::vector<GcUnitReport>* seen = nullptr) {
  for (int i = 0; i < 1000000; ++i) {
    GcUnitReport r = S.collector.stepUnit(S);
    if (seen) seen->push_back(r);
    if (done(r) || S.collector.phase == GcPhase::Pause) return;
  }
  FAIL() << "the cycle did not end";
}

TEST(GcStepping, AReachableTableGoesWhiteThenGrayThenBlack) {
  State S;
  prepare(S, "keep = {1, 2, 3}");
  GcObject* keep = global(S, "keep");
  EXPECT_EQ(colourOf(keep), Colour::White);
  GcUnitReport first = S.collector.stepUnit(S);
  EXPECT_EQ(first.kind, GcUnitKind::StartCycle);
  EXPECT_EQ(S.collector.phase, GcPhase::Propagate);
  std::vector<Colour> colours{colourOf(keep)};
  bool processed = false;
  stepUntil(S, [&](const GcUnitReport& r) {
    if (colourOf(keep) != colours.back()) colours.push_back(colourOf(keep));
    if (r.processed == keep) {
      processed = true;
      EXPECT_EQ(r.kind, GcUnitKind::Mark);
    }
    return r.kind == GcUnitKind::Atomic;
  });
  EXPECT_TRUE(processed);
  EXPECT_EQ(colours, (std::vector<Colour>{Colour::White, Colour::Gray, Colour::Black}));
  EXPECT_EQ(S.collector.validateHeap(S), "");
}

TEST(GcStepping, AMarkUnitTraversesOneObject) {
  State S;
  prepare(S, "keep = {{}, {}, {}}");
  S.collector.stepUnit(S);  // the roots go gray
  GcObject* keep = global(S, "keep");
  stepUntil(S, [&](const GcUnitReport& r) {
    if (r.kind == GcUnitKind::Mark) {
      EXPECT_NE(r.processed, nullptr);
      EXPECT_EQ(colourOf(r.processed), r.processed->kind == Tag::Thread ? Colour::Gray : Colour::Black);
    }
    return r.processed == keep;
  });
  // Its three children were white; one unit made them gray and traversed none of them.
  Table* t = reinterpret_cast<Table*>(keep);
  for (uint32_t i = 0; i < 3; ++i) EXPECT_EQ(colourOf(t->array[i].gc), Colour::Gray) << i;
}

TEST(GcStepping, UnreachableTablesAreFreedBySweepUnitsOnly) {
  State S;
  prepare(S, "keep = {}\nfor i = 1, 20 do local garbage = {i} end");
  size_t before = tableCount(S);
  std::vector<GcUnitReport> units;
  S.collector.stepUnit(S);
  stepUntil(S, [](const GcUnitReport&) { return false; }, &units);
  EXPECT_EQ(S.collector.phase, GcPhase::Pause);
  size_t freedBySweep = 0, atomics = 0;
  for (const GcUnitReport& r : units) {
    if (r.kind == GcUnitKind::Sweep) {
      EXPECT_LE(r.freed, static_cast<size_t>(Collector::kUnitSweepBatch));
      freedBySweep += r.freed;
    } else {
      EXPECT_EQ(r.freed, 0u) << gcUnitKindName(r.kind);
    }
    if (r.kind == GcUnitKind::Atomic) ++atomics;
  }
  EXPECT_EQ(atomics, 1u);
  EXPECT_GE(freedBySweep, 20u);
  EXPECT_EQ(before - tableCount(S), 20u);
  EXPECT_EQ(global(S, "keep")->kind, Tag::Table);
  EXPECT_EQ(S.collector.validateHeap(S), "");
}

TEST(GcStepping, ABlackTableGainingAWhiteChildTurnsGrayAgain) {
  State S;
  prepare(S, "holder = {}");
  S.collector.stepUnit(S);
  GcObject* holder = global(S, "holder");
  stepUntil(S, [&](const GcUnitReport&) { return colourOf(holder) == Colour::Black; });
  ASSERT_EQ(S.collector.phase, GcPhase::Propagate);
  ASSERT_EQ(colourOf(holder), Colour::Black);
  // The mutator between two units: a new (white) table stored into the black one.
  ASSERT_EQ(test::run(S, "holder.child = {'late'}"), "");
  Lua L = S.mainApi();
  L.getGlobal("holder");
  L.getField(-1, "child");
  auto* child = static_cast<GcObject*>(const_cast<void*>(L.toPointer(-1)));
  L.pop(2);
  EXPECT_EQ(colourOf(child), Colour::White);
  EXPECT_EQ(colourOf(holder), Colour::Gray);  // the barrier: back to gray, to be traversed again
  EXPECT_EQ(S.collector.validateHeap(S), "");
  stepUntil(S, [](const GcUnitReport&) { return false; });
  ASSERT_EQ(test::run(S, "print(holder.child[1])"), "late\n");
}

TEST(GcStepping, AHeldCollectorTakesNoStepsAtSafePoints) {
  State S;
  openStandardLibraries(S);
  S.collector.held = true;
  uint64_t steps = S.collector.steps;
  ASSERT_EQ(test::run(S, "local t = {} for i = 1, 50000 do t[i % 100] = {i} end"), "");
  EXPECT_EQ(S.collector.steps, steps);
  EXPECT_GT(S.collector.heapBytes, S.collector.threshold);
  S.collector.held = false;
  ASSERT_EQ(test::run(S, "local t = {} for i = 1, 50000 do t[i % 100] = {i} end"), "");
  EXPECT_GT(S.collector.steps, steps);
}

TEST(GcStepping, AFinalizerRunsAsAUnitOfItsOwn) {
  State S;
  prepare(S, "setmetatable({}, {__gc = function() print('finalized') end})");
  std::string output;
  S.outputSink = [&](std::string_view text) { output += text; };
  std::vector<GcUnitReport> units;
  S.collector.stepUnit(S);
  stepUntil(S, [](const GcUnitReport&) { return false; }, &units);
  size_t finalizers = 0;
  for (const GcUnitReport& r : units) {
    if (r.kind != GcUnitKind::Finalize) continue;
    ++finalizers;
    EXPECT_EQ(r.phaseBefore, GcPhase::CallFinalizers);
    ASSERT_NE(r.processed, nullptr);
    EXPECT_EQ(r.processed->kind, Tag::Table);
  }
  EXPECT_EQ(finalizers, 1u);
  EXPECT_EQ(output, "finalized\n");
}

// The mutator between any two units (stores into black tables, new objects, dropped ones): the
// verifier, run before and after every unit, finds every edge sound, and nothing reachable is
// freed.
TEST(GcStepping, UnitsInterleavedWithTheMutatorKeepTheHeapSound) {
  State S;
  prepare(S, "list, count = {}, 0\nweak = setmetatable({}, {__mode = 'k'})");
  S.collector.verifyEvery = 1;
  for (int i = 1; i <= 400; ++i) {
    S.collector.stepUnit(S);
    std::string mutation = "count = count + 1\nlocal n = count\nlist[n] = {prev = list[n - 1], i = " + std::to_string(i) +
                           "}\nweak[list[n]] = {}\nif n % 3 == 0 then list[n - 1] = nil end";
    ASSERT_EQ(test::run(S, mutation), "") << i;
    ASSERT_EQ(S.collector.validateHeap(S), "") << "after unit " << i;
  }
  while (S.collector.phase != GcPhase::Pause) S.collector.stepUnit(S);
  EXPECT_EQ(S.collector.verifyFailure, "");
  ASSERT_EQ(test::run(S, "local t = list[count] print(t.i, t.prev.i)"), "400\t399\n");
}

}  // namespace
}  // namespace lunette
