// Number conversions; see numconv.h for the rules.
#include "common/numconv.h"

#include <charconv>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace lunette {

namespace {

bool isSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

int hexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Integers: decimal must fit (else it is a float); hexadecimal wraps around.
std::optional<int64_t> parseInteger(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  uint64_t value = 0;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    for (char c : s) {
      int d = hexDigitValue(c);
      if (d < 0) return std::nullopt;
      value = value * 16 + static_cast<uint64_t>(d);
    }
  } else {
    const uint64_t maxDiv10 = static_cast<uint64_t>(INT64_MAX) / 10;
    const uint64_t maxLastDigit = static_cast<uint64_t>(INT64_MAX) % 10;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      uint64_t d = static_cast<uint64_t>(c - '0');
      // Overflow: the reference then reads the numeral as a float.
      if (value > maxDiv10 || (value == maxDiv10 && d > maxLastDigit + (negative ? 1 : 0)))
        return std::nullopt;
      value = value * 10 + d;
    }
  }
  return static_cast<int64_t>(negative ? 0 - value : value);
}

// Hexadecimal float "0xA.8p-3", written out by hand because strtod's hex support varies.
std::optional<double> parseHexFloat(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.size() < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return std::nullopt;
  s.remove_prefix(2);
  double mantissa = 0;
  int exponent = 0;
  bool anyDigit = false, seenDot = false;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.') {
      if (seenDot) return std::nullopt;
      seenDot = true;
      continue;
    }
    int d = hexDigitValue(c);
    if (d < 0) break;
    anyDigit = true;
    if (mantissa < 0x1p60) {
      mantissa = mantissa * 16 + d;
      if (seenDot) exponent -= 4;
    } else if (!seenDot) {
      exponent += 4;  // too many significant digits: keep the magnitude only
    }
  }
  if (!anyDigit) return std::nullopt;
  if (i < s.size()) {
    if (s[i] != 'p' && s[i] != 'P') return std::nullopt;
    ++i;
    bool expNegative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) expNegative = s[i++] == '-';
    if (i >= s.size()) return std::nullopt;
    int e = 0;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      if (e < 100000) e = e * 10 + (s[i] - '0');
    }
    exponent += expNegative ? -e : e;
  }
  double value = std::ldexp(mantissa, exponent);
  return negative ? -value : value;
}

std::optional<double> parseDecimalFloat(std::string_view s) {
  // strtod accepts "inf", "nan" and hex; the reference rejects the first two.
  for (char c : s)
    if (c == 'n' || c == 'N' || c == 'i' || c == 'I') return std::nullopt;
  std::string copy(s);
  char* end = nullptr;
  double value = std::strtod(copy.c_str(), &end);
  if (end == copy.c_str() || *end != '\0') return std::nullopt;
  return value;
}

}  // namespace

std::optional<ParsedNumber> parseNumber(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) return std::nullopt;  // no length limit: the reference reads 300-digit numerals
  if (s.find('\0') != std::string_view::npos) return std::nullopt;
  if (auto integer = parseInteger(s)) return ParsedNumber{true, *integer, 0.0};
  bool hex = false;
  {
    std::string_view t = s;
    if (t.front() == '-' || t.front() == '+') t.remove_prefix(1);
    hex = t.size() >= 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
  }
  auto value = hex ? parseHexFloat(s) : parseDecimalFloat(s);
  if (!value) return std::nullopt;
  return ParsedNumber{false, 0, *value};
}

int formatFloat(double value, char* out) {
  int n = std::snprintf(out, 64, "%.14g", value);
  // Looks like an integer? Then mark it as a float, as the reference does.
  if (std::strspn(out, "-0123456789") == static_cast<size_t>(n)) {
    out[n++] = '.';
    out[n++] = '0';
    out[n] = '\0';
  }
  return n;
}

int formatInteger(int64_t value, char* out) {
  // std::to_chars writes the same digits as "%lld" without a format string to parse: tostring
  // of an integer and `..` of one spent most of their time in snprintf (in WebAssembly, musl's
  // vfprintf).
  std::to_chars_result end = std::to_chars(out, out + 63, value);
  *end.ptr = '\0';
  return static_cast<int>(end.ptr - out);
}

std::string floatToString(double value) {
  char buffer[64];
  int n = formatFloat(value, buffer);
  return std::string(buffer, static_cast<size_t>(n));
}

std::string integerToString(int64_t value) {
  char buffer[64];
  int n = formatInteger(value, buffer);
  return std::string(buffer, static_cast<size_t>(n));
}

std::optional<int64_t> floatToInteger(double value) {
  double floored = std::floor(value);
  if (floored != value) return std::nullopt;
  // -2^63 is exact; 2^63 is out of range.
  if (floored >= -9223372036854775808.0 && floored < 9223372036854775808.0)
    return static_cast<int64_t>(floored);
  return std::nullopt;
}

std::string chunkId(std::string_view source) {
  constexpr size_t kIdSize = 60;  // the reference's LUA_IDSIZE, including the terminator
  if (!source.empty() && source.front() == '=') {
    source.remove_prefix(1);
    return std::string(source.substr(0, kIdSize - 1));
  }
  if (!source.empty() && source.front() == '@') {
    source.remove_prefix(1);
    if (source.size() <= kIdSize - 1) return std::string(source);
    return "..." + std::string(source.substr(source.size() - (kIdSize - 1 - 3)));
  }
  // [string "source"]: only the first line, shortened with "..." to fit.
  const std::string_view pre = "[string \"", post = "\"]", dots = "...";
  size_t available = kIdSize - 1 - pre.size() - dots.size() - post.size();
  size_t newline = source.find('\n');
  std::string result(pre);
  if (source.size() < available && newline == std::string_view::npos) {
    result += source;
  } else {
    size_t length = newline == std::string_view::npos ? source.size() : newline;
    if (length > available) length = available;
    result += source.substr(0, length);
    result += dots;
  }
  result += post;
  return result;
}

}  // namespace lunette
