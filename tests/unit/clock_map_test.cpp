// ClockMap: instruction counts to milliseconds between clock readings.
#include "inspect/clock_map.h"

#include <gtest/gtest.h>

namespace lunette {
namespace {

TEST(ClockMap, InterpolatesBetweenTheReadingsAround) {
  ClockMap clock;
  clock.add(1000, 10.0);
  clock.add(3000, 30.0);
  EXPECT_DOUBLE_EQ(clock.msAt(1000), 10.0);
  EXPECT_DOUBLE_EQ(clock.msAt(2000), 20.0);
  EXPECT_DOUBLE_EQ(clock.msAt(2500), 25.0);
}

TEST(ClockMap, ClampsOutsideTheReadings) {
  ClockMap clock;
  EXPECT_DOUBLE_EQ(clock.msAt(5), 0.0);  // no reading yet
  clock.add(1000, 10.0);
  clock.add(2000, 20.0);
  EXPECT_DOUBLE_EQ(clock.msAt(0), 10.0);
  EXPECT_DOUBLE_EQ(clock.msAt(9000), 20.0);
}

TEST(ClockMap, APauseAtOneCountSeparatesBeforeFromAfter) {
  // The VM ran to 1000 by 10 ms, sat paused until 500 ms, then ran to 2000 by 510 ms.
  ClockMap clock;
  clock.add(0, 0.0);
  clock.add(1000, 10.0);
  clock.add(1000, 200.0);
  clock.add(1000, 500.0);
  clock.add(2000, 510.0);
  EXPECT_DOUBLE_EQ(clock.msAt(500), 5.0);     // before the pause
  EXPECT_DOUBLE_EQ(clock.msAt(1500), 505.0);  // after it
  EXPECT_EQ(clock.size(), 4u);                // the pause kept its first and last readings
}

TEST(ClockMap, ReadingsWithinOneClockTickKeepTheFirstAndTheLatest) {
  // A coarse clock reads 10 ms from count 1000 to 4000 (many readings in one tick), then 14.
  ClockMap clock;
  clock.add(0, 6.0);
  clock.add(1000, 10.0);
  for (int64_t count = 1100; count <= 4000; count += 100) clock.add(count, 10.0);
  clock.add(5000, 14.0);
  EXPECT_EQ(clock.size(), 4u);                // 0, 1000, 4000, 5000
  EXPECT_DOUBLE_EQ(clock.msAt(500), 8.0);     // before the tick
  EXPECT_DOUBLE_EQ(clock.msAt(2500), 10.0);   // within it
  EXPECT_DOUBLE_EQ(clock.msAt(4500), 12.0);   // between its latest reading and the next
}

TEST(ClockMap, IgnoresReadingsThatGoBackwards) {
  ClockMap clock;
  clock.add(1000, 10.0);
  clock.add(500, 20.0);
  clock.add(2000, 5.0);
  EXPECT_EQ(clock.size(), 1u);
}

TEST(ClockMap, StaysBoundedAndKeepsRecentReadingsExact) {
  ClockMap clock;
  for (int64_t i = 0; i < 100000; ++i) clock.add(i * 100, static_cast<double>(i));
  EXPECT_LE(clock.size(), ClockMap::kCapacity);
  // The newest readings are all still there: times near the end are exact.
  for (int64_t i = 99990; i < 99999; ++i)
    EXPECT_DOUBLE_EQ(clock.msAt(i * 100 + 50), static_cast<double>(i) + 0.5);
  // Old ones are coarser but a steady clock still interpolates exactly, in order.
  EXPECT_DOUBLE_EQ(clock.msAt(100), 1.0);
  EXPECT_DOUBLE_EQ(clock.msAt(5000000), 50000.0);
}

}  // namespace
}  // namespace lunette
