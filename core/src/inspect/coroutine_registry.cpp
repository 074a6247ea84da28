// The coroutine registry: interned creation sites, entries in id order (see
// coroutine_registry.h).
#include "inspect/coroutine_registry.h"

#include <algorithm>
#include <bit>
#include <new>
#include <type_traits>
#include <unordered_set>

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
    uint32_t id = static_cast<uint32_t>(sites_.size()) + 1;
    sites_.push_back(std::make_unique<CreationSite>(CreationSite{std::move(chunk), line, std::move(function), id}));
    it->second = id;
  }
  return it->second;
}

// ---- records --------------------------------------------------------------------------------

// Doubles the live ring. Slots are positions modulo 2^32 and the ring's size a power of two,
// so a thread keeps its slot: it only lands at another index.
void CoroutineRegistry::grow() {
  size_t size = live_ ? (size_t{liveMask_} + 1) * 2 : 64;
  std::unique_ptr<Thread*[], FreeStorage> grown(static_cast<Thread**>(std::calloc(size, sizeof(Thread*))));
  if (!grown) throw std::bad_alloc();
  for (uint32_t slot = liveBegin_; slot != liveEnd_; ++slot) grown[slot & (size - 1)] = liveAt(slot);
  live_ = std::move(grown);
  liveMask_ = static_cast<uint32_t>(size - 1);
}

void CoroutineRegistry::died(Thread& thread, double ms, bool inError, std::string error) {
  thread.birth.deathMs = ms;
  if (inError) errors_[thread.coroutineId] = std::move(error);
}

// Grows the history ring (its size a power of two) when it is full: to 256 records first,
// then to the limit's size at once (doubling allocated, and faulted in, twice the memory for
// a ring that a coroutine-churning program fills in a fraction of a second).
void CoroutineRegistry::growHistory() {
  constexpr size_t kBiggestJump = size_t{1} << 20;  // a limit set very high still grows by doubling
  size_t atLimit = historyLimit <= kBiggestJump ? std::bit_ceil(historyLimit) : 0;
  size_t size = !history_ ? 256 : std::max((historyMask_ + 1) * 2, atLimit);
  // Collected is trivially copyable: malloc'd storage holds such records without construction.
  static_assert(std::is_trivially_copyable_v<Collected> && std::is_trivially_destructible_v<Collected>);
  std::unique_ptr<Collected[], FreeHistory> grown(
      static_cast<Collected*>(std::aligned_alloc(alignof(Collected), size * sizeof(Collected))));
  if (!grown) throw std::bad_alloc();
  for (size_t i = 0; i < historySize_; ++i) grown[i] = historyAt(i);
  history_ = std::move(grown);
  historyMask_ = size - 1;
  historyHead_ = 0;
}

// Removes the holes, keeping the order, by moving survivors towards the newest end: the
// newest slots, among which holes are rare, mostly stay where they are.
void CoroutineRegistry::squeeze() {
  uint32_t write = liveEnd_;
  for (uint32_t read = liveEnd_; read != liveBegin_;) {
    --read;
    Thread* thread = liveAt(read);
    if (!thread) continue;
    --write;
    if (write == read) continue;
    liveAt(write) = thread;
    liveAt(read) = nullptr;
    thread->inspectorSlot = write;
  }
  liveBegin_ = write;
  liveHoles_ = 0;
}

// Ids increase from liveBegin_ to liveEnd_: a binary search over positions, looking past holes
// to the next thread.
Thread* CoroutineRegistry::liveThread(uint32_t id) const {
  uint32_t low = 0, high = entryCount();
  while (low < high) {
    uint32_t middle = low + (high - low) / 2;
    uint32_t probe = middle;
    while (probe < high && !liveAt(liveBegin_ + probe)) ++probe;
    if (probe == high) {
      high = middle;
      continue;
    }
    Thread* thread = liveAt(liveBegin_ + probe);
    if (thread->coroutineId == id) return thread;
    if (thread->coroutineId < id) low = probe + 1;
    else high = middle;
  }
  return nullptr;
}

const CoroutineRegistry::Collected* CoroutineRegistry::findCollected(uint32_t id) const {
  for (size_t i = 0; i < historySize_; ++i)
    if (historyAt(i).id == id) return &historyAt(i);
  return nullptr;
}

std::optional<CoroutineRecord> CoroutineRegistry::record(uint32_t id, const ClockMap& clock) const {
  if (const Thread* thread = liveThread(id)) return readLive(*thread, clock);
  if (const Collected* c = findCollected(id)) return readCollected(*c, clock);
  return std::nullopt;
}

std::vector<CoroutineRecord> CoroutineRegistry::records(const ClockMap& clock,
                                                        size_t newest) const {
  // The newest of both sets by id: the live ring is in id order, the history (in collection
  // order) is sorted here; the two are merged from the newest end.
  std::vector<const Collected*> collected;
  collected.reserve(historySize_);
  for (size_t i = 0; i < historySize_; ++i) collected.push_back(&historyAt(i));
  std::sort(collected.begin(), collected.end(),
            [](const Collected* a, const Collected* b) { return a->id < b->id; });
  std::vector<CoroutineRecord> out;
  out.reserve(std::min<size_t>(newest, collected.size() + entryCount() - liveHoles_));
  uint32_t slot = liveEnd_;
  size_t c = collected.size();
  while (out.size() < newest) {
    while (slot != liveBegin_ && !liveAt(slot - 1)) --slot;
    bool haveLive = slot != liveBegin_;
    if (!haveLive && c == 0) break;
    if (haveLive && (c == 0 || liveAt(slot - 1)->coroutineId > collected[c - 1]->id)) {
      out.push_back(readLive(*liveAt(--slot), clock));
    } else {
      out.push_back(readCollected(*collected[--c], clock));
    }
  }
  std::reverse(out.begin(), out.end());
  return out;
}

bool CoroutineRegistry::consistent() const {
  uint32_t holes = 0;
  uint32_t lastId = 0;
  std::unordered_set<uint32_t> liveIds;
  for (uint32_t slot = liveBegin_; slot != liveEnd_; ++slot) {
    const Thread* thread = liveAt(slot);
    if (!thread) {
      ++holes;
      continue;
    }
    if (thread->coroutineId <= lastId || thread->inspectorSlot != slot) return false;
    lastId = thread->coroutineId;
    liveIds.insert(lastId);
  }
  if (holes != liveHoles_) return false;
  if (history_ ? historySize_ > historyMask_ + 1 : historySize_ != 0) return false;
  for (size_t i = 0; i < historySize_; ++i)
    if (liveIds.count(historyAt(i).id) || historyAt(i).id == 0 || historyAt(i).id >= nextId_) return false;
  return true;
}

CoroutineRecord CoroutineRegistry::readLive(const Thread& thread, const ClockMap& clock) const {
  CoroutineRecord r;
  r.id = thread.coroutineId;
  r.wrapped = thread.wrapped;
  r.status = thread.status;
  r.switches = thread.switches;
  r.stackBytes = sizeof(Value) * static_cast<size_t>(thread.stackSize);
  r.site = thread.birth.site;
  r.createdInstructions = thread.birth.createdAt;
  r.createdMs = thread.birth.createdMs;
  finishReading(r, thread.birth.deathMs, diedInError(r.id), clock);
  return r;
}

CoroutineRecord CoroutineRegistry::readCollected(const Collected& c, const ClockMap& clock) const {
  CoroutineRecord r;
  r.id = c.id;
  r.wrapped = c.wrapped;
  r.status = static_cast<CoStatus>(c.status);
  r.switches = c.switches;
  r.site = sites_[c.site - 1].get();
  r.createdInstructions = c.createdAt;
  r.createdMs = c.createdMs;
  finishReading(r, c.deathMs, c.diedInError, clock);
  r.collected = true;
  r.collectedInstructions = c.collectedAt;
  r.collectedMs = std::max({clock.msAt(c.collectedAt), r.createdMs, r.deathMs, r.lastResumeMs, r.lastYieldMs});
  return r;
}

// The fields a live and a collected record read alike, once the birth is in `r`: the switch
// times, the death, the error.
void CoroutineRegistry::finishReading(CoroutineRecord& r, double deathMs, bool diedInError,
                                      const ClockMap& clock) const {
  // Interpolated switch times are kept in order with the times the record was given.
  auto ms = [&](int64_t instructions) {
    return instructions < 0 ? -1.0 : std::max(clock.msAt(instructions), r.createdMs);
  };
  r.firstResumeMs = ms(r.switches.firstResumeAt);
  r.lastResumeMs = ms(r.switches.lastResumeAt);
  r.lastYieldMs = ms(r.switches.lastYieldAt);
  r.deathMs = deathMs < 0 ? -1 : std::max(deathMs, r.lastResumeMs);
  r.diedInError = diedInError;
  if (diedInError) {
    auto it = errors_.find(r.id);
    if (it != errors_.end()) r.error = it->second;
  }
}

}  // namespace lunette
