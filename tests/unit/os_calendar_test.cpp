// Pins the calendar arithmetic of os_date.h (our gmtime and timegm, used by both the native and
// the WebAssembly build) and the "C" locale expansion of os.date formats, against glibc's own
// gmtime_r, timegm and strftime over a deterministic sweep of times, including negative and
// very large years, and out-of-range date fields.
#include "lib/os_date.h"

#include <gtest/gtest.h>

#include <climits>
#include <clocale>
#include <cstdint>
#include <ctime>
#include <random>
#include <string>

namespace lunette {
namespace {

// Times that matter: the epoch, leap days, century rules, the ends of glibc's range.
constexpr int64_t kSpecialTimes[] = {
    0, -1, 86399, 86400, 951782400, 4107542399, -2208988800, 253402300799, -62135596800,
    -62167219200, -62198755200, 67767976233532799, -67768040609740800, 2147483647, -2147483648};

bool sameFields(const std::tm& a, const std::tm& b) {
  return a.tm_year == b.tm_year && a.tm_mon == b.tm_mon && a.tm_mday == b.tm_mday &&
         a.tm_hour == b.tm_hour && a.tm_min == b.tm_min && a.tm_sec == b.tm_sec &&
         a.tm_wday == b.tm_wday && a.tm_yday == b.tm_yday && a.tm_isdst == b.tm_isdst;
}

std::string show(const std::tm& t) {
  char buffer[128];
  std::snprintf(buffer, sizeof buffer, "%d-%d-%d %d:%d:%d w%d y%d", t.tm_year + 1900,
                t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, t.tm_wday, t.tm_yday);
  return buffer;
}

// Spread over the whole 64-bit range: small offsets, years, millennia, the extremes.
std::vector<int64_t> sweep() {
  std::vector<int64_t> times(std::begin(kSpecialTimes), std::end(kSpecialTimes));
  std::mt19937_64 random(20240229);
  for (int scale : {20, 32, 36, 40, 48, 56, 62}) {
    for (int i = 0; i < 400; ++i) {
      const int64_t magnitude = static_cast<int64_t>(random() >> (64 - scale));
      times.push_back(i % 2 ? magnitude : -magnitude);
    }
  }
  return times;
}

TEST(OsCalendar, CountsDaysFromTheEpochInTheProlepticGregorianCalendar) {
  EXPECT_EQ(daysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(daysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(daysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(daysFromCivil(0, 1, 1), -719528);
  EXPECT_EQ(daysFromCivil(2021, 3, 0), daysFromCivil(2021, 2, 28));  // day 0: the day before
  for (int64_t days = -800000; days <= 800000; days += 997) {
    const CivilDate date = civilFromDays(days);
    EXPECT_EQ(daysFromCivil(date.year, date.month, date.day), days);
  }
}

TEST(OsCalendar, BreaksDownTimesAsGlibcGmtimeDoes) {
  for (int64_t t : sweep()) {
    const auto at = static_cast<std::time_t>(t);
    std::tm expected{};
    const bool glibcOk = ::gmtime_r(&at, &expected) != nullptr;
    const std::optional<std::tm> ours = utcFields(t);
    ASSERT_EQ(ours.has_value(), glibcOk) << t;
    if (glibcOk) {
      EXPECT_TRUE(sameFields(*ours, expected)) << t << ": " << show(*ours);
    }
  }
}

TEST(OsCalendar, NormalisesOutOfRangeFieldsAsGlibcTimegmDoes) {
  std::mt19937 random(1234);
  std::uniform_int_distribution<int> small(-1000, 1000);
  std::uniform_int_distribution<int> any(INT_MIN, INT_MAX);
  for (int i = 0; i < 4000; ++i) {
    std::tm fields{};
    fields.tm_year = i % 4 == 0 ? any(random) : small(random) + 100;
    fields.tm_mon = i % 3 == 0 ? any(random) : small(random) % 30;
    fields.tm_mday = i % 5 == 0 ? any(random) : small(random) % 40;
    fields.tm_hour = i % 7 == 0 ? any(random) : small(random) % 30;
    fields.tm_min = small(random);
    fields.tm_sec = i % 11 == 0 ? any(random) : small(random);
    std::tm expected = fields;
    std::tm ours = fields;
    errno = 0;
    const std::time_t glibc = ::timegm(&expected);
    const bool glibcOk = !(glibc == -1 && errno == EOVERFLOW);
    const std::optional<int64_t> result = utcSeconds(ours);
    ASSERT_EQ(result.has_value(), glibcOk) << show(fields);
    if (!glibcOk) continue;
    EXPECT_EQ(*result, glibc) << show(fields);
    EXPECT_TRUE(sameFields(ours, expected)) << show(fields) << " -> " << show(ours);
  }
}

TEST(OsCalendar, LeavesFieldsAloneWhenTheYearOverflows) {
  std::tm fields{};
  fields.tm_year = INT_MAX;
  fields.tm_mon = 12;
  fields.tm_mday = 1;
  EXPECT_FALSE(utcSeconds(fields).has_value());
  EXPECT_EQ(fields.tm_year, INT_MAX);
  EXPECT_EQ(fields.tm_mon, 12);
}

TEST(OsCalendar, NamesUtcGmtWithAZeroOffset) {
  const std::tm t = *utcFields(1234567890);
  EXPECT_EQ(formatDateC("%z %Z", t).text, "+0000 GMT");
}

TEST(OsCalendar, ExpandsTheCLocaleExactlyAsGlibcStrftime) {
  std::setlocale(LC_ALL, "C");
  const std::string conversions = "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
  for (int64_t t : sweep()) {
    std::optional<std::tm> fields = utcFields(t);
    if (!fields) continue;
    for (char c : conversions) {
      const std::string format = std::string("%") + c;
      char buffer[256];
      const size_t n = std::strftime(buffer, sizeof buffer, format.c_str(), &*fields);
      EXPECT_EQ(formatDateC(format, *fields).text, std::string(buffer, n))
          << format << " at " << t << " (" << show(*fields) << ")";
    }
  }
}

TEST(OsCalendar, ExpandsModifiedConversionsLikeGlibcInTheCLocale) {
  std::setlocale(LC_ALL, "C");
  const std::tm t = *utcFields(-62198755200);  // year -1
  for (std::string_view format : {"%Ec", "%EC", "%Ex", "%EX", "%Ey", "%EY", "%Od", "%OV"}) {
    char buffer[256];
    const size_t n = std::strftime(buffer, sizeof buffer, std::string(format).c_str(), &t);
    EXPECT_EQ(formatDateC(format, t).text, std::string(buffer, n)) << format;
  }
}

}  // namespace
}  // namespace lunette
