// Numerals and number formatting follow Lua 5.4 exactly.
#include <gtest/gtest.h>

#include <cmath>

#include "common/numconv.h"

namespace lunette {
namespace {

TEST(NumConv, ParsesDecimalAndHexIntegers) {
  EXPECT_EQ(parseNumber("42")->integer, 42);
  EXPECT_TRUE(parseNumber(" 0x10 ")->isInteger);
  EXPECT_EQ(parseNumber("0x10")->integer, 16);
  EXPECT_EQ(parseNumber("0xffffffffffffffff")->integer, -1);  // hex wraps around
}

TEST(NumConv, DecimalOverflowBecomesFloat) {
  auto n = parseNumber("9223372036854775808");
  ASSERT_TRUE(n);
  EXPECT_FALSE(n->isInteger);
  EXPECT_EQ(n->number, 9223372036854775808.0);
  EXPECT_TRUE(parseNumber("-9223372036854775808")->isInteger);
}

TEST(NumConv, ParsesFloatsAndHexFloats) {
  EXPECT_EQ(parseNumber("1e2")->number, 100.0);
  EXPECT_EQ(parseNumber("0x1p4")->number, 16.0);
  EXPECT_EQ(parseNumber("0xA.8p0")->number, 10.5);
  EXPECT_EQ(parseNumber(".5")->number, 0.5);
}

TEST(NumConv, RejectsWhatLuaRejects) {
  EXPECT_FALSE(parseNumber("inf"));
  EXPECT_FALSE(parseNumber("nan"));
  EXPECT_FALSE(parseNumber("1e"));
  EXPECT_FALSE(parseNumber(""));
  EXPECT_FALSE(parseNumber("0x"));
  EXPECT_FALSE(parseNumber("1 2"));
}

TEST(NumConv, FormatsFloatsLikeTheReference) {
  EXPECT_EQ(floatToString(3.0), "3.0");
  EXPECT_EQ(floatToString(1e100), "1e+100");
  EXPECT_EQ(floatToString(0.1), "0.1");
  EXPECT_EQ(floatToString(-0.0), "-0.0");
  EXPECT_EQ(floatToString(HUGE_VAL), "inf");
  EXPECT_EQ(floatToString(-HUGE_VAL), "-inf");
  EXPECT_EQ(floatToString(2.0 / 3.0), "0.66666666666667");
}

TEST(NumConv, ChunkIdShortensLikeTheReference) {
  EXPECT_EQ(chunkId("=stdin"), "stdin");
  EXPECT_EQ(chunkId("@script.lua"), "script.lua");
  EXPECT_EQ(chunkId("print(1)"), "[string \"print(1)\"]");
  EXPECT_EQ(chunkId("line1\nline2"), "[string \"line1...\"]");
}

}  // namespace
}  // namespace lunette
