// LargePageAllocator: storage for the inspector's big rings (the recording's samples, the
// step and cycle records, the collected-coroutine history), which a long or churning run
// fills to their full size, a few megabytes each.
//
// Why. Memory the process touches for the first time costs a page fault per 4 KB page. On the
// virtual machines this project runs on a fault costs about 13 microseconds (measured: 2,000
// pages touched one by one, 26 ms), so the inspector's 6 MB of rings cost some 1,700 faults,
// about a third of what the inspector added to a program that churns coroutines. Asked for
// with madvise(MADV_HUGEPAGE), the kernel maps such a buffer in 2 MB pages: one fault per 2 MB.
//
// Invariants: a request of at least kLargeBytes gets an mmap'd block whose size is a multiple
// of 2 MB and whose start is 2 MB-aligned (so every page of it can be a huge page), advised
// MADV_HUGEPAGE; smaller requests, and every request where there is no mmap (WebAssembly), go
// to the ordinary heap. deallocate() tells the two apart by the size it is given, as
// std::allocator_traits guarantees it is the size allocate() was asked for. The cost: a block
// rounds up to 2 MB of address space, and of resident memory once its pages are touched (a
// 3.3 MB recording occupies 4 MB when full).
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <sys/mman.h>
#define LUNETTE_HAS_LARGE_PAGES 1
#endif

namespace lunette {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;
inline constexpr size_t kLargeBytes = size_t{512} << 10;  // smaller buffers are not worth a 2 MB page

// Raw blocks (the allocator's two halves, also usable alone).
inline void* allocateLargeBlock(size_t bytes, size_t alignment) {
#ifdef LUNETTE_HAS_LARGE_PAGES
  if (bytes >= kLargeBytes) {
    size_t rounded = (bytes + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
    // Over-map by one huge page and trim both ends, so the block starts on a 2 MB boundary.
    size_t mapped = rounded + kHugePageBytes;
    void* raw = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    auto start = reinterpret_cast<uintptr_t>(raw);
    uintptr_t aligned = (start + kHugePageBytes - 1) & ~(uintptr_t{kHugePageBytes} - 1);
    if (aligned > start) munmap(raw, aligned - start);
    size_t tail = (start + mapped) - (aligned + rounded);
    if (tail) munmap(reinterpret_cast<void*>(aligned + rounded), tail);
    madvise(reinterpret_cast<void*>(aligned), rounded, MADV_HUGEPAGE);  // advice: may be ignored
    return reinterpret_cast<void*>(aligned);
  }
#endif
  return ::operator new(bytes, std::align_val_t(alignment));
}

inline void releaseLargeBlock(void* p, size_t bytes, size_t alignment) {
  if (!p) return;
#ifdef LUNETTE_HAS_LARGE_PAGES
  if (bytes >= kLargeBytes) {
    munmap(p, (bytes + kHugePageBytes - 1) & ~(kHugePageBytes - 1));
    return;
  }
#endif
  ::operator delete(p, std::align_val_t(alignment));
}

template <typename T>
struct LargePageAllocator {
  using value_type = T;
  LargePageAllocator() = default;
  template <typename U>
  LargePageAllocator(const LargePageAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(allocateLargeBlock(n * sizeof(T), alignof(T))); }
  void deallocate(T* p, size_t n) { releaseLargeBlock(p, n * sizeof(T), alignof(T)); }
  template <typename U>
  bool operator==(const LargePageAllocator<U>&) const { return true; }
};

}  // namespace lunette
