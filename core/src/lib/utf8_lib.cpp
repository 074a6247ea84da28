// The `utf8` library (manual section 6.5): char, charpattern, codes, codepoint, len, offset.
//
// Positions are byte positions, 1-based, negative ones counting from the end, exactly as in
// 5.4.4. Functions decode strictly (no surrogates, nothing above U+10FFFF) unless their `lax`
// argument is true. Invalid input is reported the way the reference does: len returns fail plus
// the position, codepoint and the codes iterator raise "invalid UTF-8 code" (codes as 5.4.8
// does: stray continuation bytes included).
#include <climits>
#include <string>
#include <string_view>

#include "lib/libs.h"
#include "lib/utf8_codec.h"

namespace lunette {

namespace {

// Matches exactly one UTF-8 byte sequence, assuming the subject is valid UTF-8.
constexpr char kCharPattern[] = "[\0-\x7F\xC2-\xFD][\x80-\xBF]*";

// A relative string position made absolute: negatives count from the end; positions before
// the start become 0.
int64_t absolutePosition(int64_t pos, size_t length) {
  if (pos >= 0) return pos;
  if (0u - static_cast<uint64_t>(pos) > length) return 0;
  return static_cast<int64_t>(length) + pos + 1;
}

// True when text[index] is a continuation byte; the position just past the end is not one
// (the reference relies on the terminating '\0' there).
bool continuationAt(std::string_view text, int64_t index) {
  return static_cast<size_t>(index) < text.size() &&
         isUtf8Continuation(static_cast<unsigned char>(text[static_cast<size_t>(index)]));
}

int utf8Char(Lua& L) {
  const int n = L.top();
  std::string out;
  for (int i = 1; i <= n; ++i) {
    const auto code = static_cast<uint64_t>(L.checkInteger(i));
    L.argCheck(code <= kMaxUtf8Value, i, "value out of range");
    appendUtf8(out, static_cast<uint32_t>(code));
  }
  L.pushString(out);
  return 1;
}

// utf8.len(s [, i [, j [, lax]]]): the number of characters starting between i and j, or fail
// and the position of the first invalid byte.
int utf8Len(Lua& L) {
  const std::string_view text = L.checkString(1);
  const int64_t length = static_cast<int64_t>(text.size());
  int64_t first = absolutePosition(L.optInteger(2, 1), text.size());
  int64_t last = absolutePosition(L.optInteger(3, -1), text.size());
  const bool lax = L.toBoolean(4);
  L.argCheck(1 <= first && --first <= length, 2, "initial position out of bounds");
  L.argCheck(--last < length, 3, "final position out of bounds");
  int64_t count = 0;
  while (first <= last) {
    auto decoded = decodeUtf8(text, static_cast<size_t>(first), !lax);
    if (!decoded) {
      L.pushNil();
      L.pushInteger(first + 1);
      return 2;
    }
    first += static_cast<int64_t>(decoded->length);
    ++count;
  }
  L.pushInteger(count);
  return 1;
}

// utf8.codepoint(s [, i [, j [, lax]]]): the code points of the characters starting in [i, j].
int utf8Codepoint(Lua& L) {
  const std::string_view text = L.checkString(1);
  const int64_t first = absolutePosition(L.optInteger(2, 1), text.size());
  const int64_t last = absolutePosition(L.optInteger(3, first), text.size());
  const bool lax = L.toBoolean(4);
  L.argCheck(first >= 1, 2, "out of bounds");
  L.argCheck(last <= static_cast<int64_t>(text.size()), 3, "out of bounds");
  if (first > last) return 0;
  if (last - first >= INT_MAX) L.raise("string slice too long");
  L.checkStack(static_cast<int>(last - first) + 1, "string slice too long");
  int pushed = 0;
  // A sequence that starts inside the slice is decoded whole, even if it ends past `last`.
  for (size_t pos = static_cast<size_t>(first - 1); pos < static_cast<size_t>(last);) {
    auto decoded = decodeUtf8(text, pos, !lax);
    if (!decoded) L.raise("invalid UTF-8 code");
    L.pushInteger(decoded->code);
    ++pushed;
    pos += decoded->length;
  }
  return pushed;
}

// Moves `index` (0-based) over |n| character starts; returns the remaining count (0 when the
// character was found).
int64_t stepBackward(std::string_view text, int64_t& index, int64_t n) {
  while (n < 0 && index > 0) {
    do {
      --index;
    } while (index > 0 && continuationAt(text, index));
    ++n;
  }
  return n;
}

int64_t stepForward(std::string_view text, int64_t& index, int64_t n) {
  --n;  // the character at `index` is the first one
  while (n > 0 && index < static_cast<int64_t>(text.size())) {
    do {
      ++index;
    } while (continuationAt(text, index));
    --n;
  }
  return n;
}

// utf8.offset(s, n [, i]): the byte position where the n-th character (counting from i)
// starts; n == 0 finds the start of the character containing byte i.
int utf8Offset(Lua& L) {
  const std::string_view text = L.checkString(1);
  int64_t n = L.checkInteger(2);
  const int64_t defaultStart = n >= 0 ? 1 : static_cast<int64_t>(text.size()) + 1;
  int64_t index = absolutePosition(L.optInteger(3, defaultStart), text.size());
  L.argCheck(1 <= index && --index <= static_cast<int64_t>(text.size()), 3,
             "position out of bounds");
  if (n == 0) {
    while (index > 0 && continuationAt(text, index)) --index;
  } else {
    if (continuationAt(text, index)) L.raise("initial position is a continuation byte");
    n = n < 0 ? stepBackward(text, index, n) : stepForward(text, index, n);
  }
  if (n == 0) {
    L.pushInteger(index + 1);
  } else {
    L.pushNil();  // no such character
  }
  return 1;
}

// The codes iterator. The control value is the 1-based position of the previous character,
// which is also the 0-based index of the byte after its first one: skipping continuation bytes
// from there reaches the next character. A continuation byte right after a decoded character
// is stray and raises the error (5.4.8; 5.4.4 skipped it quietly).
int iterateCodes(Lua& L, bool strict) {
  const std::string_view text = L.checkString(1);
  auto index = static_cast<uint64_t>(L.toInteger(2).value_or(0));
  while (index < text.size() && continuationAt(text, static_cast<int64_t>(index))) ++index;
  if (index >= text.size()) return 0;  // also covers a negative control value
  auto decoded = decodeUtf8(text, index, strict);
  if (!decoded || continuationAt(text, static_cast<int64_t>(index + decoded->length)))
    L.raise("invalid UTF-8 code");
  L.pushInteger(static_cast<int64_t>(index) + 1);
  L.pushInteger(decoded->code);
  return 2;
}

int iterateCodesStrict(Lua& L) { return iterateCodes(L, true); }
int iterateCodesLax(Lua& L) { return iterateCodes(L, false); }

int utf8Codes(Lua& L) {
  const bool lax = L.toBoolean(2);
  // A subject starting with a continuation byte is rejected at once (5.4.8).
  L.argCheck(!continuationAt(L.checkString(1), 0), 1, "invalid UTF-8 code");
  L.pushNative(lax ? iterateCodesLax : iterateCodesStrict);
  L.pushValue(1);
  L.pushInteger(0);
  return 3;
}

}  // namespace

int openUtf8(Lua& L) {
  L.newTable(0, 6);
  L.setFunctions({
      {"offset", utf8Offset},
      {"codepoint", utf8Codepoint},
      {"char", utf8Char},
      {"len", utf8Len},
      {"codes", utf8Codes},
  });
  L.pushString(std::string_view(kCharPattern, sizeof(kCharPattern) - 1));
  L.setField(-2, "charpattern");
  return 1;
}

}  // namespace lunette
