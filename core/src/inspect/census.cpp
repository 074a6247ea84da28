// The heap census and leak suspects (see census.h).
#include "inspect/census.h"

#include <algorithm>
#include <unordered_map>

#include "inspect/inspector.h"

namespace lunette {

std::vector<CensusGroup> censusBySite(const State& S) {
  const Collector& gc = S.collector;
  std::unordered_map<uint64_t, CensusGroup> groups;
  gc.forEachObject([&](const GcObject* o) {
    if (gc.isDeadWhite(o)) return;
    uint64_t key = (static_cast<uint64_t>(o->site) << 8) | static_cast<uint8_t>(o->kind);
    CensusGroup& g = groups[key];
    g.site = o->site;
    g.kind = o->kind;
    g.count += 1;
    g.bytes += objectBytes(o);
  });
  std::vector<CensusGroup> out;
  out.reserve(groups.size());
  for (auto& [key, group] : groups) out.push_back(group);
  std::sort(out.begin(), out.end(), [](const CensusGroup& a, const CensusGroup& b) {
    if (a.bytes != b.bytes) return a.bytes > b.bytes;
    if (a.site != b.site) return a.site < b.site;
    return a.kind < b.kind;
  });
  return out;
}

std::vector<Suspect> findSuspects(State& S, double thresholdMs, const StuckWaits& stuck) {
  Inspector& inspector = inspectorOf(S);
  inspector.refresh();
  double now = inspector.nowMs();
  std::vector<Suspect> out;
  for (const CoroutineRecord& record : inspector.coroutines()) {
    if (record.collected) continue;
    Thread* co = inspector.liveThread(record.id);
    if (!co || S.collector.isDeadWhite(co)) continue;
    double idle = now - lastActivityMs(record);
    auto waits = co->status == CoStatus::Suspended ? stuck.find(record.id) : stuck.end();
    const char* reason = nullptr;
    if (co->status == CoStatus::Dead) reason = "dead but still referenced";
    else if (waits != stuck.end()) reason = "waits for what nothing will give";
    else if (co->status == CoStatus::Suspended && idle >= thresholdMs)
      reason = "suspended and not resumed";
    if (reason) out.push_back({co, record, reason, idle, waits != stuck.end() ? waits->second : ""});
  }
  // A stuck waiter is a certain leak; the others are guesses by idle time.
  std::stable_sort(out.begin(), out.end(), [](const Suspect& a, const Suspect& b) {
    if (a.waitsFor.empty() != b.waitsFor.empty()) return b.waitsFor.empty();
    return a.idleMs > b.idleMs;
  });
  return out;
}

std::vector<RetentionPath> suspectPaths(State& S, const std::vector<Suspect>& suspects) {
  std::vector<Value> targets;
  targets.reserve(suspects.size());
  for (const Suspect& s : suspects) targets.push_back(Value::thread(s.thread));
  return findRetentionPaths(S, targets);
}

}  // namespace lunette
