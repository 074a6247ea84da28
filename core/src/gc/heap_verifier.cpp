// The heap verifier; heap_verifier.h lists what it checks and why.
#include "gc/heap_verifier.h"

#include <algorithm>
#include <cstdio>

#include "gc/references.h"
#include "vm/state.h"

namespace lunette {

const char* edgeKindName(EdgeKind kind) {
  switch (kind) {
    case EdgeKind::Metatable: return "metatable";
    case EdgeKind::ArraySlot: return "array slot";
    case EdgeKind::HashKey: return "hash key";
    case EdgeKind::HashValue: return "hash value";
    case EdgeKind::EmptyKey: return "key of an emptied entry";
    case EdgeKind::Proto: return "prototype";
    case EdgeKind::Upvalue: return "upvalue";
    case EdgeKind::UpvalueValue: return "upvalue's value";
    case EdgeKind::OpenUpvalue: return "open upvalue";
    case EdgeKind::StackSlot: return "stack slot";
    case EdgeKind::ErrorValue: return "error value";
    case EdgeKind::Source: return "source";
    case EdgeKind::Constant: return "constant";
    case EdgeKind::ChildProto: return "child prototype";
    case EdgeKind::Name: return "name";
  }
  return "?";
}

namespace {

const char* kindName(Tag kind) {
  switch (kind) {
    case Tag::String: return "string";
    case Tag::Table: return "table";
    case Tag::LuaClosure: return "Lua closure";
    case Tag::NativeClosure: return "native closure";
    case Tag::Userdata: return "userdata";
    case Tag::UpVal: return "upvalue";
    case Tag::Proto: return "prototype";
    case Tag::Thread: return "thread";
    default: return "object";
  }
}

// The bytes a thread accounts for: its header, its stack and its frame storage.
size_t accountedBytes(const GcObject* o) {
  size_t bytes = objectBytes(o);
  if (o->kind == Tag::Thread) bytes += static_cast<const Thread*>(o)->calls.capacityBytes();
  return bytes;
}

}  // namespace

bool HeapVerifier::fail(std::string text) {
  if (problem_.empty()) problem_ = std::move(text);
  return false;
}

bool HeapVerifier::isDead(const GcObject* o) const {
  return (o->marked & (gc_.currentWhite ^ kWhiteBits)) != 0;
}

bool HeapVerifier::isGray(const GcObject* o) const { return (o->marked & (kWhiteBits | kBlack)) == 0; }

const char* HeapVerifier::colourOf(const GcObject* o) const {
  if ((o->marked & kWhiteBits) == kWhiteBits) return "both whites";
  if ((o->marked & kWhiteBits) && (o->marked & kBlack)) return "white and black";
  if (isDead(o)) return "dead white";
  if (o->marked & kWhiteBits) return "white";
  if (o->marked & kBlack) return "black";
  return "gray";
}

std::string HeapVerifier::describe(const GcObject* o) const {
  char address[32];
  std::snprintf(address, sizeof address, "%p", static_cast<const void*>(o));
  return std::string("a ") + colourOf(o) + " " + kindName(o->kind) + " (" + address + ")";
}

std::string HeapVerifier::run() {
  if (checkLists()) {
    // All objects, with their place: the sweep cursor divides the all-objects list in a sweep,
    // the old boundary divides it in generational mode.
    // In generational mode a young sweep leaves, from its cursor to the old boundary, the
    // objects the last minor collection judged and the sweep has not reached yet.
    bool swept = gc_.phase == GcPhase::Sweep && gc_.sweepCursor_ != nullptr;
    bool youngSweep = swept && gc_.generationalActive_;
    bool old = false, unswept = false;
    bool ok = true;
    for (GcObject* const* link = &gc_.allObjects; ok && *link; link = &(*link)->next) {
      if (link == gc_.sweepCursor_) {
        swept = false;
        unswept = youngSweep;
      }
      if (*link == gc_.oldBoundary_ && gc_.generationalActive_) old = true, unswept = false;
      ok = checkObject(*link, Segment::All, swept, old, unswept);
    }
    // Between generational collections the finalizable list is young up to its old part.
    bool oldFinalizable = false;
    for (GcObject* o = gc_.finalizable; ok && o; o = o->next) {
      if (o == gc_.oldFinalizable_ && gc_.generationalActive_) oldFinalizable = true;
      ok = checkObject(o, Segment::Finalizable, false, oldFinalizable, false);
    }
    for (GcObject* o : gc_.toBeFinalized) {
      if (!ok) break;
      ok = checkObject(o, Segment::ToBeFinalized, false, false, false);
    }
    if (ok) checkAccounting();
  }
  return problem_;
}

bool HeapVerifier::checkLists() {
  for (const GcObject* o : gc_.gray_) {
    if (!isGray(o)) return fail("the gray list holds " + describe(o));
    if (!grayListed_.insert(o).second) return fail("the gray list holds " + describe(o) + " twice");
  }
  for (const GcObject* o : gc_.grayAgain_) {
    if (!isGray(o)) return fail("the gray-again list holds " + describe(o));
    if (!grayListed_.insert(o).second)
      return fail(describe(o) + " is on the gray lists twice");
  }
  for (const auto& walk : gc_.walks_) {
    // A walk whose table went gray again ends at its next chunk; the table is on a gray list.
    if (walk.table->marked & kWhiteBits) return fail("the table in a chunked walk is " + describe(walk.table));
    inWalk_.insert(walk.table);
  }
  if (gc_.phase == GcPhase::Propagate && !gc_.generationalActive_) {
    for (const GcObject* root : {static_cast<const GcObject*>(S_.mainThread),
                                 static_cast<const GcObject*>(S_.registry),
                                 static_cast<const GcObject*>(S_.globals)})
      if (root && (root->marked & kWhiteBits)) return fail("a root is " + describe(root) + " while marking");
  }
  return true;
}

bool HeapVerifier::checkObject(GcObject* o, Segment segment, bool swept, bool old, bool unswept) {
  size_t kind = static_cast<size_t>(o->kind);
  if (kind >= counted_.size()) return fail("an object of unknown kind " + std::to_string(kind));
  ++counted_[kind];
  bytes_[kind] += accountedBytes(o);
  uint8_t whites = o->marked & kWhiteBits;
  if (whites == kWhiteBits || (whites && (o->marked & kBlack))) return fail("an object is " + describe(o));
  bool finalizableFlag = (o->marked & kFinalized) != 0;
  if (segment == Segment::All && finalizableFlag)
    return fail(describe(o) + " on the all-objects list is flagged finalizable");
  if (segment != Segment::All && !finalizableFlag)
    return fail(describe(o) + " on a finalizer list is not flagged finalizable");
  if (o->kind == Tag::String && isGray(o)) return fail("a string is gray: " + describe(o));
  if (isGray(o) && !grayListed_.count(o))
    return fail(describe(o) + " is on no gray list");

  if (gc_.generationalActive_) {
    if (isDead(o)) {
      if (unswept) return true;  // garbage the young sweep has not freed yet may point anywhere
      return fail(describe(o) + " between generational collections");
    }
    if (old && whites) return fail("an old object is " + describe(o));
    // During a young sweep the survivors ahead of the old boundary are black already. A young
    // string is black once a forward barrier (a store into an old big table) marked it: strings
    // have no children, so marking them is blackening them.
    bool promoting = gc_.phase == GcPhase::Sweep;
    if (segment == Segment::All && !old && !promoting && o->kind != Tag::String && (o->marked & kBlack))
      return fail("a young object is " + describe(o));
    // A surviving thread joins the old threads when the sweep reaches it, before the next
    // minor collection rescans them.
    if (unswept && o->kind == Tag::Thread) return true;
    return checkEdges(o);
  }
  switch (gc_.phase) {
    case GcPhase::Pause:
    case GcPhase::CallFinalizers:
      if (o->marked != ((o->marked & (kFinalized | kInlineHashRoomBits)) | gc_.currentWhite))
        return fail(describe(o) + " in the " + gcPhaseName(gc_.phase) + " phase");
      return true;
    case GcPhase::Propagate:
    case GcPhase::Atomic:
      if (isDead(o)) return fail(describe(o) + " while marking");
      if (o->kind == Tag::Thread && (o->marked & kBlack))
        return fail(describe(o) + " while marking: stacks take no barriers");
      return checkEdges(o);
    case GcPhase::Sweep:
      if (swept && !(o->marked & gc_.currentWhite)) return fail(describe(o) + " behind the sweep");
      if (isDead(o)) return true;  // garbage may point anywhere
      return checkEdges(o);
  }
  return true;
}

// The references of one object, against the rule of the phase (see heap_verifier.h).
bool HeapVerifier::checkEdges(GcObject* o) {
  bool sweeping = !gc_.generationalActive_ && gc_.phase == GcPhase::Sweep;
  if (!sweeping && !(o->marked & kBlack)) return true;  // only black objects promise anything
  // Which references the barrier rules exempt.
  bool skipKeys = false, skipValues = false;
  uint32_t walkedUpTo = UINT32_MAX;  // slots of a chunked walk below this are checked
  if (o->kind == Tag::Table && !sweeping) {
    auto* t = static_cast<Table*>(o);
    switch (tableWeakness(S_, t)) {
      case TableWeakness::None: break;
      case TableWeakness::Values: skipValues = true; break;
      case TableWeakness::Keys:
      case TableWeakness::Both: skipKeys = skipValues = true; break;
    }
    if ((skipKeys || skipValues) && gc_.generationalActive_) {
      // Only the old weak tables every minor collection re-traverses may refer to young
      // objects; one that became weak when it was old already is held to the full rule
      // (a store of a young object into it sends it to the gray-again list).
      const auto& weak = gc_.oldWeakTables_;
      if (std::find(weak.begin(), weak.end(), t) == weak.end()) skipKeys = skipValues = false;
    }
    if (inWalk_.count(t)) {
      // The slots a walk has passed are sound; after a resize (the walk will start over) no
      // slot is known to be passed. The innermost walk of a table counts (it is the latest).
      walkedUpTo = 0;
      for (const auto& walk : gc_.walks_)
        if (walk.table == t) walkedUpTo = walk.sameShape(t) ? walk.next : 0;
    }
  }
  if (o->kind == Tag::Thread && gc_.generationalActive_) {
    const auto& threads = gc_.oldThreads_;
    if (std::find(threads.begin(), threads.end(), static_cast<Thread*>(o)) == threads.end())
      return fail(describe(o) + " is not on the old-threads list");
    return true;  // its stack is rescanned by every minor collection
  }
  bool openUpvalue = o->kind == Tag::UpVal && static_cast<UpVal*>(o)->isOpen();
  uint32_t arraySize = o->kind == Tag::Table ? static_cast<Table*>(o)->arraySize : 0;
  bool ok = true;
  forEachReference(o, [&](Value& v, Edge e) {
    if (!ok) return;
    GcObject* child = v.gc;
    switch (e.kind) {
      case EdgeKind::EmptyKey: return;
      case EdgeKind::ArraySlot:
        if (skipValues || e.index >= walkedUpTo) return;
        break;
      case EdgeKind::HashKey:
      case EdgeKind::HashValue:
        if ((e.kind == EdgeKind::HashKey ? skipKeys : skipValues) || arraySize + e.index >= walkedUpTo)
          return;
        break;
      case EdgeKind::UpvalueValue:
        if (openUpvalue && !sweeping) return;
        break;
      default: break;
    }
    bool broken = sweeping ? isDead(child) : (child->marked & kWhiteBits) != 0;
    if (broken) {
      ok = fail(describe(o) + " refers to " + describe(child) + " through its " + edgeKindName(e.kind) +
                " " + std::to_string(e.index) + " in the " + gcPhaseName(gc_.phase) + " phase" +
                (gc_.generationalActive_ ? " (generational)" : ""));
    }
  });
  return ok;
}

bool HeapVerifier::checkAccounting() {
  size_t sum = 0;
  for (size_t b : gc_.bytesByKind) sum += b;
  if (sum != gc_.heapBytes)
    return fail("bytes by kind add up to " + std::to_string(sum) + ", heap says " + std::to_string(gc_.heapBytes));
  for (size_t k = 0; k < counted_.size(); ++k) {
    if (counted_[k] != gc_.countByKind[k])
      return fail(std::string(kindName(static_cast<Tag>(k))) + ": " + std::to_string(counted_[k]) +
                  " objects listed, " + std::to_string(gc_.countByKind[k]) + " counted");
    if (bytes_[k] != gc_.bytesByKind[k])
      return fail(std::string(kindName(static_cast<Tag>(k))) + ": the objects listed hold " +
                  std::to_string(bytes_[k]) + " bytes, " + std::to_string(gc_.bytesByKind[k]) + " accounted");
  }
  return true;
}

}  // namespace lunette
