// Pins string.format's %a / %A (appendHexFloat, our own code so that the WebAssembly build, on
// musl, prints what glibc prints) against glibc's snprintf: normal, subnormal, zero, infinite
// and NaN values, with every flag, widths and precisions (rounding ties to even, carries into
// the leading digit).
#include "lib/string_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace lunette {
namespace {

std::string ours(double x, std::string_view modifiers, bool upper = false) {
  std::string out;
  appendHexFloat(out, x, modifiers, upper);
  return out;
}

std::string glibc(double x, std::string_view modifiers, bool upper = false) {
  const std::string format = "%" + std::string(modifiers) + (upper ? "A" : "a");
  char buffer[256];
  const int n = std::snprintf(buffer, sizeof buffer, format.c_str(), x);
  return std::string(buffer, static_cast<size_t>(n));
}

double fromBits(uint64_t bits) {
  double x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

std::vector<double> values() {
  std::vector<double> v = {0.0, -0.0, 1.0, -1.0, 0.1, 1.5, 2.0, 1e308, -1e-308, 4.9e-324,
                           std::numeric_limits<double>::denorm_min() * 12345,
                           std::numeric_limits<double>::min(), std::numeric_limits<double>::max(),
                           fromBits(0x000fffffffffffff), fromBits(0x3ff8000000000000),
                           fromBits(0x3fffffffffffffff), fromBits(0x3ff0000000000008),
                           fromBits(0x3ff0000000000018), fromBits(0x3ff0800000000000),
                           fromBits(0x3ff1800000000000), std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity()};
  std::mt19937_64 random(99);
  for (int i = 0; i < 300; ++i) v.push_back(fromBits(random()));
  for (int i = 0; i < 100; ++i) v.push_back(fromBits(random() >> 12));  // subnormals
  return v;
}

TEST(HexFloat, WritesSubnormalsWithALeadingZeroAsGlibcDoes) {
  EXPECT_EQ(ours(4.9e-324, ""), "0x0.0000000000001p-1022");
  EXPECT_EQ(ours(0x1p+63, ""), "0x1p+63");
  EXPECT_EQ(ours(-0.0, ""), "-0x0p+0");
  EXPECT_EQ(ours(0.1, ""), "0x1.999999999999ap-4");
}

TEST(HexFloat, MatchesGlibcForEveryFlagWidthAndPrecision) {
  const std::vector<std::string> modifiers = {
      "", "+", " ", "#", "-", "0", "20", "-20", "020", "+025", " 30", "#.0", ".0", ".1", ".2",
      ".5", ".12", ".13", ".14", ".20", "30.3", "-30.3", "030.3", "+#08.0", "099.99"};
  for (double x : values()) {
    if (std::isnan(x)) continue;  // NaN payloads: pinned below
    for (const std::string& m : modifiers) {
      EXPECT_EQ(ours(x, m), glibc(x, m)) << "%" << m << "a of " << glibc(x, "");
      EXPECT_EQ(ours(x, m, true), glibc(x, m, true)) << "%" << m << "A of " << glibc(x, "");
    }
  }
}

TEST(HexFloat, WritesNanAndInfinityWithTheirSignAndNoZeroPadding) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::string_view m : {"", "+", "010", "-8", " "}) {
    EXPECT_EQ(ours(nan, m), glibc(nan, m)) << m;
    EXPECT_EQ(ours(-nan, m, true), glibc(-nan, m, true)) << m;
  }
}

TEST(HexFloat, QuotesFloatsAsHexLiterals) {
  std::string out;
  appendQuotedFloat(out, 4.9e-324);
  EXPECT_EQ(out, "0x0.0000000000001p-1022");
}

}  // namespace
}  // namespace lunette
