// Tables: an array part for keys 1..arraySize and an open-addressing hash part for the rest.
//
// Invariants:
//  - A key k with 1 <= k <= arraySize is stored in the array part (array[k-1]), never in the
//    hash part. Float keys with an integer value are normalised to integers before lookup.
//  - The hash part has a power-of-two capacity (or zero) and uses linear probing. A slot whose
//    key is nil is empty and ends a probe sequence; so does having visited every slot (a small
//    hash part may be full). Keys are never removed by assigning nil: the entry stays with a
//    nil value (so `next` can continue from it); the collector turns collectable keys of such
//    entries into DeadKey. Rehashing drops them.
//  - `used` counts non-empty slots (live or dead). A hash part of up to kDenseHashCapacity
//    slots may fill completely (a record {x = 1, y = 2} takes two slots, as in the reference);
//    a larger one rehashes past 3/4 load, where linear probing stays short. A rehash recomputes
//    the array size the way the reference does: the largest power of two n such that more
//    than n/2 of the keys 1..n are present.
//  - A table made with room for one to four hash entries (a record constructor: `{x = 1, y = 2}`)
//    gets its first hash part in the same block, right after the Table (kInlineHashRoomBits of
//    the header's `marked` byte say how many nodes fit there, 0, 1, 2 or 4; the collector never
//    changes those bits). Why: a field read touches the header and then the node, and apart
//    they are two cache misses where together they are usually one (sorting 120,000 records
//    with a comparator is mostly these misses).
//    The inline part is the table's for its whole life: when the table outgrows it, the hash
//    part moves to a block of its own and the inline room stays unused until it fits again.
//  - `absentMetamethods` caches "this table, used as a metatable, has no __index (bit 0),
//    __newindex (1), ..." so the hot path skips the lookup; every raw write clears it.
#pragma once

#include <cstdint>
#include <optional>

#include "vm/object.h"

namespace lunette {

class State;

// Hash parts up to this capacity may be full (see the invariants above).
inline constexpr uint32_t kDenseHashCapacity = 4;
// The header's `marked` bits that hold log2(inline room) + 1 (0: no room). Not colours: the
// collector's colour updates keep the other bits (gc/collector.h).
inline constexpr int kInlineHashRoomShift = 4;
inline constexpr uint8_t kInlineHashRoomBits = 3 << kInlineHashRoomShift;

struct Node {
  Value key;
  Value value;
};

// Metamethod events, in the order of the reference's TM enum where it matters for caching.
enum class Event : uint8_t {
  Index, NewIndex, Gc, Mode, Len, Eq,  // the first six are cacheable
  Add, Sub, Mul, Mod, Pow, Div, IDiv, BAnd, BOr, BXor, Shl, Shr, Unm, BNot,
  Lt, Le, Concat, Call, Close,
  Count_
};

// 56 bytes on 64-bit targets (its metamethod-absence cache is the header's per-kind byte; no
// gray-list link: the collector keeps its gray objects in vectors).
struct Table : GcObject {
  Table* metatable;
  Value* array;
  uint32_t arraySize;
  uint32_t hashMask;     // capacity - 1; capacity 0 when hash == nullptr
  uint32_t used;         // non-empty hash slots (live and dead)
  uint32_t borderHint;   // the last border found in the array part (a guess, checked on use)
  Node* hash;

  uint32_t hashCapacity() const { return hash ? hashMask + 1 : 0; }
  // How many nodes fit in the table's own block after the header (0, 1, 2 or 4).
  uint32_t inlineHashRoom() const {
    uint32_t code = (marked & kInlineHashRoomBits) >> kInlineHashRoomShift;
    return code ? 1u << (code - 1) : 0;
  }
  Node* inlineHash() { return reinterpret_cast<Node*>(this + 1); }
  bool hashIsInline() const { return hash && hash == reinterpret_cast<const Node*>(this + 1) && inlineHashRoom(); }

  // ---- reads (never allocate, never fail) ----
  const Value* getInt(int64_t key) const;
  const Value* getShortString(const String* key) const;
  const Value* getString(const String* key) const;
  const Value* get(const Value& key) const;  // generic; returns &absentValue when missing

  // ---- writes (may rehash, i.e. allocate) ----
  // The slot for `key`, created if missing (value nil). `key` must not be nil or NaN.
  Value* slotFor(State& state, const Value& key);
  void set(State& state, const Value& key, const Value& value);
  void setInt(State& state, int64_t key, const Value& value);

  // The border used by `#` (a raw length). Remembers where it found it: `t[#t+1] = v` loops
  // then cost O(1) per length instead of a binary search.
  uint64_t length();
  // Iteration: the entry after `key` (nil: the first); false at the end; throws if key unknown.
  bool next(State& state, Value& key, Value& value) const;

  void resize(State& state, uint32_t arraySize, uint32_t hashSize);
  // Bytes owned (object + parts), for accounting. Inline: the collector asks it of every
  // table it traverses or frees (in WebAssembly, a call of its own each time).
  size_t bytes() const {
    size_t outOfBlockHash = hash && !hashIsInline() ? sizeof(Node) * hashCapacity() : 0;
    return sizeof(Table) + sizeof(Node) * inlineHashRoom() + sizeof(Value) * arraySize +
           outOfBlockHash;
  }

  static const Value absentValue;
};
static_assert(sizeof(void*) != 8 || sizeof(Table) == 56);

// ---- the hot reads, inline: the interpreter's field and index accesses --------------------------

inline uint32_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return static_cast<uint32_t>(x);
}

inline const Value* Table::getInt(int64_t key) const {
  if (static_cast<uint64_t>(key) - 1 < arraySize) return &array[key - 1];
  if (!hash) return &absentValue;
  uint32_t i = mix64(static_cast<uint64_t>(key)) & hashMask;
  for (uint32_t left = hashMask;; --left) {
    const Node& n = hash[i];
    if (n.key.tag == Tag::Integer && n.key.i == key) return &n.value;
    if (n.key.tag == Tag::Nil || left == 0) return &absentValue;
    i = (i + 1) & hashMask;
  }
}

inline const Value* Table::getShortString(const String* key) const {
  if (!hash) return &absentValue;
  uint32_t i = key->hash & hashMask;
  for (uint32_t left = hashMask;; --left) {
    const Node& n = hash[i];
    if (n.key.gc == reinterpret_cast<const GcObject*>(key) && n.key.tag == Tag::String) return &n.value;
    if (n.key.tag == Tag::Nil || left == 0) return &absentValue;
    i = (i + 1) & hashMask;
  }
}

Table* newTable(State& state, uint32_t arraySize = 0, uint32_t hashSize = 0);
// The same, for a caller that knows the allocation site already (NEWTABLE asks
// State::siteOfInstruction, and skips allocationSite()'s walk to the innermost Lua frame).
Table* newTableAt(State& state, uint32_t arraySize, uint32_t hashSize, uint32_t site);
void freeTable(State& state, Table* table);

// Hash of a non-nil key (used by the table and exposed for tests).
uint32_t hashValue(const Value& key);

}  // namespace lunette
