// The heap verifier: checks every object and every reference of the heap against what the
// collector promises in the phase it is in (gc/collector.h states the invariants). References
// are followed through gc/references.h, the walker the collector's traversal uses, so the
// verifier sees exactly the edges the collector marks.
//
// What it checks, after any collector step (never in the middle of one):
//  - Accounting: bytesByKind adds up to heapBytes; every kind's objects, counted on the lists,
//    match countByKind, and their sizes (objectBytes) match bytesByKind.
//  - Lists: objects on the all-objects list are not flagged finalizable, those on the
//    finalizable and to-be-finalized lists are; every entry of the gray list is gray, every
//    entry of the gray-again list is gray, a table in a chunked walk is not white.
//  - Colours by phase (incremental and luajit modes):
//      Pause, CallFinalizers: every object has the current white.
//      Propagate: no object has the dead white; a gray object is on the gray or gray-again
//        list; no thread is black; the roots are not white; no black object refers to a white
//        one (the tri-colour invariant), except where the barrier rules allow it: the weak
//        parts of weak tables, the value of an open upvalue (a stack slot: the atomic phase
//        re-traverses the stack), and the slots a chunked table walk has not reached yet.
//      Sweep: objects the sweep has passed have the current white, and no object that
//        survives this sweep refers to one that does not (a dead white).
//  - Generational mode between collections: old objects (from the old boundary on) are never
//    white and young ones never black; a gray object is on a gray list; no black object refers
//    to a white one except through black threads (each must be on the old-threads list, which
//    every minor collection rescans), the weak parts of the weak tables on the old-weak-tables
//    list (a table that became weak when old takes barriers like any other), and open
//    upvalues.
#pragma once

#include <string>
#include <unordered_set>

#include "gc/collector.h"

namespace lunette {

class HeapVerifier {
 public:
  HeapVerifier(State& state, const Collector& collector) : S_(state), gc_(collector) {}
  // The first problem found, or an empty string when the heap is sound.
  std::string run();

 private:
  State& S_;
  const Collector& gc_;
  std::string problem_;
  std::unordered_set<const GcObject*> grayListed_;
  std::unordered_set<const Table*> inWalk_;
  std::array<size_t, kTagCount> counted_{};
  std::array<size_t, kTagCount> bytes_{};

  enum class Segment { All, Finalizable, ToBeFinalized };
  bool fail(std::string text);
  bool checkLists();
  bool checkObject(GcObject* o, Segment segment, bool swept, bool old, bool unswept);
  bool checkEdges(GcObject* o);
  bool checkAccounting();
  std::string describe(const GcObject* o) const;
  const char* colourOf(const GcObject* o) const;
  bool isDead(const GcObject* o) const;
  bool isGray(const GcObject* o) const;
};

}  // namespace lunette
