// os.date's format expansion and the calendar arithmetic behind os.time and os.date, apart from
// the clock and the Lua stack so both can be tested on fixed times.
//
// Calendar: the proleptic Gregorian calendar counted in seconds since 1970-01-01 00:00:00 UTC,
// without leap seconds (POSIX time). These are our own timegm and gmtime, used by both builds,
// because Emscripten's (JavaScript Date based) reject years outside +-275760 and normalise
// out-of-range months differently from glibc. Their range is glibc's: any 64-bit time whose
// year fits `tm_year` (an int counted from 1900); beyond that they fail, as glibc's do.
//
// Format: literal text with conversion specifiers. Only the C99 strftime conversions are
// allowed (as in the reference): one letter from "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%", or
// one of the E/O-modified pairs Ec EC Ex EX Ey EY Od Oe OH OI Om OM OS Ou OU OV Ow OW Oy.
// In the "C" locale (always so in WebAssembly) each conversion is expanded here, exactly as
// glibc does, so both builds print the same; in another locale by the C library's strftime.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace lunette {

// ---- calendar -----------------------------------------------------------------------------

// Days from 1970-01-01 to year-month-day; `month` is 1..12, `day` any value (it counts on
// from the first of the month, so day 0 is the last day of the previous month).
int64_t daysFromCivil(int64_t year, int month, int64_t day);

struct CivilDate {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};
CivilDate civilFromDays(int64_t days);

// gmtime: the broken-down UTC time of `seconds` (tm_isdst 0, zone "GMT", offset 0); nullopt
// when its year does not fit tm_year.
std::optional<std::tm> utcFields(int64_t seconds);

// timegm with mktime's normalisation: every field may be out of its range (month 14 is
// February of the next year, hour -5 is 19:00 the day before); tm_wday, tm_yday and tm_isdst
// are ignored. On success `fields` is rewritten normalised (as utcFields gives it); on failure
// (the normalised year does not fit tm_year) it is left alone.
std::optional<int64_t> utcSeconds(std::tm& fields);

// ---- format -------------------------------------------------------------------------------

struct DateFormatResult {
  bool ok = true;
  std::string text;           // the expansion, when ok
  std::string badSpecifier;   // otherwise: from the offending '%' to the end of the format
};

// Expands `format` for `time`, whose tm_gmtoff and tm_zone serve %z and %Z.
DateFormatResult formatDate(std::string_view format, const std::tm& time);

// The same in the "C" locale whatever the current one is (what formatDate does in it).
DateFormatResult formatDateC(std::string_view format, const std::tm& time);

}  // namespace lunette
