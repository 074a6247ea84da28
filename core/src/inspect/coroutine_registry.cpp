// The coroutine registry: interned creation sites, entries in id order (see
// coroutine_registry.h).
#include "inspect/coroutine_registry.h"

#include <algorithm>
#include <new>
#include <type_traits>

#include "common/numconv.h"
#include "vm/debuginfo.h"
#include "vm/state.h"

namespace lunette {

// ---- creation sites -------------------------------------------------------------------------

namespace {

std::string bodyName(const Value& body) {
  if (!body.isLuaClosure()) return "native function";
  const Proto* p = body.asLuaClosure()->proto;
  return "function <" + chunkId(p->source->view()) + ":" + std::to_string(p->linedefined) + ">";
}

// Code of the server shims (lib/shim_*.lua, loaded as "=[lunette.shim.NAME]"): a coroutine
// they create on a script's behalf (ngx.thread.spawn, a timer's handler, skynet.fork) is
// named after the script, not after the scheduler line that every such coroutine shares.
bool isShimCode(const Proto* p) { return p->source->view().starts_with("=[lunette.shim."); }

// The innermost Lua frame below the creating native one that is not shim code, as a level for
// callSite(); 0 when there is none (the scheduler's loop fired a timer).
int scriptLevel(Thread& creator) {
  for (size_t i = creator.calls.size() - 1; i-- > 0;) {
    const CallInfo& ci = creator.calls[i];
    if (ci.kind != FrameKind::Lua) continue;
    if (!isShimCode(creator.stack[ci.func].asLuaClosure()->proto))
      return static_cast<int>(creator.calls.size() - 1 - i);
  }
  return 0;
}

// The script function a shim task runs: the body itself, or one its shim wrapper holds as an
// upvalue (a timer's handler inside ngx's pcall wrapper), at most `depth` wrappers deep.
const Proto* scriptFunctionOf(const Value& body, int depth = 2) {
  if (!body.isLuaClosure()) return nullptr;
  const LuaClosure* c = body.asLuaClosure();
  if (!isShimCode(c->proto)) return c->proto;
  if (depth == 0) return nullptr;
  for (int i = 0; i < c->nupvalues; ++i) {
    if (!c->upvals[i]) continue;
    if (const Proto* p = scriptFunctionOf(*c->upvals[i]->value, depth - 1)) return p;
  }
  return nullptr;
}

}  // namespace

// First time at this call with this body (creationSiteOf found no cached site): names it as
// debug information does, and caches it in the calling instruction's slot.
const CreationSite* CoroutineRegistry::nameSite(State& S, Thread& creator, const Value& body) {
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
      }
    }
  }
  std::string chunk, argument;
  int line = 0;
  if (caller && isShimCode(caller)) {
    // Never cached: the shim's call serves every script line. The script's call that asked
    // for the coroutine, else the script's function it runs, else the shim's line.
    slot = nullptr;
    int level = scriptLevel(creator);
    if (level > 0 && callSite(S, creator, level, 1, chunk, line, argument)) {
      uint32_t id = internSite(std::move(chunk), line, argument.empty() ? bodyName(body) : std::move(argument));
      return sites_[id - 1].get();
    }
    if (const Proto* p = scriptFunctionOf(body)) {
      std::string where = chunkId(p->source->view());
      std::string name = p->linedefined == 0 ? "main chunk"
                                             : "function <" + where + ":" + std::to_string(p->linedefined) + ">";
      uint32_t id = internSite(std::move(where), p->linedefined, std::move(name));
      return sites_[id - 1].get();
    }
  }
  if (!callSite(S, creator, 1, 1, chunk, line, argument)) chunk = "[C]";
  bool named = !argument.empty();
  uint32_t id = internSite(std::move(chunk), line, named ? std::move(argument) : bodyName(body));
  if (slot) {
    int32_t key = named ? kAnyBody : bodyKey(caller, body);
    if (key != kUncachable) *slot = {id, key};
  }
  return sites_[id - 1].get();
}

// The key under which `body` may be cached at a call in `caller` (kUncachable: a prototype
// the caller does not keep alive, whose address could later belong to another one).
int32_t CoroutineRegistry::bodyKey(const Proto* caller, const Value& body) {
  if (!body.isLuaClosure()) return kNativeBody;
  const Proto* p = body.asLuaClosure()->proto;
  if (p == caller) return kCallerBody;
  auto it = std::find(caller->children.begin(), caller->children.end(), p);
  if (it == caller->children.end()) return kUncachable;
  return static_cast<int32_t>(it - caller->children.begin()) + 1;
}

uint32_t CoroutineRegistry::internSite(std::string chunk, int line, std::string function) {
  std::string key = chunk;
  key += '\n';
  key += std::to_string(line);
  key += '\n';
  key += function;
  auto [it, added] = siteIds_.try_emplace(std::move(key), 0);
  if (added) {
    sites_.push_back(std::make_unique<CreationSite>(CreationSite{std::move(chunk), line, std::move(function)}));
    it->second = static_cast<uint32_t>(sites_.size());
  }
  return it->second;
}

// ---- records --------------------------------------------------------------------------------

// Doubles the ring. Slots are positions modulo 2^32 and the ring's size a power of two, so an
// entry keeps its slot: it only lands at another index.
void CoroutineRegistry::grow() {
  static_assert(std::is_trivially_copyable_v<Entry> && std::is_trivially_destructible_v<Entry>);
  size_t size = entries_ ? (size_t{mask_} + 1) * 2 : 64;
  // Entry is an implicit-lifetime aggregate: the zeroed storage holds entries as it is.
  std::unique_ptr<Entry[], FreeStorage> grown(static_cast<Entry*>(std::calloc(size, sizeof(Entry))));
  if (!grown) throw std::bad_alloc();
  std::vector<uint8_t> grownFlags(size);
  for (uint32_t slot = begin_; slot != end_; ++slot) {
    grown[slot & (size - 1)] = at(slot);
    grownFlags[slot & (size - 1)] = holeFlag(slot);
  }
  entries_ = std::move(grown);
  holeFlags_ = std::move(grownFlags);
  mask_ = static_cast<uint32_t>(size - 1);
}

void CoroutineRegistry::died(Thread& thread, double ms, bool inError, std::string error) {
  Entry& e = at(thread.inspectorSlot);
  e.deathMs = ms;
  e.diedInError = inError;
  if (inError) errors_[e.id] = std::move(error);
}

// Doubles the history ring (its size a power of two) when it is full.
void CoroutineRegistry::growHistory() {
  std::vector<uint32_t> grown(std::max<size_t>(64, history_.size() * 2));
  for (size_t i = 0; i < historySize_; ++i) grown[i] = historyAt(i);
  history_ = std::move(grown);
  historyMask_ = history_.size() - 1;
  historyHead_ = 0;
}

// Removes the holes, keeping the order, by moving survivors towards the newest end: the
// newest entries, among which holes are rare, mostly stay where they are. Renumbers the moved
// entries' threads and history slots.
void CoroutineRegistry::squeeze() {
  uint32_t oldBegin = begin_;
  renumbered_.resize(entryCount());
  uint32_t write = end_;
  for (uint32_t read = end_; read != oldBegin;) {
    --read;
    if (isHole(read)) continue;
    --write;
    renumbered_[read - oldBegin] = write;
    if (write == read) continue;
    Entry& e = at(write);
    e = at(read);
    holeFlag(write) = 0;
    if (e.thread) e.thread->inspectorSlot = write;
  }
  begin_ = write;
  for (size_t i = 0; i < historySize_; ++i) {
    uint32_t& slot = historyAt(i);
    slot = renumbered_[slot - oldBegin];
  }
  holes_ = 0;
}

const CoroutineRegistry::Entry* CoroutineRegistry::find(uint32_t id) const {
  // Ids increase from begin_ to end_ (holes keep theirs): a binary search over positions.
  uint32_t low = 0, high = entryCount();
  while (low < high) {
    uint32_t middle = low + (high - low) / 2;
    if (at(begin_ + middle).id < id) low = middle + 1;
    else high = middle;
  }
  if (low == entryCount()) return nullptr;
  const Entry& e = at(begin_ + low);
  return e.id == id && !isHole(begin_ + low) ? &e : nullptr;
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
  uint32_t first = end_;
  for (size_t wanted = newest; first != begin_ && wanted > 0; --first)
    if (!isHole(first - 1)) --wanted;
  std::vector<CoroutineRecord> out;
  out.reserve(std::min<size_t>(newest, end_ - first));
  for (uint32_t slot = first; slot != end_; ++slot)
    if (!isHole(slot)) out.push_back(read(at(slot), clock));
  return out;
}

bool CoroutineRegistry::consistent() const {
  uint32_t holes = 0, collectedKept = 0;
  for (uint32_t slot = begin_; slot != end_; ++slot) {
    const Entry& e = at(slot);
    if (slot != begin_ && at(slot - 1).id >= e.id) return false;
    if (isHole(slot)) {
      if (!e.collected) return false;
      ++holes;
      continue;
    }
    if (e.collected) ++collectedKept;
    else if (!e.thread || e.thread->inspectorSlot != slot || e.thread->coroutineId != e.id) return false;
  }
  if (holes != holes_ || collectedKept != historySize_) return false;
  for (size_t i = 0; i < historySize_; ++i) {
    uint32_t slot = history_[(historyHead_ + i) & historyMask_];
    if (slot - begin_ >= entryCount() || isHole(slot) || !at(slot).collected) return false;
  }
  return true;
}

// A live entry is read from its thread, which holds the current status and switch figures.
CoroutineRecord CoroutineRegistry::read(const Entry& e, const ClockMap& clock) const {
  CoroutineRecord r;
  r.id = e.id;
  r.site = e.site;
  r.wrapped = e.wrapped;
  r.createdInstructions = e.createdAt;
  r.createdMs = e.createdMs;
  r.collected = e.collected;
  if (e.thread) {
    r.status = e.thread->status;
    r.switches = e.thread->switches;
    r.stackBytes = sizeof(Value) * static_cast<size_t>(e.thread->stackSize);
  } else {
    r.status = e.status;
    r.switches = e.switches;
    r.collectedMs = e.collectedMs;
  }
  // Interpolated switch times are kept in order with the times the entry was given.
  auto ms = [&](int64_t instructions) {
    return instructions < 0 ? -1.0 : std::max(clock.msAt(instructions), e.createdMs);
  };
  r.firstResumeMs = ms(r.switches.firstResumeAt);
  r.lastResumeMs = ms(r.switches.lastResumeAt);
  r.lastYieldMs = ms(r.switches.lastYieldAt);
  r.deathMs = e.deathMs < 0 ? -1 : std::max(e.deathMs, r.lastResumeMs);
  r.diedInError = e.diedInError;
  if (e.diedInError) {
    auto it = errors_.find(e.id);
    if (it != errors_.end()) r.error = it->second;
  }
  return r;
}

}  // namespace lunette
