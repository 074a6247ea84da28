// The inspector: event ring and coroutine registry (see inspector.h).
#include "inspect/inspector.h"

#include "vm/state.h"

namespace lunette {

void EventRing::push(TelemetryEvent event) {
  event.sequence = written_;
  buffer_[written_ % buffer_.size()] = event;
  ++written_;
}

Inspector::Inspector(State& state) : state_(state), start_(std::chrono::steady_clock::now()) {}

double Inspector::nowMs() const {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
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

void Inspector::coroutineStatus(Thread* thread, CoStatus to) {
  if (!thread->coroutineId) return;
  auto it = records_.find(thread->coroutineId);
  if (it == records_.end()) return;
  CoroutineRecord& r = it->second;
  if (r.status == to) return;
  TelemetryEvent e = stamped(EventKind::Coroutine);
  e.coroutine.id = r.id;
  e.coroutine.from = r.status;
  e.coroutine.to = to;
  if (to == CoStatus::Running && r.status == CoStatus::Suspended) {
    ++r.resumes;
    r.lastResumeMs = e.timeMs;
    r.lastResumeInstructions = e.instructions;
    if (r.firstResumeMs < 0) r.firstResumeMs = e.timeMs;
  }
  if (to == CoStatus::Suspended) r.lastYieldMs = e.timeMs;
  r.status = to;
  events.push(e);
}

void Inspector::coroutineDied(Thread* thread, bool inError, std::string error) {
  if (!thread->coroutineId) return;
  auto it = records_.find(thread->coroutineId);
  if (it == records_.end()) return;
  coroutineStatus(thread, CoStatus::Dead);
  it->second.deathMs = nowMs();
  it->second.diedInError = inError;
  it->second.error = std::move(error);
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
  if (collected_ <= historyLimit) return;
  for (auto it = records_.begin(); it != records_.end() && collected_ > historyLimit;) {
    if (it->second.collected) {
      it = records_.erase(it);
      --collected_;
    } else {
      ++it;
    }
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
  e.cycle = cycle;
  events.push(e);
}

void Inspector::onFree(GcObject* object) {
  if (object->kind != Tag::Thread) return;
  auto* thread = static_cast<Thread*>(object);
  if (!thread->coroutineId) return;
  live_.erase(thread->coroutineId);
  auto it = records_.find(thread->coroutineId);
  if (it == records_.end()) return;
  CoroutineRecord& r = it->second;
  r.collected = true;
  r.collectedMs = nowMs();
  r.stackBytes = 0;
  ++collected_;
  TelemetryEvent e = stamped(EventKind::Coroutine);
  e.coroutine.id = r.id;
  e.coroutine.from = r.status;
  e.coroutine.to = r.status;
  e.coroutine.collected = true;
  events.push(e);
  trimHistory();
}

}  // namespace lunette
