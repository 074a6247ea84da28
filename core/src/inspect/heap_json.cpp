// The heap questions' answers as JSON (see heap_json.h).
#include "inspect/heap_json.h"

#include "inspect/census.h"
#include "inspect/inspector.h"
#include "inspect/telemetry_json.h"

namespace lunette {

namespace {

void jsonKey(std::string& out, std::string_view name) {
  appendJsonString(out, name);
  out += ':';
}

}  // namespace

void appendEdgesJson(std::string& out, const std::vector<RetentionEdge>& edges) {
  out += '[';
  for (size_t i = 0; i < edges.size(); ++i) {
    if (i) out += ',';
    out += '{';
    jsonKey(out, "text");
    appendJsonString(out, edges[i].text);
    if (!edges[i].chunk.empty()) {
      out += ',';
      jsonKey(out, "chunk");
      appendJsonString(out, edges[i].chunk);
      out += ',';
      jsonKey(out, "line");
      appendJsonNumber(out, edges[i].line);
    }
    out += '}';
  }
  out += ']';
}

std::string explainJson(State& S, uint32_t id) {
  RetentionPath path;
  std::string target = "coroutine #" + std::to_string(id);
  if (Thread* co = inspectorOf(S).liveThread(id)) {
    path = findRetentionPath(S, Value::thread(co));
    target = describeObject(S, Value::thread(co));
  }
  std::string out = "{\"found\":";
  out += path.found ? "true" : "false";
  out += ",\"id\":";
  appendJsonNumber(out, id);
  out += ",\"edges\":";
  appendEdgesJson(out, path.edges);
  out += ",\"target\":";
  appendJsonString(out, target);
  out += '}';
  return out;
}

std::string suspectsJson(State& S, double thresholdMs, size_t limit, const StuckWaits& stuck) {
  std::vector<Suspect> suspects = findSuspects(S, thresholdMs, stuck);
  std::vector<RetentionPath> paths = suspectPaths(S, suspects);
  std::string out = "[";
  size_t listed = 0;
  for (size_t i = 0; i < suspects.size() && listed < limit; ++i) {
    const Suspect& suspect = suspects[i];
    const RetentionPath& path = paths[i];
    if (!path.found) continue;  // unreachable: the collector will take it
    if (listed++) out += ',';
    openRecordJson(out, suspect.record);
    out += ",\"reason\":";
    appendJsonString(out, suspect.reason);
    out += ",\"idleMs\":";
    appendJsonNumber(out, suspect.idleMs);
    if (!suspect.waitsFor.empty()) {
      out += ",\"waitsFor\":";
      appendJsonString(out, suspect.waitsFor);
    }
    out += ",\"path\":";
    appendEdgesJson(out, path.edges);
    out += ",\"target\":";
    appendJsonString(out, describeObject(S, Value::thread(suspect.thread)));
    out += '}';
  }
  out += ']';
  return out;
}

std::string censusJson(State& S, size_t maxSites) {
  const Collector& gc = S.collector;
  std::string out = "{\"byType\":{";
  bool first = true;
  for (Tag tag : kHeapKinds) {
    if (!first) out += ',';
    first = false;
    jsonKey(out, heapKindName(tag));
    out += "{\"count\":";
    appendJsonNumber(out, static_cast<double>(gc.countByKind[static_cast<size_t>(tag)]));
    out += ",\"bytes\":";
    appendJsonNumber(out, static_cast<double>(gc.bytesByKind[static_cast<size_t>(tag)]));
    out += '}';
  }
  out += "},\"bySite\":[";
  size_t otherCount = 0, otherBytes = 0, listed = 0;
  for (const CensusGroup& g : censusBySite(S)) {
    const char* kind = heapKindName(g.kind);
    if (!kind) continue;
    if (listed == maxSites) {
      otherCount += g.count;
      otherBytes += g.bytes;
      continue;
    }
    if (listed++) out += ',';
    const AllocationSite* site = inspectorOf(S).site(g.site);
    out += "{\"site\":";
    appendJsonString(out, site ? site->chunk + ":" + std::to_string(site->line) : "(runtime)");
    out += ",\"chunk\":";
    appendJsonString(out, site ? site->chunk : "");
    out += ",\"line\":";
    appendJsonNumber(out, site ? site->line : 0);
    out += ",\"function\":";
    appendJsonString(out, site ? site->function : "");
    out += ",\"kind\":";
    appendJsonString(out, kind);
    out += ",\"count\":";
    appendJsonNumber(out, static_cast<double>(g.count));
    out += ",\"bytes\":";
    appendJsonNumber(out, static_cast<double>(g.bytes));
    out += '}';
  }
  out += "],\"otherSites\":{\"count\":";
  appendJsonNumber(out, static_cast<double>(otherCount));
  out += ",\"bytes\":";
  appendJsonNumber(out, static_cast<double>(otherBytes));
  out += "}}";
  return out;
}

}  // namespace lunette
