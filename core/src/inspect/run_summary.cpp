// Run summaries (see run_summary.h).
#include "inspect/run_summary.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "inspect/inspector.h"
#include "vm/state.h"

namespace lunette {

// Durations below kSubBuckets ns get a bucket each; above, bucket = the power of two and the
// next log2(kSubBuckets) bits below the leading one.
int StepStats::bucketOf(uint64_t ns) {
  if (ns < kSubBuckets) return static_cast<int>(ns);
  int power = std::bit_width(ns) - 1;  // >= log2(kSubBuckets)
  int shift = power - std::bit_width(static_cast<unsigned>(kSubBuckets)) + 1;
  int sub = static_cast<int>((ns >> shift) & (kSubBuckets - 1));
  int bucket = (power - std::bit_width(static_cast<unsigned>(kSubBuckets)) + 2) * kSubBuckets + sub;
  return std::min(bucket, kBuckets - 1);
}

uint64_t StepStats::bucketUpperBound(int bucket) {
  if (bucket < kSubBuckets) return static_cast<uint64_t>(bucket);
  int block = bucket / kSubBuckets;  // >= 1
  int sub = bucket % kSubBuckets;
  int shift = block - 1;
  uint64_t base = static_cast<uint64_t>(kSubBuckets + sub) << shift;
  return base + ((uint64_t{1} << shift) - 1);
}

void StepStats::add(uint64_t ns) {
  ++histogram_[static_cast<size_t>(bucketOf(ns))];
  ++count_;
  total_ += ns;
  longest_ = std::max(longest_, ns);
}

uint64_t StepStats::percentileNanoseconds(double p) const {
  if (count_ == 0) return 0;
  uint64_t wanted = static_cast<uint64_t>(std::ceil(p * static_cast<double>(count_)));
  if (wanted < 1) wanted = 1;
  uint64_t seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    seen += histogram_[static_cast<size_t>(b)];
    if (seen >= wanted) return std::min(bucketUpperBound(b), longest_);
  }
  return longest_;
}

RunSummary summarizeRun(const State& S) {
  RunSummary r;
  const Collector& gc = S.collector;
  r.finalBytes = static_cast<double>(gc.heapBytes);
  r.peakBytes = r.finalBytes;
  r.cycles = gc.cycles + gc.minorCycles;
  r.instructions = S.instructionsNow();
  if (const Inspector* inspector = findInspector(S)) {
    for (const Sample& s : inspector->recording.samples()) r.peakBytes = std::max(r.peakBytes, s[kSampleTotal]);
    const StepStats& steps = inspector->stepStats;
    r.steps = steps.count();
    r.longestStepMs = static_cast<double>(steps.longestNanoseconds()) / 1e6;
    r.p99StepMs = static_cast<double>(steps.percentileNanoseconds(0.99)) / 1e6;
    r.gcMs = static_cast<double>(steps.totalNanoseconds()) / 1e6;
  }
  return r;
}

}  // namespace lunette
