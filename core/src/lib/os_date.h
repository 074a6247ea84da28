// os.date's format expansion, apart from the clock and the Lua stack so it can be tested on
// fixed times.
//
// A format is literal text with conversion specifiers. Only the C99 strftime conversions are
// allowed (as in the reference): one letter from "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%", or
// one of the E/O-modified pairs Ec EC Ex EX Ey EY Od Oe OH OI Om OM OS Ou OU OV Ow OW Oy. Each
// one is expanded by the C library's strftime, so results follow the current C locale.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

namespace lunette {

struct DateFormatResult {
  bool ok = true;
  std::string text;           // the expansion, when ok
  std::string badSpecifier;   // otherwise: from the offending '%' to the end of the format
};

DateFormatResult formatDate(std::string_view format, const std::tm& time);

}  // namespace lunette
