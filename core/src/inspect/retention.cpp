// Retention paths: breadth-first search from the roots (see retention.h).
#include "inspect/retention.h"

#include <cctype>
#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "common/numconv.h"
#include "gc/references.h"
#include "vm/debuginfo.h"
#include "vm/interpreter.h"

namespace lunette {

namespace {

struct Link {
  GcObject* parent = nullptr;  // nullptr: a root
  RetentionEdge edge;
  std::string nameHint;        // how the object was last named (for "function 'f'")
};

bool isIdentifier(std::string_view s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

std::string keyText(const Value& key) {
  switch (key.tag) {
    case Tag::String: {
      std::string_view s = key.asString()->view();
      if (isIdentifier(s)) return "." + std::string(s);
      return "[\"" + std::string(s.substr(0, 40)) + "\"]";
    }
    case Tag::Integer:
    case Tag::Float: return "[" + numberToString(key) + "]";
    case Tag::True: return "[true]";
    case Tag::False: return "[false]";
    default: return "[" + std::string(typeName(typeOfTag(key.tag))) + " key]";
  }
}

std::string keyName(const Value& key) {
  if (key.isString()) return std::string(key.asString()->view());
  return {};
}

std::string functionLabel(const LuaClosure* c, const std::string& hint) {
  const Proto* p = c->proto;
  std::string where = chunkId(p->source->view()) + ":" + std::to_string(p->linedefined);
  if (p->linedefined == 0) return "main chunk (" + chunkId(p->source->view()) + ")";
  if (!hint.empty()) return "function '" + hint + "' (" + where + ")";
  return "function <" + where + ">";
}

enum class WeakMode { None, Keys, Values, Both };

WeakMode weakModeOf(State& S, Table* t) {
  if (!t->metatable) return WeakMode::None;
  const Value* mode = S.fastMetamethod(t->metatable, Event::Mode);
  if (!mode || !mode->isString()) return WeakMode::None;
  std::string_view m = mode->asString()->view();
  bool k = m.find('k') != std::string_view::npos, v = m.find('v') != std::string_view::npos;
  return k && v ? WeakMode::Both : k ? WeakMode::Keys : v ? WeakMode::Values : WeakMode::None;
}

// One breadth-first search for any number of targets: it stops when every target is reached
// (or the heap is exhausted), so asking for many paths costs one walk.
class Search {
 public:
  Search(State& S, const std::vector<GcObject*>& targets, const Thread* ignoreThread,
         int ignoreFrame)
      : S_(S), targets_(targets.begin(), targets.end()), ignoreThread_(ignoreThread),
        ignoreFrame_(ignoreFrame) {
    targets_.erase(nullptr);
    remaining_ = targets_.size();
  }

  void run() {
    root(S_.globals, {"_G", "", 0}, "_G");
    root(S_.mainThread, {"main thread", "", 0}, "");
    root(S_.registry, {"registry", "", 0}, "");
    for (size_t t = 0; t < S_.typeMetatables.size(); ++t)
      if (S_.typeMetatables[t])
        root(S_.typeMetatables[t], {std::string(typeName(static_cast<Type>(t))) + " metatable", "", 0}, "");
    while ((!queue_.empty() || !released_.empty()) && remaining_ > 0) {
      if (!released_.empty()) {
        Pending p = std::move(released_.front());
        released_.pop_front();
        reach(p.table, p.value, std::move(p.edge), std::move(p.hint));
        continue;
      }
      GcObject* o = queue_.front();
      queue_.pop_front();
      expand(o);
    }
  }

  // The path to `target` (one of the targets) found by run().
  RetentionPath pathTo(GcObject* target) const {
    RetentionPath path;
    if (!target || !links_.count(target)) return path;
    path.found = true;
    std::vector<RetentionEdge> reversed;
    for (GcObject* o = target; o; o = links_.at(o).parent) reversed.push_back(links_.at(o).edge);
    // Table accesses read as one expression: "_G" ".tasks" "[37]" -> "_G.tasks[37]".
    for (auto it = reversed.rbegin(); it != reversed.rend(); ++it) {
      if (it->text.empty()) continue;  // an edge read as part of the one before (an upvalue's value)
      bool access = !it->text.empty() && (it->text[0] == '.' || it->text[0] == '[');
      if (access && !path.edges.empty()) path.edges.back().text += it->text;
      else path.edges.push_back(*it);
    }
    return path;
  }

 private:
  State& S_;
  std::unordered_set<GcObject*> targets_;
  size_t remaining_ = 0;  // targets not reached yet
  const Thread* ignoreThread_;
  int ignoreFrame_;
  std::unordered_map<GcObject*, Link> links_;
  std::deque<GcObject*> queue_;
  // Ephemerons (entries of weak-key tables): the value is held only while the key is, as the
  // collector sees it. An entry whose key is not reached yet waits here under its key; when
  // the key is reached its entries are released and followed like any edge.
  struct Pending {
    GcObject* table;
    Value value;
    RetentionEdge edge;
    std::string hint;
  };
  std::unordered_map<GcObject*, std::vector<Pending>> pending_;
  std::deque<Pending> released_;

  void linked(GcObject* o) {
    auto it = pending_.find(o);
    if (it == pending_.end()) return;
    for (Pending& p : it->second) released_.push_back(std::move(p));
    pending_.erase(it);
  }

  void root(GcObject* o, RetentionEdge edge, std::string hint) {
    if (!o || links_.count(o)) return;
    links_[o] = Link{nullptr, std::move(edge), std::move(hint)};
    if (targets_.count(o)) --remaining_;
    queue_.push_back(o);
    linked(o);
  }

  // A target is still expanded: another target may be held only through it.
  void reach(GcObject* parent, const Value& v, RetentionEdge edge, std::string hint = {}) {
    if (remaining_ == 0 || !v.isCollectable() || v.tag == Tag::DeadKey) return;
    GcObject* o = v.gc;
    if (links_.count(o)) return;
    links_[o] = Link{parent, std::move(edge), std::move(hint)};
    if (targets_.count(o)) --remaining_;
    queue_.push_back(o);
    linked(o);
  }

  // Every edge comes from the collector's own walker (gc/references.h), so the search follows
  // exactly the references the collector marks through; here they are only named, and weak
  // ones left out.
  void expand(GcObject* o) {
    if (o->kind == Tag::Table) {
      expandTable(static_cast<Table*>(o));
      return;
    }
    if (o->kind == Tag::Thread) {
      expandThread(static_cast<Thread*>(o));
      return;
    }
    std::string hint = links_[o].nameHint;
    forEachReference(o, [&](Value& v, Edge edge) {
      switch (edge.kind) {
        case EdgeKind::Upvalue:
          if (o->kind == Tag::LuaClosure) {
            // The upvalue object itself: its one edge, to the value, is named here.
            auto* c = static_cast<LuaClosure*>(o);
            const UpvalDesc& d = c->proto->upvalues[edge.index];
            std::string name = d.name ? std::string(d.name->view()) : "?";
            reach(o, v,
                  {"upvalue '" + name + "' of " + functionLabel(c, hint),
                   chunkId(c->proto->source->view()), c->proto->linedefined},
                  name);
          } else {
            reach(o, v, {"upvalue #" + std::to_string(edge.index + 1) + " of a native function", "", 0});
          }
          break;
        case EdgeKind::UpvalueValue: reach(o, v, {"", "", 0}, hint); break;  // read as its upvalue
        case EdgeKind::Metatable: reach(o, v, {"metatable", "", 0}); break;
        case EdgeKind::Proto: reach(o, v, {"(its prototype)", "", 0}); break;
        default: reach(o, v, {"(" + std::string(edgeKindName(edge.kind)) + ")", "", 0}); break;
      }
    });
  }

  void expandTable(Table* t) {
    GcObject* self = reinterpret_cast<GcObject*>(t);
    WeakMode mode = weakModeOf(S_, t);
    bool strongKeys = mode == WeakMode::None || mode == WeakMode::Values;
    bool strongValues = mode == WeakMode::None || mode == WeakMode::Keys;
    forEachReference(self, [&](Value& v, Edge edge) {
      switch (edge.kind) {
        case EdgeKind::Metatable: reach(self, v, {"(metatable)", "", 0}); break;
        case EdgeKind::ArraySlot:
          if (strongValues) reach(self, v, {"[" + std::to_string(edge.index + 1) + "]", "", 0});
          break;
        case EdgeKind::HashKey:
          if (strongKeys) reach(self, v, {"(a key of " + keyText(v) + ")", "", 0});
          break;
        case EdgeKind::HashValue: {
          if (!strongValues) break;
          const Value& key = t->hash[edge.index].key;
          if (mode == WeakMode::Keys && key.isCollectable() && !links_.count(key.gc))
            pending_[key.gc].push_back({self, v, {keyText(key), "", 0}, keyName(key)});
          else
            reach(self, v, {keyText(key), "", 0}, keyName(key));
          break;
        }
        default: break;  // EmptyKey: an emptied entry holds nothing
      }
    });
  }

  // A stack slot is named after the frame it belongs to: frames are in stack order, each from
  // its function's slot up to the next frame's.
  void expandThread(Thread* th) {
    GcObject* self = th;
    // Edges out of a coroutine say which one; the main thread is already the root's name.
    std::string owner = th == S_.mainThread ? "" : " of coroutine #" + std::to_string(th->coroutineId);
    size_t frame = 0;
    forEachThreadReference(th, [&](Value& v, Edge edge) {
      if (edge.kind == EdgeKind::OpenUpvalue) {
        reach(self, v, {"", "", 0});  // its value is a stack slot, reached as such
        return;
      }
      if (edge.kind == EdgeKind::ErrorValue) {
        reach(self, v, {"the error value" + owner, "", 0});
        return;
      }
      int slot = static_cast<int>(edge.index);
      while (frame + 1 < th->calls.size() && th->calls[frame + 1].func <= slot) ++frame;
      if (th == ignoreThread_ && static_cast<int>(frame) == ignoreFrame_) return;
      if (th->calls.empty() || slot < th->calls[frame].func) {
        reach(self, v, {"a value on the stack" + owner, "", 0});
        return;
      }
      reachFromFrame(th, th->calls[frame], slot, v, owner);
    });
  }

  void reachFromFrame(Thread* th, const CallInfo& ci, int slot, const Value& v, const std::string& owner) {
    if (ci.kind != FrameKind::Lua) {
      reach(th, v, {"a value on the stack of a native function" + owner, "", 0});
      return;
    }
    const Proto* p = th->stack[ci.func].asLuaClosure()->proto;
    std::string chunk = chunkId(p->source->view());
    int line = currentLine(ci, p);
    std::string label = p->linedefined == 0 ? "main chunk" : "function <" + chunk + ":" + std::to_string(p->linedefined) + ">";
    if (slot == ci.func) {
      reach(th, v, {"the running " + label + owner, chunk, line});
      return;
    }
    const char* name = slot >= ci.base ? localName(p, slot - ci.base + 1, currentPc(ci, p)) : nullptr;
    std::string text = name ? "local '" + std::string(name) + "' in " + label
                     : slot < ci.base ? "an extra argument of " + label
                                      : "a temporary of " + label;
    reach(th, v, {text + owner, chunk, line}, name ? name : "");
  }
};

}  // namespace

RetentionPath findRetentionPath(State& S, const Value& target, const Thread* ignoreThread,
                                int ignoreFrame) {
  if (!target.isCollectable()) return {};
  Search search(S, {target.gc}, ignoreThread, ignoreFrame);
  search.run();
  return search.pathTo(target.gc);
}

std::vector<RetentionPath> findRetentionPaths(State& S, const std::vector<Value>& targets) {
  std::vector<GcObject*> objects;
  objects.reserve(targets.size());
  for (const Value& v : targets) objects.push_back(v.isCollectable() ? v.gc : nullptr);
  Search search(S, objects, nullptr, -1);
  search.run();
  std::vector<RetentionPath> paths;
  paths.reserve(objects.size());
  for (GcObject* o : objects) paths.push_back(search.pathTo(o));
  return paths;
}

std::string describeObject(State& S, const Value& v) {
  switch (v.tag) {
    case Tag::Thread:
      return v.asThread() == S.mainThread ? "the main thread" : "coroutine #" + std::to_string(v.asThread()->coroutineId);
    case Tag::LuaClosure: return functionLabel(v.asLuaClosure(), "");
    default: return std::string(typeName(typeOfTag(v.tag)));
  }
}

}  // namespace lunette
