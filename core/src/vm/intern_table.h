// The table of interned strings: every short string exists once, so two short strings are
// equal exactly when they are the same object (table keys and `==` compare pointers).
//
// Growth without a pause. When the count passes the number of buckets, the table doubles. Moving
// every chain at once took 18-37 ms for a million buckets on gc_pause.sh's mixed heap (a cache
// miss per string, and the first touch of the new array's pages): a pause in the middle of the
// program, which the collector's bounded steps are meant to avoid. Instead the old array is
// drained a few dozen buckets per insertion, as Redis rehashes its dictionaries, so no
// insertion moves more than a few short chains. The new array is not even zeroed when it is
// allocated: where the C library cannot hand out untouched zero pages (WebAssembly's
// dlmalloc), a calloc of a million buckets wrote its 4 MB at once: 4.8-9.4 ms in the
// middle of a loop. The drain zeroes the two new buckets an old bucket splits into just before
// it moves that bucket's chain.
//
// Invariants.
// - While a drain runs the new array has exactly twice the old one's buckets, and new buckets
//   b and b + oldSize_ are initialised exactly when old bucket b is drained (b < drained_).
// - Every interned string is in exactly one chain: while a drain runs, the old array's bucket
//   for its hash if that bucket is not drained yet, else the new array's bucket for its hash.
//   bucketFor names that one chain, so a lookup or an unlink looks at one chain only.
// - A drain ends before the count can pass the doubled size: N old buckets take N /
//   kBucketsPerInsert insertions, and the count needs N more to pass 2N (a resize that finds
//   a drain running finishes it first, should that ever not hold).
// - Chains are linked through String::internNext; the table owns no string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "vm/object.h"

namespace lunette {

class InternTable {
 public:
  static constexpr size_t kInitialBuckets = 256;
  // A few microseconds of chains moved per insertion at most; few enough insertions that the
  // old array goes back to the system soon (at 2 per insertion it stayed through a quarter of
  // a million insertions, and the 1M-string footprint peaked 2.5 MB higher; at 32, 0.7 MB).
  static constexpr size_t kBucketsPerInsert = 32;

  InternTable();
  ~InternTable();
  InternTable(const InternTable&) = delete;
  InternTable& operator=(const InternTable&) = delete;

  // Where a string of hash `hash` is (or would be) chained now: find and insert take it, so
  // that a lookup that misses and the insertion after it index the array once. Valid until
  // the next insertion. (Inline, like find and insert: every string the program makes comes
  // through here.)
  String** bucketFor(uint32_t hash) {
    if (old_) [[unlikely]] return drainingBucketFor(hash);
    return &table_[hash & (size_ - 1)];
  }
  // The interned string with this text in `bucket` (bucketFor its hash), or nullptr.
  static String* find(String** bucket, std::string_view text) { return findInChain(*bucket, text); }
  String* find(std::string_view text, uint32_t hash) { return find(bucketFor(hash), text); }
  // Interns `s` (its hash set, its text not interned yet) at the head of `bucket`
  // (bucketFor(s->hash)); may grow the table.
  void insert(String** bucket, String* s) {
    s->internNext = *bucket;
    *bucket = s;
    ++count_;
    if (old_ || count_ > size_) [[unlikely]] continueGrowth();
  }
  void insert(String* s) { insert(bucketFor(s->hash), s); }
  // Removes the interned `s` (the sweep freeing it).
  void unlink(String* s) {
    if (unlinkFrom(bucketFor(s->hash), s)) --count_;
  }

  size_t count() const { return count_; }
  size_t buckets() const { return size_; }
  bool draining() const { return old_ != nullptr; }

 private:
  String** table_ = nullptr;
  size_t size_ = 0;
  String** old_ = nullptr;  // the array being drained, or nullptr
  size_t oldSize_ = 0;
  size_t drained_ = 0;      // old buckets [0, drained_) are empty
  size_t count_ = 0;

  static String* findInChain(String* chain, std::string_view text) {
    for (String* s = chain; s; s = s->internNext)
      if (s->length == text.size() && std::memcmp(s->chars(), text.data(), text.size()) == 0) return s;
    return nullptr;
  }
  static bool unlinkFrom(String** chain, String* s) {
    for (String** p = chain; *p; p = &(*p)->internNext) {
      if (*p == s) {
        *p = s->internNext;
        return true;
      }
    }
    return false;
  }
  String** drainingBucketFor(uint32_t hash) const;
  void continueGrowth();  // a drain's next buckets, or a doubling when the count passed the size
  void grow();
  void drainSome(size_t buckets);
};

}  // namespace lunette
