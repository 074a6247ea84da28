// The finalizable list scanned in chunks before the atomic phase (Collector::kFinalizerScanChunk
// objects per unit of work): the atomic phase separates the candidates the scan found that are
// still unreached, and the objects registered since the scan began, in list order.
#include <gtest/gtest.h>

#include "lib/libs.h"
#include "run_lua.h"
#include "vm/state.h"

namespace lunette {
namespace {

const char* kFinalizableHeap = R"(
finalized, times = {}, {}
local mt = {__gc = function(o)
  finalized[#finalized + 1] = o.id
  times[o.id] = (times[o.id] or 0) + 1
end}
function make(id) return setmetatable({id = id}, mt) end
keep = {}
for i = 1, 4000 do keep[i] = make(i) end
strong = make(9001)
weak = setmetatable({strong}, {__mode = 'v'})
)";

// Dropped before the cycle: every third object and a run of 100 neighbours in the list (the
// separation unlinks consecutive candidates), and the strong reference to 9001.
const char* kDrop =
    "strong = nil for i = 1, 4000 do if i % 3 == 0 or (i > 2000 and i <= 2100) then keep[i] = nil end end";

bool droppedId(int id) { return id <= 4000 && (id % 3 == 0 || (id > 2000 && id <= 2100)); }

GcUnitKind stepUntil(State& S, GcUnitKind wanted) {
  for (int i = 0; i < 1000000; ++i) {
    GcUnitKind kind = S.collector.stepUnit(S).kind;
    if (kind == wanted || kind == GcUnitKind::Atomic) return kind;
  }
  return GcUnitKind::None;
}

TEST(GcFinalizerScan, TheAtomicPhaseSeparatesWhatTheScanFoundAndWhatWasRegisteredSince) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(test::run(S, kFinalizableHeap), "");
  S.collector.fullCollect(S);
  S.collector.held = true;
  ASSERT_EQ(test::run(S, kDrop), "");
  ASSERT_EQ(stepUntil(S, GcUnitKind::FinalizerScan), GcUnitKind::FinalizerScan);
  // Registered while the scan is under way: ahead of the part it looks at.
  ASSERT_EQ(test::run(S, "for i = 1, 10 do make(5000 + i) end held = make(6000)"), "");
  // Held by a weak value only, so unreached when the scan's first chunk looked at it (it is
  // among the newest), and now taken onto the main thread's stack: reached again by the
  // atomic phase's rescan of the stack, it must not be finalized.
  Lua L = S.mainApi();
  L.getGlobal("weak");
  L.rawGetI(-1, 1);
  ASSERT_EQ(L.type(-1), Type::Table);
  int units = 0;
  while (S.collector.phase != GcPhase::Pause) {
    S.collector.stepUnit(S);
    ++units;
    ASSERT_EQ(S.collector.validateHeap(S), "") << "after unit " << units;
  }
  L.pop(2);
  int count = 0;
  for (int id = 1; id <= 4000; ++id) count += droppedId(id);
  EXPECT_EQ(test::run(S, "local n, wrong = 0, {} "
                         "for _, id in ipairs(finalized) do n = n + 1 "
                         "  local dropped = id <= 4000 and (id % 3 == 0 or (id > 2000 and id <= 2100)) "
                         "  if not dropped and not (id > 5000 and id <= 5010) then wrong[#wrong + 1] = id end end "
                         "print(n, #wrong, wrong[1])"),
            std::to_string(count + 10) + "\t0\tnil\n");
  // Everything else, once each: the finalizable list was left whole.
  S.collector.held = false;
  ASSERT_EQ(test::run(S, "keep, held = nil, nil collectgarbage() collectgarbage()"), "");
  EXPECT_EQ(test::run(S, "local n, twice = 0, 0 for id, t in pairs(times) do n = n + 1 "
                         "if t ~= 1 then twice = twice + 1 end end print(n, twice, times[9001], times[6000])"),
            "4012\t0\t1\t1\n");
  EXPECT_EQ(S.collector.validateHeap(S), "");
}

}  // namespace
}  // namespace lunette
