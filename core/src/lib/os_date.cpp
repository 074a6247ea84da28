// Expansion of os.date formats; see os_date.h.
#include "lib/os_date.h"

#include <array>

namespace lunette {

namespace {

constexpr std::string_view kSingleLetterConversions = "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
constexpr std::array<std::string_view, 19> kModifiedConversions = {
    "Ec", "EC", "Ex", "EX", "Ey", "EY", "Od", "Oe", "OH", "OI",
    "Om", "OM", "OS", "Ou", "OU", "OV", "Ow", "OW", "Oy"};

// Room for one conversion's expansion; the reference uses the same bound.
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

}  // namespace

DateFormatResult formatDate(std::string_view format, const std::tm& time) {
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
    const std::string specifier = "%" + std::string(rest.substr(0, length));
    char buffer[kConversionBufferSize];
    const size_t written = std::strftime(buffer, sizeof buffer, specifier.c_str(), &time);
    result.text.append(buffer, written);
    i += 1 + length;
  }
  return result;
}

}  // namespace lunette
