// string.format's interpreter with plain C++ arguments: every conversion, flags, width and
// precision, %q's literal forms, and the specification and argument errors.
#include "lib/string_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <string>
#include <variant>
#include <vector>

namespace lunette {
namespace {

struct Nil {};
using Arg = std::variant<Nil, bool, int64_t, double, std::string>;

// Arguments as a Lua call would see them: values[0] is argument 2.
class FakeArguments : public FormatArguments {
 public:
  explicit FakeArguments(std::vector<Arg> values) : values_(std::move(values)) {}

  int count() const override { return static_cast<int>(values_.size()) + 1; }

  int64_t integer(int arg) override {
    const Arg& v = at(arg);
    if (auto* i = std::get_if<int64_t>(&v)) return *i;
    if (auto* d = std::get_if<double>(&v)) {
      if (std::floor(*d) == *d && std::abs(*d) < 9.2e18) return static_cast<int64_t>(*d);
      throw FormatError(arg, "number has no integer representation");
    }
    throw FormatError(arg, "number expected");
  }

  double number(int arg) override {
    const Arg& v = at(arg);
    if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
    if (auto* d = std::get_if<double>(&v)) return *d;
    throw FormatError(arg, "number expected");
  }

  std::string_view display(int arg) override {
    const Arg& v = at(arg);
    std::string text;
    if (std::holds_alternative<Nil>(v)) text = "nil";
    else if (auto* b = std::get_if<bool>(&v)) text = *b ? "true" : "false";
    else if (auto* i = std::get_if<int64_t>(&v)) text = std::to_string(*i);
    else if (auto* s = std::get_if<std::string>(&v)) text = *s;
    else text = "<float>";
    return strings_.emplace_back(std::move(text));
  }

  LiteralValue literal(int arg) override {
    const Arg& v = at(arg);
    LiteralValue literal;
    if (std::holds_alternative<Nil>(v)) {
      literal.kind = LiteralValue::Kind::Keyword;
      literal.text = "nil";
    } else if (auto* b = std::get_if<bool>(&v)) {
      literal.kind = LiteralValue::Kind::Keyword;
      literal.text = *b ? "true" : "false";
    } else if (auto* i = std::get_if<int64_t>(&v)) {
      literal.kind = LiteralValue::Kind::Integer;
      literal.integer = *i;
    } else if (auto* d = std::get_if<double>(&v)) {
      literal.kind = LiteralValue::Kind::Float;
      literal.number = *d;
    } else {
      literal.kind = LiteralValue::Kind::String;
      literal.text = std::get<std::string>(v);
    }
    return literal;
  }

  const void* pointer(int) override { return nullptr; }  // no collectable objects here

 private:
  const Arg& at(int arg) const { return values_.at(static_cast<size_t>(arg - 2)); }

  std::vector<Arg> values_;
  std::deque<std::string> strings_;
};

std::string format(std::string_view fmt, std::vector<Arg> values = {}) {
  FakeArguments args(std::move(values));
  std::string out;
  formatString(out, fmt, args);
  return out;
}

// The error as "#N message" for argument errors, or the bare message.
std::string formatError(std::string_view fmt, std::vector<Arg> values = {}) {
  try {
    format(fmt, std::move(values));
  } catch (const FormatError& e) {
    if (e.argument() == 0) return e.what();
    return "#" + std::to_string(e.argument()) + " " + e.what();
  }
  return "<no error>";
}

Arg i(int64_t v) { return Arg(v); }
Arg d(double v) { return Arg(v); }
Arg s(std::string v) { return Arg(std::move(v)); }

TEST(StringFormat, CopiesLiteralTextAndPercent) {
  EXPECT_EQ(format("plain text"), "plain text");
  EXPECT_EQ(format("100%% sure"), "100% sure");
  EXPECT_EQ(format(std::string_view("a\0b", 3)), std::string("a\0b", 3));
}

TEST(StringFormat, FormatsIntegersWithFlagsWidthAndPrecision) {
  EXPECT_EQ(format("%d %i", {i(42), i(-7)}), "42 -7");
  EXPECT_EQ(format("[%5d][%-5d][%05d][%+d][% d]", {i(42), i(42), i(-42), i(3), i(3)}),
            "[   42][42   ][-0042][+3][ 3]");
  EXPECT_EQ(format("%5.3d|%.0d|", {i(7), i(0)}), "  007||");
  EXPECT_EQ(format("%u", {i(-1)}), "18446744073709551615");
  EXPECT_EQ(format("%x %X %#x %o %#o", {i(255), i(255), i(255), i(8), i(8)}),
            "ff FF 0xff 10 010");
  EXPECT_EQ(format("%x", {i(-1)}), "ffffffffffffffff");
  EXPECT_EQ(format("%d", {d(3.0)}), "3");
  EXPECT_EQ(format("%d", {i(INT64_MIN)}), "-9223372036854775808");
}

TEST(StringFormat, FormatsCharactersIncludingZero) {
  EXPECT_EQ(format("%c%c%c", {i(76), i(117), i(97)}), "Lua");
  EXPECT_EQ(format("%c", {i(0)}), std::string(1, '\0'));
  EXPECT_EQ(format("%-3c|%3c", {i('a'), i('b')}), "a  |  b");
  EXPECT_EQ(format("%c", {i(256)}), std::string(1, '\0'));  // truncated like C's int->uchar
}

TEST(StringFormat, FormatsFloats) {
  EXPECT_EQ(format("%f|%.2f|%10.3f|%-8.1f|", {d(1.5), d(3.14159), d(3.14159), d(2.0)}),
            "1.500000|3.14|     3.142|2.0     |");
  EXPECT_EQ(format("%e|%E|%.0e", {d(1234.5), d(0.00012), d(5e10)}),
            "1.234500e+03|1.200000E-04|5e+10");
  EXPECT_EQ(format("%g|%g|%G|%#g|%+g", {d(0.1), d(1e20), d(1e-10), d(1.0), d(2.5)}),
            "0.1|1e+20|1E-10|1.00000|+2.5");
  EXPECT_EQ(format("%g %g", {d(INFINITY), d(-INFINITY)}), "inf -inf");
  EXPECT_EQ(format("%.3f", {i(2)}), "2.000");
  EXPECT_EQ(format("%99.99f", {d(1e308)}).size(), 409u);
}

TEST(StringFormat, FormatsHexFloats) {
  EXPECT_EQ(format("%a %A", {d(1.0), d(0.5)}), "0x1p+0 0X1P-1");
  EXPECT_EQ(format("%.3a|%#a|%10.4a", {d(1.0), d(1.0), d(3.5)}),
            "0x1.000p+0|0x1.p+0|0x1.c000p+1");
}

TEST(StringFormat, FormatsStringsWithPaddingAndPrecision) {
  EXPECT_EQ(format("%s|%5s|%-5s|%.2s|%5.1s|%.0s|", {s("abc"), s("ab"), s("ab"), s("abc"),
                                                   s("abc"), s("abc")}),
            "abc|   ab|ab   |ab|    a||");
  EXPECT_EQ(format("%s", {s(std::string("a\0b", 3))}), std::string("a\0b", 3));
  EXPECT_EQ(format("%s %s %s", {Arg(Nil{}), Arg(true), i(12)}), "nil true 12");
  const std::string longText(150, 'x');
  EXPECT_EQ(format("%5s", {s(longText)}), longText);
  EXPECT_EQ(format("%.3s", {s(longText)}), "xxx");
}

TEST(StringFormat, PointerOfANonObjectIsNull) {
  EXPECT_EQ(format("%p|%8p|%-8p|", {i(1), i(1), i(1)}), "(null)|  (null)|(null)  |");
}

TEST(StringFormat, QuotesStringsSoTheyReadBack) {
  EXPECT_EQ(format("%q", {s("hi")}), "\"hi\"");
  EXPECT_EQ(format("%q", {s("a\"b\\c\nd")}), "\"a\\\"b\\\\c\\\nd\"");
  EXPECT_EQ(format("%q", {s(std::string("\0\r\1" "1\x7f\x80", 6))}),
            "\"\\0\\13\\0011\\127\x80\"");
  EXPECT_EQ(format("%q", {s(std::string("x\0", 2))}), "\"x\\0\"");
}

TEST(StringFormat, QuotesNumbersAndKeywords) {
  EXPECT_EQ(format("%q %q", {i(42), i(-3)}), "42 -3");
  EXPECT_EQ(format("%q", {i(INT64_MIN)}), "0x8000000000000000");
  EXPECT_EQ(format("%q %q %q", {d(1.5), d(1.0), d(-0.0)}), "0x1.8p+0 0x1p+0 -0x0p+0");
  EXPECT_EQ(format("%q %q %q", {d(INFINITY), d(-INFINITY), d(NAN)}), "1e9999 -1e9999 (0/0)");
  EXPECT_EQ(format("%q %q %q", {Arg(Nil{}), Arg(true), Arg(false)}), "nil true false");
}

TEST(StringFormat, RejectsBadSpecifications) {
  EXPECT_EQ(formatError("%y", {i(1)}), "invalid conversion '%y' to 'format'");
  EXPECT_EQ(formatError("%10.3y", {i(1)}), "invalid conversion '%10.3y' to 'format'");
  EXPECT_EQ(formatError("%F", {i(1)}), "invalid conversion '%F' to 'format'");
  EXPECT_EQ(formatError("abc%", {i(1)}), "invalid conversion '%' to 'format'");
  EXPECT_EQ(formatError("%ll", {i(1)}), "invalid conversion '%l' to 'format'");
  EXPECT_EQ(formatError("%#d", {i(1)}), "invalid conversion specification: '%#d'");
  EXPECT_EQ(formatError("%123d", {i(1)}), "invalid conversion specification: '%123d'");
  EXPECT_EQ(formatError("%.123f", {i(1)}), "invalid conversion specification: '%.123f'");
  EXPECT_EQ(formatError("%0.0.0d", {i(1)}), "invalid conversion specification: '%0.0.0d'");
  EXPECT_EQ(formatError("%+u", {i(1)}), "invalid conversion specification: '%+u'");
  EXPECT_EQ(formatError("% x", {i(1)}), "invalid conversion specification: '% x'");
  EXPECT_EQ(formatError("%05c", {i(65)}), "invalid conversion specification: '%05c'");
  EXPECT_EQ(formatError("%.3c", {i(65)}), "invalid conversion specification: '%.3c'");
  EXPECT_EQ(formatError("%#5.1s", {s("x")}), "invalid conversion specification: '%#5.1s'");
  EXPECT_EQ(formatError("%.1p", {i(1)}), "invalid conversion specification: '%.1p'");
  EXPECT_EQ(formatError("%5.2q", {i(1)}), "specifier '%q' cannot have modifiers");
  EXPECT_EQ(formatError("%" + std::string(21, '-') + "d", {i(1)}), "invalid format (too long)");
  EXPECT_EQ(format("%" + std::string(20, '-') + "d", {i(1)}), "1");
}

TEST(StringFormat, ReportsArgumentErrors) {
  EXPECT_EQ(formatError("%d"), "#2 no value");
  EXPECT_EQ(formatError("%d %d", {i(1)}), "#3 no value");
  EXPECT_EQ(formatError("%y"), "#2 no value");  // the missing value is noticed first
  EXPECT_EQ(formatError("%10s", {s(std::string("a\0b", 3))}), "#2 string contains zeros");
  EXPECT_EQ(formatError("%q", {s("x"), i(1)}), "<no error>");
  EXPECT_EQ(formatError("%d", {d(1.5)}), "#2 number has no integer representation");
}

TEST(StringFormat, ConvertsTheArgumentBeforeCheckingIntegerFlags) {
  // lua5.4 reads %d's argument first, so a bad argument wins over a bad flag...
  EXPECT_EQ(formatError("%#d", {s("x")}), "#2 number expected");
  // ...while %c and %a check the specification first.
  EXPECT_EQ(formatError("%#c", {s("x")}), "invalid conversion specification: '%#c'");
}

}  // namespace
}  // namespace lunette
