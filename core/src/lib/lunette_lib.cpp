// The `lunette` module: the inspector seen from Lua (require "lunette"; it is preloaded into
// package.loaded but deliberately not a global, so standard scripts see a standard _G).
//   gcinfo()        the collector now: mode, phase, total, threshold, debt, estimate, counters,
//                   parameters, and bytype = {[kind] = {count=, bytes=}}
//   gctrace([n])    the last n collector events (steps, cycles, phase changes) as tables
//   coroutines()    every coroutine record of the registry (collected ones flagged)
//   costatus(co)    the record of one coroutine
//   memorylimit([bytes])  the heap limit (0: none); returns the previous one
//   why(value)      the shortest strong path from a root to the value, as a list of edges
//                   {text=, chunk=, line=} ending with the value itself; nil if unreachable
//   suspects([seconds])  coroutines that look leaked: suspended and not resumed for longer than
//                   `seconds` (default 1) yet reachable, or dead yet still referenced
#include <optional>
#include <string>

#include "inspect/census.h"
#include "inspect/inspector.h"
#include "inspect/retention.h"
#include "lib/libs.h"
#include "vm/state.h"

namespace lunette {

namespace {

void setInteger(Lua& L, const char* field, int64_t v) {
  L.pushInteger(v);
  L.setField(-2, field);
}
void setNumber(Lua& L, const char* field, double v) {
  L.pushNumber(v);
  L.setField(-2, field);
}
void setString(Lua& L, const char* field, std::string_view v) {
  L.pushString(v);
  L.setField(-2, field);
}
void setBoolean(Lua& L, const char* field, bool v) {
  L.pushBoolean(v);
  L.setField(-2, field);
}

int gcinfo(Lua& L) {
  const Collector& gc = L.state().collector;
  L.newTable();
  setString(L, "mode", gcModeName(gc.mode));
  setString(L, "state", gcPhaseName(gc.phase));
  setInteger(L, "total", static_cast<int64_t>(gc.heapBytes));
  setInteger(L, "threshold", static_cast<int64_t>(gc.threshold));
  setInteger(L, "debt", gc.debt);
  setInteger(L, "estimate", static_cast<int64_t>(gc.estimate));
  setInteger(L, "cycles", static_cast<int64_t>(gc.cycles));
  setInteger(L, "minors", static_cast<int64_t>(gc.minorCycles));
  setInteger(L, "steps", static_cast<int64_t>(gc.steps));
  setInteger(L, "allocated", static_cast<int64_t>(gc.allocatedTotal));
  setInteger(L, "pause", gc.pause);
  setInteger(L, "stepmul", gc.stepmul);
  setInteger(L, "stepsize", gc.stepsize);
  setInteger(L, "minormul", gc.minormul);
  setInteger(L, "majormul", gc.majormul);
  setBoolean(L, "running", gc.running);
  setInteger(L, "memorylimit", static_cast<int64_t>(gc.memoryLimit));
  setInteger(L, "emergencies", static_cast<int64_t>(gc.emergencyCollections));
  L.newTable();
  for (int k = 0; k < kTagCount; ++k) {
    const char* name = heapKindName(static_cast<Tag>(k));
    if (!name) continue;
    L.newTable();
    setInteger(L, "count", static_cast<int64_t>(gc.countByKind[k]));
    setInteger(L, "bytes", static_cast<int64_t>(gc.bytesByKind[k]));
    L.setField(-2, name);
  }
  L.setField(-2, "bytype");
  return 1;
}

void pushEvent(Lua& L, const TelemetryEvent& e) {
  L.newTable();
  setNumber(L, "time", e.timeMs);
  setInteger(L, "instructions", e.instructions);
  switch (e.kind) {
    case EventKind::Phase:
      setString(L, "kind", "phase");
      setString(L, "from", gcPhaseName(e.phaseFrom));
      setString(L, "to", gcPhaseName(e.phaseTo));
      break;
    case EventKind::Step: {
      const GcStepRecord& step = inspectorOf(L.state()).stepOf(e);
      setString(L, "kind", "step");
      setInteger(L, "work", static_cast<int64_t>(step.work));
      setInteger(L, "total_before", static_cast<int64_t>(step.totalBefore));
      setInteger(L, "total_after", static_cast<int64_t>(step.totalAfter));
      setInteger(L, "threshold_before", static_cast<int64_t>(step.thresholdBefore));
      setInteger(L, "threshold_after", static_cast<int64_t>(step.thresholdAfter));
      setInteger(L, "debt_before", step.debtBefore);
      setInteger(L, "debt_after", step.debtAfter);
      setInteger(L, "ns", static_cast<int64_t>(step.nanoseconds));
      setString(L, "phase_before", gcPhaseName(step.phaseBefore));
      setString(L, "phase_after", gcPhaseName(step.phaseAfter));
      break;
    }
    case EventKind::Cycle: {
      const GcCycleSummary& cycle = inspectorOf(L.state()).cycleOf(e);
      setString(L, "kind", "cycle");
      setInteger(L, "cycle", static_cast<int64_t>(cycle.cycle));
      setBoolean(L, "major", cycle.major);
      setInteger(L, "total_before", static_cast<int64_t>(cycle.totalBefore));
      setInteger(L, "total_after", static_cast<int64_t>(cycle.totalAfter));
      setInteger(L, "freed", static_cast<int64_t>(cycle.freed));
      setInteger(L, "finalized", cycle.finalized);
      setInteger(L, "weak_cleared", cycle.weakCleared);
      setInteger(L, "duration_ns", static_cast<int64_t>(cycle.durationNanoseconds));
      setInteger(L, "longest_step_ns", static_cast<int64_t>(cycle.longestStepNanoseconds));
      L.newTable();
      for (int k = 0; k < kTagCount; ++k) {
        const char* name = heapKindName(static_cast<Tag>(k));
        if (!name || !cycle.freedByKind[k]) continue;
        setInteger(L, name, static_cast<int64_t>(cycle.freedByKind[k]));
      }
      L.setField(-2, "freed_by_type");
      break;
    }
    case EventKind::Coroutine:
      setString(L, "kind", "coroutine");
      setInteger(L, "id", e.coroutine.id);
      setString(L, "from", coStatusName(e.coroutine.from));
      setString(L, "to", e.coroutine.collected ? "collected" : coStatusName(e.coroutine.to));
      setBoolean(L, "created", e.coroutine.created);
      setInteger(L, "skipped", e.coroutine.skipped);
      break;
  }
}

// gctrace([n [, kind]]): the last n events (default 20), oldest first; `kind` filters.
int gctrace(Lua& L) {
  int64_t n = L.optInteger(1, 20);
  std::string_view kind = L.optString(2, "");
  const Inspector& inspector = inspectorOf(L.state());
  const EventRing& ring = inspector.events;
  uint64_t end = ring.nextSequence();
  uint64_t begin = ring.oldestSequence();
  static constexpr const char* kKinds[] = {"phase", "step", "cycle", "coroutine"};
  std::vector<uint64_t> picked;
  for (uint64_t s = end; s > begin && static_cast<int64_t>(picked.size()) < n; --s) {
    const TelemetryEvent& e = ring.at(s - 1);
    if (!inspector.readable(e)) continue;  // its step or cycle record was overwritten
    if (!kind.empty() && kind != kKinds[static_cast<int>(e.kind)]) continue;
    picked.push_back(s - 1);
  }
  L.newTable(static_cast<int>(picked.size()), 0);
  int64_t i = 1;
  for (auto it = picked.rbegin(); it != picked.rend(); ++it) {
    pushEvent(L, ring.at(*it));
    setInteger(L, "seq", static_cast<int64_t>(*it));  // the ring's sequence: polls can resume
    L.rawSetI(-2, i++);
  }
  return 1;
}

void pushRecord(Lua& L, const CoroutineRecord& r) {
  L.newTable();
  setInteger(L, "id", r.id);
  setString(L, "status", r.collected ? "collected" : coStatusName(r.status));
  setString(L, "state", coStatusName(r.status));
  setBoolean(L, "collected", r.collected);
  setString(L, "chunk", r.site->chunk);
  setInteger(L, "line", r.site->line);
  setString(L, "site", r.site->chunk + ":" + std::to_string(r.site->line));
  setString(L, "func", r.site->function);
  setBoolean(L, "wrapped", r.wrapped);
  setInteger(L, "resumes", static_cast<int64_t>(r.switches.resumes));
  setNumber(L, "created_ms", r.createdMs);
  setInteger(L, "created_instructions", r.createdInstructions);
  if (r.firstResumeMs >= 0) setNumber(L, "first_resume_ms", r.firstResumeMs);
  if (r.lastResumeMs >= 0) setNumber(L, "last_resume_ms", r.lastResumeMs);
  if (r.deathMs >= 0) setNumber(L, "death_ms", r.deathMs);
  if (r.diedInError) setString(L, "error", r.error);
  if (r.collectedMs >= 0) setNumber(L, "collected_ms", r.collectedMs);
  if (r.collectedInstructions >= 0) setInteger(L, "collected_instructions", r.collectedInstructions);
  setInteger(L, "stack_bytes", static_cast<int64_t>(r.stackBytes));
}

int coroutines(Lua& L) {
  Inspector& inspector = inspectorOf(L.state());
  inspector.refresh();
  // Read before any table is made: making one may run the collector.
  std::vector<CoroutineRecord> records = inspector.coroutines();
  L.newTable(static_cast<int>(records.size()), 0);
  int64_t i = 1;
  for (const CoroutineRecord& record : records) {
    pushRecord(L, record);
    L.rawSetI(-2, i++);
  }
  return 1;
}

int costatus(Lua& L) {
  Thread* co = L.toThread(1);
  if (!co) L.typeError(1, "coroutine");
  Inspector& inspector = inspectorOf(L.state());
  inspector.refresh();
  std::optional<CoroutineRecord> r = inspector.record(co->coroutineId);
  if (!r) {
    L.pushNil();
    return 1;
  }
  pushRecord(L, *r);
  return 1;
}

int memorylimit(Lua& L) {
  Collector& gc = L.state().collector;
  int64_t previous = static_cast<int64_t>(gc.memoryLimit);
  if (!L.isNoneOrNil(1)) {
    int64_t limit = L.checkInteger(1);
    L.argCheck(limit >= 0, 1, "limit must not be negative");
    gc.memoryLimit = static_cast<size_t>(limit);
  }
  L.pushInteger(previous);
  return 1;
}

void pushPath(Lua& L, const RetentionPath& path, const std::string& target) {
  L.newTable();
  int64_t i = 1;
  for (const RetentionEdge& edge : path.edges) {
    L.newTable();
    setString(L, "text", edge.text);
    if (!edge.chunk.empty()) {
      setString(L, "chunk", edge.chunk);
      setInteger(L, "line", edge.line);
    }
    L.rawSetI(-2, i++);
  }
  L.newTable();
  setString(L, "text", target);
  L.rawSetI(-2, i);
}

int why(Lua& L) {
  L.checkAny(1);
  State& S = L.state();
  Value target = *L.thread().at(L.thread().calls.back().func + 1);
  // The argument itself sits on this call's stack: look from a state where it does not count,
  // and first without the calling function's own variables.
  Thread& T = L.thread();
  T.stack[T.calls.back().func + 1] = Value();
  int caller = static_cast<int>(T.calls.size()) - 2;
  RetentionPath path = findRetentionPath(S, target, &T, caller);
  if (!path.found) path = findRetentionPath(S, target);
  T.stack[T.calls.back().func + 1] = target;
  if (!path.found) {
    L.pushNil();
    return 1;
  }
  pushPath(L, path, describeObject(S, target));
  return 1;
}

// suspects([seconds]): coroutines that look leaked, longest idle first, with their paths.
int suspects(Lua& L) {
  State& S = L.state();
  double thresholdMs = L.optNumber(1, 1.0) * 1000.0;
  // Everything is read before any Lua table is made: making one may run the collector, which
  // could free a candidate or trim the registry under our feet.
  struct Found {
    CoroutineRecord record;
    const char* reason;
    double idleMs;
    RetentionPath path;
    std::string target;
  };
  std::vector<Found> found;
  std::vector<Suspect> suspects = findSuspects(S, thresholdMs);
  std::vector<RetentionPath> paths = suspectPaths(S, suspects);
  for (size_t i = 0; i < suspects.size(); ++i) {
    if (!paths[i].found) continue;  // unreachable: the collector will take it
    const Suspect& s = suspects[i];
    found.push_back({s.record, s.reason, s.idleMs, std::move(paths[i]),
                     describeObject(S, Value::thread(s.thread))});
  }
  L.newTable();
  int64_t n = 1;
  for (const Found& f : found) {
    pushRecord(L, f.record);
    setString(L, "reason", f.reason);
    setNumber(L, "idle_ms", f.idleMs);
    pushPath(L, f.path, f.target);
    L.setField(-2, "path");
    L.rawSetI(-2, n++);
  }
  return 1;
}

// census(): the heap by allocation site, largest first: {site=, line=, func=, kind=, count=,
// bytes=} (site "(runtime)" for objects no Lua line made).
int census(Lua& L) {
  State& S = L.state();
  std::vector<CensusGroup> groups = censusBySite(S);  // read before making tables (see above)
  L.newTable();
  int64_t n = 1;
  for (const CensusGroup& g : groups) {
    const char* kind = heapKindName(g.kind);
    if (!kind) continue;
    const AllocationSite* site = inspectorOf(S).site(g.site);
    L.newTable();
    setString(L, "site", site ? site->chunk + ":" + std::to_string(site->line) : "(runtime)");
    setInteger(L, "line", site ? site->line : 0);
    setString(L, "func", site ? site->function : "");
    setString(L, "kind", kind);
    setInteger(L, "count", static_cast<int64_t>(g.count));
    setInteger(L, "bytes", static_cast<int64_t>(g.bytes));
    L.rawSetI(-2, n++);
  }
  return 1;
}

// clock(): seconds on the clock the collector times its steps with (Collector::nowNanoseconds:
// the steady clock, or natively the thread's CPU time under --gc-cpu-clock), for benchmarks
// that compare their own gaps with the steps. (In WebAssembly both this and os.clock read
// performance.now(); natively os.clock is the process's CPU time.)
int clock(Lua& L) {
  L.pushNumber(static_cast<double>(Collector::nowNanoseconds()) / 1e9);
  return 1;
}

}  // namespace

int openLunette(Lua& L) {
  L.newTable();
  L.setFunctions({
      {"gcinfo", gcinfo},
      {"gctrace", gctrace},
      {"coroutines", coroutines},
      {"costatus", costatus},
      {"memorylimit", memorylimit},
      {"why", why},
      {"suspects", suspects},
      {"census", census},
      {"clock", clock},
  });
  L.pushString("0.1");
  L.setField(-2, "version");
  return 1;
}

}  // namespace lunette
