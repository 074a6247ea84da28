// Calendar arithmetic and os.date format expansion; see os_date.h.
//
// The "C" locale expansion follows glibc 2.36's strftime conversion by conversion, including
// its treatment of negative and very large years (years unpadded, %C the floor of year / 100,
// %y and %g moved into 0..99, sums past INT_MAX wrapped), because the native build compares
// with a glibc-linked lua5.4.
#include "lib/os_date.h"

#include <array>
#include <climits>

#include "common/arith.h"
#include "lib/os_platform.h"

namespace lunette {

// ---- calendar -----------------------------------------------------------------------------

namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kDaysPer400Years = 146097;
// Days from 0000-03-01 (the start of the shifted calendar below) to 1970-01-01.
constexpr int64_t kEpochShift = 719468;

bool isLeapYear(int64_t year) {
  return floorMod(year, 4) == 0 && (floorMod(year, 100) != 0 || floorMod(year, 400) == 0);
}

}  // namespace

// The year is shifted to start in March, so the leap day is the last day of a year and the
// months March..January have lengths 31 30 31 30 31 31 30 31 30 31 31 (a pattern that
// (153 * m + 2) / 5 sums exactly). A 400-year cycle always has 146097 days.
int64_t daysFromCivil(int64_t year, int month, int64_t day) {
  const int64_t shiftedYear = month <= 2 ? year - 1 : year;
  const int64_t cycle = floorDiv(shiftedYear, 400);
  const int64_t yearOfCycle = shiftedYear - cycle * 400;                       // 0..399
  const int64_t shiftedMonth = month > 2 ? month - 3 : month + 9;              // March is 0
  const int64_t dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1;
  const int64_t dayOfCycle =
      yearOfCycle * 365 + yearOfCycle / 4 - yearOfCycle / 100 + dayOfYear;
  return cycle * kDaysPer400Years + dayOfCycle - kEpochShift;
}

// The inverse of daysFromCivil: the year of the cycle discounts the leap days before the day
// (one every 1460 days, none every 36524, one again at the cycle's last day).
CivilDate civilFromDays(int64_t days) {
  const int64_t shifted = days + kEpochShift;
  const int64_t cycle = floorDiv(shifted, kDaysPer400Years);
  const int64_t dayOfCycle = shifted - cycle * kDaysPer400Years;               // 0..146096
  const int64_t yearOfCycle =
      (dayOfCycle - dayOfCycle / 1460 + dayOfCycle / 36524 - dayOfCycle / 146096) / 365;
  const int64_t dayOfYear = dayOfCycle - (365 * yearOfCycle + yearOfCycle / 4 - yearOfCycle / 100);
  const int64_t shiftedMonth = (5 * dayOfYear + 2) / 153;                      // March is 0
  CivilDate date;
  date.day = static_cast<int>(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
  date.month = static_cast<int>(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
  date.year = cycle * 400 + yearOfCycle + (date.month <= 2 ? 1 : 0);
  return date;
}

std::optional<std::tm> utcFields(int64_t seconds) {
  const int64_t days = floorDiv(seconds, kSecondsPerDay);
  const int64_t secondOfDay = seconds - days * kSecondsPerDay;
  const CivilDate date = civilFromDays(days);
  if (date.year - 1900 < INT_MIN || date.year - 1900 > INT_MAX) return std::nullopt;
  std::tm fields{};
  fields.tm_year = static_cast<int>(date.year - 1900);
  fields.tm_mon = date.month - 1;
  fields.tm_mday = date.day;
  fields.tm_hour = static_cast<int>(secondOfDay / 3600);
  fields.tm_min = static_cast<int>(secondOfDay / 60 % 60);
  fields.tm_sec = static_cast<int>(secondOfDay % 60);
  fields.tm_wday = static_cast<int>(floorMod(days + 4, 7));  // 1970-01-01 was a Thursday
  fields.tm_yday = static_cast<int>(days - daysFromCivil(date.year, 1, 1));
  fields.tm_isdst = 0;
  fields.tm_gmtoff = 0;
  fields.tm_zone = "GMT";  // what glibc's gmtime names it
  return fields;
}

// Every field is an int, so the sums below stay far inside 64 bits.
std::optional<int64_t> utcSeconds(std::tm& fields) {
  const int64_t months = fields.tm_mon;
  const int64_t year = int64_t{fields.tm_year} + 1900 + floorDiv(months, 12);
  const int month = static_cast<int>(floorMod(months, 12)) + 1;
  const int64_t days = daysFromCivil(year, month, fields.tm_mday);
  const int64_t seconds = days * kSecondsPerDay + int64_t{fields.tm_hour} * 3600 +
                          int64_t{fields.tm_min} * 60 + fields.tm_sec;
  std::optional<std::tm> normalised = utcFields(seconds);
  if (!normalised) return std::nullopt;
  fields = *normalised;
  return seconds;
}

// ---- format: specifiers -------------------------------------------------------------------

namespace {

constexpr std::string_view kSingleLetterConversions = "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
constexpr std::array<std::string_view, 19> kModifiedConversions = {
    "Ec", "EC", "Ex", "EX", "Ey", "EY", "Od", "Oe", "OH", "OI",
    "Om", "OM", "OS", "Ou", "OU", "OV", "Ow", "OW", "Oy"};

// Room for one conversion's expansion by strftime; the reference uses the same bound.
constexpr size_t kConversionBufferSize = 250;

// Length of the valid conversion at the start of `rest` (the text after a '%'), or 0.
size_t conversionLength(std::string_view rest) {
  if (rest.empty()) return 0;
  if (kSingleLetterConversions.find(rest[0]) != std::string_view::npos) return 1;
  if (rest.size() < 2) return 0;
  for (std::string_view pair : kModifiedConversions) {
    if (rest.substr(0, 2) == pair) return 2;
  }
  return 0;
}

// ---- format: the "C" locale ---------------------------------------------------------------

constexpr std::array<std::string_view, 7> kDayNames = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

std::string_view dayName(const std::tm& t, bool full) {
  if (t.tm_wday < 0 || t.tm_wday > 6) return "?";
  const std::string_view name = kDayNames[static_cast<size_t>(t.tm_wday)];
  return full ? name : name.substr(0, 3);
}

std::string_view monthName(const std::tm& t, bool full) {
  if (t.tm_mon < 0 || t.tm_mon > 11) return "?";
  const std::string_view name = kMonthNames[static_cast<size_t>(t.tm_mon)];
  return full ? name : name.substr(0, 3);
}

// A number in decimal, zero-padded to `digits` (glibc never pads a negative one: its
// year-like conversions have one digit as their minimum, the others cannot be negative).
void appendNumber(std::string& out, int64_t value, int digits, char pad = '0') {
  const std::string text = std::to_string(value);
  if (static_cast<int>(text.size()) < digits) {
    out.append(static_cast<size_t>(digits) - text.size(), pad);
  }
  out.append(text);
}

// glibc computes years as tm_year + 1900 (+ an ISO adjustment) in an int, so years past
// INT_MAX wrap around; we print what it prints.
int64_t wrappedYear(const std::tm& t, int adjust = 0) {
  const uint32_t sum = static_cast<uint32_t>(t.tm_year) + 1900u + static_cast<uint32_t>(adjust);
  return static_cast<int32_t>(sum);
}

// A two-digit year: the remainder by 100, moved into 0..99.
int64_t shortYear(int64_t year) {
  const int64_t yy = year % 100;
  return yy < 0 ? yy + 100 : yy;
}

// Days from the Monday that starts the ISO week containing the 4th of January to `yday`
// (negative when `yday` falls in the previous ISO year).
int isoWeekDays(int yday, int wday) {
  constexpr int kBigEnoughMultipleOf7 = (366 / 7 + 2) * 7;
  return yday - (yday - wday + 4 + kBigEnoughMultipleOf7) % 7 + 3;
}

struct IsoWeek {
  int adjust;  // the ISO year is the calendar year plus this (-1, 0 or 1)
  int week;
};

IsoWeek isoWeek(const std::tm& t) {
  const int64_t year = int64_t{t.tm_year} + 1900;
  int days = isoWeekDays(t.tm_yday, t.tm_wday);
  int adjust = 0;
  if (days < 0) {
    adjust = -1;
    days = isoWeekDays(t.tm_yday + (isLeapYear(year - 1) ? 366 : 365), t.tm_wday);
  } else {
    const int next = isoWeekDays(t.tm_yday - (isLeapYear(year) ? 366 : 365), t.tm_wday);
    if (next >= 0) {
      adjust = 1;
      days = next;
    }
  }
  return {adjust, days / 7 + 1};
}

void appendCLocale(std::string& out, char conversion, const std::tm& t);

void appendCLocaleSequence(std::string& out, std::string_view conversions, const std::tm& t) {
  for (size_t i = 0; i < conversions.size(); ++i) {
    if (conversions[i] == '%' && i + 1 < conversions.size()) {
      appendCLocale(out, conversions[++i], t);
    } else {
      out.push_back(conversions[i]);
    }
  }
}

// One conversion letter (E and O modifiers change nothing in the "C" locale).
void appendCLocale(std::string& out, char conversion, const std::tm& t) {
  switch (conversion) {
    case 'a': out.append(dayName(t, false)); return;
    case 'A': out.append(dayName(t, true)); return;
    case 'b': case 'h': out.append(monthName(t, false)); return;
    case 'B': out.append(monthName(t, true)); return;
    case 'c': appendCLocaleSequence(out, "%a %b %e %H:%M:%S %Y", t); return;
    case 'C': {  // the floor of the year divided by 100
      const int64_t year = wrappedYear(t);
      appendNumber(out, year / 100 - (year % 100 < 0 ? 1 : 0), 1);
      return;
    }
    case 'd': appendNumber(out, t.tm_mday, 2); return;
    case 'D': case 'x': appendCLocaleSequence(out, "%m/%d/%y", t); return;
    case 'e': appendNumber(out, t.tm_mday, 2, ' '); return;
    case 'F': appendCLocaleSequence(out, "%Y-%m-%d", t); return;
    case 'g': appendNumber(out, shortYear(wrappedYear(t, isoWeek(t).adjust)), 2); return;
    case 'G': appendNumber(out, wrappedYear(t, isoWeek(t).adjust), 1); return;
    case 'H': appendNumber(out, t.tm_hour, 2); return;
    case 'I': appendNumber(out, t.tm_hour % 12 == 0 ? 12 : t.tm_hour % 12, 2); return;
    case 'j': appendNumber(out, int64_t{t.tm_yday} + 1, 3); return;
    case 'm': appendNumber(out, int64_t{t.tm_mon} + 1, 2); return;
    case 'M': appendNumber(out, t.tm_min, 2); return;
    case 'n': out.push_back('\n'); return;
    case 'p': out.append(t.tm_hour > 11 ? "PM" : "AM"); return;
    case 'r': appendCLocaleSequence(out, "%I:%M:%S %p", t); return;
    case 'R': appendCLocaleSequence(out, "%H:%M", t); return;
    case 'S': appendNumber(out, t.tm_sec, 2); return;
    case 't': out.push_back('\t'); return;
    case 'T': case 'X': appendCLocaleSequence(out, "%H:%M:%S", t); return;
    case 'u': appendNumber(out, (t.tm_wday + 6) % 7 + 1, 1); return;
    case 'U': appendNumber(out, (t.tm_yday - t.tm_wday + 7) / 7, 2); return;
    case 'V': appendNumber(out, isoWeek(t).week, 2); return;
    case 'w': appendNumber(out, t.tm_wday, 1); return;
    case 'W': appendNumber(out, (t.tm_yday - (t.tm_wday + 6) % 7 + 7) / 7, 2); return;
    case 'y': appendNumber(out, shortYear(t.tm_year), 2); return;
    case 'Y': appendNumber(out, wrappedYear(t), 1); return;
    case 'z': {
      if (t.tm_isdst < 0) return;
      const long offset = t.tm_gmtoff;
      const long minutes = (offset < 0 ? -offset : offset) / 60;
      out.push_back(offset < 0 ? '-' : '+');
      appendNumber(out, int64_t{minutes / 60 * 100 + minutes % 60}, 4);
      return;
    }
    case 'Z': out.append(t.tm_zone != nullptr ? t.tm_zone : ""); return;
    case '%': out.push_back('%'); return;
    default: return;
  }
}

// Expands through the C library's strftime (a locale other than "C").
void appendLibc(std::string& out, std::string_view specifier, const std::tm& time) {
  const std::string text = "%" + std::string(specifier);
  char buffer[kConversionBufferSize];
  const size_t written = std::strftime(buffer, sizeof buffer, text.c_str(), &time);
  out.append(buffer, written);
}

DateFormatResult expand(std::string_view format, const std::tm& time, bool cLocale) {
  DateFormatResult result;
  size_t i = 0;
  while (i < format.size()) {
    if (format[i] != '%') {
      result.text.push_back(format[i++]);
      continue;
    }
    const std::string_view rest = format.substr(i + 1);
    const size_t length = conversionLength(rest);
    if (length == 0) {
      // The reference quotes the rest of the format as a C string: up to an embedded '\0'.
      result.ok = false;
      result.badSpecifier = "%" + std::string(rest.substr(0, rest.find('\0')));
      return result;
    }
    if (cLocale) {
      appendCLocale(result.text, rest[length - 1], time);
    } else {
      appendLibc(result.text, rest.substr(0, length), time);
    }
    i += 1 + length;
  }
  return result;
}

}  // namespace

DateFormatResult formatDate(std::string_view format, const std::tm& time) {
  return expand(format, time, timeLocaleIsC());
}

DateFormatResult formatDateC(std::string_view format, const std::tm& time) {
  return expand(format, time, true);
}

}  // namespace lunette
