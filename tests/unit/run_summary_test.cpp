// Step statistics and run summaries: what lunette --compare and the page's Compare view print.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>
#include <algorithm>

#include "inspect/run_summary.h"
#include "lib/libs.h"
#include "run_lua.h"
#include "vm/state.h"

namespace lunette {
namespace {

TEST(StepStats, PercentilesAreWithinABucketOfTheExactOnes) {
  StepStats stats;
  std::vector<uint64_t> all;
  std::mt19937_64 random(3);
  for (int i = 0; i < 100000; ++i) {
    uint64_t ns = 1000 + random() % 50000;
    if (i % 1000 == 0) ns = 2000000 + random() % 1000000;  // rare long steps
    stats.add(ns);
    all.push_back(ns);
  }
  std::sort(all.begin(), all.end());
  for (double p : {0.5, 0.9, 0.99, 0.999}) {
    double exact = static_cast<double>(all[static_cast<size_t>(p * all.size()) - 1]);
    double estimate = static_cast<double>(stats.percentileNanoseconds(p));
    EXPECT_GE(estimate, exact) << p;
    EXPECT_LE(estimate, exact * 1.07) << p;
  }
  EXPECT_EQ(stats.longestNanoseconds(), all.back());
  EXPECT_EQ(stats.count(), 100000u);
}

TEST(StepStats, SmallAndHugeDurationsAndNoSteps) {
  StepStats empty;
  EXPECT_EQ(empty.percentileNanoseconds(0.99), 0u);
  StepStats stats;
  stats.add(3);
  stats.add(uint64_t{1} << 62);
  EXPECT_EQ(stats.percentileNanoseconds(0.5), 3u);
  EXPECT_EQ(stats.percentileNanoseconds(1.0), uint64_t{1} << 62);
}

TEST(RunSummary, CountsCyclesStepsAndThePeakOfAChurningScript) {
  State S;
  openStandardLibraries(S);
  S.collector.setMode(S, GcMode::Incremental);
  EXPECT_EQ(test::run(S, "local keep = {} for i = 1, 200000 do keep[i % 2000 + 1] = {i} end "
                         "keep = nil collectgarbage()"), "");
  RunSummary r = summarizeRun(S);
  EXPECT_GE(r.cycles, 3u);
  EXPECT_GE(r.steps, r.cycles);
  EXPECT_GT(r.peakBytes, r.finalBytes);
  EXPECT_GT(r.gcMs, 0);
  EXPECT_GE(r.longestStepMs, r.p99StepMs);
  EXPECT_GT(r.instructions, 200000);
}

}  // namespace
}  // namespace lunette
