// Growing the WebAssembly memory ahead of the heap's peak: see memory_reserve.h.
#include "session/memory_reserve.h"

#include <algorithm>
#include <cstdint>

#include "gc/collector.h"

#ifdef __EMSCRIPTEN__
#include <emscripten/heap.h>
#include <unistd.h>
#endif

namespace lunette {

size_t forecastPeakHeap(const Collector& collector) {
  const size_t estimate = collector.estimate;
  // When the next cycle starts, as a percentage of what the last one found live.
  const int startPercent =
      collector.mode == GcMode::Generational ? 100 + collector.majormul : collector.pause;
  // A cycle's marking and sweeping run while the mutator allocates: at the default stepmul
  // the heap grows by about a quarter of the live heap meanwhile (GcPacing's tests bound the
  // peak at 2.25 times live for pause 200).
  const uint64_t startAt = uint64_t{estimate} / 100 * static_cast<unsigned>(std::max(startPercent, 100));
  const uint64_t peak = startAt + estimate / 4;
  size_t forecast = static_cast<size_t>(std::min<uint64_t>(peak, SIZE_MAX));
  if (collector.memoryLimit != 0) forecast = std::min(forecast, collector.memoryLimit);
  return std::max(forecast, collector.heapBytes);
}

size_t linearMemoryWanted(size_t peakHeap, size_t highestHeap, size_t linearInUse) {
  if (peakHeap <= highestHeap || highestHeap == 0) return linearInUse;
  const uint64_t scaled = uint64_t{linearInUse} * peakHeap / highestHeap;  // 64 bits: wasm's size_t has 32
  return static_cast<size_t>(std::min<uint64_t>(scaled, SIZE_MAX));
}

void MemoryReserve::beforeSlice(const Collector& collector) {
  highestHeap_ = std::max(highestHeap_, collector.heapBytes);
#ifdef __EMSCRIPTEN__
  const size_t peak = forecastPeakHeap(collector);
  if (peak <= highestHeap_) return;
  const size_t inUse = reinterpret_cast<uintptr_t>(sbrk(0));
  const size_t wanted = std::min(linearMemoryWanted(peak, highestHeap_, inUse), emscripten_get_heap_max());
  if (wanted > emscripten_get_heap_size()) emscripten_resize_heap(wanted);  // refusal: see header
#endif
}

}  // namespace lunette
