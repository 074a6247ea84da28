// The recording (see recording.h): append, thin, read.
#include "inspect/recording.h"

#include <algorithm>

namespace lunette {

namespace {

constexpr int kHighestRank = 3;

int rankOf(const StoredSample& s) { return boundaryRank(static_cast<SampleReason>(s.reason)); }

// Counts and byte totals are below 2^63: converted as signed integers, each is one instruction
// (an unsigned 64-bit conversion is several).
double exactly(uint64_t count) { return static_cast<double>(static_cast<int64_t>(count)); }
uint64_t count(double column) { return static_cast<uint64_t>(static_cast<int64_t>(column)); }

}  // namespace

static_assert(kSampleFields[0] == "t" && kSampleFields[2] == "allocated" && kSampleFields[4] == "threshold" &&
              kSampleFields[5] == "debt" && kSampleFields[6] == "estimate" && kSampleFields[7] == "phase" &&
              kSampleFields[8] == "bytes.string" && kSampleFields[kSampleCoroutines] == "co.suspended",
              "Recording::unpack and append follow kSampleFields");

Sample Recording::unpack(const StoredSample& stored, double total) {
  Sample s;
  s[0] = stored.timeMs;
  s[kSampleInstructions] = static_cast<double>(stored.instructions);
  s[2] = exactly(stored.allocated);
  s[kSampleTotal] = total;
  s[4] = exactly(stored.threshold);
  s[5] = static_cast<double>(stored.debt);
  s[6] = exactly(stored.estimate);
  s[7] = stored.phase;
  for (size_t i = 0; i < stored.bytesByKind.size(); ++i) s[8 + i] = exactly(stored.bytesByKind[i]);
  for (size_t i = 0; i < stored.coroutines.size(); ++i) s[kSampleCoroutines + i] = stored.coroutines[i];
  s[kSampleLine] = stored.line;
  s[kSampleCycle] = stored.cycle;
  s[kSampleReason] = stored.reason;
  s[kSampleVirtualTime] = stored.virtualTime;
  return s;
}

void Recording::append(const Sample& s) {
  StoredSample& stored = next();
  stored.timeMs = s[0];
  stored.instructions = static_cast<int64_t>(s[kSampleInstructions]);
  stored.allocated = count(s[2]);
  stored.threshold = count(s[4]);
  stored.debt = static_cast<int64_t>(s[5]);
  stored.estimate = count(s[6]);
  stored.phase = static_cast<uint8_t>(s[7]);
  for (size_t i = 0; i < stored.bytesByKind.size(); ++i) stored.bytesByKind[i] = count(s[8 + i]);
  for (size_t i = 0; i < stored.coroutines.size(); ++i)
    stored.coroutines[i] = static_cast<uint32_t>(s[kSampleCoroutines + i]);
  stored.line = static_cast<int32_t>(s[kSampleLine]);
  stored.cycle = static_cast<uint32_t>(s[kSampleCycle]);
  stored.reason = static_cast<uint8_t>(s[kSampleReason]);
  stored.virtualTime = s[kSampleVirtualTime];
  commit(s[kSampleTotal]);
}

Recording::Recording(size_t capacity) : capacity_(capacity < 16 ? 16 : capacity) {}

StoredSample& Recording::next() {
  if (size_ >= capacity_) thin();
  if (size_ == allocated_) grow();
  return samples_[slotOf(size_)];
}

void Recording::commit(double total) {
  size_t n = size_;  // the new sample is sample n
  size_t slot = slotOf(n);
  const StoredSample& sample = samples_[slot];
  int rank = rankOf(sample);
  ++appended_;
  size_t latestSlot = previousSlot(slot);  // sample n - 1's, when n > 0
  bool twoCycleEnds = rank == kHighestRank && n > 0 && ranks_[latestSlot] == kHighestRank;
  if (n >= 2 && !twoCycleEnds && samples_[latestSlot].instructions == sample.instructions &&
      samples_[previousSlot(latestSlot)].instructions == sample.instructions) {
    // A third sample of one instant (a whole minor collection happens between two
    // instructions): it replaces the second, keeping the weightier reason. Each cycle end keeps
    // a sample of its own.
    StoredSample& latest = samples_[latestSlot];
    uint8_t reason = rank >= ranks_[latestSlot] ? sample.reason : latest.reason;
    latest = sample;
    latest.reason = reason;
    ranks_[latestSlot] = static_cast<uint8_t>(rankOf(latest));
    totals_[latestSlot] = total;
    return;
  }
  ranks_[slot] = static_cast<uint8_t>(rank);
  totals_[slot] = total;
  size_ = n + 1;
  prefetchNextSlot();
}

// The next sample's lines, asked for now (see prefetchForWrite): samples come every few
// microseconds in a coroutine-churning program, each into a slot the ring last wrote 8,192
// samples ago.
void Recording::prefetchNextSlot() const {
  if (size_ < allocated_) prefetchForWrite(&samples_[slotOf(size_)], sizeof(StoredSample));
}

// Small at first (most runs are short), then the whole cap at once. The samples are copied in
// order, sample 0 to slot 0.
void Recording::grow() {
  size_t room = allocated_ == 0 ? std::min<size_t>(1024, capacity_) : capacity_;
  // Default-initialised (new T[n], no braces): left unwritten until a sample fills them.
  std::unique_ptr<StoredSample[]> samples(new StoredSample[room]);
  std::unique_ptr<uint8_t[]> ranks(new uint8_t[room]);
  std::unique_ptr<double[]> totals(new double[room]);
  for (size_t i = 0; i < size_; ++i) {
    size_t slot = slotOf(i);
    samples[i] = samples_[slot];
    ranks[i] = ranks_[slot];
    totals[i] = totals_[slot];
  }
  samples_ = std::move(samples);
  ranks_ = std::move(ranks);
  totals_ = std::move(totals);
  allocated_ = room;
  head_ = 0;
}

void Recording::clear() {
  size_ = 0;
  head_ = 0;
  ++generation_;
}

// Keeps the newest quarter as it is; thins the part before it until the recording is at most
// three eighths full, so the next thinning is five eighths of the capacity away. Thinning reads
// the older part and moves what it keeps of it (the newest quarter stays in its slots: see
// Storage): leaving an eighth rather than a quarter halves the moves per appended sample and
// more. One pass usually does it: the buckets are made as long as the excess needs (a bucket
// of k candidates keeps two, so a pass over c candidates removes about c - 2c/k), up to about
// 64 candidates. Boundaries of the lowest rank give way only when even such buckets would keep
// too many (the candidates barely outnumber the samples to remove): a recording whose steps
// are a few between its boundaries keeps every boundary.
void Recording::thin() {
  size_t olderEnd = size_ - capacity_ / 4;
  size_t target = capacity_ * 3 / 8;
  int keepRank = 1;
  while (size_ > target) {
    size_t excess = size_ - target;
    size_t candidates = 0;
    forEachSpan(1, olderEnd, [&](size_t from, size_t to) {
      for (size_t slot = from; slot < to; ++slot) candidates += ranks_[slot] < keepRank;
    });
    if (candidates <= excess + excess / 31 && keepRank <= kHighestRank) {
      ++keepRank;
      continue;
    }
    // Long enough that 2 per bucket stay, with slack for the last, partial bucket.
    size_t bucket = candidates > excess ? (2 * candidates + candidates - excess - 1) / (candidates - excess) + 1 : 2 * kBucket;
    olderEnd = thinOlderPart(olderEnd, keepRank, std::max<size_t>(kBucket, bucket));
  }
  ++generation_;
}

// Thins samples [1, olderEnd): a sample of rank >= keepRank stays, and the others are cut into
// buckets of `bucket` (boundaries between them do not count) of which each keeps its lowest
// and highest heap total. Sample 0 (the start) stays. Returns where the older part now ends.
size_t Recording::thinOlderPart(size_t olderEnd, int keepRank, size_t bucket) {
  if (olderEnd <= 1) return olderEnd;
  markKept(olderEnd, keepRank, bucket);
  return dropUnmarked(olderEnd);
}

// Marks (kKeep) the samples of [1, olderEnd) that thinOlderPart keeps. Walks slots, not
// sample numbers: the walk is most of a thinning's instructions.
void Recording::markKept(size_t olderEnd, int keepRank, size_t bucket) {
  size_t i = 1, slot = slotOf(1);
  while (i < olderEnd) {
    // The bucket: from sample i to just after its bucket-th sample that may go.
    size_t candidates = 0;
    size_t low = allocated_, high = allocated_;  // slots; allocated_: none yet
    for (; i < olderEnd && candidates < bucket; ++i, slot = nextSlot(slot)) {
      if (ranks_[slot] >= keepRank) {
        ranks_[slot] |= kKeep;
        continue;
      }
      ++candidates;
      if (low == allocated_ || totals_[slot] < totals_[low]) low = slot;
      if (high == allocated_ || totals_[slot] >= totals_[high]) high = slot;
    }
    if (low != allocated_) ranks_[low] |= kKeep;
    if (high != allocated_) ranks_[high] |= kKeep;
  }
}

// Moves the marked samples of [1, olderEnd), and sample 0 before them, towards the newest
// quarter, next to it and in order; the ring then starts at sample 0's new slot. Clears the
// marks. Returns where the older part now ends.
size_t Recording::dropUnmarked(size_t olderEnd) {
  size_t kept = 0;  // samples kept so far, counted back from olderEnd
  size_t read = slotOf(olderEnd - 1), write = slotOf(olderEnd);
  auto move = [&](size_t from, size_t to) {
    samples_[to] = samples_[from];
    ranks_[to] = ranks_[from];
    totals_[to] = totals_[from];
  };
  for (size_t i = olderEnd - 1; i >= 1; --i, read = previousSlot(read)) {
    if (!(ranks_[read] & kKeep)) continue;
    ranks_[read] &= static_cast<uint8_t>(~kKeep);
    write = previousSlot(write);
    ++kept;
    if (write != read) move(read, write);
  }
  write = previousSlot(write);  // sample 0's
  if (write != head_) move(head_, write);
  size_t removed = olderEnd - 1 - kept;
  head_ = write;
  size_ -= removed;
  return olderEnd - removed;
}

bool Recording::readSince(Cursor& cursor, size_t* first) const {
  bool replace = cursor.generation != generation_ || cursor.read > size_;
  *first = replace ? 0 : cursor.read;
  cursor.generation = generation_;
  cursor.read = size_;
  return replace;
}

}  // namespace lunette
