// Test support: run Lua source on a State to the end (in slices, so budgets are exercised too)
// and return what it printed, or "syntax: ..." / "error: ..." when it did not finish; and step
// a stopped collector by hand.
#pragma once

#include <string>

#include "vm/api.h"
#include "vm/state.h"

namespace lunette::test {

inline std::string run(State& S, const std::string& source) {
  std::string output;
  S.outputSink = [&](std::string_view text) { output += text; };
  auto loaded = S.load(source, "=test");
  if (!loaded.ok) return "syntax: " + loaded.message;
  S.start(0);
  RunStatus status;
  do status = S.run(1000000);
  while (status == RunStatus::Paused);
  if (status == RunStatus::Failed) return "error: " + S.errorMessage();
  return output;
}

// A live heap built the way a script builds one: `n` tables of `width` integers added one by one
// (the collector pacing itself meanwhile), kept in the registry's "live" field.
inline void buildLiveHeap(State& S, int n, int width) {
  Lua L = S.mainApi();
  L.newTable();
  for (int i = 1; i <= n; ++i) {
    L.newTable(width, 0);
    for (int j = 1; j <= width; ++j) {
      L.pushInteger(j);
      L.rawSetI(-2, j);
    }
    L.rawSetI(-2, i);
  }
  L.setField(kRegistryIndex, "live");
}

// Steps the collector (stopped) until a big table is partly traversed; false if it never is.
inline bool stepIntoTableWalk(State& S) {
  for (int i = 0; i < 100000; ++i) {
    S.collector.explicitStep(S, 0);
    if (S.collector.tableWalkInProgress()) return true;
  }
  return false;
}

// Steps the collector until its cycle ends.
inline void finishCycle(State& S) {
  while (S.collector.phase != GcPhase::Pause) S.collector.explicitStep(S, 0);
}

}  // namespace lunette::test
