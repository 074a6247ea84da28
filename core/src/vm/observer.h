// What the VM tells the one observer above it (the inspector). The layers go vm <- inspect, so
// the VM knows only this interface; the inspector implements it and the State holds it.
//
// Invariants: the VM calls siteAt only while State::inspecting; it calls coroutineStatus and
// coroutineDied only for a thread with a coroutineId, which only an observer hands out (through
// the coroutine library, a layer above), so a State without an observer never calls it.
#pragma once

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
  // A coroutine's status changed (Thread::status already says `to`); runs on every switch.
  virtual void coroutineStatus(Thread& thread, CoStatus from, CoStatus to,
                               int64_t instructions) = 0;
  // A coroutine ended: returned, failed with `error`, or was abandoned.
  virtual void coroutineDied(Thread* thread, bool inError, std::string error) = 0;
};

}  // namespace lunette
