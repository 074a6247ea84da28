// The inspector: event ring and coroutine registry (see inspector.h).
#include "inspect/inspector.h"

#include <ctime>

#include "vm/state.h"

namespace lunette {

void EventRing::push(TelemetryEvent event) {
  event.sequence = written_;
  buffer_[written_ % buffer_.size()] = event;
  ++written_;
}


namespace {

double clockMs() {
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
  // The coarse monotonic clock costs a few nanoseconds (about a millisecond of resolution):
  // it is read on every coroutine switch.
  timespec t;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
#else
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
#endif
}

}  // namespace

Inspector::Inspector(State& state) : state_(state), originMs_(clockMs()) {}

double Inspector::nowMs() const { return clockMs() - originMs_; }

double Inspector::switchTimeMs() const {
  // Coroutine switches come by the million; the coarse clock's resolution (about a
  // millisecond) is all a reading gives anyway, so most switches reuse the last one.
  if ((clockReads_++ & 15) == 0) cachedMs_ = nowMs();
  return cachedMs_;
}

TelemetryEvent Inspector::stamped(EventKind kind) const {
  TelemetryEvent e;
  e.kind = kind;
  e.timeMs = nowMs();
  e.instructions = state_.instructionsNow();
  return e;
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
  records_.emplace(r.id, std::move(r));
  events.push(e);
}

CoroutineRecord* Inspector::recordOf(Thread* thread) {
  if (thread->inspectorRecord) return thread->inspectorRecord;
  auto it = records_.find(thread->coroutineId);
  if (it == records_.end()) return nullptr;
  thread->inspectorRecord = &it->second;  // map nodes never move
  return thread->inspectorRecord;
}

void Inspector::coroutineStatus(Thread* thread, CoStatus to) {
  if (!thread->coroutineId) return;
  CoroutineRecord* record = recordOf(thread);
  if (!record) return;
  CoroutineRecord& r = *record;
  if (r.status == to) return;
  double now = switchTimeMs();
  int64_t instructions = state_.instructionsNow();
  if (to == CoStatus::Running && r.status == CoStatus::Suspended) {
    ++r.resumes;
    r.lastResumeMs = now;
    r.lastResumeInstructions = instructions;
    if (r.firstResumeMs < 0) r.firstResumeMs = now;
  }
  if (to == CoStatus::Suspended) r.lastYieldMs = now;
  // A resumer going to "normal" and back is implied by the event of the coroutine it resumed:
  // the record follows, the ring does not repeat it.
  if (to == CoStatus::Normal || (to == CoStatus::Running && r.status == CoStatus::Normal)) {
    r.status = to;
    return;
  }
  TelemetryEvent& e = events.emplace(EventKind::Coroutine);
  e.timeMs = now;
  e.instructions = instructions;
  e.coroutine.id = r.id;
  e.coroutine.from = r.status;
  e.coroutine.to = to;
  e.coroutine.created = false;
  e.coroutine.collected = false;
  r.status = to;
}

void Inspector::coroutineDied(Thread* thread, bool inError, std::string error) {
  if (!thread->coroutineId) return;
  CoroutineRecord* r = recordOf(thread);
  if (!r) return;
  coroutineStatus(thread, CoStatus::Dead);
  r->deathMs = nowMs();
  r->diedInError = inError;
  r->error = std::move(error);
}

const CoroutineRecord* Inspector::record(uint32_t id) const {
  auto it = records_.find(id);
  return it == records_.end() ? nullptr : &it->second;
}

void Inspector::refreshStackSizes() {
  for (auto& [id, thread] : live_) {
    auto it = records_.find(id);
    if (it != records_.end()) it->second.stackBytes = sizeof(Value) * static_cast<size_t>(thread->stackSize);
  }
}

uint32_t Inspector::countByStatus(CoStatus status) const {
  uint32_t n = 0;
  for (const auto& [id, r] : records_)
    if (!r.collected && r.status == status) ++n;
  return n;
}

void Inspector::trimHistory() {
  while (collected_ > historyLimit && !collectedOrder_.empty()) {
    records_.erase(collectedOrder_.front());
    collectedOrder_.pop_front();
    --collected_;
  }
}

// ---- collector events -----------------------------------------------------------------------

void Inspector::onPhase(GcPhase from, GcPhase to) {
  TelemetryEvent e = stamped(EventKind::Phase);
  e.phaseFrom = from;
  e.phaseTo = to;
  events.push(e);
}

void Inspector::onStep(const GcStepRecord& step) {
  TelemetryEvent e = stamped(EventKind::Step);
  e.step = step;
  events.push(e);
}

void Inspector::onCycle(const GcCycleSummary& cycle) {
  TelemetryEvent e = stamped(EventKind::Cycle);
  e.cycleSlot = cyclesWritten_++;
  cycles_[e.cycleSlot % cycles_.size()] = cycle;
  events.push(e);
}

void Inspector::onFree(GcObject* object) {
  if (object->kind != Tag::Thread) return;
  auto* thread = static_cast<Thread*>(object);
  if (!thread->coroutineId) return;
  live_.erase(thread->coroutineId);
  thread->inspectorRecord = nullptr;
  auto it = records_.find(thread->coroutineId);
  if (it == records_.end()) return;
  CoroutineRecord& r = it->second;
  r.collected = true;
  r.collectedMs = nowMs();
  r.stackBytes = 0;
  ++collected_;
  collectedOrder_.push_back(r.id);
  TelemetryEvent e = stamped(EventKind::Coroutine);
  e.coroutine.id = r.id;
  e.coroutine.from = r.status;
  e.coroutine.to = r.status;
  e.coroutine.collected = true;
  events.push(e);
  trimHistory();
}

}  // namespace lunette
