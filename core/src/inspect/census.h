// The heap census and leak suspects: the two questions asked of the whole heap.
//
//  - takeCensus(): every object the heap holds, counted by kind and by allocation site
//    (GcObject::site: the Lua line that made it; coroutines therefore by the line of their
//    coroutine.create / wrap). Objects a running sweep already knows to be dead are left out;
//    garbage not yet found by the collector is counted, as collectgarbage("count") counts it
//    (a full collection first gives live objects only).
//  - findSuspects(): coroutines that look leaked: suspended and idle for longer than a
//    threshold, or dead and still referenced, or waiting for something the embedder knows
//    will never come (a server shim's semaphore nobody is left to post; the caller asks
//    retention.h for their paths).
//
// Both only read the heap; they allocate nothing collected, so they can run at any safe point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "inspect/coroutine_registry.h"
#include "inspect/retention.h"
#include "vm/state.h"

namespace lunette {

struct CensusGroup {
  uint32_t site = 0;  // Inspector::site(site); 0: made by the runtime, not by Lua code
  Tag kind = Tag::Nil;
  size_t count = 0;
  size_t bytes = 0;
};

// Groups by (site, kind), most bytes first.
std::vector<CensusGroup> censusBySite(const State& S);

struct Suspect {
  Thread* thread = nullptr;
  CoroutineRecord record;
  const char* reason = "";
  double idleMs = 0;
  std::string waitsFor;  // for a stuck waiter: what it waits for (StuckWaits' text)
};

// Coroutine id -> what it waits for, for suspended coroutines that the embedder knows will
// never be resumed (the server shims' scheduler ended with them still waiting).
using StuckWaits = std::unordered_map<uint32_t, std::string>;

// Suspect coroutines: the stuck waiters first (whatever their idle time), then longest idle
// first (dead ones count as idle since their last activity). Refreshes the inspector's records.
std::vector<Suspect> findSuspects(State& S, double thresholdMs, const StuckWaits& stuck = {});

// Their retention paths, in the same order, from one search of the heap (a suspect whose path
// is not found is unreachable: the collector will take it).
std::vector<RetentionPath> suspectPaths(State& S, const std::vector<Suspect>& suspects);

}  // namespace lunette
