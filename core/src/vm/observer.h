// What the VM tells the one observer above it (the inspector). The layers go vm <- inspect, so
// the VM knows only this interface; the inspector implements it and the State holds it.
//
// Invariants: the VM calls siteAt only while State::inspecting; it calls coroutineStatus and
// coroutineDied only for a thread with a coroutineId, which only an observer hands out (through
// the coroutine library, a layer above), so a State without an observer never calls it.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "gc/collector.h"
#include "vm/thread.h"

namespace lunette {

struct Proto;

class VmObserver : public GcSink {
 public:
  // The allocation site of instruction `pc` of `p` (0 when pc is out of range).
  virtual uint32_t siteAt(const Proto* p, int pc) = 0;

  // Coroutine switches are frequent (millions a second), so the VM keeps their bookkeeping
  // inline (setCoStatus, vm/interpreter.h): the live coroutines by status, each thread's
  // SwitchStats, and the count of switches the observer did not hear about. It calls
  // coroutineStatus only for a death or once the instruction count reaches statusCallAt,
  // which the observer sets to when it next wants to record something (a sample, an event).
  std::array<uint32_t, 4> coroutinesByStatus{};  // live coroutines, by CoStatus
  int64_t statusCallAt = 0;                      // instructions
  // Coroutine transitions the observer left out of its events: resumes and yields
  // coroutineStatus was not called for, and those it chose not to record.
  uint32_t transitionsUnrecorded = 0;
  // A coroutine's status changed (Thread::status already says `to`, the counts above and the
  // thread's SwitchStats are up to date).
  virtual void coroutineStatus(Thread& thread, CoStatus from, CoStatus to,
                               int64_t instructions) = 0;
  // A coroutine ended: returned, failed with `error`, or was abandoned.
  virtual void coroutineDied(Thread* thread, bool inError, std::string error) = 0;
};

}  // namespace lunette
