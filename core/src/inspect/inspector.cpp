// The inspector: event ring and coroutine registry (see inspector.h).
#include "inspect/inspector.h"

#include <algorithm>
#include <chrono>
#include <ctime>

#if defined(__EMSCRIPTEN__)
#include <emscripten/emscripten.h>
#endif

#include "common/numconv.h"
#include "inspect/telemetry_json.h"
#include "vm/state.h"

namespace lunette {

void EventRing::push(TelemetryEvent event) {
  event.sequence = written_;
  buffer_[written_ & mask_] = event;
  ++written_;
  prefetchForWrite(&buffer_[written_ & mask_], sizeof(TelemetryEvent));
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
#elif defined(__EMSCRIPTEN__)
  // performance.now() itself, not through steady_clock and Emscripten's clock_gettime (see
  // Collector::nowNanoseconds): a third of each reading's cost.
  return emscripten_get_now();
#else
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
#endif
}

}  // namespace

Inspector::Inspector(State& state) : state_(state), originMs_(clockMs()) {
  setAllocationMark();
  listenAgain();
}

Inspector& attachInspector(State& S) {
  auto inspector = std::make_unique<Inspector>(S);
  Inspector& attached = *inspector;
  S.attachObserver(std::move(inspector));
  return attached;
}


double Inspector::nowMs() const {
  double ms = clockMs() - originMs_;
  clock_.add(state_.instructionsNow(), ms);
  if (ms > lastReadingMs_) lastReadingMs_ = ms;
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
  siteLines_.push_back(site.line);
  sites_.push_back(std::move(site));
  it->second = static_cast<uint32_t>(sites_.size());
  return it->second;
}

// ---- coroutines -----------------------------------------------------------------------------

// The steady rate is one event per kSwitchEventSpacing instructions; a quiet stretch earns up
// to kSwitchEventBurst events at once (so a short teaching example is recorded switch by
// switch). Deaths are always recorded and do not spend the allowance (see
// mayRecordCoroutineEvent).
void Inspector::recordSwitchEvent(const Thread& thread, CoStatus from, CoStatus to,
                                  int64_t instructions) {
  CoroutineTransition& c = coroutineEvent(instructions);
  c.id = thread.coroutineId;
  c.from = from;
  c.to = to;
}

void Inspector::coroutineDied(Thread* thread, bool inError, std::string error) {
  if (!thread->coroutineId) return;
  registry_.died(*thread, lastReadingMs_, inError, std::move(error));
}

// ---- recording ------------------------------------------------------------------------------

void Inspector::takeSampleAt(SampleReason reason, double ms) {
  if (heldReason_ != SampleReason::Tick) {
    if (boundaryRank(reason) < boundaryRank(heldReason_)) reason = heldReason_;
    heldReason_ = SampleReason::Tick;
  }
  StoredSample& s = recording.next();
  sampleState(s, state_, ms);
  for (size_t status = 0; status < coroutinesByStatus.size(); ++status)  // in CoStatus order
    s.coroutines[status] = coroutinesByStatus[status];
  s.coroutines[4] = collected_;
  s.line = lineOfSite(state_.allocationSite());
  s.cycle = cycles_.written();
  s.reason = static_cast<uint8_t>(reason);
  s.virtualTime = virtualTime_;
  recording.commit(static_cast<double>(static_cast<int64_t>(state_.collector.heapBytes)));
  setAllocationMark();
}

void Inspector::takeCountSample(int64_t instructions) {
  countSampleDue_ = std::max(countSampleDue_, instructions) + kCountSampleSpacing;
  countSampleAllowedAt_ = countSampleDue_ - kCountSampleBurst * kCountSampleSpacing;
  listenAgain();
  takeSample(SampleReason::Coroutines);
}

void Inspector::setVirtualTime(double seconds) {
  if (seconds == virtualTime_) return;
  virtualTime_ = seconds;
  takeSample(SampleReason::VirtualClock);
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
  // The recording keeps the first and the latest sample of an instant. Inside a pacer step,
  // whose own sample comes at the same instant, a phase change that is not the first sample of
  // its instant would be replaced at once: it lends its reason to the next sample instead (a
  // minor collection changes phase three or four times between two instructions).
  if (state_.collector.stepInProgress() &&
      recording.latestInstructions() == static_cast<double>(e.instructions)) {
    holdSample(SampleReason::Phase);
    return;
  }
  takeSampleAt(SampleReason::Phase, e.timeMs);
}

void Inspector::onStep(const GcStepRecord& step) {
  TelemetryEvent e = stamped(EventKind::Step);
  e.recordSlot = steps_.push(step);
  events.push(e);
  stepStats.add(step.nanoseconds);
  takeSampleAt(SampleReason::Step, e.timeMs);
}

void Inspector::onCycle(const GcCycleSummary& cycle) {
  TelemetryEvent e = stamped(EventKind::Cycle);
  e.recordSlot = cycles_.push(cycle);
  events.push(e);
  // Inside a pacer step (a minor collection is one), the step's own sample follows and would
  // replace this one at once: it carries the cycle end instead.
  if (state_.collector.stepInProgress()) {
    holdSample(SampleReason::CycleEnd);
    return;
  }
  takeSampleAt(SampleReason::CycleEnd, e.timeMs);
}

void Inspector::onFree(Thread* thread) {
  if (!thread->coroutineId) return;
  int64_t now = state_.instructionsNow();
  CoStatus last = thread->status;
  --coroutinesByStatus[static_cast<size_t>(last)];
  ++collected_;
  countsChanged(now);  // first: a sample it takes is a fresh reading to date the collection by
  registry_.collected(*thread, now);
  if (!mayRecordCoroutineEvent(now)) return;
  CoroutineTransition& c = coroutineEvent(now);
  c.id = thread->coroutineId;
  c.from = last;
  c.to = last;
  c.collected = true;
}

}  // namespace lunette
