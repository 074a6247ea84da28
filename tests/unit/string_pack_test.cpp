// string.pack / unpack / packsize with plain C++ values: every option, byte order, alignment,
// the 64-bit reference sizes, and the limit errors.
#include "lib/string_pack.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace lunette {
namespace {

using Value = std::variant<int64_t, double, std::string>;

class FakeArguments : public PackArguments {
 public:
  explicit FakeArguments(std::vector<Value> values) : values_(std::move(values)) {}
  int64_t integer(int arg) override { return std::get<int64_t>(at(arg)); }
  double number(int arg) override {
    const Value& v = at(arg);
    if (auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
    return std::get<double>(v);
  }
  std::string_view string(int arg) override { return std::get<std::string>(at(arg)); }

 private:
  const Value& at(int arg) const { return values_.at(static_cast<size_t>(arg - 2)); }
  std::vector<Value> values_;
};

class CollectingSink : public UnpackSink {
 public:
  void reserve() override {}
  void integer(int64_t value) override { values.emplace_back(value); }
  void number(double value) override { values.emplace_back(value); }
  void string(std::string_view value) override { values.emplace_back(std::string(value)); }
  std::vector<Value> values;
};

std::string pack(std::string_view format, std::vector<Value> values = {}) {
  FakeArguments args(std::move(values));
  return packValues(format, args);
}

struct Unpacked {
  std::vector<Value> values;
  int64_t next;
};

Unpacked unpack(std::string_view format, std::string_view data, int64_t init = 1) {
  CollectingSink sink;
  const int64_t next = unpackValues(format, data, init, sink);
  return {std::move(sink.values), next};
}

template <typename F>
std::string errorOf(F&& f) {
  try {
    f();
  } catch (const PackError& e) {
    if (e.argument() == 0) return e.what();
    return "#" + std::to_string(e.argument()) + " " + e.what();
  }
  return "<no error>";
}

std::string bytes(std::initializer_list<int> list) {
  std::string s;
  for (int b : list) s.push_back(static_cast<char>(b));
  return s;
}

Value I(int64_t v) { return Value(v); }
Value S(std::string v) { return Value(std::move(v)); }

TEST(StringPack, PacksIntegersInEitherByteOrder) {
  EXPECT_EQ(pack("<i4", {I(1)}), bytes({1, 0, 0, 0}));
  EXPECT_EQ(pack(">i4", {I(1)}), bytes({0, 0, 0, 1}));
  EXPECT_EQ(pack("=h", {I(0x0102)}), bytes({2, 1}));
  EXPECT_EQ(pack("<i2 >i2", {I(1), I(1)}), bytes({1, 0, 0, 1}));
  EXPECT_EQ(pack("b", {I(-1)}), bytes({0xff}));
  EXPECT_EQ(pack("<i3", {I(-2)}), bytes({0xfe, 0xff, 0xff}));
}

TEST(StringPack, UsesTheReferenceNativeSizes) {
  EXPECT_EQ(packSize("b"), 1);
  EXPECT_EQ(packSize("h"), 2);
  EXPECT_EQ(packSize("i"), 4);
  EXPECT_EQ(packSize("l"), 8);
  EXPECT_EQ(packSize("j"), 8);
  EXPECT_EQ(packSize("T"), 8);
  EXPECT_EQ(packSize("f"), 4);
  EXPECT_EQ(packSize("d"), 8);
  EXPECT_EQ(packSize("n"), 8);
  EXPECT_EQ(packSize(" b h i l j T f d n"), 51);
}

TEST(StringPack, WideIntegersExtendTheSign) {
  EXPECT_EQ(pack("<i16", {I(-1)}), std::string(16, '\xff'));
  EXPECT_EQ(pack("<I9", {I(-1)}), std::string(8, '\xff') + std::string(1, '\0'));
  auto back = unpack("<i16", std::string(16, '\xff'));
  EXPECT_EQ(std::get<int64_t>(back.values.at(0)), -1);
  EXPECT_EQ(errorOf([] { unpack("<i16", std::string(8, '\xff') + std::string(8, '\1')); }),
            "16-byte integer does not fit into Lua Integer");
}

TEST(StringPack, RoundTripsEveryFixedOption) {
  const std::string data = pack("b B h H l L j J T", {I(-1), I(255), I(-2), I(65535), I(-3),
                                                      I(4), I(-5), I(-6), I(7)});
  auto back = unpack("b B h H l L j J T", data);
  std::vector<Value> expected{I(-1), I(255), I(-2), I(65535), I(-3), I(4), I(-5), I(-6), I(7)};
  EXPECT_EQ(back.values, expected);
  EXPECT_EQ(back.next, 47);
}

TEST(StringPack, RoundTripsFloats) {
  auto back = unpack("<f >d n", pack("<f >d n", {Value(0.5), Value(-1e300), Value(3.25)}));
  ASSERT_EQ(back.values.size(), 3u);
  EXPECT_EQ(std::get<double>(back.values[0]), 0.5);
  EXPECT_EQ(std::get<double>(back.values[1]), -1e300);
  EXPECT_EQ(std::get<double>(back.values[2]), 3.25);
  EXPECT_EQ(pack(">d", {Value(1.0)}), bytes({0x3f, 0xf0, 0, 0, 0, 0, 0, 0}));
}

TEST(StringPack, PacksStrings) {
  EXPECT_EQ(pack("z", {S("hi")}), std::string("hi\0", 3));
  EXPECT_EQ(pack("<s1", {S("hi")}), bytes({2, 'h', 'i'}));
  EXPECT_EQ(pack("<s", {S("a")}), bytes({1, 0, 0, 0, 0, 0, 0, 0, 'a'}));
  EXPECT_EQ(pack("c4", {S("ab")}), std::string("ab\0\0", 4));
  auto back = unpack("z s1 c2", pack("z s1 c2", {S("x"), S("yz"), S("w")}));
  EXPECT_EQ(back.values, (std::vector<Value>{S("x"), S("yz"), S(std::string("w\0", 2))}));
}

TEST(StringPack, AlignsToItemSizeUpToTheMaximum) {
  EXPECT_EQ(packSize("!8 i1 i8"), 16);
  EXPECT_EQ(packSize("<i1 !2 i8"), 10);
  EXPECT_EQ(packSize("!i1d"), 16);
  EXPECT_EQ(packSize("!4 i1 Xi8"), 4);
  EXPECT_EQ(packSize("i1 i8"), 9);  // the default maximum alignment is 1
  EXPECT_EQ(pack("!4 b i4", {I(1), I(2)}), bytes({1, 0, 0, 0, 2, 0, 0, 0}));
  EXPECT_EQ(pack("b x b", {I(1), I(2)}), bytes({1, 0, 2}));
}

TEST(StringPack, UnpackStartsAtAGivenPosition) {
  auto back = unpack("b", "abc", 2);
  EXPECT_EQ(back.values, std::vector<Value>{I('b')});
  EXPECT_EQ(back.next, 3);
  EXPECT_EQ(unpack("b", "abc", -1).values, std::vector<Value>{I('c')});
  EXPECT_EQ(unpack("i4", "abcd", -10).next, 5);  // clamps to the start
  EXPECT_EQ(unpack("", "abc", 4).next, 4);
}

TEST(StringPack, StopsAtAnEmbeddedZeroInTheFormat) {
  EXPECT_EQ(pack(std::string_view("b\0b", 3), {I(1)}), bytes({1}));
}

TEST(StringPack, ReportsFormatErrors) {
  EXPECT_EQ(errorOf([] { packSize("i17"); }), "integral size (17) out of limits [1,16]");
  EXPECT_EQ(errorOf([] { packSize("i0"); }), "integral size (0) out of limits [1,16]");
  EXPECT_EQ(errorOf([] { packSize("!17"); }), "integral size (17) out of limits [1,16]");
  EXPECT_EQ(errorOf([] { packSize("c"); }), "missing size for format option 'c'");
  EXPECT_EQ(errorOf([] { packSize("y"); }), "invalid format option 'y'");
  EXPECT_EQ(errorOf([] { packSize("c2147483647"); }), "invalid format option '7'");
  EXPECT_EQ(errorOf([] { packSize("X"); }), "#1 invalid next option for option 'X'");
  EXPECT_EQ(errorOf([] { packSize("Xc1"); }), "#1 invalid next option for option 'X'");
  EXPECT_EQ(errorOf([] { packSize("Xz"); }), "#1 invalid next option for option 'X'");
  EXPECT_EQ(errorOf([] { packSize("!3 i4"); }), "#1 format asks for alignment not power of 2");
  EXPECT_EQ(errorOf([] { packSize("!4 i3"); }), "#1 format asks for alignment not power of 2");
  EXPECT_EQ(errorOf([] { packSize("s"); }), "#1 variable-length format");
  EXPECT_EQ(errorOf([] { packSize("z"); }), "#1 variable-length format");
  EXPECT_EQ(errorOf([] { packSize("c1000000000c1000000000c1000000000"); }),
            "#1 format result too large");
}

TEST(StringPack, ReportsValueErrors) {
  EXPECT_EQ(errorOf([] { pack("i1", {I(128)}); }), "#2 integer overflow");
  EXPECT_EQ(errorOf([] { pack("i1", {I(-129)}); }), "#2 integer overflow");
  EXPECT_EQ(pack("i1 i1", {I(127), I(-128)}), bytes({0x7f, 0x80}));
  EXPECT_EQ(errorOf([] { pack("I1", {I(-1)}); }), "#2 unsigned overflow");
  EXPECT_EQ(errorOf([] { pack("b c2", {I(1), S("abc")}); }), "#3 string longer than given size");
  EXPECT_EQ(errorOf([] { pack("s1", {S(std::string(256, 'x'))}); }),
            "#2 string length does not fit in given size");
  EXPECT_EQ(errorOf([] { pack("z", {S(std::string("a\0b", 3))}); }), "#2 string contains zeros");
}

TEST(StringPack, ReportsShortData) {
  EXPECT_EQ(errorOf([] { unpack("i4", "abc"); }), "#2 data string too short");
  EXPECT_EQ(errorOf([] { unpack("s1", "\5abc"); }), "#2 data string too short");
  EXPECT_EQ(errorOf([] { unpack("z", "abc"); }), "#2 unfinished string for format 'z'");
  EXPECT_EQ(errorOf([] { unpack("i4", "abcd", 6); }), "#3 initial position out of string");
}

}  // namespace
}  // namespace lunette
