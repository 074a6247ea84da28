// string.format's interpreter; see string_format.h for the accepted specifications and errors.
#include "lib/string_format.h"

#include <algorithm>
#include <cctype>
#include <clocale>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace lunette {

namespace {

// Characters a specification may hold before its conversion letter (flags, width, precision).
constexpr std::string_view kSpecChars = "-+ #0123456789.";
// A specification of this many characters or more (counting the letter) is refused outright.
constexpr size_t kMaxSpecLength = 22;
// Flags each family of conversions accepts, as in lua5.4.
constexpr std::string_view kFloatFlags = "-+ #0";
constexpr std::string_view kHexFlags = "-#0";
constexpr std::string_view kSignedFlags = "-+ 0";
constexpr std::string_view kUnsignedFlags = "-0";
constexpr std::string_view kPlainFlags = "-";
// Large enough for any accepted item: at most 99 digits of width and precision around the 309
// integer digits of the largest double.
constexpr size_t kItemBufferSize = 512;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Our %a writes a '.'; in a locale with another decimal point the C library's is used.
bool decimalPointIsDot() { return std::localeconv()->decimal_point[0] == '.'; }

// One "%..." item: the characters between '%' and the conversion letter, and the letter.
struct Spec {
  std::string_view modifiers;
  char conversion;

  // "%<modifiers><conversion>", as messages show it (a '\0' letter ends it, as in C).
  std::string text() const {
    std::string s = "%";
    s.append(modifiers);
    if (conversion != '\0') s.push_back(conversion);
    return s;
  }
};

// A printf format for `spec` with `lengthModifier` inserted before the letter.
struct PrintfFormat {
  char text[kMaxSpecLength + 8];

  PrintfFormat(const Spec& spec, std::string_view lengthModifier, char conversion) {
    char* p = text;
    *p++ = '%';
    p = std::copy(spec.modifiers.begin(), spec.modifiers.end(), p);
    p = std::copy(lengthModifier.begin(), lengthModifier.end(), p);
    *p++ = conversion;
    *p = '\0';
  }
};

// Validates flags (from `flags`, any number), a width of up to two digits and, when allowed,
// a precision of up to two digits; a width may not start with '0' when '0' is not a flag.
void checkSpec(const Spec& spec, std::string_view flags, bool allowPrecision) {
  const std::string_view m = spec.modifiers;
  size_t i = 0;
  while (i < m.size() && flags.find(m[i]) != std::string_view::npos) ++i;
  auto skipTwoDigits = [&] {
    for (int n = 0; n < 2 && i < m.size() && isDigit(m[i]); ++n) ++i;
  };
  if (i == m.size() || m[i] != '0') {
    skipTwoDigits();
    if (i < m.size() && m[i] == '.' && allowPrecision) {
      ++i;
      skipTwoDigits();
    }
  }
  if (i != m.size())
    throw FormatError(0, "invalid conversion specification: '" + spec.text() + "'");
}

template <typename... Values>
void appendPrintf(std::string& out, const PrintfFormat& format, Values... values) {
  char buffer[kItemBufferSize];
  const int n = std::snprintf(buffer, sizeof buffer, format.text, values...);
  if (n > 0) out.append(buffer, std::min(static_cast<size_t>(n), sizeof buffer - 1));
}

// "%s" with modifiers: '-' flags, width and precision applied to raw bytes.
void appendPaddedString(std::string& out, const Spec& spec, std::string_view s) {
  const std::string_view m = spec.modifiers;
  size_t i = 0;
  bool leftAlign = false;
  for (; i < m.size() && m[i] == '-'; ++i) leftAlign = true;
  size_t width = 0;
  for (; i < m.size() && isDigit(m[i]); ++i) width = width * 10 + static_cast<size_t>(m[i] - '0');
  if (i < m.size() && m[i] == '.') {
    size_t precision = 0;
    for (++i; i < m.size() && isDigit(m[i]); ++i)
      precision = precision * 10 + static_cast<size_t>(m[i] - '0');
    s = s.substr(0, precision);
  }
  const size_t padding = width > s.size() ? width - s.size() : 0;
  if (!leftAlign) out.append(padding, ' ');
  out.append(s);
  if (leftAlign) out.append(padding, ' ');
}

void appendString(std::string& out, const Spec& spec, int arg, FormatArguments& args) {
  const std::string_view s = args.display(arg);
  if (spec.modifiers.empty()) {  // the whole string, embedded zeros included
    out.append(s);
    return;
  }
  if (s.find('\0') != std::string_view::npos) throw FormatError(arg, "string contains zeros");
  checkSpec(spec, kPlainFlags, true);
  out.reserve(out.size() + s.size());
  appendPaddedString(out, spec, s);
}

void appendPointer(std::string& out, const Spec& spec, int arg, FormatArguments& args) {
  const void* pointer = args.pointer(arg);
  checkSpec(spec, kPlainFlags, false);
  if (pointer == nullptr)
    appendPrintf(out, PrintfFormat(spec, "", 's'), "(null)");
  else
    appendPrintf(out, PrintfFormat(spec, "", 'p'), pointer);
}

void appendLiteral(std::string& out, int arg, FormatArguments& args) {
  const LiteralValue value = args.literal(arg);
  switch (value.kind) {
    case LiteralValue::Kind::String: appendQuotedString(out, value.text); return;
    case LiteralValue::Kind::Integer: appendQuotedInteger(out, value.integer); return;
    case LiteralValue::Kind::Float: appendQuotedFloat(out, value.number); return;
    case LiteralValue::Kind::Keyword: out.append(value.text); return;
    case LiteralValue::Kind::None: break;
  }
  throw FormatError(arg, "value has no literal form");
}

// One conversion. The order of argument conversion and specification checks follows lua5.4,
// since it decides which error a doubly wrong item reports.
void appendItem(std::string& out, const Spec& spec, int arg, FormatArguments& args) {
  switch (spec.conversion) {
    case 'c': {
      checkSpec(spec, kPlainFlags, false);
      appendPrintf(out, PrintfFormat(spec, "", 'c'), static_cast<int>(args.integer(arg)));
      return;
    }
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': {
      const int64_t n = args.integer(arg);
      const char c = spec.conversion;
      const std::string_view flags = (c == 'd' || c == 'i') ? kSignedFlags
                                     : c == 'u'             ? kUnsignedFlags
                                                            : kHexFlags;
      checkSpec(spec, flags, true);
      appendPrintf(out, PrintfFormat(spec, "ll", c), static_cast<long long>(n));
      return;
    }
    case 'a': case 'A': {
      checkSpec(spec, kFloatFlags, true);
      const double x = args.number(arg);
      if (decimalPointIsDot()) {
        appendHexFloat(out, x, spec.modifiers, spec.conversion == 'A');
      } else {
        appendPrintf(out, PrintfFormat(spec, "", spec.conversion), x);
      }
      return;
    }
    case 'f': case 'e': case 'E': case 'g': case 'G': {
      const double x = args.number(arg);
      checkSpec(spec, kFloatFlags, true);
      appendPrintf(out, PrintfFormat(spec, "", spec.conversion), x);
      return;
    }
    case 'p': appendPointer(out, spec, arg, args); return;
    case 'q': {
      if (!spec.modifiers.empty()) throw FormatError(0, "specifier '%q' cannot have modifiers");
      appendLiteral(out, arg, args);
      return;
    }
    case 's': appendString(out, spec, arg, args); return;
    default: throw FormatError(0, "invalid conversion '" + spec.text() + "' to 'format'");
  }
}

}  // namespace

void formatString(std::string& out, std::string_view format, FormatArguments& args) {
  out.reserve(out.size() + format.size() + 16);
  int arg = 1;
  size_t i = 0;
  while (i < format.size()) {
    if (format[i] != '%') {  // copy the literal run up to the next '%'
      const size_t next = std::min(format.find('%', i), format.size());
      out.append(format.substr(i, next - i));
      i = next;
      continue;
    }
    ++i;
    if (i < format.size() && format[i] == '%') {
      out.push_back('%');
      ++i;
      continue;
    }
    if (++arg > args.count()) throw FormatError(arg, "no value");
    size_t span = 0;
    while (i + span < format.size() && kSpecChars.find(format[i + span]) != std::string_view::npos)
      ++span;
    if (span + 1 >= kMaxSpecLength) throw FormatError(0, "invalid format (too long)");
    const Spec spec{format.substr(i, span), i + span < format.size() ? format[i + span] : '\0'};
    i += span + 1;
    appendItem(out, spec, arg, args);
  }
}

// ---- %q ------------------------------------------------------------------------------------

void appendQuotedString(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 2);
  out.push_back('"');
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\' || c == '\n') {  // "\<newline>" reads back as a newline
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20 || c == 0x7f) {
      // A decimal escape; three digits when a digit follows, so it cannot absorb it.
      const bool digitFollows = i + 1 < text.size() && isDigit(text[i + 1]);
      char buffer[8];
      const int n = std::snprintf(buffer, sizeof buffer, digitFollows ? "\\%03d" : "\\%d", c);
      out.append(buffer, static_cast<size_t>(n));
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
}

void appendQuotedFloat(std::string& out, double value) {
  if (std::isinf(value)) {
    out.append(value > 0 ? "1e9999" : "-1e9999");
    return;
  }
  if (std::isnan(value)) {
    out.append("(0/0)");
    return;
  }
  appendHexFloat(out, value, "", false);  // Lua reads hex floats with a '.', whatever the locale
}

void appendQuotedInteger(std::string& out, int64_t value) {
  char buffer[32];
  // The decimal form of math.mininteger would read back as a float (its negation overflows).
  const int n =
      value == INT64_MIN
          ? std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(value))
          : std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(value));
  out.append(buffer, static_cast<size_t>(n));
}

}  // namespace lunette

namespace lunette {

// ---- %a ------------------------------------------------------------------------------------

namespace {

constexpr int kMantissaBits = 52;
constexpr int kMantissaDigits = kMantissaBits / 4;  // 13 hex digits after the point
constexpr int kExponentBias = 1023;

struct HexFloatSpec {
  bool leftAlign = false, plus = false, space = false, alternate = false, zeroPad = false;
  size_t width = 0;
  int precision = -1;  // -1: as many digits as the value needs
};

// The modifiers were validated by checkSpec: flags, two-digit width, '.', two-digit precision.
HexFloatSpec parseHexFloatSpec(std::string_view m) {
  HexFloatSpec spec;
  size_t i = 0;
  for (; i < m.size() && kFloatFlags.find(m[i]) != std::string_view::npos; ++i) {
    switch (m[i]) {
      case '-': spec.leftAlign = true; break;
      case '+': spec.plus = true; break;
      case ' ': spec.space = true; break;
      case '#': spec.alternate = true; break;
      case '0': spec.zeroPad = true; break;
      default: break;
    }
  }
  for (; i < m.size() && isDigit(m[i]); ++i) spec.width = spec.width * 10 + (m[i] - '0');
  if (i < m.size() && m[i] == '.') {
    spec.precision = 0;
    for (++i; i < m.size() && isDigit(m[i]); ++i) {
      spec.precision = spec.precision * 10 + (m[i] - '0');
    }
  }
  return spec;
}

// Rounds the 13 fraction digits of `fraction` to `precision` digits, to nearest with ties to
// even (glibc's rule in the default rounding mode). A carry out of the fraction goes into the
// leading digit, which glibc then prints as 2 (or 1 for a subnormal) rather than renormalising.
void roundFraction(uint64_t& leading, uint64_t& fraction, int precision) {
  const int dropped = (kMantissaDigits - precision) * 4;
  const uint64_t half = uint64_t{1} << (dropped - 1);
  const uint64_t rest = fraction & ((uint64_t{1} << dropped) - 1);
  fraction >>= dropped;
  const uint64_t lastDigit = precision == 0 ? leading : fraction;
  if (rest < half || (rest == half && (lastDigit & 1) == 0)) return;
  if (precision == 0) {
    ++leading;
    return;
  }
  ++fraction;
  if ((fraction >> (precision * 4)) != 0) {
    fraction &= (uint64_t{1} << (precision * 4)) - 1;
    ++leading;
  }
}

}  // namespace

// glibc's layout: [sign]0x<leading>[.<fraction>]p<sign><exponent>; a subnormal keeps leading
// digit 0 and exponent -1022 (musl renormalises it, which is why we do not use snprintf here).
void appendHexFloat(std::string& out, double value, std::string_view modifiers, bool upper) {
  const HexFloatSpec spec = parseHexFloatSpec(modifiers);
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  const bool negative = (bits >> 63) != 0;
  const int biasedExponent = static_cast<int>((bits >> kMantissaBits) & 0x7ff);
  uint64_t fraction = bits & ((uint64_t{1} << kMantissaBits) - 1);
  std::string sign = negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  std::string body;
  bool numeric = true;
  if (biasedExponent == 0x7ff) {
    body = fraction != 0 ? "nan" : "inf";
    numeric = false;
  } else {
    uint64_t leading = biasedExponent == 0 ? 0 : 1;
    int exponent = biasedExponent == 0 ? (fraction == 0 ? 0 : 1 - kExponentBias)
                                       : biasedExponent - kExponentBias;
    int digits = kMantissaDigits;
    if (spec.precision >= 0 && spec.precision < kMantissaDigits) {
      roundFraction(leading, fraction, spec.precision);
      digits = spec.precision;
    } else if (spec.precision < 0) {
      while (digits > 0 && (fraction & 0xf) == 0) {  // drop trailing zero digits
        fraction >>= 4;
        --digits;
      }
    }
    body = "0x";
    body.push_back(static_cast<char>('0' + leading));
    const int zeros = spec.precision > kMantissaDigits ? spec.precision - kMantissaDigits : 0;
    if (digits > 0 || zeros > 0 || spec.alternate) body.push_back('.');
    for (int d = digits - 1; d >= 0; --d) {
      body.push_back("0123456789abcdef"[(fraction >> (d * 4)) & 0xf]);
    }
    body.append(static_cast<size_t>(zeros), '0');
    body.push_back('p');
    body.push_back(exponent < 0 ? '-' : '+');
    body.append(std::to_string(exponent < 0 ? -exponent : exponent));
  }
  if (upper) {
    for (char& c : body) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  const size_t length = sign.size() + body.size();
  const size_t padding = spec.width > length ? spec.width - length : 0;
  if (spec.leftAlign) {
    out.append(sign).append(body).append(padding, ' ');
  } else if (spec.zeroPad && numeric) {  // zeros go after the sign and the "0x"
    out.append(sign).append(body, 0, 2).append(padding, '0').append(body, 2);
  } else {
    out.append(padding, ' ').append(sign).append(body);
  }
}

}  // namespace lunette
