// ClockMap: when, in milliseconds, did the VM reach a given instruction count?
//
// Coroutine switches come by the million and a clock reading costs more than a switch, so a
// switch records only the instruction count (State::instructionsNow(), exact and nearly free).
// The inspector reads the clock anyway on its rarer events (collector steps, samples, births
// and deaths of coroutines); each reading is a checkpoint (instructions, ms) here, and the
// time of any instruction count is interpolated between the checkpoints around it.
//
// Invariants: checkpoints are ordered by instructions and by time; at most kCapacity are kept.
// When full, every other checkpoint of the older half is dropped, so recent times stay as
// precise as the readings while old ones get coarser (bounded memory for runs of any length).
// Readings at one instruction count (the VM paused between slices, or idle after a run) keep
// two checkpoints, the first and the latest: counts below it map before the pause, counts
// above it after. Likewise readings of one time (the coarse clock ticks every few ms, and
// samples come far more often) keep the first and the latest, so a burst of readings within a
// tick neither fills the map nor thins it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lunette {

class ClockMap {
 public:
  static constexpr size_t kCapacity = 512;

  // A clock reading: `ms` at `instructions`. Readings must not go backwards in either.
  // Inline, the common cases: the inspector reads the clock at every collector event and
  // sample, thousands of times a second, and the coarse clock ticks every few milliseconds, so
  // most readings only move the second checkpoint of a pair.
  void add(int64_t instructions, double ms) {
    size_t n = points_.size();
    if (n >= 2) {
      Checkpoint& last = points_[n - 1];
      const Checkpoint& before = points_[n - 2];
      if (instructions < last.instructions || ms < last.ms) return;  // out of order: ignored
      if (instructions == last.instructions && before.instructions == instructions) {
        last.ms = ms;  // still paused: the pair's second reading moves on
        return;
      }
      if (ms == last.ms && before.ms == ms) {
        last.instructions = instructions;  // the clock has not ticked: the pair's second moves on
        return;
      }
    }
    addCheckpoint(instructions, ms);
  }
  // The interpolated time of `instructions`; before the first checkpoint, the first one's
  // time; after the last, the last one's (the caller adds a fresh reading first when it needs
  // the present).
  double msAt(int64_t instructions) const;
  size_t size() const { return points_.size(); }

 private:
  struct Checkpoint {
    int64_t instructions;
    double ms;
  };
  std::vector<Checkpoint> points_;
  void addCheckpoint(int64_t instructions, double ms);  // add() beyond its common cases
  void thinOlderHalf();
};

}  // namespace lunette
