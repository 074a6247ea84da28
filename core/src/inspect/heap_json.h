// The answers to the heap questions as JSON (web/src/PROTOCOL.md, "Heap questions"): why a
// coroutine is alive, the leak suspects with their paths, the census by type and site. The
// worker's Session and the CLI's --trace stream write them alike.
//
// Each reads the heap and allocates nothing collected; it may throw what the heap walk throws
// (callers guard). The `State` must have its inspector.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "inspect/census.h"
#include "inspect/retention.h"
#include "vm/state.h"

namespace lunette {

// [{text, chunk?, line?}, ...]
void appendEdgesJson(std::string& out, const std::vector<RetentionEdge>& edges);

// {found, id, edges, target}: the retention path of coroutine `id`.
std::string explainJson(State& S, uint32_t id);

// [record + {reason, idleMs, waitsFor?, path, target}, ...]: at most `limit` suspects (stuck
// waiters first, then longest idle first), reachable ones only.
std::string suspectsJson(State& S, double thresholdMs, size_t limit, const StuckWaits& stuck = {});

// {byType, bySite, otherSites}: at most `maxSites` site groups, the largest.
std::string censusJson(State& S, size_t maxSites);

}  // namespace lunette
