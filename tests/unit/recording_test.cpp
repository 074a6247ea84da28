// The recording: bounded memory with boundaries and extremes kept exact through thinning,
// readers that mirror it, and the samples the inspector takes at the VM's own events.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "inspect/inspector.h"
#include "inspect/recording.h"
#include "lib/libs.h"
#include "run_lua.h"
#include "vm/state.h"

namespace lunette {
namespace {

Sample makeSample(double instructions, double total, SampleReason reason) {
  Sample s{};
  s[kSampleInstructions] = instructions;
  s[kSampleTotal] = total;
  s[kSampleReason] = static_cast<double>(reason);
  return s;
}

size_t countReason(const Recording& r, SampleReason reason) {
  return static_cast<size_t>(std::count_if(r.samples().begin(), r.samples().end(), [&](const Sample& s) {
    return s[kSampleReason] == static_cast<double>(reason);
  }));
}

TEST(Recording, NeverHoldsMoreThanItsCapacity) {
  Recording r(1024);
  std::mt19937 random(7);
  for (int i = 0; i < 300000; ++i) {
    r.append(makeSample(i, random() % 100000, SampleReason::Step));
    ASSERT_LE(r.size(), r.capacity());
  }
  // a sample, its rank and its heap total
  EXPECT_LE(r.memoryBytes(), r.capacity() * (sizeof(Sample) + 1 + sizeof(double)));
  EXPECT_EQ(r.appended(), 300000u);
  EXPECT_GT(r.size(), r.capacity() / 4);  // the newest quarter and some of the thinned past
}

// A sample is stored in the widths of its columns, not as 25 doubles: the default recording
// full (8,192 samples with their ranks and heap totals) stays under 1.35 MB (1.7 MB as doubles).
TEST(Recording, StoresASampleInTheWidthsOfItsColumns) {
  Recording r;
  for (size_t i = 0; i < r.capacity(); ++i) r.append(makeSample(static_cast<double>(i), 1000, SampleReason::Step));
  EXPECT_EQ(r.size(), r.capacity());
  EXPECT_LE(r.memoryBytes(), size_t{1350} * 1000);
}

// Stored narrower, a sample reads back as the columns it was given, at the ends of each
// column's range: byte counts past 2^32, a negative debt, a NaN virtual time.
TEST(Recording, ReadersSeeEveryColumnAsItWasTaken) {
  Sample s{};
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<double>(i) * 1e10 + 7;  // counts past 2^32
  s[0] = 12.345678901234567;                                        // t
  s[5] = -123456789012.0;                                           // debt
  s[7] = 4;                                                          // phase
  for (size_t i = kSampleCoroutines; i < kSampleCoroutines + 5; ++i) s[i] = 4294967295.0 - i;
  s[kSampleLine] = 2147483647;
  s[kSampleCycle] = 4294967295.0;
  s[kSampleReason] = static_cast<double>(SampleReason::VirtualClock);
  s[kSampleVirtualTime] = 1.5e9 + 0.25;
  Sample unset = s;
  unset[kSampleVirtualTime] = std::numeric_limits<double>::quiet_NaN();
  Recording r;
  r.append(s);
  r.append(unset);
  for (size_t i = 0; i < s.size(); ++i) EXPECT_EQ(r[0][i], s[i]) << kSampleFields[i];
  EXPECT_TRUE(std::isnan(r[1][kSampleVirtualTime]));
}

// A thinning moves what it keeps of the older part, so the fewer samples it leaves, the less
// each appended sample costs: it leaves three eighths of the capacity (the newest quarter and
// an eighth of thinned past), and the next one comes five eighths of the capacity later.
TEST(Recording, ThinningLeavesThreeEighthsOfTheCapacity) {
  Recording r(1024);
  for (int i = 0; i < 1024; ++i) r.append(makeSample(i, i % 100, SampleReason::Step));
  uint64_t before = r.generation();
  r.append(makeSample(1024, 0, SampleReason::Step));
  EXPECT_NE(r.generation(), before);  // the recording was full: it thinned
  EXPECT_LE(r.size(), 1024u * 3 / 8 + 1);
  EXPECT_GT(r.size(), 1024u / 4);  // the newest quarter and some of the thinned past
  for (int i = 1025; i < 1024 + 640; ++i) {
    before = r.generation();
    r.append(makeSample(i, i % 100, SampleReason::Step));
    ASSERT_EQ(r.generation(), before) << i;  // no thinning until the recording is full again
  }
}

// 400 boundaries fit in the thinned eighth of a 4096-sample recording: with buckets as long
// as the excess needs, they stay, however many steps lie between them.
TEST(Recording, KeepsEveryCycleEndAndPhaseChangeExactWhileTheyFit) {
  Recording r(4096);
  for (int i = 0; i < 200000; ++i) {
    SampleReason reason = i % 1000 == 999 ? SampleReason::CycleEnd
                          : i % 1000 == 500 ? SampleReason::Phase
                                            : SampleReason::Step;
    r.append(makeSample(i, i % 1000, reason));
  }
  EXPECT_EQ(countReason(r, SampleReason::CycleEnd), 200u);
  EXPECT_EQ(countReason(r, SampleReason::Phase), 200u);
  for (const Sample& s : r.samples()) {
    if (s[kSampleReason] == static_cast<double>(SampleReason::CycleEnd)) {
      EXPECT_EQ(static_cast<int64_t>(s[kSampleInstructions]) % 1000, 999);  // where it was
    }
  }
}

TEST(Recording, KeepsThePeakAndTheTroughOfTheThinnedPast) {
  Recording r(512);
  for (int i = 0; i < 100000; ++i) {
    double total = 5000;
    if (i == 1234) total = 999999;  // a spike early in the run
    if (i == 2345) total = 1;       // and a dip
    r.append(makeSample(i, total, SampleReason::Allocation));
  }
  auto has = [&](double instructions, double total) {
    return std::any_of(r.samples().begin(), r.samples().end(), [&](const Sample& s) {
      return s[kSampleInstructions] == instructions && s[kSampleTotal] == total;
    });
  };
  EXPECT_TRUE(has(1234, 999999));
  EXPECT_TRUE(has(2345, 1));
  EXPECT_TRUE(has(0, 5000));  // the start
}

TEST(Recording, StaysInOrderAfterThinning) {
  Recording r(256);
  for (int i = 0; i < 50000; ++i)
    r.append(makeSample(i, (i * 7919) % 1000, i % 17 == 0 ? SampleReason::Phase : SampleReason::Tick));
  for (size_t i = 1; i < r.size(); ++i)
    ASSERT_LT(r[i - 1][kSampleInstructions], r[i][kSampleInstructions]);
}

// The newest quarter is most of what a thinning would otherwise move: it stays in place, across
// thinnings that wrap the ring, and the older samples kept move next to it.
TEST(Recording, ThinningLeavesTheNewestQuarterWhereItIs) {
  Recording r(1024);
  std::mt19937 random(11);
  int appended = 0;
  for (int thinning = 0; thinning < 6; ++thinning) {
    while (r.size() < r.capacity()) r.append(makeSample(appended++, random() % 1000, SampleReason::Step));
    std::vector<const StoredSample*> newest;
    for (size_t i = r.size() - r.capacity() / 4; i < r.size(); ++i) newest.push_back(&r.stored(i));
    double firstNewest = r[r.size() - r.capacity() / 4][kSampleInstructions];
    r.append(makeSample(appended++, 0, SampleReason::Step));  // thins, then appends
    ASSERT_LE(r.size(), r.capacity() / 2 + 1);
    size_t at = r.size() - 1 - newest.size();
    ASSERT_EQ(r[at][kSampleInstructions], firstNewest);
    for (size_t k = 0; k < newest.size(); ++k) ASSERT_EQ(&r.stored(at + k), newest[k]) << "thinning " << thinning;
    for (size_t i = 1; i < r.size(); ++i) ASSERT_LT(r[i - 1][kSampleInstructions], r[i][kSampleInstructions]);
    EXPECT_EQ(r[0][kSampleInstructions], 0);
  }
}

TEST(Recording, StaysBoundedWhenEverySampleIsABoundary) {
  Recording r(1024);
  for (int i = 0; i < 100000; ++i) r.append(makeSample(i, i, SampleReason::CycleEnd));
  EXPECT_LE(r.size(), r.capacity());
  // The newest quarter is whole.
  EXPECT_EQ(r[r.size() - 1][kSampleInstructions], 99999);
  EXPECT_EQ(r[r.size() - r.capacity() / 4][kSampleInstructions], 99999 - double(r.capacity() / 4 - 1));
}

TEST(Recording, ReaderGetsNewSamplesThenTheWholeRecordingAfterAThinning) {
  Recording r(64);
  Recording::Cursor cursor;
  size_t first = 0;
  for (int i = 0; i < 10; ++i) r.append(makeSample(i, i, SampleReason::Step));
  EXPECT_TRUE(r.readSince(cursor, &first));  // a new reader takes everything
  EXPECT_EQ(first, 0u);
  for (int i = 10; i < 20; ++i) r.append(makeSample(i, i, SampleReason::Step));
  EXPECT_FALSE(r.readSince(cursor, &first));
  EXPECT_EQ(first, 10u);
  EXPECT_FALSE(r.readSince(cursor, &first));
  EXPECT_EQ(first, r.size());  // nothing new
  for (int i = 20; i < 100; ++i) r.append(makeSample(i, i, SampleReason::Step));
  EXPECT_TRUE(r.readSince(cursor, &first));  // thinned since: replace
  EXPECT_EQ(first, 0u);
}

TEST(Recording, KeepsTheFirstAndLatestSampleOfOneInstantWithTheWeightiestReason) {
  Recording r(64);
  r.append(makeSample(10, 500, SampleReason::Phase));     // before a minor collection
  r.append(makeSample(10, 400, SampleReason::Phase));
  r.append(makeSample(10, 300, SampleReason::CycleEnd));
  r.append(makeSample(10, 300, SampleReason::Step));      // after it
  r.append(makeSample(11, 320, SampleReason::Allocation));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0][kSampleTotal], 500);
  EXPECT_EQ(r[1][kSampleTotal], 300);
  EXPECT_EQ(r[1][kSampleReason], static_cast<double>(SampleReason::CycleEnd));
  EXPECT_EQ(r.appended(), 5u);
}

// ---- the inspector's samples ------------------------------------------------------------------

struct ScriptRun {
  State S;
  std::string output;
  explicit ScriptRun(const std::string& source) {
    openStandardLibraries(S);
    output = test::run(S, source);
  }
  const Recording& recording() const { return inspectorOf(S).recording; }
};

TEST(RecordingFromTheVm, AShortScriptWithSeveralCyclesHasASampleAtEachCycleEnd) {
  ScriptRun r("for i = 1, 60000 do local t = {i, i} end collectgarbage() collectgarbage()");
  const Recording& rec = r.recording();
  ASSERT_GE(rec.size(), 20u);
  size_t cycleEnds = countReason(rec, SampleReason::CycleEnd);
  uint64_t cycles = r.S.collector.cycles + r.S.collector.minorCycles;
  EXPECT_GE(cycles, 3u);
  EXPECT_EQ(cycleEnds, cycles);
  // Each cycle end's sample counts the cycles finished so far: 1, 2, 3, ...
  double expected = 1;
  for (const Sample& s : rec.samples()) {
    if (s[kSampleReason] != static_cast<double>(SampleReason::CycleEnd)) continue;
    EXPECT_EQ(s[kSampleCycle], expected);
    expected += 1;
  }
}

TEST(RecordingFromTheVm, CoroutineCountsFollowParkedCoroutinesWithoutFloodingOnSwitches) {
  ScriptRun r("local parked = {} "
        "for i = 1, 200 do local co = coroutine.create(function() coroutine.yield() end) "
        "  coroutine.resume(co) parked[i] = co "
        "  for j = 1, 300 do local x = j * 2 end "
        "end "
        "local ping = coroutine.wrap(function() while true do coroutine.yield() end end) "
        "for i = 1, 100000 do ping() end");
  ASSERT_EQ(r.output, "");
  const Recording& rec = r.recording();
  constexpr size_t kSuspended = 16, kRunning = 17;
  double last = 0;
  bool sawPingRunning = false;
  for (const Sample& s : rec.samples()) {
    // Parking only ever adds coroutines; the ping coroutine is suspended or running.
    double alive = s[kSuspended] + s[kRunning];
    EXPECT_GE(alive, last);
    last = alive;
    sawPingRunning = sawPingRunning || (s[kSuspended] == 200 && s[kRunning] == 1);
  }
  EXPECT_EQ(last, 201);
  EXPECT_TRUE(sawPingRunning);
  // 100,000 resumes and yields: count samples are at most a burst and one per
  // kCountSampleSpacing.
  size_t countSamples = countReason(rec, SampleReason::Coroutines);
  double instructions = rec[rec.size() - 1][kSampleInstructions];
  EXPECT_LE(countSamples, instructions / Inspector::kCountSampleSpacing + Inspector::kCountSampleBurst + 1);
  EXPECT_GE(countSamples, 100u);  // but the parking loop is seen coroutine by coroutine
}

TEST(RecordingFromTheVm, SamplesNameTheLineThatWasRunning) {
  ScriptRun r("local t = {}\n"
        "for i = 1, 50000 do\n"
        "  t[#t + 1] = {i}\n"
        "end\n");
  bool sawLoopLine = false;
  for (const Sample& s : r.recording().samples()) sawLoopLine = sawLoopLine || s[kSampleLine] == 3;
  EXPECT_TRUE(sawLoopLine);
}

TEST(RecordingFromTheVm, AllocationMilestonesSampleAHeapThatGrowsWithTheCollectorStopped) {
  ScriptRun r("collectgarbage('stop') local keep = {} for i = 1, 20000 do keep[i] = {i} end");
  size_t milestones = countReason(r.recording(), SampleReason::Allocation);
  EXPECT_GE(milestones, 32u);
  EXPECT_EQ(countReason(r.recording(), SampleReason::Step), 0u);
}

}  // namespace
}  // namespace lunette
