// Pins the UTF-8 rules of the utf8 library: extended sequences up to six bytes, strict versus
// lax handling of surrogates and values beyond U+10FFFF, and rejection of malformed input.
#include "lib/utf8_codec.h"

#include <gtest/gtest.h>

#include <string>

namespace lunette {
namespace {

std::string encode(uint32_t code) {
  std::string out;
  appendUtf8(out, code);
  return out;
}

TEST(Utf8Codec, EncodesEachSequenceLengthAtItsBoundaries) {
  EXPECT_EQ(encode(0x41), "A");
  EXPECT_EQ(encode(0x7F), "\x7F");
  EXPECT_EQ(encode(0x80), "\xC2\x80");
  EXPECT_EQ(encode(0x7FF), "\xDF\xBF");
  EXPECT_EQ(encode(0x800), "\xE0\xA0\x80");
  EXPECT_EQ(encode(0x20AC), "\xE2\x82\xAC");
  EXPECT_EQ(encode(0xFFFF), "\xEF\xBF\xBF");
  EXPECT_EQ(encode(0x10000), "\xF0\x90\x80\x80");
  EXPECT_EQ(encode(0x10FFFF), "\xF4\x8F\xBF\xBF");
  EXPECT_EQ(encode(0x200000), "\xF8\x88\x80\x80\x80");
  EXPECT_EQ(encode(0x4000000), "\xFC\x84\x80\x80\x80\x80");
  EXPECT_EQ(encode(0x7FFFFFFF), "\xFD\xBF\xBF\xBF\xBF\xBF");
}

TEST(Utf8Codec, EncodesNulAsOneByte) { EXPECT_EQ(encode(0), std::string(1, '\0')); }

TEST(Utf8Codec, DecodesWhatItEncodes) {
  for (uint32_t code : {0u, 0x41u, 0x80u, 0x7FFu, 0x800u, 0xD7FFu, 0xE000u, 0xFFFFu, 0x10000u,
                        0x10FFFFu, 0x110000u, 0x1FFFFFu, 0x3FFFFFFu, 0x7FFFFFFFu}) {
    const std::string bytes = encode(code);
    auto decoded = decodeUtf8(bytes, 0, /*strict=*/false);
    ASSERT_TRUE(decoded.has_value()) << code;
    EXPECT_EQ(decoded->code, code);
    EXPECT_EQ(decoded->length, bytes.size());
  }
}

TEST(Utf8Codec, StrictRejectsSurrogatesAndValuesBeyondUnicode) {
  EXPECT_FALSE(decodeUtf8("\xED\xA0\x80", 0, true).has_value());  // U+D800
  EXPECT_FALSE(decodeUtf8("\xED\xBF\xBF", 0, true).has_value());  // U+DFFF
  EXPECT_FALSE(decodeUtf8("\xF4\x90\x80\x80", 0, true).has_value());  // U+110000
  EXPECT_EQ(decodeUtf8("\xED\xA0\x80", 0, false)->code, 0xD800u);
  EXPECT_EQ(decodeUtf8("\xF4\x90\x80\x80", 0, false)->code, 0x110000u);
  EXPECT_EQ(decodeUtf8("\xF4\x8F\xBF\xBF", 0, true)->code, 0x10FFFFu);
}

TEST(Utf8Codec, RejectsOverlongEncodings) {
  EXPECT_FALSE(decodeUtf8("\xC0\x80", 0, false).has_value());
  EXPECT_FALSE(decodeUtf8("\xC1\xBF", 0, false).has_value());
  EXPECT_FALSE(decodeUtf8("\xE0\x9F\xBF", 0, false).has_value());
  EXPECT_FALSE(decodeUtf8("\xF0\x8F\xBF\xBF", 0, false).has_value());
  EXPECT_FALSE(decodeUtf8("\xF8\x87\xBF\xBF\xBF", 0, false).has_value());
  EXPECT_FALSE(decodeUtf8("\xFC\x83\xBF\xBF\xBF\xBF", 0, false).has_value());
}

TEST(Utf8Codec, RejectsStrayContinuationAndImpossibleLeadBytes) {
  EXPECT_FALSE(decodeUtf8("\x80", 0, false).has_value());
  EXPECT_FALSE(decodeUtf8("\xBF", 0, false).has_value());
  EXPECT_FALSE(decodeUtf8("\xFE\x80\x80\x80\x80\x80\x80", 0, false).has_value());
  EXPECT_FALSE(decodeUtf8("\xFF\x80\x80\x80\x80\x80\x80\x80", 0, false).has_value());
}

TEST(Utf8Codec, RejectsTruncatedSequences) {
  EXPECT_FALSE(decodeUtf8("\xE4\xB8", 0, false).has_value());
  EXPECT_FALSE(decodeUtf8("\xE4\xB8x", 0, false).has_value());
  EXPECT_FALSE(decodeUtf8(std::string("\xC3\0", 2), 0, false).has_value());
}

TEST(Utf8Codec, DecodesFromAnOffsetInsideTheText) {
  const std::string text = "a\xE2\x82\xAC" "b";
  auto euro = decodeUtf8(text, 1, true);
  ASSERT_TRUE(euro.has_value());
  EXPECT_EQ(euro->code, 0x20ACu);
  EXPECT_EQ(euro->length, 3u);
  EXPECT_FALSE(decodeUtf8(text, 2, true).has_value());  // a continuation byte
  EXPECT_EQ(decodeUtf8(text, 4, true)->code, static_cast<uint32_t>('b'));
}

TEST(Utf8Codec, ClassifiesContinuationBytes) {
  EXPECT_TRUE(isUtf8Continuation(0x80));
  EXPECT_TRUE(isUtf8Continuation(0xBF));
  EXPECT_FALSE(isUtf8Continuation(0x7F));
  EXPECT_FALSE(isUtf8Continuation(0xC0));
}

}  // namespace
}  // namespace lunette
