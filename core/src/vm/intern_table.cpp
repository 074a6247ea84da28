// The table of interned strings, grown a few buckets at a time: see intern_table.h.
#include "vm/intern_table.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "vm/object.h"

namespace lunette {

namespace {

// An array of bucket heads, zeroed or left for the drain to initialise (see the header). malloc,
// not a vector: nothing writes the array until it is used.
String** newBuckets(size_t count, bool zeroed) {
  void* buckets = zeroed ? std::calloc(count, sizeof(String*)) : std::malloc(count * sizeof(String*));
  if (!buckets) throw std::bad_alloc();
#ifndef NDEBUG
  // Builds with assertions poison the uninitialised array, so that a bucket read before the
  // drain initialised it fails loudly instead of reading a fresh page's zeros.
  if (!zeroed) std::memset(buckets, 0xA5, count * sizeof(String*));
#endif
  return static_cast<String**>(buckets);
}

}  // namespace

InternTable::InternTable() : table_(newBuckets(kInitialBuckets, true)), size_(kInitialBuckets) {}

InternTable::~InternTable() {
  std::free(table_);
  std::free(old_);
}

String** InternTable::drainingBucketFor(uint32_t hash) const {
  size_t old = hash & (oldSize_ - 1);
  return old >= drained_ ? &old_[old] : &table_[hash & (size_ - 1)];
}

void InternTable::continueGrowth() {
  if (old_) drainSome(kBucketsPerInsert);
  if (count_ > size_) grow();
}

void InternTable::grow() {
  if (old_) drainSome(oldSize_);  // see the header: not expected to happen
  String** doubled = newBuckets(size_ * 2, false);
  old_ = table_;
  oldSize_ = size_;
  drained_ = 0;
  table_ = doubled;
  size_ *= 2;
}

// Moves the chains of the next `buckets` old buckets into the new array (each into the two new
// buckets it splits into, zeroed first), and frees the old array once it is empty.
void InternTable::drainSome(size_t buckets) {
  size_t end = drained_ + buckets < oldSize_ ? drained_ + buckets : oldSize_;
  for (; drained_ < end; ++drained_) {
    table_[drained_] = nullptr;
    table_[drained_ + oldSize_] = nullptr;
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
