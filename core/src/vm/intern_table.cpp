// The table of interned strings, grown a few buckets at a time: see intern_table.h.
#include "vm/intern_table.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "vm/object.h"

namespace lunette {

namespace {

// A zeroed array of bucket heads. calloc, not a vector: a big one comes straight from the
// system as pages nobody has touched, so allocating it costs nothing until a drain fills it.
String** newBuckets(size_t count) {
  auto* buckets = static_cast<String**>(std::calloc(count, sizeof(String*)));
  if (!buckets) throw std::bad_alloc();
  return buckets;
}

}  // namespace

InternTable::InternTable() : table_(newBuckets(kInitialBuckets)), size_(kInitialBuckets) {}

InternTable::~InternTable() {
  std::free(table_);
  std::free(old_);
}

String** InternTable::oldChainFor(uint32_t hash) const {
  if (!old_) return nullptr;
  size_t bucket = hash & (oldSize_ - 1);
  return bucket >= drained_ ? &old_[bucket] : nullptr;
}

String* InternTable::findInOld(std::string_view text, uint32_t hash) const {
  String** old = oldChainFor(hash);
  return old ? findInChain(*old, text) : nullptr;
}

void InternTable::continueGrowth() {
  if (old_) drainSome(kBucketsPerInsert);
  if (count_ > size_) grow();
}

void InternTable::unlinkFromOld(String* s) {
  if (String** old = oldChainFor(s->hash); old && unlinkFrom(old, s)) --count_;
}

void InternTable::grow() {
  if (old_) drainSome(oldSize_);  // see the header: not expected to happen
  String** doubled = newBuckets(size_ * 2);
  old_ = table_;
  oldSize_ = size_;
  drained_ = 0;
  table_ = doubled;
  size_ *= 2;
}

// Moves the chains of the next `buckets` old buckets into the new array, and frees the old
// array once it is empty.
void InternTable::drainSome(size_t buckets) {
  size_t end = drained_ + buckets < oldSize_ ? drained_ + buckets : oldSize_;
  for (; drained_ < end; ++drained_) {
    String* chain = old_[drained_];
    while (chain) {
      String* next = chain->internNext;
      String*& head = table_[chain->hash & (size_ - 1)];
      chain->internNext = head;
      head = chain;
      chain = next;
    }
  }
  if (drained_ == oldSize_) {
    std::free(old_);
    old_ = nullptr;
    oldSize_ = 0;
    drained_ = 0;
  }
}

}  // namespace lunette
