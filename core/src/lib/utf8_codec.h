// UTF-8 encoding and decoding with the rules of Lua 5.4's utf8 library.
//
// Lua accepts the original, extended UTF-8: sequences of up to six bytes encoding values up to
// 2^31 - 1. A "strict" decode additionally rejects surrogates (U+D800..U+DFFF) and values above
// U+10FFFF; a "lax" one accepts them. Overlong encodings, stray continuation bytes and truncated
// sequences are invalid either way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lunette {

inline constexpr uint32_t kMaxUnicode = 0x10FFFF;
inline constexpr uint32_t kMaxUtf8Value = 0x7FFFFFFF;

struct DecodedChar {
  uint32_t code;
  size_t length;  // bytes consumed, 1..6
};

// A byte of the form 10xxxxxx, which never starts a sequence.
constexpr bool isUtf8Continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// Decodes the sequence that starts at text[pos] (pos < text.size()); nullopt when it is
// invalid. A sequence running past the end of `text` is invalid.
std::optional<DecodedChar> decodeUtf8(std::string_view text, size_t pos, bool strict);

// Appends the encoding of `code` (at most kMaxUtf8Value) to `out`: 1 to 6 bytes.
void appendUtf8(std::string& out, uint32_t code);

}  // namespace lunette
