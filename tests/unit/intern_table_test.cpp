// The intern table grows a few buckets per insertion (vm/intern_table.h): every string stays
// findable and unlinkable while the old array drains, and no insertion moves every chain.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "vm/intern_table.h"
#include "vm/object.h"

namespace lunette {
namespace {

// Strings made by hand (the table only reads hash, length, text and internNext). The hash is
// deliberately poor (many collisions) so chains are long and drains move several strings.
struct TestStrings {
  std::vector<std::unique_ptr<char[]>> storage;
  String* make(const std::string& text) {
    auto block = std::make_unique<char[]>(sizeof(String) + text.size() + 1);
    auto* s = new (block.get()) String{};
    s->hash = static_cast<uint32_t>(text.size() * 2654435761u + static_cast<unsigned char>(text.back()) * 40503u +
                                    std::strtoul(text.c_str() + 1, nullptr, 10) * 97u);
    s->length = static_cast<uint32_t>(text.size());
    std::memcpy(s->chars(), text.data(), text.size() + 1);
    storage.push_back(std::move(block));
    return s;
  }
};

std::string nameOf(int i) { return "s" + std::to_string(i); }

TEST(InternTable, EveryStringStaysFindableWhileTheTableGrowsAndDrains) {
  InternTable table;
  TestStrings strings;
  std::vector<String*> all;
  bool sawDraining = false;
  for (int i = 0; i < 20000; ++i) {
    String* s = strings.make(nameOf(i));
    ASSERT_EQ(table.find(s->view(), s->hash), nullptr);
    table.insert(s);
    all.push_back(s);
    sawDraining |= table.draining();
    if (i % 97 == 0)
      for (String* earlier : all) ASSERT_EQ(table.find(earlier->view(), earlier->hash), earlier) << i;
  }
  EXPECT_TRUE(sawDraining);
  EXPECT_EQ(table.count(), all.size());
  EXPECT_GE(table.buckets(), all.size());
  for (String* s : all) EXPECT_EQ(table.find(s->view(), s->hash), s);
}

TEST(InternTable, TheInsertionThatDoublesTheTableMovesNoChainAndLaterOnesMoveAFew) {
  InternTable table;
  TestStrings strings;
  size_t buckets = table.buckets();
  int i = 0;
  while (table.buckets() == buckets) table.insert(strings.make(nameOf(i++)));
  EXPECT_TRUE(table.draining()) << "the doubling moved every chain at once";
  // The drain takes old buckets / kBucketsPerInsert insertions, no fewer.
  int insertions = 0;
  while (table.draining()) {
    table.insert(strings.make(nameOf(i++)));
    ++insertions;
  }
  EXPECT_EQ(static_cast<size_t>(insertions), buckets / InternTable::kBucketsPerInsert);
}

TEST(InternTable, UnlinkFindsAStringInTheOldArrayOrTheNewOneWhileDraining) {
  InternTable table;
  TestStrings strings;
  std::vector<String*> all;
  size_t buckets = table.buckets();
  int i = 0;
  while (table.buckets() == buckets) all.push_back(strings.make(nameOf(i++))), table.insert(all.back());
  // Some strings into the new array, while half the old one is still to drain.
  for (size_t k = 0; k < buckets / InternTable::kBucketsPerInsert / 2; ++k)
    all.push_back(strings.make(nameOf(i++))), table.insert(all.back());
  ASSERT_TRUE(table.draining());
  size_t count = table.count();
  for (size_t k = 0; k < all.size(); k += 2) table.unlink(all[k]);  // old-array and new-array strings
  EXPECT_EQ(table.count(), count - (all.size() + 1) / 2);
  for (size_t k = 0; k < all.size(); ++k)
    EXPECT_EQ(table.find(all[k]->view(), all[k]->hash), k % 2 ? all[k] : nullptr) << k;
}

// The doubled array is not zeroed when allocated (a calloc of a million buckets paused
// WebAssembly for 14-90 ms); the drain initialises each pair of new buckets before it fills
// them. Dirty memory of the doubled array's size is freed first, so that the allocation most
// likely reuses it: a bucket read before the drain initialised it then follows garbage.
TEST(InternTable, TheDoubledArrayNeedsNoZeroingBecauseTheDrainInitialisesItsBuckets) {
  InternTable table;
  TestStrings strings;
  // Every string made first, and nothing allocated between the dirty block's release and the
  // doubling, so that the doubled array is most likely carved from the dirty block.
  std::vector<String*> all;
  for (size_t i = 0; i < table.buckets() * 2; ++i) all.push_back(strings.make(nameOf(static_cast<int>(i))));
  size_t doubledBytes = table.buckets() * 2 * sizeof(String*);
  void* dirty = std::malloc(doubledBytes);
  std::memset(dirty, 0xA5, doubledBytes);
  std::free(dirty);
  size_t buckets = table.buckets();
  size_t inserted = 0;
  while (table.buckets() == buckets) table.insert(all[inserted++]);
  while (table.draining()) {
    ASSERT_LT(inserted, all.size());
    ASSERT_EQ(table.find(all[inserted]->view(), all[inserted]->hash), nullptr);
    table.insert(all[inserted++]);
    for (size_t k = 0; k < inserted; ++k) ASSERT_EQ(table.find(all[k]->view(), all[k]->hash), all[k]) << k;
  }
  for (size_t k = 0; k < inserted; ++k) table.unlink(all[k]);
  EXPECT_EQ(table.count(), 0u);
}

}  // namespace
}  // namespace lunette
