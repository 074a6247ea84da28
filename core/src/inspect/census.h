// The heap census and leak suspects: the two questions asked of the whole heap.
//
//  - takeCensus(): every object the heap holds, counted by kind and by allocation site
//    (GcObject::site: the Lua line that made it; coroutines therefore by the line of their
//    coroutine.create / wrap). Objects a running sweep already knows to be dead are left out;
//    garbage not yet found by the collector is counted, as collectgarbage("count") counts it
//    (a full collection first gives live objects only).
//  - findSuspects(): coroutines that look leaked: suspended and idle for longer than a
//    threshold, or dead and still referenced (the caller asks retention.h for their paths).
//
// Both only read the heap; they allocate nothing collected, so they can run at any safe point.
#pragma once

#include <cstddef>
#include <cstdint>
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
};

// Suspect coroutines, longest idle first (dead ones count as idle since their last activity).
// Refreshes the inspector's records.
std::vector<Suspect> findSuspects(State& S, double thresholdMs);

// Their retention paths, in the same order, from one search of the heap (a suspect whose path
// is not found is unreachable: the collector will take it).
std::vector<RetentionPath> suspectPaths(State& S, const std::vector<Suspect>& suspects);

}  // namespace lunette
