// The recording (see recording.h): append, thin, read.
#include "inspect/recording.h"

#include <algorithm>

namespace lunette {

namespace {

constexpr int kHighestRank = 3;

int rankOf(const Sample& s) { return boundaryRank(static_cast<SampleReason>(s[kSampleReason])); }

}  // namespace

Recording::Recording(size_t capacity) : capacity_(capacity < 16 ? 16 : capacity) {}

Sample& Recording::next() {
  if (size_ >= capacity_) thin();
  if (size_ == allocated_) grow();
  return samples_[size_];
}

void Recording::commit() {
  size_t n = size_;  // the new sample is samples_[n]
  const Sample& sample = samples_[n];
  int rank = rankOf(sample);
  ++appended_;
  bool twoCycleEnds = rank == kHighestRank && n > 0 && ranks_[n - 1] == kHighestRank;
  if (n >= 2 && !twoCycleEnds && samples_[n - 1][kSampleInstructions] == sample[kSampleInstructions] &&
      samples_[n - 2][kSampleInstructions] == sample[kSampleInstructions]) {
    // A third sample of one instant (a whole minor collection happens between two
    // instructions): it replaces the second, keeping the weightier reason. Each cycle end keeps
    // a sample of its own.
    Sample& latest = samples_[n - 1];
    double reason = rank >= ranks_[n - 1] ? sample[kSampleReason] : latest[kSampleReason];
    latest = sample;
    latest[kSampleReason] = reason;
    ranks_[n - 1] = static_cast<uint8_t>(rankOf(latest));
    totals_[n - 1] = latest[kSampleTotal];
    return;
  }
  ranks_[n] = static_cast<uint8_t>(rank);
  totals_[n] = sample[kSampleTotal];
  size_ = n + 1;
}

// Small at first (most runs are short), then the whole cap at once.
void Recording::grow() {
  size_t room = allocated_ == 0 ? std::min<size_t>(1024, capacity_) : capacity_;
  // Default-initialised (new T[n], no braces): left unwritten until a sample fills them.
  std::unique_ptr<Sample[]> samples(new Sample[room]);
  std::unique_ptr<uint8_t[]> ranks(new uint8_t[room]);
  std::unique_ptr<double[]> totals(new double[room]);
  std::copy(samples_.get(), samples_.get() + size_, samples.get());
  std::copy(ranks_.get(), ranks_.get() + size_, ranks.get());
  std::copy(totals_.get(), totals_.get() + size_, totals.get());
  samples_ = std::move(samples);
  ranks_ = std::move(ranks);
  totals_ = std::move(totals);
  allocated_ = room;
}

void Recording::clear() {
  size_ = 0;
  ++generation_;
}

// Keeps the newest quarter as it is; thins the part before it until the recording is at most
// half full, so the next thinning is half the capacity away. Thinning reads the older part
// and moves the newest quarter: between two thinnings a sample is, on average, read 1.5
// times and moved 0.5 times more after its append (with the newest half kept and a quarter
// of headroom it was twice that, and a recording of several megabytes is beyond the cache:
// that traffic was most of the recording's cost). One pass usually does it: the buckets are
// made as long as the excess needs (a bucket of k candidates keeps two, so a pass over c
// candidates removes about c - 2c/k). Boundaries of the lowest rank give way only when they
// dominate the older part (fewer candidates than samples to remove).
void Recording::thin() {
  size_t olderEnd = size_ - capacity_ / 4;
  size_t target = capacity_ / 2;
  int keepRank = 1;
  while (size_ > target) {
    size_t excess = size_ - target;
    size_t candidates = 0;
    for (size_t i = 1; i < olderEnd; ++i) candidates += ranks_[i] < keepRank;
    if (candidates <= excess + excess / 4 && keepRank <= kHighestRank) {
      ++keepRank;
      continue;
    }
    // Long enough that 2 per bucket stay, with slack for the last, partial bucket.
    size_t bucket = candidates > excess ? (2 * candidates + candidates - excess - 1) / (candidates - excess) + 1 : 2 * kBucket;
    olderEnd = thinOlderPart(olderEnd, keepRank, std::max<size_t>(kBucket, bucket));
  }
  ++generation_;
}

// Compacts samples [1, olderEnd): a sample of rank >= keepRank stays, and the others are cut
// into buckets of `bucket` (boundaries between them do not count) of which each keeps its
// lowest and highest heap total. Sample 0 (the start) stays. Returns where the older part now
// ends.
size_t Recording::thinOlderPart(size_t olderEnd, int keepRank, size_t bucket) {
  size_t write = 1;
  size_t begin = 1;
  while (begin < olderEnd) {
    // The bucket: from `begin` to just after its bucket-th sample that may go.
    size_t end = begin, candidates = 0, low = olderEnd, high = olderEnd;
    for (; end < olderEnd && candidates < bucket; ++end) {
      if (ranks_[end] >= keepRank) continue;
      ++candidates;
      if (low == olderEnd || totals_[end] < totals_[low]) low = end;
      if (high == olderEnd || totals_[end] >= totals_[high]) high = end;
    }
    for (size_t i = begin; i < end; ++i) {
      if (ranks_[i] >= keepRank || i == low || i == high) {
        if (write != i) {
          samples_[write] = samples_[i];
          ranks_[write] = ranks_[i];
          totals_[write] = totals_[i];
        }
        ++write;
      }
    }
    begin = end;
  }
  if (olderEnd <= 1) return olderEnd;
  std::copy(samples_.get() + olderEnd, samples_.get() + size_, samples_.get() + write);
  std::copy(ranks_.get() + olderEnd, ranks_.get() + size_, ranks_.get() + write);
  std::copy(totals_.get() + olderEnd, totals_.get() + size_, totals_.get() + write);
  size_ -= olderEnd - write;
  return write;
}

bool Recording::readSince(Cursor& cursor, size_t* first) const {
  bool replace = cursor.generation != generation_ || cursor.read > size_;
  *first = replace ? 0 : cursor.read;
  cursor.generation = generation_;
  cursor.read = size_;
  return replace;
}

}  // namespace lunette
