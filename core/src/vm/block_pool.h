// The block pool: where the heap's small blocks (objects, small table parts, small stacks)
// come from, carved out of larger slabs by size class, without a per-block header.
//
// Why: most heap objects are a few dozen bytes. malloc adds an 8-byte header to each block and
// rounds it to 16, so a 72-byte table took 80 bytes from malloc and 96 from memory; here it
// takes 72. Blocks are also recycled through free lists, which is faster than malloc/free for
// allocation-heavy code.
//
// Invariants:
//  - Size classes are multiples of kGranule (8) up to kMaxBytes; a block of class c is exactly
//    c * kGranule bytes, so a class whose size is a multiple of 16 hands out 16-aligned blocks
//    (slabs are 16-aligned): callers needing 16-byte alignment round their size up to 16.
//  - A block is either handed out, or on its class's free list (linked through its first
//    word), or in the untouched tail of its class's current slab ([bump, end)).
//  - Slabs are never returned before the pool is destroyed (a freed block is reused by its own
//    class only); the pool frees every slab when it is destroyed.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace lunette {

class BlockPool {
 public:
  static constexpr size_t kGranule = 8;
  // Large enough for a Thread (every coroutine is one: state.cpp checks), the biggest object.
  static constexpr size_t kMaxBytes = 288;

  BlockPool() = default;
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;
  ~BlockPool();

  // The size a request of `bytes` really occupies (its class size).
  static size_t classBytes(size_t bytes) { return classOf(bytes) * kGranule; }

  // A block of at least `bytes` (<= kMaxBytes); nullptr when memory is exhausted.
  void* take(size_t bytes) {
    SizeClass& c = classes_[classOf(bytes)];
    if (void* p = c.free) {
      c.free = *static_cast<void**>(p);
      return p;
    }
    size_t size = classOf(bytes) * kGranule;
    if (c.bump + size <= c.end) {
      void* p = c.bump;
      c.bump += size;
      return p;
    }
    return takeFromNewSlab(c, size);
  }
  // A block of at least `bytes` (<= kMaxBytes) from its class's free list; nullptr when the
  // list is empty (take() then carves one from a slab).
  void* takeFree(size_t bytes) {
    SizeClass& c = classes_[classOf(bytes)];
    void* p = c.free;
    if (p) c.free = *static_cast<void**>(p);
    return p;
  }
  // Returns a block taken with the same `bytes`.
  void give(void* p, size_t bytes) {
    SizeClass& c = classes_[classOf(bytes)];
    *static_cast<void**>(p) = c.free;
    c.free = p;
  }

 private:
  struct SizeClass {
    void* free = nullptr;
    char* bump = nullptr;
    char* end = nullptr;
    size_t nextSlabBytes = kFirstSlabBytes;
  };
  // Slabs start small (a small script touches little memory) and double up to kMaxSlabBytes.
  static constexpr size_t kFirstSlabBytes = 2048;
  static constexpr size_t kMaxSlabBytes = 64 * 1024;

  static size_t classOf(size_t bytes) {
    return bytes <= kGranule ? 1 : (bytes + kGranule - 1) / kGranule;
  }
  void* takeFromNewSlab(SizeClass& c, size_t size);

  std::array<SizeClass, kMaxBytes / kGranule + 1> classes_{};
  std::vector<void*> slabs_;
};

}  // namespace lunette
