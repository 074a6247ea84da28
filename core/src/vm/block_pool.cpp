// The block pool: slab allocation (see block_pool.h for the invariants).
#include "vm/block_pool.h"

#include <cstdlib>

namespace lunette {

BlockPool::~BlockPool() {
  for (void* slab : slabs_) std::free(slab);
}

void* BlockPool::takeFromNewSlab(SizeClass& c, size_t size) {
  size_t slabBytes = c.nextSlabBytes;
  while (slabBytes < size) slabBytes *= 2;
  if (c.nextSlabBytes < kMaxSlabBytes) c.nextSlabBytes *= 2;
  // The rest of the old slab (less than one block) is left unused.
  auto* slab = static_cast<char*>(std::malloc(slabBytes));
  if (!slab) return nullptr;
  try {
    slabs_.push_back(slab);
  } catch (...) {
    std::free(slab);
    return nullptr;
  }
  c.bump = slab + size;
  c.end = slab + slabBytes;
  return slab;
}

}  // namespace lunette
