// Tables: array part + linear-probing hash part. See table.h for the invariants.
#include "vm/table.h"

#include <bit>
#include <cmath>
#include <cstring>

#include "common/numconv.h"
#include "vm/state.h"

namespace lunette {

const Value Table::absentValue{};

namespace {


uint32_t stringHash(const String* s) {
  if (!s->isHashed()) {
    // Long strings hash lazily (they may never be used as keys).
    auto* mutableString = const_cast<String*>(s);
    uint32_t h = 0x811c9dc5u ^ static_cast<uint32_t>(s->length);
    for (size_t i = 0; i < s->length; ++i) h = (h ^ static_cast<unsigned char>(s->chars()[i])) * 16777619u;
    mutableString->hash = h;
    mutableString->extra |= kStringIsHashed;
  }
  return s->hash;
}

bool keysEqual(const Value& a, const Value& b) {
  if (a.tag != b.tag) return false;
  switch (a.tag) {
    case Tag::Integer: return a.i == b.i;
    case Tag::Float: return a.n == b.n;
    case Tag::False:
    case Tag::True: return true;
    case Tag::String: {
      const String* x = a.asString();
      const String* y = b.asString();
      if (x == y) return true;
      if (x->isShort() || y->isShort()) return false;
      return x->length == y->length && std::memcmp(x->chars(), y->chars(), x->length) == 0;
    }
    default: return a.p == b.p;
  }
}

// Float keys with an exact integer value are the same key as that integer.
Value normalizeKey(const Value& key) {
  if (key.tag == Tag::Float) {
    if (auto i = floatToInteger(key.n)) return Value::integer(*i);
  }
  return key;
}

size_t arrayBytes(uint32_t n) { return sizeof(Value) * n; }
size_t hashBytes(uint32_t capacity) { return sizeof(Node) * capacity; }
// The hash capacity that holds `count` entries: a small part may be full, a larger one keeps
// its load under 3/4.
uint32_t hashCapacityFor(uint32_t count) {
  if (count == 0) return 0;
  if (count <= kDenseHashCapacity) return std::bit_ceil(count);
  uint64_t wanted = static_cast<uint64_t>(count) * 4 / 3 + 1;
  return static_cast<uint32_t>(std::bit_ceil(wanted));
}

// The table's own block: the header, then room for `inlineRoom` nodes.
size_t blockBytes(uint32_t inlineRoom) { return sizeof(Table) + hashBytes(inlineRoom); }

}  // namespace

uint32_t hashValue(const Value& key) {
  switch (key.tag) {
    case Tag::Integer: return mix64(static_cast<uint64_t>(key.i));
    case Tag::Float: {
      uint64_t bits;
      std::memcpy(&bits, &key.n, sizeof bits);
      return mix64(bits + 0x9e37ULL);
    }
    case Tag::String: return stringHash(key.asString());
    case Tag::False: return 0x1234567u;
    case Tag::True: return 0x7654321u;
    default: return mix64(reinterpret_cast<uintptr_t>(key.p));
  }
}

Table* newTable(State& state, uint32_t arraySize, uint32_t hashSize) {
  return newTableAt(state, arraySize, hashSize, state.siteIfInspecting());
}

Table* newTableAt(State& state, uint32_t arraySize, uint32_t hashSize, uint32_t site) {
  // A small hash part's room is the capacity resize gives it.
  uint32_t inlineRoom = hashSize <= kDenseHashCapacity ? hashCapacityFor(hashSize) : 0;
  auto* t = state.allocateObjectAt<Table>(Tag::Table, blockBytes(inlineRoom), site);
  if (inlineRoom)
    t->marked |= static_cast<uint8_t>((std::countr_zero(inlineRoom) + 1) << kInlineHashRoomShift);
  t->absentMetamethods = 0;
  t->metatable = nullptr;
  t->array = nullptr;
  t->arraySize = 0;
  t->hashMask = 0;
  t->used = 0;
  t->borderHint = 0;
  t->hash = nullptr;
  if (hashSize) {
    t->resize(state, arraySize, hashSize);
  } else if (arraySize) {
    // A constructor of positional items only (`{a, b}`): the array part alone. resize's
    // general path (hash sizing, re-insertion, unwinding) has nothing to do for a fresh table
    // and was ~95 instructions a call; binary_trees makes a million and a half of these.
    auto* array = static_cast<Value*>(state.allocateRaw(arrayBytes(arraySize), Tag::Table));
    for (uint32_t i = 0; i < arraySize; ++i) array[i] = Value();
    t->array = array;
    t->arraySize = arraySize;
  }
  return t;
}

void freeTable(State& state, Table* t) {
  if (t->array) state.releaseRaw(t->array, arrayBytes(t->arraySize), Tag::Table);
  if (t->hash && !t->hashIsInline()) state.releaseRaw(t->hash, hashBytes(t->hashCapacity()), Tag::Table);
  state.releaseRaw(t, blockBytes(t->inlineHashRoom()), Tag::Table);
}

// ---- reads ----------------------------------------------------------------------------------

const Value* Table::getString(const String* key) const {
  if (key->isShort()) return getShortString(key);
  return get(Value::string(const_cast<String*>(key)));
}

const Value* Table::get(const Value& rawKey) const {
  switch (rawKey.tag) {
    case Tag::Nil: return &absentValue;
    case Tag::Integer: return getInt(rawKey.i);
    case Tag::String:
      if (rawKey.asString()->isShort()) return getShortString(rawKey.asString());
      break;
    case Tag::Float: {
      if (auto i = floatToInteger(rawKey.n)) return getInt(*i);
      if (std::isnan(rawKey.n)) return &absentValue;
      break;
    }
    default: break;
  }
  if (!hash) return &absentValue;
  uint32_t i = hashValue(rawKey) & hashMask;
  for (uint32_t left = hashMask;; --left) {
    const Node& n = hash[i];
    if (keysEqual(n.key, rawKey)) return &n.value;
    if (n.key.tag == Tag::Nil || left == 0) return &absentValue;
    i = (i + 1) & hashMask;
  }
}

// ---- resizing -------------------------------------------------------------------------------

namespace {

// Counts integer keys in [2^(b-1), 2^b) for the array-size computation.
struct KeyCensus {
  uint32_t byPowerOfTwo[33] = {};
  uint32_t totalInteger = 0;
  uint32_t total = 0;

  void add(const Value& key) {
    ++total;
    if (key.tag == Tag::Integer && key.i >= 1 && key.i <= (int64_t{1} << 31)) {
      uint64_t k = static_cast<uint64_t>(key.i);
      int bucket = k == 1 ? 0 : 64 - std::countl_zero(k - 1);
      ++byPowerOfTwo[bucket];
      ++totalInteger;
    }
  }

  // The largest n = 2^b with more than n/2 of the keys 1..n present.
  uint32_t optimalArraySize(uint32_t& inArray) const {
    uint32_t accumulated = 0, best = 0;
    inArray = 0;
    for (int b = 0; b < 32; ++b) {
      uint64_t twoToB = uint64_t{1} << b;
      accumulated += byPowerOfTwo[b];
      if (accumulated > twoToB / 2) {
        best = static_cast<uint32_t>(twoToB);
        inArray = accumulated;
      }
      if (accumulated == totalInteger && twoToB / 2 > totalInteger) break;
    }
    return best;
  }
};

}  // namespace

void Table::resize(State& state, uint32_t newArraySize, uint32_t newHashCount) {
  uint32_t newCapacity = hashCapacityFor(newHashCount);
  Value* oldArray = array;
  uint32_t oldArraySize = arraySize;
  Node* oldHash = hash;
  uint32_t oldCapacity = hashCapacity();

  bool oldIsInline = hashIsInline();
  // The inline room takes a small hash part (all of it), unless it holds the old one being
  // re-inserted.
  bool freshIsInline = newCapacity && newCapacity <= inlineHashRoom() && !oldIsInline;
  if (freshIsInline) newCapacity = inlineHashRoom();
  Node* freshHash = nullptr;
  if (freshIsInline) freshHash = inlineHash();
  else if (newCapacity) freshHash = static_cast<Node*>(state.allocateRaw(hashBytes(newCapacity), Tag::Table));
  for (uint32_t i = 0; i < newCapacity; ++i) freshHash[i] = Node();
  Value* freshArray = oldArray;
  bool arrayReallocated = false;  // grown in place (or moved by realloc): nothing to release
  if (newArraySize != oldArraySize) {
    try {
      if (newArraySize > oldArraySize && oldArray) {
        freshArray = static_cast<Value*>(state.reallocateRaw(
            oldArray, arrayBytes(oldArraySize), arrayBytes(newArraySize), Tag::Table));
        arrayReallocated = true;
        for (uint32_t i = oldArraySize; i < newArraySize; ++i) freshArray[i] = Value();
      } else {
        freshArray = static_cast<Value*>(state.allocateRaw(arrayBytes(newArraySize), Tag::Table));
        uint32_t keep = newArraySize < oldArraySize ? newArraySize : oldArraySize;
        for (uint32_t i = 0; i < keep; ++i) freshArray[i] = oldArray[i];
        for (uint32_t i = keep; i < newArraySize; ++i) freshArray[i] = Value();
      }
    } catch (...) {
      if (freshHash && !freshIsInline) state.releaseRaw(freshHash, hashBytes(newCapacity), Tag::Table);
      throw;
    }
  }
  array = freshArray;
  arraySize = newArraySize;
  hash = freshHash;
  hashMask = newCapacity ? newCapacity - 1 : 0;
  used = 0;

  // Re-insert: array elements that no longer fit, then the old hash part's live entries.
  auto reinsert = [&](const Value& key, const Value& value) {
    if (value.isNil()) return;
    if (key.tag == Tag::Integer && static_cast<uint64_t>(key.i) - 1 < arraySize) {
      array[key.i - 1] = value;
      return;
    }
    uint32_t i = hashValue(key) & hashMask;
    while (hash[i].key.tag != Tag::Nil) i = (i + 1) & hashMask;
    hash[i].key = key;
    hash[i].value = value;
    ++used;
  };
  for (uint32_t i = newArraySize; i < oldArraySize; ++i)
    reinsert(Value::integer(static_cast<int64_t>(i) + 1), oldArray[i]);
  for (uint32_t i = 0; i < oldCapacity; ++i)
    if (oldHash[i].key.tag != Tag::DeadKey) reinsert(oldHash[i].key, oldHash[i].value);

  if (freshArray != oldArray && oldArray && !arrayReallocated)
    state.releaseRaw(oldArray, arrayBytes(oldArraySize), Tag::Table);
  if (oldHash && !oldIsInline) state.releaseRaw(oldHash, hashBytes(oldCapacity), Tag::Table);
}

namespace {

// Chooses the new sizes for a table about to receive `extraKey`.
void rehash(State& state, Table* t, const Value& extraKey) {
  KeyCensus census;
  for (uint32_t i = 0; i < t->arraySize; ++i)
    if (!t->array[i].isNil()) census.add(Value::integer(static_cast<int64_t>(i) + 1));
  for (uint32_t i = 0; i < t->hashCapacity(); ++i) {
    const Node& n = t->hash[i];
    if (n.key.tag != Tag::Nil && n.key.tag != Tag::DeadKey && !n.value.isNil()) census.add(n.key);
  }
  census.add(extraKey);
  uint32_t inArray = 0;
  uint32_t arraySize = census.optimalArraySize(inArray);
  t->resize(state, arraySize, census.total - inArray);
}

}  // namespace

// ---- writes ---------------------------------------------------------------------------------

Value* Table::slotFor(State& state, const Value& rawKey) {
  absentMetamethods = 0;
  Value key = normalizeKey(rawKey);
  if (key.tag == Tag::Integer && static_cast<uint64_t>(key.i) - 1 < arraySize) return &array[key.i - 1];
  if (hash) {
    uint32_t i = hashValue(key) & hashMask;
    for (uint32_t left = hashMask;; --left) {
      Node& n = hash[i];
      if (keysEqual(n.key, key)) return &n.value;
      if (n.key.tag == Tag::Nil || left == 0) break;
      i = (i + 1) & hashMask;
    }
    uint32_t capacity = hashCapacity();
    bool room = capacity <= kDenseHashCapacity ? used < capacity : (used + 1) * 4 <= capacity * 3;
    if (room) {
      // The probe ended on an empty slot: claim it.
      Node& n = hash[i];
      n.key = key;
      n.value = Value();
      ++used;
      return &n.value;
    }
  }
  rehash(state, this, key);
  return slotFor(state, key);
}

void Table::set(State& state, const Value& key, const Value& value) {
  absentMetamethods = 0;
  const Value* existing = get(key);
  if (existing != &absentValue) {
    *const_cast<Value*>(existing) = value;
    return;
  }
  if (value.isNil()) return;  // assigning nil to an absent key creates nothing
  *slotFor(state, key) = value;
}

void Table::setInt(State& state, int64_t key, const Value& value) {
  if (static_cast<uint64_t>(key) - 1 < arraySize) {
    array[key - 1] = value;
    return;
  }
  set(state, Value::integer(key), value);
}

// ---- length and iteration -------------------------------------------------------------------

uint64_t Table::length() {
  if (arraySize > 0 && array[arraySize - 1].isNil()) {
    // A border inside the array part. First try where the last one was, just after it (a
    // push) and just before it (a pop).
    uint32_t h = borderHint < arraySize ? borderHint : 0;
    if ((h == 0 || !array[h - 1].isNil()) && array[h].isNil()) return h;
    if (h + 1 < arraySize && !array[h].isNil() && array[h + 1].isNil()) {
      borderHint = h + 1;
      return h + 1;
    }
    if (h > 0 && array[h - 1].isNil() && (h == 1 || !array[h - 2].isNil())) {
      borderHint = h - 1;
      return h - 1;
    }
    // Otherwise binary search for it.
    uint32_t lo = 0, hi = arraySize;  // array[lo-1] non-nil (or lo == 0), array[hi-1] nil
    if (array[0].isNil()) return 0;
    lo = 1;
    while (hi - lo > 1) {
      uint32_t mid = lo + (hi - lo) / 2;
      if (array[mid - 1].isNil()) hi = mid;
      else lo = mid;
    }
    borderHint = lo;
    return lo;
  }
  if (!hash) return arraySize;
  // The array part is full: continue into the hash part (unbounded search, then binary).
  uint64_t i = arraySize, j = arraySize + 1;
  while (!getInt(static_cast<int64_t>(j))->isNil()) {
    i = j;
    if (j > (uint64_t{1} << 62)) {
      // Pathological table: linear search for a border.
      uint64_t k = 1;
      while (!getInt(static_cast<int64_t>(k))->isNil()) ++k;
      return k - 1;
    }
    j *= 2;
  }
  while (j - i > 1) {
    uint64_t mid = (i + j) / 2;
    if (getInt(static_cast<int64_t>(mid))->isNil()) j = mid;
    else i = mid;
  }
  return i;
}

bool Table::next(State& state, Value& key, Value& value) const {
  uint32_t index = 0;  // position to scan from: 0..arraySize-1 array, then hash slots
  if (!key.isNil()) {
    Value k = normalizeKey(key);
    if (k.tag == Tag::Integer && static_cast<uint64_t>(k.i) - 1 < arraySize) {
      index = static_cast<uint32_t>(k.i);
    } else {
      bool found = false;
      if (hash) {
        // The live entry for the key wins; a dead entry for the same object is the fallback
        // (the key was cleared during the traversal). A dead entry may also hold the address
        // of an older, freed object that the key now reuses: only a live match is exact.
        int64_t dead = -1;
        uint32_t i = hashValue(k) & hashMask;
        for (uint32_t left = hashMask;; --left) {
          const Node& n = hash[i];
          if (keysEqual(n.key, k)) {
            index = arraySize + i + 1;
            found = true;
            break;
          }
          if (dead < 0 && n.key.tag == Tag::DeadKey && k.isCollectable() && n.key.gc == k.gc) dead = i;
          if (n.key.tag == Tag::Nil || left == 0) break;
          i = (i + 1) & hashMask;
        }
        if (!found && dead >= 0) {
          index = arraySize + static_cast<uint32_t>(dead) + 1;
          found = true;
        }
      }
      if (!found) state.throwMessage(*state.running, "invalid key to 'next'");
    }
  }
  for (; index < arraySize; ++index) {
    if (!array[index].isNil()) {
      key = Value::integer(static_cast<int64_t>(index) + 1);
      value = array[index];
      return true;
    }
  }
  for (uint32_t i = index - arraySize; i < hashCapacity(); ++i) {
    const Node& n = hash[i];
    if (n.key.tag != Tag::Nil && n.key.tag != Tag::DeadKey && !n.value.isNil()) {
      key = n.key;
      value = n.value;
      return true;
    }
  }
  return false;
}

}  // namespace lunette
