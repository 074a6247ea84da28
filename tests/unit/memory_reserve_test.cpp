// The forecast of the heap's peak that the Session grows WebAssembly memory to between slices
// (session/memory_reserve.h): it must cover what a steady program's heap reaches, so that no
// grow (a stop of several ms in V8) lands in a steady loop, and not ask for much more.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

#include "gc/collector.h"
#include "lib/libs.h"
#include "session/memory_reserve.h"
#include "run_lua.h"
#include "vm/api.h"
#include "vm/state.h"

namespace lunette {
namespace {

// Allocates garbage tables until `bytes` more were allocated; returns the highest heap seen.
size_t churn(State& S, uint64_t bytes) {
  Lua L = S.mainApi();
  Collector& gc = S.collector;
  const uint64_t until = gc.allocatedTotal + bytes;
  size_t peak = gc.heapBytes;
  while (gc.allocatedTotal < until) {
    L.newTable(8, 0);
    L.pop(1);
    peak = std::max(peak, gc.heapBytes);
  }
  return peak;
}

class MemoryReserve : public ::testing::TestWithParam<GcMode> {};

// Once a cycle has ended over the steady live heap, the forecast covers every later peak of a
// churn over that heap (several cycles of it), and stays within three times the live heap.
TEST_P(MemoryReserve, TheForecastAfterACycleOverASteadyHeapCoversTheChurnsPeaks) {
  State S;
  openStandardLibraries(S);
  Collector& gc = S.collector;
  gc.setMode(S, GetParam());
  test::buildLiveHeap(S, 40000, 16);  // several MB
  const size_t live = gc.heapBytes;
  const uint64_t cyclesAfterBuild = gc.cycles + gc.minorCycles;
  while (gc.cycles + gc.minorCycles == cyclesAfterBuild) churn(S, 4096);
  const size_t forecast = forecastPeakHeap(gc);
  const uint64_t cyclesBefore = gc.cycles;
  const size_t peak = churn(S, uint64_t{live} * 8);
  EXPECT_GE(gc.cycles, cyclesBefore + 2) << "the churn should span several cycles";
  EXPECT_LE(peak, forecast) << "live " << live;
  EXPECT_LE(forecast, live * 3) << "live " << live;
}

INSTANTIATE_TEST_SUITE_P(BothModes, MemoryReserve,
                         ::testing::Values(GcMode::Incremental, GcMode::Generational),
                         [](const auto& info) { return std::string(gcModeName(info.param)); });

TEST(MemoryReserve, TheForecastNeverPassesTheMemoryLimit) {
  State S;
  openStandardLibraries(S);
  test::buildLiveHeap(S, 20000, 16);
  S.collector.fullCollect(S);
  const size_t unlimited = forecastPeakHeap(S.collector);
  S.collector.memoryLimit = S.collector.heapBytes + (unlimited - S.collector.heapBytes) / 2;
  EXPECT_EQ(forecastPeakHeap(S.collector), S.collector.memoryLimit);
}

TEST(MemoryReserve, TheLinearMemoryWantedScalesWhatTheHighestHeapTookByTheForecastGrowth) {
  constexpr size_t kMB = size_t{1} << 20;
  EXPECT_EQ(linearMemoryWanted(100 * kMB, 100 * kMB, 130 * kMB), 130 * kMB);  // no higher
  EXPECT_EQ(linearMemoryWanted(50 * kMB, 100 * kMB, 130 * kMB), 130 * kMB);   // below it
  EXPECT_EQ(linearMemoryWanted(200 * kMB, 100 * kMB, 130 * kMB), 260 * kMB);
  EXPECT_EQ(linearMemoryWanted(200 * kMB, 0, 130 * kMB), 130 * kMB);  // no heap seen yet
}

}  // namespace
}  // namespace lunette
