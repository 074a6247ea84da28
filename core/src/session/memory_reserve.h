// Growing the WebAssembly memory ahead of the heap's peak.
//
// Why. A WebAssembly memory grows in whole steps (memory.grow), and V8 runs a full collection
// of its own JavaScript heap inside every grow of a non-shared memory (it reports the new
// bytes as external memory pressure): 9-25 ms with a few hundred MB resident, during which the
// Lua program stands still. On gc_pause.sh's mixed heap the longest pause of the churn loop in
// wasm was such a grow, not our collector: the heap's peak in a steady churn lies above its
// size at the end of the build, so the memory grew in the middle of the steady loop.
//
// The collector's pacing says how far the heap will go: a cycle starts when the heap reaches
// estimate * pause / 100 (generational mode: a major collection at estimate * (100 + majormul)
// / 100), and the heap grows further while an incremental cycle runs. The Session asks, between
// two slices of a run, for linear memory enough for that peak, so grows happen while the live
// heap grows (and the doubling growth of the module makes them rare), not in a loop whose live
// heap has stayed what the last cycle found. A grow reserves address space, not resident
// memory: the pages are the operating system's until the allocator first touches them.
//
// Invariants. The forecast never exceeds the memory limit when there is one; a reserve only
// asks for more memory than the module has, never less, and a refusal (the module's maximum)
// changes nothing: an allocation past it fails later as it would have. Natively nothing is
// reserved: the operating system gives pages on demand, and a grow has no such cost there.
#pragma once

#include <cstddef>

namespace lunette {

class Collector;

// The heap the collector's current pacing lets the Lua heap reach before a cycle brings it
// down again: heapBytes at least; 0 estimate (no cycle ended yet) forecasts heapBytes.
size_t forecastPeakHeap(const Collector& collector);

// The linear memory needed for the Lua heap to reach `peakHeap`, when the most it has reached
// so far, `highestHeap`, took the allocator up to `linearInUse` bytes: that memory scaled by
// the heap's growth (its allocator overhead, fragmentation and the module's fixed memory
// scaled alike, which errs on the side of more). `linearInUse` when the peak is no higher.
size_t linearMemoryWanted(size_t peakHeap, size_t highestHeap, size_t linearInUse);

// Between two slices of a run, the Session asks for memory for the forecast peak. Keeps the
// highest heap it has seen there (the allocator's high-water mark came from about that heap).
class MemoryReserve {
 public:
  // WebAssembly: grows the module's memory to linearMemoryWanted(forecastPeakHeap(...)) when
  // it is smaller. Natively: nothing. Cheap when there is nothing to do (a few comparisons).
  void beforeSlice(const Collector& collector);

 private:
  size_t highestHeap_ = 0;
};

}  // namespace lunette
