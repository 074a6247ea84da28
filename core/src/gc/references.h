// The one walker of an object's references. The collector's traversal and the heap verifier
// both follow references through it, so what the collector marks and what the verifier checks
// cannot disagree about which fields hold references.
//
// forEachReference(object, visit) calls visit(Value& slot, Edge edge) once for every
// collectable value the object refers to:
//   Table:          its metatable, every array slot, and the key and value of every live hash
//                   entry (value not nil); the key of an emptied entry (value nil) that is still
//                   collectable is reported as EmptyKey (it keeps nothing alive, and the
//                   collector turns it into a dead key through the slot).
//   LuaClosure:     its prototype and its upvalues.
//   NativeClosure:  its upvalues.
//   Userdata:       its metatable.
//   UpVal:          its value (an open upvalue's value is a stack slot of its thread).
//   Proto:          its source, constants, child prototypes, upvalue and local names.
//   Thread:         the live part of its stack (below top), its open upvalues, its error value.
//   String:         nothing.
// `slot` is the stored Value for array slots, hash keys and values, stack slots, upvalue values
// and constants; for pointer fields (metatables, prototypes, upvalue objects, names) it is a
// temporary copy, so writing to it does nothing there.
//
// Tables and stacks are walked by ranges too (forEachArrayReference, forEachHashReference,
// forEachStackReference), so the collector can traverse a big table or a deep stack a chunk at a
// time with the same code.
#pragma once

#include <cstdint>

#include "vm/object.h"
#include "vm/table.h"
#include "vm/thread.h"

namespace lunette {

enum class EdgeKind : uint8_t {
  Metatable,
  ArraySlot,
  HashKey,
  HashValue,
  EmptyKey,     // the key of an emptied hash entry: not a reference that keeps anything alive
  Proto,        // a closure's prototype
  Upvalue,      // a closure's upvalue object, or a native closure's upvalue value
  UpvalueValue, // an upvalue's value
  OpenUpvalue,  // a thread's open upvalue
  StackSlot,
  ErrorValue,
  Source,
  Constant,
  ChildProto,
  Name,         // a prototype's upvalue or local name
};

struct Edge {
  EdgeKind kind;
  uint32_t index;  // slot, node, upvalue or constant index where that means something
};

const char* edgeKindName(EdgeKind kind);

namespace detail {
template <typename Visit>
inline void visitPointer(GcObject* o, Edge edge, Visit& visit) {
  if (!o) return;
  Value v = Value::object(o, o->kind);
  visit(v, edge);
}
}  // namespace detail

// Array slots [begin, end) of `t` (clamped to its array part).
template <typename Visit>
inline void forEachArrayReference(Table* t, uint32_t begin, uint32_t end, Visit&& visit) {
  if (end > t->arraySize) end = t->arraySize;
  for (uint32_t i = begin; i < end; ++i) {
    Value& v = t->array[i];
    if (v.isCollectable()) visit(v, Edge{EdgeKind::ArraySlot, i});
  }
}

// Hash nodes [begin, end) of `t` (clamped to its hash part).
template <typename Visit>
inline void forEachHashReference(Table* t, uint32_t begin, uint32_t end, Visit&& visit) {
  uint32_t capacity = t->hashCapacity();
  if (end > capacity) end = capacity;
  for (uint32_t i = begin; i < end; ++i) {
    Node& n = t->hash[i];
    if (n.key.tag == Tag::Nil || n.key.tag == Tag::DeadKey) continue;
    if (n.value.isNil()) {
      if (n.key.isCollectable()) visit(n.key, Edge{EdgeKind::EmptyKey, i});
      continue;
    }
    if (n.key.isCollectable()) visit(n.key, Edge{EdgeKind::HashKey, i});
    if (n.value.isCollectable()) visit(n.value, Edge{EdgeKind::HashValue, i});
  }
}

// Live stack slots [begin, end) of `t` (clamped to below top and to the stack).
template <typename Visit>
inline void forEachStackReference(Thread* t, int begin, int end, Visit&& visit) {
  int limit = t->top < t->stackSize ? t->top : t->stackSize;
  if (end > limit) end = limit;
  for (int i = begin; i < end; ++i) {
    Value& v = t->stack[i];
    if (v.isCollectable()) visit(v, Edge{EdgeKind::StackSlot, static_cast<uint32_t>(i)});
  }
}

// A thread's references outside its stack: its open upvalues and its error value.
template <typename Visit>
inline void forEachThreadFrameReference(Thread* t, Visit&& visit) {
  uint32_t k = 0;
  for (UpVal* u = t->openUpvals; u; u = u->open.next)
    detail::visitPointer(u, Edge{EdgeKind::OpenUpvalue, k++}, visit);
  if (t->errorValue.isCollectable()) visit(t->errorValue, Edge{EdgeKind::ErrorValue, 0});
}

template <typename Visit>
inline void forEachThreadReference(Thread* t, Visit&& visit) {
  forEachStackReference(t, 0, t->stackSize, visit);
  forEachThreadFrameReference(t, visit);
}

template <typename Visit>
inline void forEachReference(GcObject* o, Visit&& visit) {
  switch (o->kind) {
    case Tag::Table: {
      auto* t = static_cast<Table*>(o);
      detail::visitPointer(t->metatable, Edge{EdgeKind::Metatable, 0}, visit);
      forEachArrayReference(t, 0, t->arraySize, visit);
      forEachHashReference(t, 0, t->hashCapacity(), visit);
      break;
    }
    case Tag::LuaClosure: {
      auto* c = static_cast<LuaClosure*>(o);
      detail::visitPointer(c->proto, Edge{EdgeKind::Proto, 0}, visit);
      for (uint32_t i = 0; i < c->nupvalues; ++i)
        detail::visitPointer(c->upvals[i], Edge{EdgeKind::Upvalue, i}, visit);
      break;
    }
    case Tag::NativeClosure: {
      auto* c = static_cast<NativeClosure*>(o);
      for (uint32_t i = 0; i < c->nupvalues; ++i)
        if (c->upvalues[i].isCollectable()) visit(c->upvalues[i], Edge{EdgeKind::Upvalue, i});
      break;
    }
    case Tag::Userdata:
      detail::visitPointer(static_cast<Userdata*>(o)->metatable, Edge{EdgeKind::Metatable, 0}, visit);
      break;
    case Tag::UpVal: {
      Value& v = *static_cast<UpVal*>(o)->value;
      if (v.isCollectable()) visit(v, Edge{EdgeKind::UpvalueValue, 0});
      break;
    }
    case Tag::Proto: {
      auto* p = static_cast<Proto*>(o);
      detail::visitPointer(p->source, Edge{EdgeKind::Source, 0}, visit);
      for (uint32_t i = 0; i < p->constants.size(); ++i)
        if (p->constants[i].isCollectable()) visit(p->constants[i], Edge{EdgeKind::Constant, i});
      for (uint32_t i = 0; i < p->children.size(); ++i)
        detail::visitPointer(p->children[i], Edge{EdgeKind::ChildProto, i}, visit);
      for (uint32_t i = 0; i < p->upvalues.size(); ++i)
        detail::visitPointer(p->upvalues[i].name, Edge{EdgeKind::Name, i}, visit);
      for (uint32_t i = 0; i < p->locvars.size(); ++i)
        detail::visitPointer(p->locvars[i].name, Edge{EdgeKind::Name, i}, visit);
      break;
    }
    case Tag::Thread: forEachThreadReference(static_cast<Thread*>(o), visit); break;
    default: break;
  }
}

}  // namespace lunette
