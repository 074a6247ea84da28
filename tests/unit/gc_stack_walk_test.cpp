// Thread stacks traversed in chunks (Collector::kStackChunk slots per unit of work): the
// coroutine may run, grow its stack or shrink it between two chunks, and the atomic phase skips
// only a stack that stayed as it was scanned (Thread::gcScanStamp).
#include <gtest/gtest.h>

#include "lib/libs.h"
#include "run_lua.h"
#include "vm/state.h"

namespace lunette {
namespace {

// `co` runs `body`: it dives `depth` frames deep (each frame holds a table of its own, the
// deepest also in the weak `probe` table) and parks there in a yield. Resuming it with a
// command {keep = value, depth = n, shallow = bool} unwinds the dive, keeps `value` in the
// body's frame (the bottom of the stack: slots a walk passes first), then dives again, to
// depth n if given, after a yield at the shallow end when `shallow` is set.
const char* kDeepCoroutine = R"(
probe = setmetatable({}, {__mode = 'v'})
local function dive(n)
  local mine = {n}
  if n == 0 then
    probe[1] = mine
    return coroutine.yield('deep')
  end
  return (dive(n - 1))
end
local function body(n)
  local held
  while true do
    local command = dive(n)
    held = command.keep
    n = command.depth or n
    if command.shallow then coroutine.yield('shallow') end
    if held then held[1] = (held[1] or 0) + 1 end
  end
end
co = coroutine.create(body)
assert(coroutine.resume(co, 2000))
)";

Thread* globalThread(State& S, const char* name) {
  Lua L = S.mainApi();
  L.getGlobal(name);
  Thread* t = L.toThread(-1);
  L.pop(1);
  return t;
}

const GcObject* probed(State& S) {
  Lua L = S.mainApi();
  L.getGlobal("probe");
  L.rawGetI(-1, 1);
  Thread* main = S.mainThread;
  const Value& v = main->stack[main->top - 1];
  const GcObject* o = v.isCollectable() ? v.gc : nullptr;
  L.pop(2);
  return o;
}

// A cycle stepped a unit at a time until `co`'s stack walk has done a chunk or two (and has
// more to do).
void stepIntoStackWalk(State& S, Thread* co) {
  S.collector.fullCollect(S);
  S.collector.held = true;
  for (int i = 0; i < 1000000; ++i) {
    S.collector.stepUnit(S);
    if (S.collector.threadBeingWalked() == co) return;
  }
  FAIL() << "the coroutine's stack was never walked in chunks";
}

// Steps to the end of the cycle, checking the heap after every unit.
void finishCycleChecked(State& S) {
  int units = 0;
  while (S.collector.phase != GcPhase::Pause || units == 0) {
    S.collector.stepUnit(S);
    ++units;
    ASSERT_EQ(S.collector.validateHeap(S), "") << "after unit " << units;
  }
}

TEST(GcStackWalk, ADeepStackIsTraversedInChunks) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(test::run(S, kDeepCoroutine), "");
  Thread* co = globalThread(S, "co");
  ASSERT_GT(co->top, 4 * Collector::kStackChunk);
  ASSERT_NO_FATAL_FAILURE(stepIntoStackWalk(S, co));
  int chunks = 0;
  while (S.collector.threadBeingWalked() == co) {
    GcUnitReport unit = S.collector.stepUnit(S);
    if (unit.kind == GcUnitKind::StackChunk) ++chunks;
    ASSERT_EQ(S.collector.validateHeap(S), "");
  }
  EXPECT_GE(chunks, co->top / Collector::kStackChunk - 1);
  ASSERT_NO_FATAL_FAILURE(finishCycleChecked(S));
}

// The coroutine unwinds, keeps a new table in the body's frame (a slot the walk has passed),
// recurses three times deeper (its stack is reallocated) and parks again. The walk goes on over
// the grown stack, and the kept table survives.
TEST(GcStackWalk, AStackGrownInTheMiddleOfItsWalkIsWalkedToItsNewEnd) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(test::run(S, kDeepCoroutine), "");
  Thread* co = globalThread(S, "co");
  ASSERT_NO_FATAL_FAILURE(stepIntoStackWalk(S, co));
  const Value* stackBefore = co->stack;
  int sizeBefore = co->stackSize;
  ASSERT_EQ(test::run(S, "kept = setmetatable({}, {__mode = 'k'}) "
                         "local fresh = {} kept[fresh] = true "
                         "assert(select(2, coroutine.resume(co, {keep = fresh, depth = 6000})) == 'deep')"),
            "");
  ASSERT_NE(co->stack, stackBefore);
  ASSERT_GT(co->stackSize, sizeBefore);
  const GcObject* deepest = probed(S);
  ASSERT_NE(deepest, nullptr);
  ASSERT_TRUE(S.collector.isWhite(deepest));  // made after the cycle began, above the old end
  while (S.collector.threadBeingWalked() == co) {
    S.collector.stepUnit(S);
    ASSERT_EQ(S.collector.validateHeap(S), "");
  }
  EXPECT_FALSE(S.collector.isWhite(deepest)) << "the walk stopped at the stack's old end";
  ASSERT_NO_FATAL_FAILURE(finishCycleChecked(S));
  EXPECT_EQ(test::run(S, "for k in pairs(kept) do print(k[1]) end"), "1\n");
}

// The coroutine unwinds to its body's frame, keeps a new table there (a slot the walk has
// passed) and parks at the shallow end: the stack's live part shrank under the walk. The kept
// table must be marked by a re-mark round or the atomic phase, though the walk never comes back
// to that slot.
TEST(GcStackWalk, AStackShrunkUnderItsWalkIsScannedAgain) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(test::run(S, kDeepCoroutine), "");
  Thread* co = globalThread(S, "co");
  ASSERT_NO_FATAL_FAILURE(stepIntoStackWalk(S, co));
  int topBefore = co->top;
  ASSERT_EQ(test::run(S, "assert(select(2, coroutine.resume(co, {keep = {41}, shallow = true})) == 'shallow')"),
            "");
  ASSERT_LT(co->top, topBefore / 10);
  // The verifier: a black coroutine referring to a freed table fails.
  ASSERT_NO_FATAL_FAILURE(finishCycleChecked(S));
  S.collector.fullCollect(S);
  S.collector.held = false;
  // The body adds one to what it held and dives again.
  EXPECT_EQ(test::run(S, "assert(select(2, coroutine.resume(co)) == 'deep') print('ok')"), "ok\n");
}

// The coroutine is resumed between two chunks and parks again at the same depth: its stack has
// the same size and top, but every frame is new (new tables), and the body's frame holds a
// table made meanwhile. Only its cleared stamp tells that it ran: the walk's scan is not taken as whole.
TEST(GcStackWalk, AThreadResumedBetweenChunksIsScannedAgain) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(test::run(S, kDeepCoroutine), "");
  Thread* co = globalThread(S, "co");
  ASSERT_NO_FATAL_FAILURE(stepIntoStackWalk(S, co));
  int topBefore = co->top;
  int sizeBefore = co->stackSize;
  ASSERT_EQ(test::run(S, "kept = setmetatable({}, {__mode = 'k'}) "
                         "local fresh = {100} kept[fresh] = true "
                         "assert(select(2, coroutine.resume(co, {keep = fresh})) == 'deep')"),
            "");
  ASSERT_EQ(co->top, topBefore);
  ASSERT_EQ(co->stackSize, sizeBefore);
  ASSERT_NO_FATAL_FAILURE(finishCycleChecked(S));
  // Only the coroutine holds the table: a weak key that was not marked is gone now.
  EXPECT_EQ(test::run(S, "for k in pairs(kept) do print(k[1]) end"), "101\n");
}

// A coroutine that stays parked is scanned once: the re-mark rounds and the atomic phase take
// its scan as whole, so its stack costs them nothing.
TEST(GcStackWalk, AParkedStackIsNotScannedAgainInTheAtomicPhase) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(test::run(S, kDeepCoroutine), "");
  Thread* co = globalThread(S, "co");
  ASSERT_NO_FATAL_FAILURE(stepIntoStackWalk(S, co));
  int walks = 1;
  const Thread* walking = co;
  while (S.collector.phase == GcPhase::Propagate) {
    GcUnitReport unit = S.collector.stepUnit(S);
    const Thread* now = S.collector.threadBeingWalked();
    if (now == co && walking != co) ++walks;
    walking = now;
    if (unit.kind == GcUnitKind::Atomic) break;
  }
  EXPECT_EQ(walks, 1);
  ASSERT_NO_FATAL_FAILURE(finishCycleChecked(S));
}

// Generational mode: a minor collection skips an old thread whose stack has not changed since
// its last scan, but one resumed since is scanned again: what it now holds only on its stack
// survives the minor collections.
TEST(GcStackWalk, AMinorCollectionScansAThreadResumedSinceItsLastScan) {
  State S;
  openStandardLibraries(S);
  S.collector.setMode(S, GcMode::Generational);
  ASSERT_EQ(test::run(S, kDeepCoroutine), "");
  S.collector.running = false;   // only the steps below
  S.collector.majormul = 100000;  // young collections only
  auto minor = [&] {
    S.collector.step(S);
    while (S.collector.phase != GcPhase::Pause) S.collector.step(S);
    ASSERT_EQ(S.collector.validateHeap(S), "");
  };
  S.collector.fullCollect(S);  // everything old, the coroutine too
  ASSERT_NO_FATAL_FAILURE(minor());
  ASSERT_NO_FATAL_FAILURE(minor());  // the coroutine's stack unchanged: skipped
  ASSERT_EQ(test::run(S, "kept = setmetatable({}, {__mode = 'k'}) "
                         "local fresh = {100} kept[fresh] = true "
                         "assert(select(2, coroutine.resume(co, {keep = fresh})) == 'deep')"),
            "");
  ASSERT_NO_FATAL_FAILURE(minor());
  ASSERT_NO_FATAL_FAILURE(minor());
  EXPECT_EQ(test::run(S, "for k in pairs(kept) do print(k[1]) end"), "101\n");
}

}  // namespace
}  // namespace lunette
