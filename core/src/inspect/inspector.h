// The inspector: what Lunette shows about a running program. It observes, it never steers.
//
//  - an event ring: the collector's phase changes, steps and cycle summaries, and coroutine
//    transitions, each stamped with wall time and instruction count; bounded (old events are
//    overwritten), read by sequence number so several readers can follow it;
//  - the coroutine registry: a record per coroutine ever created (id, creation site, status,
//    resumes, times, death, collection, stack size). Records hold no reference to the thread
//    object: the registry must never become the leak it is meant to show. A thread's record is
//    found through Thread::coroutineId, and the collector tells the inspector when a thread is
//    freed. Collected records are kept up to a bounded history.
//
// Invariant: every live coroutine has exactly one record with collected == false, and its
// status mirrors Thread::status.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "gc/collector.h"
#include "vm/thread.h"

namespace lunette {

class State;

enum class EventKind : uint8_t { Phase, Step, Cycle, Coroutine };

struct CoroutineTransition {
  uint32_t id = 0;
  CoStatus from = CoStatus::Suspended;
  CoStatus to = CoStatus::Suspended;
  bool created = false;
  bool collected = false;
};

// One event. Cycle summaries are large and rare: they live in their own ring and the event
// refers to them (Inspector::cycleOf), which keeps the frequent events small to copy.
struct TelemetryEvent {
  EventKind kind = EventKind::Phase;
  GcPhase phaseFrom = GcPhase::Pause, phaseTo = GcPhase::Pause;
  uint32_t cycleSlot = 0;
  uint64_t sequence = 0;
  double timeMs = 0;
  int64_t instructions = 0;
  GcStepRecord step;
  CoroutineTransition coroutine;
};

class EventRing {
 public:
  explicit EventRing(size_t capacity = 8192) : buffer_(capacity) {}
  void push(TelemetryEvent event);
  // The next slot, to fill in place (no copy of a whole event on hot paths).
  TelemetryEvent& emplace(EventKind kind) {
    TelemetryEvent& e = buffer_[written_ % buffer_.size()];
    e.kind = kind;
    e.sequence = written_++;
    return e;
  }
  uint64_t nextSequence() const { return written_; }
  uint64_t oldestSequence() const { return written_ > buffer_.size() ? written_ - buffer_.size() : 0; }
  // The event with this sequence number (must be in [oldestSequence, nextSequence)).
  const TelemetryEvent& at(uint64_t sequence) const { return buffer_[sequence % buffer_.size()]; }

 private:
  std::vector<TelemetryEvent> buffer_;
  uint64_t written_ = 0;
};

struct CoroutineRecord {
  uint32_t id = 0;
  std::string chunk;          // short source name of the creating code ("main.lua")
  int line = 0;               // line of the coroutine.create / wrap call
  std::string function;       // the body's name when known, else "function <file:line>"
  CoStatus status = CoStatus::Suspended;
  bool wrapped = false;
  uint64_t resumes = 0;
  double createdMs = 0;
  int64_t createdInstructions = 0;
  double firstResumeMs = -1, lastResumeMs = -1, lastYieldMs = -1;
  int64_t lastResumeInstructions = -1;
  double deathMs = -1;
  bool diedInError = false;
  std::string error;
  bool collected = false;
  double collectedMs = -1;
  size_t stackBytes = 0;
};

class Inspector : public GcSink {
 public:
  explicit Inspector(State& state);

  // Milliseconds since the state was made. Cheap (a coarse clock): called on every coroutine
  // switch.
  double nowMs() const;
  EventRing events;
  const GcCycleSummary& cycleOf(const TelemetryEvent& event) const {
    return cycles_[event.cycleSlot % cycles_.size()];
  }

  // ---- coroutine registry ----
  void coroutineCreated(Thread* thread, std::string chunk, int line, std::string function,
                        bool wrapped);
  void coroutineStatus(Thread* thread, CoStatus to);  // resumed, yielded, died...
  void coroutineDied(Thread* thread, bool inError, std::string error);
  const std::map<uint32_t, CoroutineRecord>& coroutines() const { return records_; }
  const CoroutineRecord* record(uint32_t id) const;
  void refreshStackSizes();  // live threads' current stack bytes (called before reading)
  uint32_t countByStatus(CoStatus status) const;
  uint32_t collectedCount() const { return collected_; }
  // The live coroutine with this id (nullptr when collected or unknown); for retention paths.
  Thread* liveThread(uint32_t id) const {
    auto it = live_.find(id);
    return it == live_.end() ? nullptr : it->second;
  }
  size_t historyLimit = 10000;  // collected records kept

  // ---- GcSink ----
  void onPhase(GcPhase from, GcPhase to) override;
  void onStep(const GcStepRecord& step) override;
  void onCycle(const GcCycleSummary& cycle) override;
  void onFree(GcObject* object) override;

 private:
  State& state_;
  double originMs_;
  mutable double cachedMs_ = 0;
  mutable uint32_t clockReads_ = 0;
  double switchTimeMs() const;  // nowMs() read only every few calls: coroutine switches
  uint32_t nextId_ = 1;
  uint32_t collected_ = 0;
  std::deque<uint32_t> collectedOrder_;  // ids of collected records, oldest first
  std::map<uint32_t, CoroutineRecord> records_;
  std::map<uint32_t, Thread*> live_;  // for stack sizes only; entries removed in onFree
  std::vector<GcCycleSummary> cycles_ = std::vector<GcCycleSummary>(256);
  uint32_t cyclesWritten_ = 0;
  CoroutineRecord* recordOf(Thread* thread);
  TelemetryEvent stamped(EventKind kind) const;
  void trimHistory();
};

}  // namespace lunette
