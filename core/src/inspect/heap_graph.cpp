// The heap as a graph (see heap_graph.h): ids, colours, names from the roots, weak edges.
#include "inspect/heap_graph.h"

#include <algorithm>
#include <deque>

#include "common/numconv.h"
#include "gc/references.h"
#include "inspect/telemetry_json.h"
#include "vm/debuginfo.h"

namespace lunette {

// ---- ids and the library --------------------------------------------------------------------

void HeapGraphIds::captureLibrary(const Collector& gc) {
  gc.forEachObject([&](const GcObject* o) { library_.insert(o); });
}

void HeapGraphIds::clear() {
  library_.clear();
  ids_.clear();
}

uint32_t HeapGraphIds::idOf(const GcObject* o) {
  auto [it, inserted] = ids_.try_emplace(o, nextId_);
  if (inserted) ++nextId_;
  return it->second;
}

std::vector<uint32_t> HeapGraphIds::forgetMissing(const Collector& gc) {
  std::unordered_set<const GcObject*> alive;
  gc.forEachObject([&](const GcObject* o) { alive.insert(o); });
  std::vector<uint32_t> gone;
  for (auto it = ids_.begin(); it != ids_.end();) {
    if (alive.count(it->first)) {
      ++it;
      continue;
    }
    gone.push_back(it->second);
    it = ids_.erase(it);
  }
  for (auto it = library_.begin(); it != library_.end();) {
    if (alive.count(*it)) ++it;
    else it = library_.erase(it);
  }
  std::sort(gone.begin(), gone.end());
  return gone;
}

// ---- colours --------------------------------------------------------------------------------

NodeColour colourOf(const GcObject* o) {
  if (o->marked & kWhiteBits) return NodeColour::White;
  if (o->marked & kBlack) return NodeColour::Black;
  return NodeColour::Gray;
}

const char* nodeColourName(NodeColour colour) {
  switch (colour) {
    case NodeColour::White: return "white";
    case NodeColour::Gray: return "gray";
    case NodeColour::Black: return "black";
  }
  return "white";
}

namespace {

const char* kindName(Tag kind) {
  switch (kind) {
    case Tag::Table: return "table";
    case Tag::String: return "string";
    case Tag::LuaClosure: return "function";
    case Tag::NativeClosure: return "native function";
    case Tag::Userdata: return "userdata";
    case Tag::UpVal: return "upvalue";
    case Tag::Proto: return "prototype";
    case Tag::Thread: return "thread";
    default: return "object";
  }
}

bool isRoot(const State& S, const GcObject* o) {
  return o == reinterpret_cast<const GcObject*>(S.registry) ||
         o == reinterpret_cast<const GcObject*>(S.globals) ||
         o == reinterpret_cast<const GcObject*>(S.mainThread);
}

// The library collapsed into one node: everything that existed before the script, but the
// roots, which are always shown.
bool collapsed(const State& S, const HeapGraphIds& ids, const GcObject* o, bool expand) {
  return !expand && ids.isLibrary(o) && !isRoot(S, o);
}

NodeColour libraryColour(const uint32_t members[3]) {
  uint32_t total = members[0] + members[1] + members[2];
  if (members[0] == total) return NodeColour::White;
  if (members[2] == total) return NodeColour::Black;
  return NodeColour::Gray;
}

// ---- names ----------------------------------------------------------------------------------

constexpr size_t kMaxName = 28;

std::string shortened(std::string name) {
  if (name.size() <= kMaxName) return name;
  return "…" + name.substr(name.size() - (kMaxName - 1));
}

std::string quoted(const String* s) {
  std::string_view text = s->view();
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < 16; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    out += c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c);
  }
  if (text.size() > 16) out += "…";
  return out + "\"";
}

// How a table's key reads after its parent: ".name" or "[3]".
std::string keySuffix(const Value& key) {
  if (key.isString()) return "." + std::string(key.asString()->view());
  if (key.isInteger()) return "[" + std::to_string(key.i) + "]";
  return "[…]";
}

// Names given breadth-first from the roots: the first (shortest) path wins.
class Namer {
 public:
  explicit Namer(State& S) : S_(S) {}

  std::unordered_map<const GcObject*, std::string> names() {
    nameRoots();
    while (!queue_.empty()) {
      const GcObject* o = queue_.front();
      queue_.pop_front();
      nameChildren(o);
    }
    return std::move(names_);
  }

 private:
  State& S_;
  std::unordered_map<const GcObject*, std::string> names_;
  std::deque<const GcObject*> queue_;

  void give(const Value& v, std::string name) {
    if (!v.isCollectable()) return;
    give(v.gc, std::move(name));
  }
  void give(const GcObject* o, std::string name) {
    if (!o || names_.count(o)) return;
    names_.emplace(o, shortened(std::move(name)));
    queue_.push_back(o);
  }

  void nameRoots() {
    give(reinterpret_cast<GcObject*>(S_.mainThread), "main thread");
    give(reinterpret_cast<GcObject*>(S_.globals), "_G");
    give(reinterpret_cast<GcObject*>(S_.registry), "registry");
    nameLocals(*S_.mainThread);
    // Globals before the registry's entries: a script's names are what a learner looks for.
    Table* g = S_.globals;
    for (uint32_t i = 0; i < g->hashCapacity(); ++i) {
      const Node& n = g->hash[i];
      if (n.key.isString() && !n.value.isNil()) give(n.value, std::string(n.key.asString()->view()));
    }
  }

  // The active locals of every Lua frame of the thread, innermost frame first.
  void nameLocals(Thread& L) {
    for (size_t f = L.calls.size(); f-- > 0;) {
      const CallInfo& ci = L.calls[f];
      if (ci.kind != FrameKind::Lua || ci.func >= L.top) continue;
      const Value& fn = L.stack[ci.func];
      if (fn.tag != Tag::LuaClosure) continue;
      const Proto* p = fn.asLuaClosure()->proto;
      give(fn, f == 0 || (f == 1 && L.calls[0].kind != FrameKind::Lua) ? "main chunk" : "running");
      // A frame paused by a line stop has not run the instruction it points at: the locals
      // are those active before it (a frame paused in a call has run its CALL).
      int pc = ci.savedpc == S_.lineStopResumePc ? currentPc(ci, p) + 1 : currentPc(ci, p);
      for (int n = 1;; ++n) {
        const char* name = localName(p, n, pc < 0 ? 0 : pc);
        if (!name) break;
        int slot = ci.base + n - 1;
        if (slot < L.top && name[0] != '(') give(L.stack[slot], std::string("local ") + name);
      }
    }
  }

  void nameChildren(const GcObject* parentObject) {
    auto* o = const_cast<GcObject*>(parentObject);
    const std::string parent = names_[o];
    switch (o->kind) {
      case Tag::Table: {
        auto* t = static_cast<Table*>(o);
        std::string base = parent.rfind("local ", 0) == 0 ? parent.substr(6) : parent;
        for (uint32_t i = 0; i < t->arraySize; ++i)
          give(t->array[i], base + "[" + std::to_string(i + 1) + "]");
        for (uint32_t i = 0; i < t->hashCapacity(); ++i) {
          const Node& n = t->hash[i];
          if (n.key.tag == Tag::Nil || n.key.tag == Tag::DeadKey || n.value.isNil()) continue;
          give(n.value, base + keySuffix(n.key));
          give(n.key, "key of " + base);
        }
        if (t->metatable) give(reinterpret_cast<GcObject*>(t->metatable), "metatable of " + base);
        break;
      }
      case Tag::LuaClosure: {
        auto* c = static_cast<LuaClosure*>(o);
        for (uint32_t i = 0; i < c->nupvalues; ++i) {
          const String* name = i < c->proto->upvalues.size() ? c->proto->upvalues[i].name : nullptr;
          std::string text = name ? std::string(name->view()) : "?";
          give(reinterpret_cast<GcObject*>(c->upvals[i]), "upvalue " + text);
        }
        break;
      }
      case Tag::UpVal: {
        auto* u = static_cast<UpVal*>(o);
        give(*u->value, parent);
        break;
      }
      case Tag::Thread:
        nameLocals(*static_cast<Thread*>(o));
        break;
      default:
        forEachReference(o, [&](Value& v, Edge) { give(v, parent); });
        break;
    }
  }
};

// What the label says after the kind: a string shows its text, a prototype where it is
// defined, others the name they hang from.
std::string labelOf(const GcObject* o, const std::unordered_map<const GcObject*, std::string>& names,
                    bool doomed) {
  std::string label = kindName(o->kind);
  if (o->kind == Tag::String) return label + " " + quoted(static_cast<const String*>(o));
  if (o->kind == Tag::Proto) {
    auto* p = static_cast<const Proto*>(o);
    return p->linedefined == 0 ? label + " main chunk" : label + " line " + std::to_string(p->linedefined);
  }
  auto it = names.find(o);
  if (it != names.end()) {
    // An upvalue object is named "upvalue x" already (what hangs from it is named so too).
    std::string_view name = it->second;
    if (o->kind == Tag::UpVal && name.rfind("upvalue ", 0) == 0) name.remove_prefix(8);
    return label + " " + std::string(name);
  }
  // Unreached closures still say which function they are (unless dead in a sweep, whose
  // prototype may be freed already).
  if (o->kind == Tag::LuaClosure && !doomed) {
    const Proto* p = static_cast<const LuaClosure*>(o)->proto;
    return p->linedefined == 0 ? label + " main chunk" : label + " line " + std::to_string(p->linedefined);
  }
  return label;
}

// Which sides of a table's references are weak (ephemeron values count as weak: only their
// key keeps them).
struct Weakness {
  bool keys = false, values = false;
};

Weakness weaknessOf(State& S, GcObject* o) {
  if (o->kind != Tag::Table) return {};
  TableWeakness w = tableWeakness(S, static_cast<Table*>(o));
  Weakness result;
  result.keys = w == TableWeakness::Keys || w == TableWeakness::Both;
  result.values = w != TableWeakness::None;
  return result;
}

bool isWeakEdge(const Weakness& w, Edge edge) {
  if (edge.kind == EdgeKind::HashKey) return w.keys;
  if (edge.kind == EdgeKind::HashValue || edge.kind == EdgeKind::ArraySlot) return w.values;
  return false;
}

}  // namespace

uint32_t shownNodeOf(const State& S, HeapGraphIds& ids, const GcObject* o, bool expand) {
  return collapsed(S, ids, o, expand) ? HeapGraphIds::kLibraryNode : ids.idOf(o);
}

// ---- the graph ------------------------------------------------------------------------------

HeapGraph buildHeapGraph(State& S, HeapGraphIds& ids, bool expand) {
  HeapGraph graph;
  const Collector& gc = S.collector;
  auto names = Namer(S).names();
  HeapGraphNode library;
  library.id = HeapGraphIds::kLibraryNode;
  library.kind = "library";
  std::vector<GcObject*> shown;
  gc.forEachObject([&](const GcObject* constObject) {
    auto* o = const_cast<GcObject*>(constObject);
    if (collapsed(S, ids, o, expand)) {
      ++library.members[static_cast<int>(colourOf(o))];
      return;
    }
    shown.push_back(o);
  });
  if (library.members[0] + library.members[1] + library.members[2] > 0) {
    library.colour = libraryColour(library.members);
    library.label = "standard library (" +
                    std::to_string(library.members[0] + library.members[1] + library.members[2]) +
                    " objects)";
    graph.nodes.push_back(library);
  }
  // Oldest first (the lists are newest first): the page lays nodes out in a stable order.
  std::reverse(shown.begin(), shown.end());
  if (shown.size() > kMaxHeapGraphNodes) {
    // Keep the roots (they may be anywhere in the list) and the oldest objects.
    std::stable_partition(shown.begin(), shown.end(), [&](const GcObject* o) { return isRoot(S, o); });
    graph.omitted = shown.size() - kMaxHeapGraphNodes;
    shown.resize(kMaxHeapGraphNodes);
  }
  std::unordered_set<const GcObject*> listed(shown.begin(), shown.end());
  for (GcObject* o : shown) {
    HeapGraphNode node;
    node.id = ids.idOf(o);
    node.object = o;
    node.kind = kindName(o->kind);
    node.colour = colourOf(o);
    node.root = isRoot(S, o);
    node.doomed = gc.isDeadWhite(o);
    node.label = node.root && o == reinterpret_cast<GcObject*>(S.globals) ? "table _G (globals)"
                 : node.root && o == reinterpret_cast<GcObject*>(S.registry) ? "table registry"
                 : node.root ? "thread main"
                             : labelOf(o, names, node.doomed);
    graph.nodes.push_back(std::move(node));
  }
  // Edges between shown nodes (the library's inner edges vanish in its node), each once.
  std::unordered_set<uint64_t> seen;
  auto nodeOf = [&](const GcObject* o) { return shownNodeOf(S, ids, o, expand); };
  auto addEdge = [&](uint32_t from, uint32_t to, bool weak) {
    if (from == to && from == HeapGraphIds::kLibraryNode) return;
    uint64_t key = (uint64_t{from} << 33) | (uint64_t{to} << 1) | (weak ? 1 : 0);
    if (!seen.insert(key).second) return;
    graph.edges.push_back({from, to, weak});
  };
  auto isListed = [&](const GcObject* o) { return collapsed(S, ids, o, expand) || listed.count(o); };
  gc.forEachObject([&](const GcObject* constObject) {
    auto* o = const_cast<GcObject*>(constObject);
    if (graph.omitted && !isListed(o)) return;
    // A dead object in a sweep may point at objects already freed (the sweep frees in list
    // order): it is drawn, doomed, without its edges.
    if (gc.isDeadWhite(o)) return;
    uint32_t from = nodeOf(o);
    bool fromLibrary = from == HeapGraphIds::kLibraryNode;
    Weakness weakness = weaknessOf(S, o);
    forEachReference(o, [&](Value& v, Edge edge) {
      if (edge.kind == EdgeKind::EmptyKey || !v.isCollectable()) return;
      if (graph.omitted && !isListed(v.gc)) return;
      uint32_t to = nodeOf(v.gc);
      if (fromLibrary && to == HeapGraphIds::kLibraryNode) return;
      addEdge(from, to, isWeakEdge(weakness, edge));
    });
  });
  return graph;
}

std::vector<uint64_t> heapGraphSignature(const State& S, const HeapGraphIds& ids, bool expand) {
  std::vector<uint64_t> signature;
  uint32_t members[3] = {0, 0, 0};
  S.collector.forEachObject([&](const GcObject* o) {
    if (collapsed(S, ids, o, expand)) {
      ++members[static_cast<int>(colourOf(o))];
      return;
    }
    signature.push_back(reinterpret_cast<uintptr_t>(o) << 2 | static_cast<uint64_t>(colourOf(o)));
  });
  std::sort(signature.begin(), signature.end());
  signature.push_back(static_cast<uint64_t>(libraryColour(members)));
  return signature;
}

void appendHeapGraphJson(std::string& out, const HeapGraph& graph) {
  out += "\"nodes\":[";
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const HeapGraphNode& n = graph.nodes[i];
    if (i) out += ',';
    out += "{\"id\":" + std::to_string(n.id) + ",\"kind\":";
    appendJsonString(out, n.kind);
    out += ",\"color\":\"";
    out += nodeColourName(n.colour);
    out += "\",\"root\":";
    out += n.root ? "true" : "false";
    out += ",\"label\":";
    appendJsonString(out, n.label);
    if (n.doomed) out += ",\"doomed\":true";
    if (!n.object) {
      out += ",\"library\":true,\"members\":{\"white\":" + std::to_string(n.members[0]) +
             ",\"gray\":" + std::to_string(n.members[1]) + ",\"black\":" + std::to_string(n.members[2]) + "}";
    }
    out += '}';
  }
  out += "],\"omitted\":" + std::to_string(graph.omitted) + ",\"edges\":[";
  for (size_t i = 0; i < graph.edges.size(); ++i) {
    const HeapGraphEdge& e = graph.edges[i];
    if (i) out += ',';
    out += "{\"from\":" + std::to_string(e.from) + ",\"to\":" + std::to_string(e.to) +
           ",\"weak\":" + (e.weak ? "true" : "false") + "}";
  }
  out += ']';
}

}  // namespace lunette
