// The coroutine registry: interned creation sites, entries in id order (see
// coroutine_registry.h).
#include "inspect/coroutine_registry.h"

#include <algorithm>

#include "common/numconv.h"
#include "vm/debuginfo.h"
#include "vm/state.h"

namespace lunette {

// ---- creation sites -------------------------------------------------------------------------

namespace {

// What a cached site's name depended on (Proto::CreationSiteSlot::body); n > 0 is the calling
// prototype's nested prototype n - 1.
constexpr int32_t kUncachable = 0;  // also: an empty slot
constexpr int32_t kAnyBody = -1;    // the call names its argument: the body does not matter
constexpr int32_t kNativeBody = -2;
constexpr int32_t kCallerBody = -3;  // the calling function runs itself

// The key under which `body` may be cached at a call in `caller` (kUncachable: a prototype
// the caller does not keep alive, whose address could later belong to another one).
int32_t bodyKey(const Proto* caller, const Value& body) {
  if (!body.isLuaClosure()) return kNativeBody;
  const Proto* p = body.asLuaClosure()->proto;
  if (p == caller) return kCallerBody;
  auto it = std::find(caller->children.begin(), caller->children.end(), p);
  if (it == caller->children.end()) return kUncachable;
  return static_cast<int32_t>(it - caller->children.begin()) + 1;
}

bool bodyMatches(int32_t key, const Proto* caller, const Value& body) {
  switch (key) {
    case kAnyBody: return true;
    case kNativeBody: return !body.isLuaClosure();
    case kCallerBody: return body.isLuaClosure() && body.asLuaClosure()->proto == caller;
    default:
      return key > 0 && body.isLuaClosure() &&
             static_cast<size_t>(key) <= caller->children.size() &&
             caller->children[static_cast<size_t>(key) - 1] == body.asLuaClosure()->proto;
  }
}

std::string bodyName(const Value& body) {
  if (!body.isLuaClosure()) return "native function";
  const Proto* p = body.asLuaClosure()->proto;
  return "function <" + chunkId(p->source->view()) + ":" + std::to_string(p->linedefined) + ">";
}

}  // namespace

const CreationSite* CoroutineRegistry::creationSiteOf(State& S, Thread& creator,
                                                      const Value& body) {
  // The caller of coroutine.create / wrap is the frame below the running native one.
  Proto::CreationSiteSlot* slot = nullptr;
  const Proto* caller = nullptr;
  if (creator.calls.size() >= 2) {
    const CallInfo& ci = creator.calls[creator.calls.size() - 2];
    if (ci.kind == FrameKind::Lua) {
      caller = creator.stack[ci.func].asLuaClosure()->proto;
      int pc = currentPc(ci, caller);
      if (pc >= 0 && static_cast<size_t>(pc) < caller->code.size()) {
        if (!caller->creationSites)
          caller->creationSites = std::make_unique<Proto::CreationSiteSlot[]>(caller->code.size());
        slot = &caller->creationSites[static_cast<size_t>(pc)];
        if (slot->site && bodyMatches(slot->body, caller, body)) return &sites_[slot->site - 1];
      }
    }
  }
  // First time here with this body: name it as debug information does.
  std::string chunk, argument;
  int line = 0;
  if (!callSite(S, creator, 1, 1, chunk, line, argument)) chunk = "[C]";
  bool named = !argument.empty();
  uint32_t id = internSite(std::move(chunk), line, named ? std::move(argument) : bodyName(body));
  if (slot) {
    int32_t key = named ? kAnyBody : bodyKey(caller, body);
    if (key != kUncachable) *slot = {id, key};
  }
  return &sites_[id - 1];
}

uint32_t CoroutineRegistry::internSite(std::string chunk, int line, std::string function) {
  std::string key = chunk;
  key += '\n';
  key += std::to_string(line);
  key += '\n';
  key += function;
  auto [it, added] = siteIds_.try_emplace(std::move(key), 0);
  if (added) {
    sites_.push_back({std::move(chunk), line, std::move(function)});
    it->second = static_cast<uint32_t>(sites_.size());
  }
  return it->second;
}

// ---- records --------------------------------------------------------------------------------

uint32_t CoroutineRegistry::add(Thread& thread, const CreationSite* site, bool wrapped,
                                int64_t instructions) {
  Entry e;
  e.id = nextId_++;
  e.wrapped = wrapped;
  e.site = site;
  e.thread = &thread;
  e.createdAt = instructions;
  thread.coroutineId = e.id;
  thread.inspectorSlot = static_cast<uint32_t>(entries_.size());
  entries_.push_back(e);
  return e.id;
}

void CoroutineRegistry::died(Thread& thread, int64_t instructions, bool inError,
                             std::string error) {
  Entry& e = entries_[thread.inspectorSlot];
  e.diedAt = instructions;
  e.diedInError = inError;
  if (inError) errors_[e.id] = std::move(error);
}

void CoroutineRegistry::collected(Thread& thread, int64_t instructions) {
  uint32_t slot = thread.inspectorSlot;
  Entry& e = entries_[slot];
  e.status = thread.status;
  e.switches = thread.switches;
  e.collectedAt = instructions;
  e.collected = true;
  e.thread = nullptr;
  remember(slot);
  while (historySize_ > historyLimit) evictOldest();
  // Squeezing costs a pass over the entries; waiting until holes are half of them makes it
  // at most one move per hole.
  if (holes_ >= 1024 && holes_ * 2 >= entries_.size()) squeeze();
}

// Appends a slot to the history ring, growing the ring when it is full.
void CoroutineRegistry::remember(uint32_t slot) {
  if (historySize_ == history_.size()) {
    std::vector<uint32_t> grown(std::max<size_t>(64, history_.size() * 2));
    for (size_t i = 0; i < historySize_; ++i)
      grown[i] = history_[(historyHead_ + i) % history_.size()];
    history_ = std::move(grown);
    historyHead_ = 0;
  }
  history_[(historyHead_ + historySize_) % history_.size()] = slot;
  ++historySize_;
}

void CoroutineRegistry::evictOldest() {
  Entry& e = entries_[history_[historyHead_]];
  historyHead_ = (historyHead_ + 1) % history_.size();
  --historySize_;
  e.evicted = true;
  if (e.diedInError) errors_.erase(e.id);
  ++holes_;
}

// Removes the holes, keeping the order; renumbers the live threads' slots and the history's.
void CoroutineRegistry::squeeze() {
  renumbered_.resize(entries_.size());
  size_t kept = 0;
  for (size_t slot = 0; slot < entries_.size(); ++slot) {
    if (entries_[slot].evicted) continue;
    renumbered_[slot] = static_cast<uint32_t>(kept);
    if (kept != slot) entries_[kept] = entries_[slot];
    if (Thread* t = entries_[kept].thread) t->inspectorSlot = static_cast<uint32_t>(kept);
    ++kept;
  }
  entries_.resize(kept);
  for (size_t i = 0; i < historySize_; ++i) {
    uint32_t& slot = history_[(historyHead_ + i) % history_.size()];
    slot = renumbered_[slot];
  }
  holes_ = 0;
}

const CoroutineRegistry::Entry* CoroutineRegistry::find(uint32_t id) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), id,
                             [](const Entry& e, uint32_t wanted) { return e.id < wanted; });
  if (it == entries_.end() || it->id != id || it->evicted) return nullptr;
  return &*it;
}

Thread* CoroutineRegistry::liveThread(uint32_t id) const {
  const Entry* e = find(id);
  return e ? e->thread : nullptr;
}

std::optional<CoroutineRecord> CoroutineRegistry::record(uint32_t id, const ClockMap& clock) const {
  const Entry* e = find(id);
  if (!e) return std::nullopt;
  return read(*e, clock);
}

std::vector<CoroutineRecord> CoroutineRegistry::records(const ClockMap& clock,
                                                        size_t newest) const {
  // The first entry to read: `newest` non-holes back from the end.
  size_t first = entries_.size();
  for (size_t wanted = newest; first > 0 && wanted > 0; --first)
    if (!entries_[first - 1].evicted) --wanted;
  std::vector<CoroutineRecord> out;
  out.reserve(std::min(newest, entries_.size() - first));
  for (size_t slot = first; slot < entries_.size(); ++slot)
    if (!entries_[slot].evicted) out.push_back(read(entries_[slot], clock));
  return out;
}

// A live entry is read from its thread, which holds the current status and switch figures.
CoroutineRecord CoroutineRegistry::read(const Entry& e, const ClockMap& clock) const {
  auto ms = [&](int64_t instructions) { return instructions < 0 ? -1.0 : clock.msAt(instructions); };
  CoroutineRecord r;
  r.id = e.id;
  r.site = e.site;
  r.wrapped = e.wrapped;
  r.createdInstructions = e.createdAt;
  r.createdMs = ms(e.createdAt);
  r.collected = e.collected;
  if (e.thread) {
    r.status = e.thread->status;
    r.switches = e.thread->switches;
    r.stackBytes = sizeof(Value) * static_cast<size_t>(e.thread->stackSize);
  } else {
    r.status = e.status;
    r.switches = e.switches;
    r.collectedMs = ms(e.collectedAt);
  }
  r.firstResumeMs = ms(r.switches.firstResumeAt);
  r.lastResumeMs = ms(r.switches.lastResumeAt);
  r.lastYieldMs = ms(r.switches.lastYieldAt);
  r.deathMs = ms(e.diedAt);
  r.diedInError = e.diedInError;
  if (e.diedInError) {
    auto it = errors_.find(e.id);
    if (it != errors_.end()) r.error = it->second;
  }
  return r;
}

}  // namespace lunette
