// Extended UTF-8 encoding and decoding; see utf8_codec.h for what is accepted.
#include "lib/utf8_codec.h"

#include <array>

namespace lunette {

namespace {

// Smallest value that needs a sequence with this many continuation bytes; anything smaller
// written that long is an overlong (invalid) encoding.
constexpr std::array<uint32_t, 6> kMinimumForContinuations = {0,         0x80,      0x800,
                                                               0x10000u, 0x200000u, 0x4000000u};

// Number of leading one bits of a byte.
int leadingOnes(unsigned char byte) {
  int n = 0;
  while (n < 8 && (byte & (0x80u >> n)) != 0) ++n;
  return n;
}

bool isSurrogate(uint32_t code) { return code >= 0xD800u && code <= 0xDFFFu; }

}  // namespace

std::optional<DecodedChar> decodeUtf8(std::string_view text, size_t pos, bool strict) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) return DecodedChar{lead, 1};
  const int ones = leadingOnes(lead);
  // One leading 1 is a continuation byte; seven or eight would mean more than six bytes.
  if (ones < 2 || ones > 6) return std::nullopt;
  const int continuations = ones - 1;
  if (pos + static_cast<size_t>(continuations) >= text.size()) return std::nullopt;
  uint32_t code = lead & (0x7Fu >> ones);
  for (int i = 1; i <= continuations; ++i) {
    const auto byte = static_cast<unsigned char>(text[pos + static_cast<size_t>(i)]);
    if (!isUtf8Continuation(byte)) return std::nullopt;
    code = (code << 6) | (byte & 0x3Fu);
  }
  if (code > kMaxUtf8Value || code < kMinimumForContinuations[continuations]) return std::nullopt;
  if (strict && (code > kMaxUnicode || isSurrogate(code))) return std::nullopt;
  return DecodedChar{code, static_cast<size_t>(continuations) + 1};
}

void appendUtf8(std::string& out, uint32_t code) {
  if (code < 0x80) {
    out.push_back(static_cast<char>(code));
    return;
  }
  int continuations = 1;
  while (continuations < 5 && code >= kMinimumForContinuations[continuations + 1]) ++continuations;
  // The lead byte has (continuations + 1) leading ones, then the highest payload bits.
  const unsigned marker = (0xFF00u >> (continuations + 1)) & 0xFFu;
  out.push_back(static_cast<char>(marker | (code >> (6 * continuations))));
  for (int i = continuations - 1; i >= 0; --i) {
    out.push_back(static_cast<char>(0x80u | ((code >> (6 * i)) & 0x3Fu)));
  }
}

}  // namespace lunette
