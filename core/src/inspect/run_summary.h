// A run in figures, for comparing collector settings (lunette --compare, the page's Compare
// view): peak and final heap, cycles, the collector's steps (longest, 99th percentile, total
// time), instructions.
//
// StepStats keeps every step's duration in a log-scale histogram: each power of two of
// nanoseconds is cut into kSubBuckets, so a percentile is exact to within 1/kSubBuckets of its
// value (about 6%) in constant memory, however many steps a run takes. The longest step and
// the total are exact.
#pragma once

#include <array>
#include <cstdint>

namespace lunette {

class State;

class StepStats {
 public:
  void add(uint64_t nanoseconds);
  uint64_t count() const { return count_; }
  uint64_t totalNanoseconds() const { return total_; }
  uint64_t longestNanoseconds() const { return longest_; }
  // The smallest duration that at least fraction p of the steps do not exceed (an upper bound
  // of its histogram bucket, never above the longest step); 0 without steps.
  uint64_t percentileNanoseconds(double p) const;

 private:
  static constexpr int kSubBuckets = 16;
  static constexpr int kBuckets = 64 * kSubBuckets;
  static int bucketOf(uint64_t nanoseconds);
  static uint64_t bucketUpperBound(int bucket);
  std::array<uint64_t, kBuckets> histogram_{};
  uint64_t count_ = 0, total_ = 0, longest_ = 0;
};

struct RunSummary {
  double peakBytes = 0;      // the highest heap total the recording saw
  double finalBytes = 0;     // the heap total now
  uint64_t cycles = 0;       // collector cycles completed (minor ones included)
  uint64_t steps = 0;
  double longestStepMs = 0;
  double p99StepMs = 0;
  double gcMs = 0;           // time in collector steps
  int64_t instructions = 0;
};

// The summary of the run `S` has made so far (needs its inspector).
RunSummary summarizeRun(const State& S);

}  // namespace lunette
