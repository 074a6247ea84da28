// The recording: every run's timeline, as samples the VM takes at its own events (collector
// steps, phase changes, cycle ends, emergency collections, collectgarbage calls, allocation
// milestones, coroutine count changes, instruction ticks), never at wall-clock intervals, so a
// 3 ms script and a 10-minute one are drawn from the same kind of points.
//
// Bounded memory. The recording holds at most `capacity` samples (by default
// kDefaultCapacity: 8,192 samples of 25 numbers, 1.3 MB with their ranks and heap totals: far
// more points than a chart has pixels; a coroutine-churning program takes several hundred
// thousand samples a second). When
// it fills, the newest quarter stays at full resolution and the older part is thinned to
// bring the recording to three eighths of its capacity (so a thinning, which moves what it
// keeps of the older part, comes once per five eighths of the capacity appended and moves an
// eighth): it is cut into buckets of consecutive samples
// (at least kBucket, longer when much must go) and each bucket keeps the samples with its lowest and highest heap total
// (so peaks and troughs survive), plus every boundary sample (cycle end, phase change,
// emergency collection, run end) and the very first sample. A recording whose older part is
// mostly boundaries thins those too, phase changes first and cycle ends last, so the cap holds
// whatever the run does. Thinning keeps every kept sample exact (no averaging): a boundary drawn
// from a thinned recording is where it was.
//
// One instant, two samples. Samples taken at the same instruction count (a minor collection's
// phases all happen between two instructions) keep the first and the latest of that instant:
// what the heap was before and after, the latest carrying the weightiest reason (a cycle end
// over a phase change over a step); every cycle end keeps a sample of its own.
//
// Storage. A sample is stored as a StoredSample, each column in the width its values have (152
// bytes, and the heap total beside it, against 200 bytes of 25 doubles): a coroutine-churning
// program writes a sample every few coroutines, and what a sample costs is its stores. Readers
// get the 25 doubles (operator[] unpacks), the same values the inspector took.
//
// The samples sit in a ring, so that a thinning moves only what it keeps of the older
// part (towards the newest quarter, which stays where it is) and never the newest quarter: a
// coroutine-churning program takes a sample every few coroutines and thins every few thousand
// samples, and moving the newest quarter (400 KB at the default capacity) at every thinning
// was most of a thinning's cost.
//
// Readers. A reader (the wasm Session streaming to the page, the CLI's trace) keeps a Cursor:
// readSince() hands it the samples appended since its last read, or, when thinning has
// rewritten what it already read (the recording's generation changed), the whole recording
// with `replace` set, so the reader can mirror the recording exactly.
//
// Invariants: size() <= capacity() after every append; samples are in the order they were
// taken (instruction counts non-decreasing); generation() changes exactly when samples already
// stored are removed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <iterator>
#include <string_view>

namespace lunette {

// Sample columns, in the order PROTOCOL.md lists them.
// `vtime` (last: older readers index the columns before it) is a server shim's virtual clock in
// seconds, NaN when no shim runs (see Inspector::virtualTime).
inline constexpr std::array<std::string_view, 25> kSampleFields = {
    "t",           "instr",          "allocated",      "total",         "threshold",
    "debt",        "estimate",       "phase",          "bytes.string",  "bytes.table",
    "bytes.lclosure", "bytes.nclosure", "bytes.upvalue", "bytes.proto", "bytes.thread",
    "bytes.userdata", "co.suspended", "co.running",    "co.normal",     "co.dead",
    "co.collected", "line",          "cycle",          "reason",        "vtime"};
using Sample = std::array<double, kSampleFields.size()>;

// A sample as the recording stores it (see Storage): the columns of kSampleFields but `total`
// (kept beside it, Recording::totals_), each in its own type. Counts and byte totals are below
// 2^63, so each column converts to the reader's double exactly as a direct conversion would.
struct StoredSample {
  double timeMs;                         // t
  int64_t instructions;                  // instr
  uint64_t allocated;                    // allocated
  uint64_t threshold;                    // threshold
  int64_t debt;                          // debt
  uint64_t estimate;                     // estimate
  double virtualTime;                    // vtime
  std::array<uint64_t, 8> bytesByKind;   // bytes.string ... bytes.userdata
  std::array<uint32_t, 5> coroutines;    // co.suspended, co.running, co.normal, co.dead, co.collected
  int32_t line;                          // line
  uint32_t cycle;                        // cycle
  uint8_t phase;                         // phase (GcPhase)
  uint8_t reason;                        // reason (SampleReason)
};

// Asks for the cache lines of [p, p + bytes) ahead of writing them. The inspector's rings (the
// recording, the event ring, the step and cycle records) are written in order through more
// memory than the cache holds, so their next slot is cold; asked for one write early (a
// collector step or a few coroutines before), the write does not wait for it.
inline void prefetchForWrite(const void* p, size_t bytes) {
  const char* begin = static_cast<const char*>(p);
  for (size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(begin + offset, 1);
  __builtin_prefetch(begin + bytes - 1, 1);  // an unaligned record's last line
}

// Column indices the recording itself needs.
inline constexpr size_t kSampleInstructions = 1;
inline constexpr size_t kSampleTotal = 3;
inline constexpr size_t kSampleCoroutines = 16;  // co.suspended, co.running, co.normal, co.dead, co.collected
inline constexpr size_t kSampleLine = 21;
inline constexpr size_t kSampleCycle = 22;
inline constexpr size_t kSampleReason = 23;
inline constexpr size_t kSampleVirtualTime = 24;

// How often embedders (the Session, `lunette --trace`) take a tick sample: one value for both,
// so a script's recording is the same natively and in wasm.
inline constexpr int64_t kTickInstructions = 50000;

// Why a sample was taken (the `reason` column).
enum class SampleReason : uint8_t {
  Tick = 0,            // every kTickInstructions instructions of a run (the embedder's)
  Step = 1,            // a collector step ended
  Phase = 2,           // the collector entered a phase
  CycleEnd = 3,        // a collector cycle ended
  Emergency = 4,       // an emergency collection ended (the memory limit was near)
  CollectGarbage = 5,  // a collectgarbage call that acts on the collector returned
  Allocation = 6,      // Inspector::kAllocationFraction of the threshold was allocated
  Coroutines = 7,      // the number of coroutines in some status changed
  RunEnd = 8,          // a run (or a slice of it) ended
  VirtualClock = 9,    // a server shim's virtual clock moved (the `vtime` axis gets a point)
};

// Boundaries are kept through thinning; the rank says which go last when even they must thin.
// 0: not a boundary; higher: kept longer. Inline: every sample asks it, some twice.
constexpr int boundaryRank(SampleReason reason) {
  switch (reason) {
    case SampleReason::Phase: return 1;
    case SampleReason::Emergency:
    case SampleReason::RunEnd: return 2;
    case SampleReason::CycleEnd: return 3;
    default: return 0;
  }
}

class Recording {
 public:
  static constexpr size_t kDefaultCapacity = 8192;
  static constexpr size_t kBucket = 4;

  explicit Recording(size_t capacity = kDefaultCapacity);

  // Room for one more sample at the end, to fill in place (a sample is written once, where it
  // stays); commit() appends it with its heap total. Nothing else may touch the recording
  // between the two.
  StoredSample& next();
  void commit(double total);
  // The same from a reader's sample (its integer columns must hold integers).
  void append(const Sample& sample);
  void clear();

  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  // Sample i, unpacked: a value, not a reference into the ring.
  Sample operator[](size_t i) const {
    size_t slot = slotOf(i);
    return unpack(samples_[slot], totals_[slot]);
  }
  // Sample i as stored, where it sits in the ring (for tests of what thinning moves).
  const StoredSample& stored(size_t i) const { return samples_[slotOf(i)]; }
  // The samples in order, for range-for and the standard algorithms (an input iterator: each
  // sample is unpacked as it is read).
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Sample;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Sample;
    Iterator() = default;
    Iterator(const Recording* recording, size_t i) : recording_(recording), i_(i) {}
    Sample operator*() const { return (*recording_)[i_]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++i_;
      return before;
    }
    bool operator==(const Iterator& other) const { return i_ == other.i_; }

   private:
    const Recording* recording_ = nullptr;
    size_t i_ = 0;
  };
  struct Samples {
    const Recording* recording;
    Iterator begin() const { return {recording, 0}; }
    Iterator end() const { return {recording, recording->size()}; }
  };
  Samples samples() const { return {this}; }
  uint64_t generation() const { return generation_; }
  uint64_t appended() const { return appended_; }  // samples ever taken, thinned ones included
  // The instruction count of the latest sample (-1 when there is none).
  double latestInstructions() const {
    return size_ == 0 ? -1 : static_cast<double>(samples_[slotOf(size_ - 1)].instructions);
  }
  size_t memoryBytes() const { return allocated_ * (sizeof(StoredSample) + 1 + sizeof(double)); }
  // A stored sample and its heap total as the reader's 25 columns.
  static Sample unpack(const StoredSample& stored, double total);

  struct Cursor {
    uint64_t generation = ~uint64_t{0};  // never a recording's: the first read replaces
    size_t read = 0;                     // samples of that generation already read
  };
  // The samples a reader at `cursor` has not seen: [*first, size()); true when they are the
  // whole recording and replace what the reader holds. Advances the cursor.
  bool readSince(Cursor& cursor, size_t* first) const;

 private:
  // size_ samples in use, in a ring of allocated_ slots from head_ (grown once to 1024, then to
  // the capacity at once: growing by doubling copied megabytes on every run that went past a
  // few thousand).
  std::unique_ptr<StoredSample[]> samples_;
  // Each sample's boundary rank, in the slot beside it: thinning decides what goes from these
  // (a byte each, in the cache) and reads only the samples that may go and those it moves.
  // While a thinning runs, kKeep marks the samples it keeps.
  std::unique_ptr<uint8_t[]> ranks_;
  static constexpr uint8_t kKeep = 0x80;
  // Each sample's heap total, beside it for the same reason: a bucket's lowest and highest
  // are found in these 8 bytes a sample rather than in a 152-byte sample's lines (most of a
  // thinning's cache misses, the recording being larger than the cache).
  std::unique_ptr<double[]> totals_;
  size_t head_ = 0;  // the slot of sample 0
  // The slot of sample i (i < allocated_), and the slots after and before a slot.
  size_t slotOf(size_t i) const {
    size_t slot = head_ + i;
    return slot < allocated_ ? slot : slot - allocated_;
  }
  size_t nextSlot(size_t slot) const { return slot + 1 == allocated_ ? 0 : slot + 1; }
  size_t previousSlot(size_t slot) const { return slot == 0 ? allocated_ - 1 : slot - 1; }
  // Calls f(from, to) for the one or two runs of slots [from, to) that hold samples
  // [begin, end), in order.
  template <typename F>
  void forEachSpan(size_t begin, size_t end, F f) const {
    if (begin >= end) return;
    size_t first = slotOf(begin), last = slotOf(end - 1) + 1;
    if (first < last) {
      f(first, last);
    } else {
      f(first, allocated_);
      f(size_t{0}, last);
    }
  }
  size_t size_ = 0, allocated_ = 0;
  size_t capacity_;
  uint64_t generation_ = 0;
  uint64_t appended_ = 0;
  void grow();
  void prefetchNextSlot() const;
  void thin();
  size_t thinOlderPart(size_t olderEnd, int keepRank, size_t bucket);
  void markKept(size_t olderEnd, int keepRank, size_t bucket);
  size_t dropUnmarked(size_t olderEnd);
};

}  // namespace lunette
