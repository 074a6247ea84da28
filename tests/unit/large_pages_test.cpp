// The inspector's big rings live in LargePageAllocator storage: huge-page-aligned when large,
// ordinary (and properly aligned) heap memory when small.
#include "common/large_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace lunette {
namespace {

bool alignedTo(const void* p, size_t alignment) {
  return reinterpret_cast<uintptr_t>(p) % alignment == 0;
}

TEST(LargePages, ALargeBufferStartsOnAHugePageBoundary) {
  std::vector<double, LargePageAllocator<double>> samples;
  samples.reserve(kLargeBytes / sizeof(double) * 3);  // 1.5 MB
#ifdef LUNETTE_HAS_LARGE_PAGES
  EXPECT_TRUE(alignedTo(samples.data(), kHugePageBytes));
#endif
  // Every byte asked for is usable, the last page included.
  samples.resize(samples.capacity(), 1.0);
  EXPECT_EQ(samples.back(), 1.0);
}

TEST(LargePages, ASmallBufferKeepsItsTypesAlignment) {
  struct alignas(64) Line {
    char bytes[64];
  };
  std::vector<Line, LargePageAllocator<Line>> lines(3);
  EXPECT_TRUE(alignedTo(lines.data(), 64));
  EXPECT_LT(lines.capacity() * sizeof(Line), kLargeBytes);
}

TEST(LargePages, GrowingFromSmallToLargeKeepsTheContents) {
  std::vector<int, LargePageAllocator<int>> values;
  for (int i = 0; i < 1000; ++i) values.push_back(i);
  values.reserve(kLargeBytes);  // 4 MB: moves into a huge-page block
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(values[static_cast<size_t>(i)], i);
  values.shrink_to_fit();  // back to the ordinary heap, released by size
  EXPECT_EQ(values.size(), 1000u);
  EXPECT_EQ(values[999], 999);
}

}  // namespace
}  // namespace lunette
