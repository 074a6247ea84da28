// The inspector: event ring and coroutine registry (see inspector.h).
#include "inspect/inspector.h"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "common/numconv.h"
#include "inspect/telemetry_json.h"
#include "vm/state.h"

namespace lunette {

void EventRing::push(TelemetryEvent event) {
  event.sequence = written_;
  buffer_[written_ & mask_] = event;
  ++written_;
}

namespace {

// Read on every collector event (several per step: thousands a second) and on a few
// coroutine events. Natively the coarse monotonic clock costs a few nanoseconds for about a
// millisecond of resolution, which is all the charts and leak thresholds need.
double clockMs() {
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
  timespec t;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
#else
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
#endif
}

}  // namespace

Inspector::Inspector(State& state) : state_(state), originMs_(clockMs()) { setAllocationMark(); }

double Inspector::nowMs() const {
  double ms = clockMs() - originMs_;
  clock_.add(state_.instructionsNow(), ms);
  return ms;
}

TelemetryEvent Inspector::stamped(EventKind kind) const {
  TelemetryEvent e;
  e.kind = kind;
  e.timeMs = nowMs();
  e.instructions = state_.instructionsNow();
  return e;
}

const char* coStatusName(CoStatus status) {
  switch (status) {
    case CoStatus::Suspended: return "suspended";
    case CoStatus::Running: return "running";
    case CoStatus::Normal: return "normal";
    case CoStatus::Dead: return "dead";
  }
  return "dead";
}

const char* heapKindName(Tag kind) {
  switch (kind) {
    case Tag::String: return "string";
    case Tag::Table: return "table";
    case Tag::LuaClosure: return "lclosure";
    case Tag::NativeClosure: return "nclosure";
    case Tag::UpVal: return "upvalue";
    case Tag::Proto: return "proto";
    case Tag::Thread: return "thread";
    case Tag::Userdata: return "userdata";
    default: return nullptr;
  }
}

// ---- allocation sites ------------------------------------------------------------------------

uint32_t Inspector::internSite(const Proto* p, int pc) {
  AllocationSite site;
  site.chunk = chunkId(p->source->view());
  site.line = static_cast<size_t>(pc) < p->lineinfo.size() ? p->lineinfo[static_cast<size_t>(pc)] : 0;
  // A line may hold code of two functions (`local f = function() return {} end`).
  std::string key = site.chunk + ":" + std::to_string(site.line) + ":" + std::to_string(p->linedefined);
  auto [it, added] = siteIds_.try_emplace(std::move(key), 0);
  if (!added) return it->second;
  site.function = p->linedefined == 0
                      ? "main chunk"
                      : "function <" + site.chunk + ":" + std::to_string(p->linedefined) + ">";
  sites_.push_back(std::move(site));
  it->second = static_cast<uint32_t>(sites_.size());
  return it->second;
}

// ---- coroutines -----------------------------------------------------------------------------

void Inspector::coroutineCreated(Thread* thread, std::string chunk, int line, std::string function,
                                 bool wrapped) {
  CoroutineRecord r;
  r.id = nextId_++;
  r.chunk = std::move(chunk);
  r.line = line;
  r.function = std::move(function);
  r.wrapped = wrapped;
  r.createdMs = nowMs();
  r.createdInstructions = state_.instructionsNow();
  r.stackBytes = sizeof(Value) * static_cast<size_t>(thread->stackSize);
  thread->coroutineId = r.id;
  live_[r.id] = thread;
  TelemetryEvent e = stamped(EventKind::Coroutine);
  e.coroutine.id = r.id;
  e.coroutine.created = true;
  e.coroutine.to = CoStatus::Suspended;
  e.coroutine.skipped = takeSkipped();
  // Map nodes never move: the thread can keep a pointer to its record.
  thread->inspectorRecord = &records_.emplace(r.id, std::move(r)).first->second;
  ++liveByStatus_[static_cast<size_t>(thread->status)];
  events.push(e);
  countsChanged(e.instructions);
}

// The steady rate is one event per kSwitchEventSpacing instructions; a quiet stretch earns up
// to kSwitchEventBurst events at once (so a short teaching example is recorded switch by
// switch). Deaths are always recorded and do not spend the allowance.
void Inspector::recordSwitchEvent(const Thread& thread, CoStatus from, CoStatus to,
                                  int64_t instructions) {
  if (to != CoStatus::Dead) {
    switchEventDue_ = std::max(switchEventDue_, instructions) + kSwitchEventSpacing;
    switchEventAllowedAt_ = switchEventDue_ - kSwitchEventBurst * kSwitchEventSpacing;
  }
  TelemetryEvent& e = events.emplace(EventKind::Coroutine);
  e.timeMs = nowMs();
  e.instructions = instructions;
  e.coroutine.id = thread.coroutineId;
  e.coroutine.from = from;
  e.coroutine.to = to;
  e.coroutine.created = false;
  e.coroutine.collected = false;
  e.coroutine.skipped = takeSkipped();
}

void Inspector::syncRecord(CoroutineRecord& r, const Thread& thread) const {
  r.status = thread.status;
  r.stackBytes = sizeof(Value) * static_cast<size_t>(thread.stackSize);
  const SwitchStats& now = thread.switches;
  if (now.firstResumeAt != r.switches.firstResumeAt)
    r.firstResumeMs = clock_.msAt(now.firstResumeAt);
  if (now.lastResumeAt != r.switches.lastResumeAt) r.lastResumeMs = clock_.msAt(now.lastResumeAt);
  if (now.lastYieldAt != r.switches.lastYieldAt) r.lastYieldMs = clock_.msAt(now.lastYieldAt);
  r.switches = now;
}

void Inspector::coroutineDied(Thread* thread, bool inError, std::string error) {
  if (!thread->coroutineId || !thread->inspectorRecord) return;
  CoroutineRecord& r = *thread->inspectorRecord;
  r.deathMs = nowMs();
  syncRecord(r, *thread);
  r.diedInError = inError;
  r.error = std::move(error);
}

const CoroutineRecord* Inspector::record(uint32_t id) const {
  auto it = records_.find(id);
  return it == records_.end() ? nullptr : &it->second;
}

void Inspector::refresh() {
  nowMs();  // a reading now, so the latest switches interpolate up to the present
  for (auto& [id, thread] : live_)
    if (thread->inspectorRecord) syncRecord(*thread->inspectorRecord, *thread);
}

void Inspector::trimHistory() {
  while (collectedOrder_.size() > historyLimit) {
    records_.erase(collectedOrder_.front());
    collectedOrder_.pop_front();
  }
}

// ---- recording ------------------------------------------------------------------------------

void Inspector::takeSample(SampleReason reason) {
  Sample s = sampleState(state_, nowMs(), countCoroutines(*this));
  const AllocationSite* running = site(state_.allocationSite());
  s[kSampleLine] = running ? running->line : 0;
  s[kSampleCycle] = cyclesWritten_;
  s[kSampleReason] = static_cast<double>(reason);
  recording.append(s);
  setAllocationMark();
}

void Inspector::setAllocationMark() {
  const Collector& gc = state_.collector;
  uint64_t step = gc.threshold / kAllocationFraction;
  if (step < 1024) step = 1024;
  state_.collector.allocationMark = gc.allocatedTotal + step;
}

void Inspector::onAllocationMark() { takeSample(SampleReason::Allocation); }

void Inspector::onEmergency() { takeSample(SampleReason::Emergency); }

// ---- collector events -----------------------------------------------------------------------

void Inspector::onPhase(GcPhase from, GcPhase to) {
  TelemetryEvent e = stamped(EventKind::Phase);
  e.phaseFrom = from;
  e.phaseTo = to;
  events.push(e);
  takeSample(SampleReason::Phase);
}

void Inspector::onStep(const GcStepRecord& step) {
  TelemetryEvent e = stamped(EventKind::Step);
  e.step = step;
  events.push(e);
  stepStats.add(step.nanoseconds);
  takeSample(SampleReason::Step);
}

void Inspector::onCycle(const GcCycleSummary& cycle) {
  TelemetryEvent e = stamped(EventKind::Cycle);
  e.cycleSlot = cyclesWritten_++;
  cycles_[e.cycleSlot % cycles_.size()] = cycle;
  events.push(e);
  takeSample(SampleReason::CycleEnd);
}

void Inspector::onFree(Thread* thread) {
  if (!thread->coroutineId) return;
  live_.erase(thread->coroutineId);
  CoroutineRecord* record = thread->inspectorRecord;
  thread->inspectorRecord = nullptr;
  if (!record) return;
  CoroutineRecord& r = *record;
  r.collectedMs = nowMs();
  syncRecord(r, *thread);
  r.collected = true;
  r.stackBytes = 0;
  --liveByStatus_[static_cast<size_t>(r.status)];
  ++collected_;
  collectedOrder_.push_back(r.id);
  TelemetryEvent e = stamped(EventKind::Coroutine);
  e.coroutine.id = r.id;
  e.coroutine.from = r.status;
  e.coroutine.to = r.status;
  e.coroutine.collected = true;
  e.coroutine.skipped = takeSkipped();
  events.push(e);
  trimHistory();
  countsChanged(e.instructions);
}

}  // namespace lunette
