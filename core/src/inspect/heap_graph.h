// The heap as a graph, for the page that steps through a collection one unit at a time: every
// object a node with its colour as the collector sees it, every reference an edge.
//
// Representation.
// - Nodes carry a numeric id that stays the object's for its whole life (HeapGraphIds keeps
//   the map; an object that is gone gives its id up for good, so a freed node never comes
//   back as another object, even when the allocator reuses its address).
// - The "library" is every object that existed before the script was loaded (the standard
//   library, the registry's tables, their strings). Unless expanded it is one node, id 0,
//   whose colour sums up its members': white or black when they all are, gray otherwise
//   (marking is under way among them). The roots (registry, globals table, main thread) are
//   always nodes of their own, library or not.
// - Labels are the kind plus the name the object hangs from, found breadth-first from the
//   roots: a local of a running frame, a global, a field ("holder.child"), "upvalue x".
// - An edge is weak when it does not keep its target alive: a weak table's weak side, and the
//   values of an ephemeron table (alive only through their key).
//
// Reading the graph allocates nothing collected and runs no Lua code, so it may be asked
// between any two units of collector work or any two lines of the script.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "vm/state.h"

namespace lunette {

class HeapGraphIds {
 public:
  static constexpr uint32_t kLibraryNode = 0;
  // Every object alive now becomes part of the library.
  void captureLibrary(const Collector& gc);
  void clear();
  bool isLibrary(const GcObject* o) const { return library_.count(o) != 0; }
  size_t librarySize() const { return library_.size(); }
  uint32_t idOf(const GcObject* o);
  // Objects no longer in the heap lose their ids (and their library membership); the ids of
  // the forgotten objects that had one are returned.
  std::vector<uint32_t> forgetMissing(const Collector& gc);

 private:
  std::unordered_set<const GcObject*> library_;
  std::unordered_map<const GcObject*, uint32_t> ids_;
  uint32_t nextId_ = 1;
};

enum class NodeColour : uint8_t { White, Gray, Black };
const char* nodeColourName(NodeColour colour);
NodeColour colourOf(const GcObject* o);

struct HeapGraphNode {
  uint32_t id = 0;
  const GcObject* object = nullptr;  // null for the collapsed library
  std::string kind;
  NodeColour colour = NodeColour::White;
  bool root = false;
  bool doomed = false;      // sweeping: not reached, the sweep will free it
  std::string label;
  uint32_t members[3] = {0, 0, 0};  // the collapsed library: how many white, gray, black
};

struct HeapGraphEdge {
  uint32_t from = 0, to = 0;
  bool weak = false;
};

struct HeapGraph {
  std::vector<HeapGraphNode> nodes;
  std::vector<HeapGraphEdge> edges;
  size_t omitted = 0;  // objects beyond kMaxNodes, not listed (nor their edges)
};

// A graph is for a small heap: past this many nodes the newest objects are left out (the
// roots and the library node always stay), so a stepping run that built a big heap still
// answers in bounded time and size.
inline constexpr size_t kMaxHeapGraphNodes = 5000;

// The node an object is drawn as: its own, or the collapsed library's (kLibraryNode).
uint32_t shownNodeOf(const State& S, HeapGraphIds& ids, const GcObject* o, bool expandLibrary);

// The graph of S's heap now.
HeapGraph buildHeapGraph(State& S, HeapGraphIds& ids, bool expandLibrary);

// What the eye can tell apart between two moments: the colour of every shown node. Two equal
// signatures draw the same picture.
std::vector<uint64_t> heapGraphSignature(const State& S, const HeapGraphIds& ids, bool expandLibrary);

// The nodes and edges as JSON members ("nodes":[...],"edges":[...]), no braces.
void appendHeapGraphJson(std::string& out, const HeapGraph& graph);

}  // namespace lunette
