// The `table` library (manual section 6.6): concat, insert, move, pack, remove, sort, unpack.
//
// Like 5.4, every element access goes through the metamethod-aware getI/setI (sort excepted, see
// below: where no metamethod can be involved it skips them) and lengths
// through lenAsInteger, so proxies with __index/__newindex/__len work. A non-table argument is
// accepted when its metatable provides the metamethods the function needs.
//
// sort is a quicksort with median-of-three pivots that recurses into the smaller half and loops
// on the larger, so its C++ stack depth is logarithmic whatever the comparator does. It never
// trusts the comparator: the partition scans stop at the interval's ends and report "invalid
// order function for sorting" instead of running off them. When a split is badly unbalanced
// the pivot choice is randomised for the rest of the sort, which defeats adversarial inputs.
// Without a comparator, a plain table whose elements are all integers or all strings in its
// array part is sorted in place by std::sort instead (sortPlainArray: no comparison there can
// fail or call anything, and equal elements are indistinguishable, so the result is the same).
// The comparator runs through L.call, a C-call boundary (it cannot yield). A table without a
// metatable is read and written directly where its array part holds the elements (see
// Sorter), which gives the same result as getI/setI there.
#include <algorithm>
#include <climits>
#include <ctime>
#include <string>

#include "lib/libs.h"
#include "vm/interpreter.h"
#include "vm/state.h"

namespace lunette {

namespace {

// ---- argument checks --------------------------------------------------------------------

enum Access : unsigned { kRead = 1, kWrite = 2, kLength = 4 };

// True if the metatable at -depth has a non-nil raw field `event`; leaves the field pushed.
bool metatableHas(Lua& L, std::string_view event, int depth) {
  L.pushString(event);
  return L.rawGet(-depth) != Type::Nil;
}

// Requires a table, or a value whose metatable supplies every metamethod in `needs`.
void checkTableLike(Lua& L, int arg, unsigned needs) {
  if (L.type(arg) == Type::Table) return;
  int pushed = 1;  // the metatable, then each tested field
  if (L.getMetatable(arg) && (!(needs & kRead) || metatableHas(L, "__index", ++pushed)) &&
      (!(needs & kWrite) || metatableHas(L, "__newindex", ++pushed)) &&
      (!(needs & kLength) || metatableHas(L, "__len", ++pushed))) {
    L.pop(pushed);
    return;
  }
  L.checkType(arg, Type::Table);  // raises "table expected, got ..."
}

// The length of the table-like argument, checked for the given accesses.
int64_t lengthOf(Lua& L, int arg, unsigned needs) {
  checkTableLike(L, arg, needs | kLength);
  return L.lenAsInteger(arg);
}

// ---- insert, remove, move, pack, unpack ---------------------------------------------------

// insert and remove shift elements. When argument 1 is a table without a metatable (nothing
// could observe the individual reads and writes) and every slot involved is in its array
// part, they move the array slots directly. While the collector marks, moving values inside a
// table it walks in chunks could carry an unmarked value behind its cursor: such a table takes
// the general path; any other goes gray again (barrierBackAll) as a SETLIST target does.
Table* tableForDirectShift(Lua& L, int64_t lastSlot) {
  Thread& thread = L.thread();
  const Value& arg = thread.stack[thread.calls.back().base];
  if (arg.tag != Tag::Table) return nullptr;
  Table* t = arg.asTable();
  if (t->metatable || lastSlot < 1 || static_cast<uint64_t>(lastSlot) > t->arraySize) return nullptr;
  if (L.state().collector.isMarking() && Collector::isBigTable(t)) return nullptr;
  return t;
}

void afterDirectShift(Lua& L, Table* t) {
  t->absentMetamethods = 0;  // a raw write (see vm/table.h)
  L.state().collector.barrierBackAll(t);
}

int tableInsert(Lua& L) {
  // One past the end, wrapping like the reference if the length is maxinteger.
  const uint64_t length = static_cast<uint64_t>(lengthOf(L, 1, kRead | kWrite));
  const int64_t end = static_cast<int64_t>(length + 1);
  int64_t pos;
  switch (L.top()) {
    case 2:
      pos = end;  // append
      if (Table* t = tableForDirectShift(L, end)) {
        t->array[end - 1] = L.thread().stack[L.thread().top - 1];
        afterDirectShift(L, t);
        return 0;
      }
      break;
    case 3: {
      pos = L.checkInteger(2);
      // 1 <= pos <= end, written so that it cannot overflow.
      L.argCheck(static_cast<uint64_t>(pos) - 1u < static_cast<uint64_t>(end), 2,
                 "position out of bounds");
      if (Table* t = tableForDirectShift(L, end)) {
        Value* slots = t->array;
        std::copy_backward(slots + pos - 1, slots + end - 1, slots + end);
        slots[pos - 1] = L.thread().stack[L.thread().top - 1];
        afterDirectShift(L, t);
        return 0;
      }
      for (int64_t i = end; i > pos; --i) {  // shift up t[pos..end-1]
        L.getI(1, i - 1);
        L.setI(1, i);
      }
      break;
    }
    default:
      L.raise("wrong number of arguments to 'insert'");
  }
  L.setI(1, pos);  // the value is on the top
  return 0;
}

int tableRemove(Lua& L) {
  const int64_t size = lengthOf(L, 1, kRead | kWrite);
  int64_t pos = L.optInteger(2, size);
  // pos == size is always allowed (so remove on an empty table reads t[0]); otherwise
  // 1 <= pos <= size + 1. The reference blames argument #1 here, and so do we.
  if (pos != size) {
    L.argCheck(static_cast<uint64_t>(pos) - 1u <= static_cast<uint64_t>(size), 1,
               "position out of bounds");
  }
  if (pos >= 1 && pos <= size) {
    if (Table* t = tableForDirectShift(L, size)) {
      Value* slots = t->array;
      Value removed = slots[pos - 1];
      std::copy(slots + pos, slots + size, slots + pos - 1);
      slots[size - 1] = Value();
      afterDirectShift(L, t);
      Thread& thread = L.thread();
      thread.stack[thread.top++] = removed;  // (a native has kMinNativeStack free slots)
      return 1;
    }
  }
  L.getI(1, pos);  // the result
  for (; pos < size; ++pos) {
    L.getI(1, pos + 1);
    L.setI(1, pos);
  }
  L.pushNil();
  L.setI(1, pos);
  return 1;
}

// table.move(a1, f, e, t [, a2]): a2[t..] = a1[f..e], copying in the direction that is safe
// when the ranges overlap in the same table.
int tableMove(Lua& L) {
  const int64_t first = L.checkInteger(2);
  const int64_t last = L.checkInteger(3);
  const int64_t target = L.checkInteger(4);
  const int destination = L.isNoneOrNil(5) ? 1 : 5;
  checkTableLike(L, 1, kRead);
  checkTableLike(L, destination, kWrite);
  if (last >= first) {
    L.argCheck(first > 0 || last < INT64_MAX + first, 3, "too many elements to move");
    const int64_t count = last - first;  // one less than the number of elements
    L.argCheck(target <= INT64_MAX - count, 4, "destination wrap around");
    const bool forward = target > last || target <= first ||
                         (destination != 1 && !L.compare(1, destination, CompareOp::Eq));
    // Each kChargeEvery elements count as as many instructions (State::chargeNativeWork).
    constexpr int64_t kChargeEvery = 4096;
    State& S = L.state();
    if (forward) {
      for (int64_t i = 0; i <= count; ++i) {
        if (i % kChargeEvery == kChargeEvery - 1) S.chargeNativeWork(kChargeEvery);
        L.getI(1, first + i);
        L.setI(destination, target + i);
      }
    } else {
      for (int64_t i = count; i >= 0; --i) {
        if (i % kChargeEvery == kChargeEvery - 1) S.chargeNativeWork(kChargeEvery);
        L.getI(1, first + i);
        L.setI(destination, target + i);
      }
    }
  }
  L.pushValue(destination);
  return 1;
}

int tablePack(Lua& L) {
  const int n = L.top();
  L.newTable(n, 1);
  L.insert(1);
  for (int i = n; i >= 1; --i) L.setI(1, i);  // pops the arguments from the top down
  L.pushInteger(n);
  L.setField(1, "n");
  return 1;
}

// Results beyond what a stack can hold; the reference fails at its stack limit of 1,000,000
// slots, with a few slots of headroom.
constexpr uint64_t kMaxUnpack = 1000000 - 64;

int tableUnpack(Lua& L) {
  int64_t i = L.optInteger(2, 1);
  const int64_t last = L.isNoneOrNil(3) ? L.lenAsInteger(1) : L.checkInteger(3);
  if (i > last) return 0;
  const uint64_t count = static_cast<uint64_t>(last) - static_cast<uint64_t>(i) + 1;
  if (count == 0 || count >= INT_MAX || count >= kMaxUnpack - static_cast<uint64_t>(L.top())) {
    L.raise("too many results to unpack");
  }
  L.checkStack(static_cast<int>(count), "too many results to unpack");
  for (; i < last; ++i) L.getI(1, i);
  L.getI(1, last);  // separate so that last == maxinteger does not overflow the loop
  return static_cast<int>(count);
}

// ---- concat ------------------------------------------------------------------------------

// Appends t[i], which must be a string or a number.
void appendElement(Lua& L, std::string& out, int64_t i) {
  L.getI(1, i);
  if (!L.isString(-1)) {
    std::string message = "invalid value (";
    message += L.typeNameAt(-1);
    message += ") at index ";
    message += std::to_string(i);
    message += " in table for 'concat'";
    L.raise(message);
  }
  out += *L.toString(-1);
  L.pop();
}

int tableConcat(Lua& L) {
  int64_t last = lengthOf(L, 1, kRead);
  const std::string separator(L.optString(2, ""));
  int64_t i = L.optInteger(3, 1);
  last = L.optInteger(4, last);
  std::string out;
  for (; i < last; ++i) {
    appendElement(L, out, i);
    out += separator;
  }
  if (i == last) appendElement(L, out, i);  // not in the loop: last may be maxinteger
  L.pushString(out);
  return 1;
}

// ---- sort --------------------------------------------------------------------------------

using Index = unsigned int;

// Interval size below which the middle element is always the pivot candidate.
constexpr Index kRandomPivotThreshold = 100;

// The values a sort has in hand live in stack slots of its own frame: slot 1 is the table, 2
// the comparator (or nil), kPivot the pivot, kLeft and kRight the elements being compared or
// swapped. On the stack they stay reachable whatever a comparator or metamethod does to the
// table (a value held only in a C++ local could be freed by a collection the comparator
// triggers after it removed the value from the table). Slots are addressed by index and the
// stack re-read at every access: a comparator may grow (move) the stack.
//
// Elements of a table without a metatable that lie in its array part are read and written
// directly (with the collector's barrier): there getI/setI would find no metamethod to call, so
// the result is the same, and the API's index resolution and stack traffic were most of a
// sort's cost. The test is made at every access, since a comparator may set a metatable or
// resize the table midway; anything else goes through getI/setI.
class Sorter {
 public:
  static constexpr int kPivot = 3, kLeft = 4, kRight = 5;

  explicit Sorter(Lua& L)
      : L_(L), S_(L.state()), thread_(L.thread()), base_(L.thread().calls.back().func),
        order_(L.isNil(2) ? Order::LessThan : Order::Comparator) {
    L.setTop(kRight);
  }

  void sort(Index lo, Index up, unsigned int salt);

 private:
  enum class Order : bool { LessThan, Comparator };
  Lua& L_;
  State& S_;
  Thread& thread_;
  const int base_;  // stack index of the sort function itself: slot k is base_ + k
  const Order order_;

  Value& slot(int k) { return thread_.stack[base_ + k]; }
  // The table, when its elements can be accessed raw: a table without a metatable.
  Table* plainTable() {
    const Value& t = slot(1);
    if (!t.isTable() || t.asTable()->metatable) return nullptr;
    return t.asTable();
  }
  void load(int k, Index i);
  void store(Index i, int k);
  bool before(int a, int b);
  [[noreturn]] void invalidOrder() { L_.raise("invalid order function for sorting"); }
  bool sortEndsAndMiddle(Index lo, Index up, Index p);
  Index partition(Index lo, Index up);
};

// slot k = t[i].
void Sorter::load(int k, Index i) {
  if (Table* h = plainTable(); h && i - 1 < h->arraySize) {
    slot(k) = h->array[i - 1];
    return;
  }
  L_.getI(1, i);
  slot(k) = thread_.stack[thread_.top - 1];
  L_.pop();
}

// t[i] = slot k.
void Sorter::store(Index i, int k) {
  if (Table* h = plainTable(); h && i - 1 < h->arraySize) {
    const Value& v = slot(k);
    h->array[i - 1] = v;
    S_.collector.barrierBackValue(h, v);
    return;
  }
  L_.pushValue(k);
  L_.setI(1, i);
}

// Whether slot a's value sorts before slot b's: `<` (numbers of one kind compared here, the
// rest with __lt and string order as the operator does) or the comparator.
bool Sorter::before(int a, int b) {
  if (order_ == Order::LessThan) {
    const Value x = slot(a), y = slot(b);  // both stay in their slots: a metamethod may run
    if (x.tag == y.tag) {
      if (x.tag == Tag::Integer) return x.i < y.i;
      if (x.tag == Tag::Float) return x.n < y.n;
    }
    return lessThan(S_, thread_, x, y);
  }
  // comparator(slot a, slot b), called just above the sort's slots; its result lands there.
  ensureStack(S_, thread_, 3);
  const int call = thread_.top;
  Value* args = thread_.stack + call;
  args[0] = slot(2);
  args[1] = slot(a);
  args[2] = slot(b);
  thread_.top = call + 3;
  callFromNative(S_, thread_, call, 1);
  thread_.top = call;
  return thread_.stack[call].isTruthy();
}

// A varying value for pivot randomisation; quality does not matter, only unpredictability.
unsigned int pivotSalt() {
  const auto c = static_cast<unsigned int>(std::clock());
  const auto t = static_cast<unsigned int>(std::time(nullptr));
  return c + t * 2654435761u;
}

// A pivot position in the middle half of [lo, up], chosen by `salt`.
Index randomPivot(Index lo, Index up, unsigned int salt) {
  const Index quarter = (up - lo) / 4;
  return salt % (quarter * 2) + (lo + quarter);
}

// Expects the pivot P in its slot and also stored at t[up - 1]; afterwards t[lo..p-1] <= P ==
// t[p] <= t[p+1..up]. Returns p.
Index Sorter::partition(Index lo, Index up) {
  Index i = lo;      // incremented before use
  Index j = up - 1;  // decremented before use
  for (;;) {
    // Advance i while t[i] < P; t[up - 1] == P must stop it, or the order is inconsistent.
    while (load(kLeft, ++i), before(kLeft, kPivot)) {
      if (i == up - 1) invalidOrder();
    }
    // Retreat j while P < t[j]; t[lo] <= P must stop it before it crosses i.
    while (load(kRight, --j), before(kPivot, kRight)) {
      if (j < i) invalidOrder();
    }
    if (j < i) {
      store(up - 1, kLeft);  // the pivot goes to its final place i; t[i] to up - 1
      store(i, kPivot);
      return i;
    }
    store(i, kRight);  // swap the out-of-place pair and keep scanning
    store(j, kLeft);
  }
}

// Orders t[lo], t[p] and t[up] among themselves (the median-of-three step); true if the
// interval has at most three elements and is therefore fully sorted.
bool Sorter::sortEndsAndMiddle(Index lo, Index up, Index p) {
  load(kLeft, lo);
  load(kRight, up);
  if (before(kRight, kLeft)) {
    store(lo, kRight);
    store(up, kLeft);
  }
  if (up - lo == 1) return true;
  load(kLeft, p);
  load(kRight, lo);
  if (before(kLeft, kRight)) {
    store(p, kRight);
    store(lo, kLeft);
  } else {
    load(kRight, up);
    if (before(kRight, kLeft)) {
      store(p, kRight);
      store(up, kLeft);
    }
  }
  return up - lo == 2;
}

void Sorter::sort(Index lo, Index up, unsigned int salt) {
  while (lo < up) {
    const Index p0 = (up - lo < kRandomPivotThreshold || salt == 0) ? lo + (up - lo) / 2
                                                                     : randomPivot(lo, up, salt);
    if (sortEndsAndMiddle(lo, up, p0)) return;
    // Park the pivot at up - 1 (t[lo] <= P <= t[up] bound the scans), keeping it in its slot.
    load(kPivot, p0);
    load(kLeft, up - 1);
    store(p0, kLeft);
    store(up - 1, kPivot);
    const Index p = partition(lo, up);
    Index smaller;
    if (p - lo < up - p) {
      sort(lo, p - 1, salt);
      smaller = p - lo;
      lo = p + 1;
    } else {
      sort(p + 1, up, salt);
      smaller = up - p;
      up = p - 1;
    }
    // A very lopsided split suggests a bad pivot sequence: randomise from now on.
    if ((up - lo) / 128 > smaller) salt = pivotSalt();
  }
}

// The default order on a table without a metatable whose elements 1..n all lie in its array
// part and are all integers or all strings: sorted in place, without Sorter's slot traffic.
// Nothing here can call Lua, raise an error or allocate (so no collection runs and no value
// needs a slot to stay reachable), and elements that compare equal cannot be told apart (equal
// integers; equal strings, whatever objects hold them), so any correct sort gives the result
// Sorter would. False, touching nothing, when the table does not qualify. The permutation
// stores no value the table did not hold; the barrier is taken anyway, as the stores are raw.
bool sortPlainArray(Lua& L, int64_t n) {
  const Thread& T = L.thread();
  const Value& v = T.stack[T.calls.back().func + 1];
  if (!v.isTable() || v.asTable()->metatable) return false;
  Table* t = v.asTable();
  if (static_cast<uint64_t>(n) > t->arraySize) return false;
  Value* first = t->array;
  Value* last = first + n;
  const Tag kind = first->tag;
  if (kind != Tag::Integer && kind != Tag::String) return false;
  for (const Value* e = first + 1; e != last; ++e)
    if (e->tag != kind) return false;
  if (kind == Tag::Integer) {
    std::sort(first, last, [](const Value& a, const Value& b) { return a.i < b.i; });
  } else {
    // string_view's order is the bytes' as unsigned char, then the length: the `<` of strings.
    std::sort(first, last, [](const Value& a, const Value& b) {
      return a.asString()->view() < b.asString()->view();
    });
  }
  L.state().collector.barrierBackAll(t);
  return true;
}

int tableSort(Lua& L) {
  const int64_t n = lengthOf(L, 1, kRead | kWrite);
  if (n > 1) {
    L.argCheck(n < INT_MAX, 1, "array too big");
    if (!L.isNoneOrNil(2)) L.checkType(2, Type::Function);
    L.setTop(2);  // slot 2 is the comparator or nil
    if (L.isNil(2) && sortPlainArray(L, n)) return 0;
    Sorter(L).sort(1, static_cast<Index>(n), 0);
  }
  return 0;
}

}  // namespace

int openTable(Lua& L) {
  L.newTable(0, 7);
  L.setFunctions({
      {"concat", tableConcat},
      {"insert", tableInsert},
      {"pack", tablePack},
      {"unpack", tableUnpack},
      {"remove", tableRemove},
      {"move", tableMove},
      {"sort", tableSort},
  });
  return 1;
}

}  // namespace lunette
