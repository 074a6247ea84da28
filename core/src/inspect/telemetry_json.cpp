// Telemetry JSON (see telemetry_json.h): plain appends into one std::string, no JSON library.
#include "inspect/telemetry_json.h"

#include <cmath>
#include <cstdio>
#include <iterator>
#include <limits>

#include "inspect/inspector.h"
#include "vm/state.h"

namespace lunette {

static_assert(kSampleFields[8] == "bytes.string" && kSampleFields[kSampleCoroutines] == "co.suspended" &&
              kSampleFields[kSampleCoroutines + 4] == "co.collected");
static_assert(static_cast<int>(CoStatus::Suspended) == 0 && static_cast<int>(CoStatus::Running) == 1 &&
              static_cast<int>(CoStatus::Normal) == 2 && static_cast<int>(CoStatus::Dead) == 3,
              "the co.* columns follow CoStatus (Inspector::takeSampleAt)");

void sampleState(StoredSample& s, const State& S, double timeMs) {
  const Collector& gc = S.collector;
  s.timeMs = timeMs;
  s.instructions = S.instructionsNow();
  s.allocated = gc.allocatedTotal;
  s.threshold = gc.threshold;
  s.debt = gc.debt;
  s.estimate = gc.estimate;
  s.phase = static_cast<uint8_t>(gc.phase);
  for (size_t i = 0; i < kHeapKinds.size(); ++i)  // bytes.string ... bytes.userdata
    s.bytesByKind[i] = gc.bytesByKind[static_cast<size_t>(kHeapKinds[i])];
}

namespace {

// `"key":` (keys are plain identifiers), preceded by a comma.
void key(std::string& out, const char* name) {
  out += ",\"";
  out += name;
  out += "\":";
}

void field(std::string& out, const char* name, double value) {
  key(out, name);
  appendJsonNumber(out, value);
}

void field(std::string& out, const char* name, std::string_view text) {
  key(out, name);
  appendJsonString(out, text);
}

void flag(std::string& out, const char* name, bool value) {
  key(out, name);
  out += value ? "true" : "false";
}

void appendStep(std::string& out, const GcStepRecord& s) {
  field(out, "work", static_cast<double>(s.work));
  field(out, "totalBefore", static_cast<double>(s.totalBefore));
  field(out, "totalAfter", static_cast<double>(s.totalAfter));
  field(out, "thresholdAfter", static_cast<double>(s.thresholdAfter));
  field(out, "debtAfter", static_cast<double>(s.debtAfter));
  field(out, "durationNs", static_cast<double>(s.nanoseconds));
  field(out, "phaseBefore", gcPhaseName(s.phaseBefore));
  field(out, "phaseAfter", gcPhaseName(s.phaseAfter));
}

void appendCycle(std::string& out, const GcCycleSummary& c) {
  field(out, "cycle", static_cast<double>(c.cycle));
  flag(out, "major", c.major);
  field(out, "freed", static_cast<double>(c.freed));
  key(out, "freedByKind");
  out += '{';
  for (size_t i = 0; i < kHeapKinds.size(); ++i) {
    if (i) out += ',';
    appendJsonString(out, heapKindName(kHeapKinds[i]));
    out += ':';
    appendJsonNumber(out, static_cast<double>(c.freedByKind[static_cast<size_t>(kHeapKinds[i])]));
  }
  out += '}';
  field(out, "finalized", c.finalized);
  field(out, "weakCleared", c.weakCleared);
  field(out, "durationNs", static_cast<double>(c.durationNanoseconds));
  field(out, "longestStepNs", static_cast<double>(c.longestStepNanoseconds));
  field(out, "steps", c.steps);
  field(out, "totalBefore", static_cast<double>(c.totalBefore));
  field(out, "totalAfter", static_cast<double>(c.totalAfter));
}

void appendCoroutineTransition(std::string& out, const CoroutineTransition& c) {
  field(out, "id", c.id);
  field(out, "from", coStatusName(c.from));
  field(out, "to", c.collected ? "collected" : coStatusName(c.to));
  flag(out, "created", c.created);
  if (c.skipped) field(out, "skipped", c.skipped);
}

void appendEvent(std::string& out, const Inspector& inspector, const TelemetryEvent& e) {
  static constexpr const char* kNames[] = {"phase", "step", "cycle", "coroutine"};
  out += "{\"kind\":";
  appendJsonString(out, kNames[static_cast<int>(e.kind)]);
  field(out, "t", e.timeMs);
  field(out, "instr", static_cast<double>(e.instructions));
  switch (e.kind) {
    case EventKind::Phase:
      field(out, "from", gcPhaseName(e.phaseFrom));
      field(out, "to", gcPhaseName(e.phaseTo));
      break;
    case EventKind::Step: appendStep(out, inspector.stepOf(e)); break;
    case EventKind::Cycle: appendCycle(out, inspector.cycleOf(e)); break;
    case EventKind::Coroutine: appendCoroutineTransition(out, e.coroutine); break;
  }
  out += '}';
}

}  // namespace

void openRecordJson(std::string& out, const CoroutineRecord& r) {
  out += "{\"id\":";
  appendJsonNumber(out, r.id);
  field(out, "status", coStatusName(r.status));
  key(out, "site");
  out += "{\"chunk\":";
  appendJsonString(out, r.site->chunk);
  field(out, "line", r.site->line);
  field(out, "name", r.site->function);
  out += '}';
  flag(out, "wrapped", r.wrapped);
  field(out, "resumes", static_cast<double>(r.switches.resumes));
  field(out, "createdMs", r.createdMs);
  field(out, "createdInstr", static_cast<double>(r.createdInstructions));
  key(out, "lastResumeMs");
  if (r.lastResumeMs >= 0) appendJsonNumber(out, r.lastResumeMs);
  else out += "null";
  field(out, "stackBytes", static_cast<double>(r.stackBytes));
  flag(out, "collected", r.collected);
  if (r.deathMs >= 0) field(out, "deathMs", r.deathMs);
  if (r.collectedMs >= 0) field(out, "collectedMs", r.collectedMs);
  if (r.collectedInstructions >= 0) field(out, "collectedInstr", static_cast<double>(r.collectedInstructions));
  if (r.diedInError) field(out, "error", r.error);
}

void appendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
      out += buffer;
    } else {
      // Bytes >= 0x80 pass through: JSON.parse sees whatever the UTF-8 decoder made of them.
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void appendJsonNumber(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char buffer[32];
  int n = std::snprintf(buffer, sizeof buffer, "%.15g", value);
  out.append(buffer, static_cast<size_t>(n));
}

namespace {

// {"fields":[...],"rows":[ then the rows `row(i)` gives for i < count, then ]...}.
template <typename Row>
void appendRowsJson(std::string& out, size_t count, Row row, bool replace) {
  out += "{\"fields\":[";
  for (size_t i = 0; i < kSampleFields.size(); ++i) {
    if (i) out += ',';
    appendJsonString(out, kSampleFields[i]);
  }
  out += "],\"rows\":[";
  for (size_t r = 0; r < count; ++r) {
    const Sample& sample = row(r);  // a reference or a value unpacked from the recording
    out += r == 0 ? "[" : ",[";
    for (size_t i = 0; i < sample.size(); ++i) {
      if (i) out += ',';
      appendJsonNumber(out, sample[i]);
    }
    out += ']';
  }
  out += ']';
  if (replace) out += ",\"replace\":true";
  out += '}';
}

}  // namespace

void appendSamplesJson(std::string& out, const Sample* rows, size_t count, bool replace) {
  appendRowsJson(out, count, [&](size_t r) -> const Sample& { return rows[r]; }, replace);
}

void appendSamplesJson(std::string& out, const Recording& recording, size_t first, bool replace) {
  appendRowsJson(out, recording.size() - first, [&](size_t r) { return recording[first + r]; }, replace);
}

void appendRecordingJson(std::string& out, const Recording& recording, Recording::Cursor& cursor) {
  size_t first = 0;
  bool replace = recording.readSince(cursor, &first);
  appendSamplesJson(out, recording, first, replace);
}

void appendEventsJson(std::string& out, const Inspector& inspector, uint64_t* cursor,
                      size_t limit, uint64_t* dropped) {
  const EventRing& ring = inspector.events;
  uint64_t end = ring.nextSequence();
  uint64_t begin = *cursor;
  if (begin < ring.oldestSequence()) begin = ring.oldestSequence();
  if (end - begin > limit) begin = end - limit;
  *dropped += begin - *cursor;
  out += '[';
  bool first = true;
  for (uint64_t s = begin; s < end; ++s) {
    const TelemetryEvent& e = ring.at(s);
    if (!inspector.readable(e)) {  // its step or cycle record was overwritten: lost like it
      ++*dropped;
      continue;
    }
    if (!first) out += ',';
    first = false;
    appendEvent(out, inspector, e);
  }
  out += ']';
  *cursor = end;
}

std::string coroutinesJson(Inspector& inspector, size_t limit) {
  inspector.refresh();
  std::string out = "[";
  bool first = true;
  for (const CoroutineRecord& record : inspector.coroutines(limit)) {
    if (!first) out += ',';
    first = false;
    openRecordJson(out, record);
    out += '}';
  }
  out += ']';
  return out;
}

}  // namespace lunette
