// "Why is this still alive?": the shortest path of strong references from a root to an object.
//
// A breadth-first search over the heap graph from the roots, in this order: the globals table
// (edges read `_G.name`), the registry, every thread's stack frames (edges name the local
// variable and its function), the per-type metatables (the string metatable among them). Edges
// are named as a person would read them: `.field`, `[37]`, `upvalue 'co' of function 'start'
// (timer.lua:4)`, `metatable`, `local 'x' in function <main.lua:10>`, `coroutine #12`.
// The edges are the collector's own (gc/references.h, forEachReference): the search follows
// exactly what a collection marks through, only naming it, so the two cannot disagree about
// what holds what (a unit test checks that the search finds a path to exactly the objects a full
// collection keeps). Weak references are not paths: a weak-valued table has no edges to its values, a weak-keyed
// table none to its keys, and its values are ephemerons: an edge to a value exists only once
// its key is reached by another path (the collector keeps such a value only while its key
// lives). The search only reads the heap; it allocates nothing collected, so it
// can run at any safe point.
#pragma once

#include <string>
#include <vector>

#include "vm/state.h"

namespace lunette {

struct RetentionEdge {
  std::string text;    // how the edge reads
  std::string chunk;   // source of the code involved, when there is one (for links)
  int line = 0;
};

// The path to `target` (empty and `found` false when unreachable or not collectable).
struct RetentionPath {
  bool found = false;
  std::vector<RetentionEdge> edges;
};

// `ignoreFrame` (a frame of `ignoreThread`) is left out of the roots: lunette.why() asks first
// without the Lua function that called it, whose own variables are the least interesting answer,
// and only falls back to them when nothing else holds the value.
RetentionPath findRetentionPath(State& S, const Value& target, const Thread* ignoreThread = nullptr,
                                int ignoreFrame = -1);

// The paths to several objects, in their order, from one search (suspect lists ask for many).
std::vector<RetentionPath> findRetentionPaths(State& S, const std::vector<Value>& targets);

// A human name for an object at the end of a path: "coroutine #12", "table", "function <f:3>".
std::string describeObject(State& S, const Value& v);

}  // namespace lunette
