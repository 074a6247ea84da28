// ClockMap: instruction counts to milliseconds by interpolation (see clock_map.h).
#include "inspect/clock_map.h"

#include <algorithm>

namespace lunette {

// add() beyond its common cases: a first or second checkpoint, or one that starts a new pair.
void ClockMap::addCheckpoint(int64_t instructions, double ms) {
  if (points_.size() == 1 && (instructions < points_[0].instructions || ms < points_[0].ms))
    return;  // out of order: ignored
  if (points_.size() == kCapacity) thinOlderHalf();
  points_.push_back({instructions, ms});
}

void ClockMap::thinOlderHalf() {
  // Keeps the first checkpoint and every second one of the older half; the newer half stays.
  size_t half = points_.size() / 2;
  size_t kept = 1;
  for (size_t i = 2; i < half; i += 2) points_[kept++] = points_[i];
  auto newer = points_.begin() + static_cast<std::ptrdiff_t>(half);
  std::move(newer, points_.end(), points_.begin() + static_cast<std::ptrdiff_t>(kept));
  points_.resize(kept + (points_.size() - half));
}

double ClockMap::msAt(int64_t instructions) const {
  if (points_.empty()) return 0;
  auto after = std::upper_bound(
      points_.begin(), points_.end(), instructions,
      [](int64_t value, const Checkpoint& point) { return value < point.instructions; });
  if (after == points_.begin()) return points_.front().ms;
  if (after == points_.end()) return points_.back().ms;
  const Checkpoint& a = *(after - 1);
  const Checkpoint& b = *after;
  double fraction = static_cast<double>(instructions - a.instructions) /
                    static_cast<double>(b.instructions - a.instructions);
  return a.ms + fraction * (b.ms - a.ms);
}

}  // namespace lunette
