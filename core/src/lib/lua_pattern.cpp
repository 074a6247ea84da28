// Lua 5.4 pattern matching: a recursive backtracking matcher over raw pointers, bounded in depth.
// See lua_pattern.h for the contract and the invariants.
//
// The matcher walks the pattern item by item. Simple items (one character class, no suffix, or
// %b, %f and back-references) advance in a loop; only the constructs that must be able to undo
// their choice recurse: captures (so a failed continuation can reopen/close them again), '?'
// (try with, then without), and each candidate length of '*', '+' and '-'.
#include "lib/lua_pattern.h"

#include <array>
#include <cstring>

namespace lunette {

// ---- character classes ---------------------------------------------------------------------

namespace {

constexpr char kEscape = '%';

enum ClassBit : uint16_t {
  kAlpha = 1u << 0,
  kControl = 1u << 1,
  kDigit = 1u << 2,
  kGraphic = 1u << 3,
  kLower = 1u << 4,
  kPunctuation = 1u << 5,
  kSpace = 1u << 6,
  kUpper = 1u << 7,
  kAlphanumeric = 1u << 8,
  kHexDigit = 1u << 9,
  kZero = 1u << 10,  // "%z": the byte 0, deprecated but still accepted by 5.4
};

// The "C" locale's <ctype.h> classification, computed once at compile time so matching never
// depends on the process locale and costs one table load per byte.
constexpr std::array<uint16_t, 256> makeClassTable() {
  std::array<uint16_t, 256> table{};
  for (int c = 0; c < 256; ++c) {
    uint16_t bits = 0;
    const bool upper = c >= 'A' && c <= 'Z';
    const bool lower = c >= 'a' && c <= 'z';
    const bool digit = c >= '0' && c <= '9';
    const bool graphic = c >= 0x21 && c <= 0x7e;
    if (upper) bits |= kUpper | kAlpha | kAlphanumeric;
    if (lower) bits |= kLower | kAlpha | kAlphanumeric;
    if (digit) bits |= kDigit | kAlphanumeric | kHexDigit;
    if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) bits |= kHexDigit;
    if (c < 0x20 || c == 0x7f) bits |= kControl;
    if (graphic) bits |= kGraphic;
    if (graphic && !upper && !lower && !digit) bits |= kPunctuation;
    if (c == ' ' || (c >= '\t' && c <= '\r')) bits |= kSpace;
    if (c == 0) bits |= kZero;
    table[static_cast<size_t>(c)] = bits;
  }
  return table;
}

constexpr std::array<uint16_t, 256> kClassTable = makeClassTable();

// The class a letter after '%' names (either case), or 0 when it names none.
constexpr uint16_t classBitsFor(unsigned char letter) {
  switch (letter | 0x20) {  // ASCII lower case; non-letters map to no class below
    case 'a': return kAlpha;
    case 'c': return kControl;
    case 'd': return kDigit;
    case 'g': return kGraphic;
    case 'l': return kLower;
    case 'p': return kPunctuation;
    case 's': return kSpace;
    case 'u': return kUpper;
    case 'w': return kAlphanumeric;
    case 'x': return kHexDigit;
    case 'z': return kZero;
    default: return 0;
  }
}

// Does byte `c` match "%<cl>"? Upper-case class letters complement the class; any other escaped
// character stands for itself ("%." is a dot).
bool matchClass(unsigned char c, unsigned char cl) {
  const bool isLetter = (cl | 0x20) >= 'a' && (cl | 0x20) <= 'z';
  const uint16_t bits = isLetter ? classBitsFor(cl) : 0;
  if (bits == 0) return cl == c;
  const bool inClass = (kClassTable[c] & bits) != 0;
  return (cl >= 'A' && cl <= 'Z') ? !inClass : inClass;
}

// Does `c` match the set "[...]" that starts at `open` ('[') and ends at `close` (its ']')?
bool matchBracketClass(unsigned char c, const char* open, const char* close) {
  const char* p = open + 1;
  bool complement = false;
  if (*p == '^') {
    complement = true;
    ++p;
  }
  for (; p < close; ++p) {
    if (*p == kEscape) {
      ++p;  // the escape never ends the set: classEnd skipped its argument
      if (matchClass(c, static_cast<unsigned char>(*p))) return !complement;
    } else if (p[1] == '-' && p + 2 < close) {  // a range "x-y"
      if (static_cast<unsigned char>(*p) <= c && c <= static_cast<unsigned char>(p[2]))
        return !complement;
      p += 2;
    } else if (static_cast<unsigned char>(*p) == c) {
      return !complement;
    }
  }
  return complement;
}

[[noreturn]] void fail(const char* message) { throw PatternError(message); }

[[noreturn]] void failCaptureIndex(int oneBased) {
  throw PatternError("invalid capture index %" + std::to_string(oneBased));
}

}  // namespace

bool patternHasSpecials(std::string_view pattern) {
  return pattern.find_first_of(std::string_view("^$*+?.([%-")) != std::string_view::npos;
}

std::optional<size_t> findPlain(std::string_view haystack, std::string_view needle) {
  const size_t at = haystack.find(needle);
  if (at == std::string_view::npos) return std::nullopt;
  return at;
}

// ---- the matcher ---------------------------------------------------------------------------

PatternMatcher::PatternMatcher(std::string_view subject, std::string_view pattern)
    : subjectBegin_(subject.data()),
      subjectEnd_(subject.data() + subject.size()),
      patternBegin_(pattern.data()),
      patternEnd_(pattern.data() + pattern.size()) {
  // A leading ordinary byte that no '*', '?' or '-' makes optional starts every match.
  constexpr std::string_view kNotOrdinary = "^$*+?.([%-)";
  constexpr std::string_view kOptionalSuffixes = "*?-";
  const bool ordinary = !pattern.empty() && kNotOrdinary.find(pattern[0]) == std::string_view::npos;
  const bool optional =
      pattern.size() > 1 && kOptionalSuffixes.find(pattern[1]) != std::string_view::npos;
  if (ordinary && !optional) firstLiteral_ = static_cast<unsigned char>(pattern[0]);
}

std::optional<size_t> PatternMatcher::nextCandidate(size_t from) const {
  const auto size = static_cast<size_t>(subjectEnd_ - subjectBegin_);
  if (from > size) return std::nullopt;
  if (firstLiteral_ < 0) return from;
  const void* at = std::memchr(subjectBegin_ + from, firstLiteral_, size - from);
  if (at == nullptr) return std::nullopt;
  return static_cast<size_t>(static_cast<const char*>(at) - subjectBegin_);
}

std::optional<size_t> PatternMatcher::matchAt(size_t start) {
  level_ = 0;
  depthLeft_ = kPatternMaxDepth;
  const char* end = match(subjectBegin_ + start, patternBegin_);
  if (end == nullptr) return std::nullopt;
  return static_cast<size_t>(end - subjectBegin_);
}

// One nested attempt: charges the depth budget, then matches the rest of the pattern.
const char* PatternMatcher::match(const char* s, const char* p) {
  if (depthLeft_ == 0) fail("pattern too complex");
  --depthLeft_;
  // Items that need no backtracking continue this loop instead of recursing.
  const char* result = nullptr;
  for (;;) {
    if (p == patternEnd_) {
      result = s;
      break;
    }
    const char c = *p;
    if (c == '(') {
      result = patternAt(p + 1) == ')' ? startCapture(s, p + 2, kPosition)
                                       : startCapture(s, p + 1, kUnclosed);
      break;
    }
    if (c == ')') {
      result = endCapture(s, p + 1);
      break;
    }
    if (c == '$' && p + 1 == patternEnd_) {  // '$' anchors only as the last pattern byte
      result = s == subjectEnd_ ? s : nullptr;
      break;
    }
    if (c == kEscape) {
      const char next = patternAt(p + 1);
      if (next == 'b') {
        s = matchBalance(s, p + 2);
        if (s == nullptr) break;
        p += 4;
        continue;
      }
      if (next == 'f') {
        p += 2;
        if (patternAt(p) != '[') fail("missing '[' after '%f' in pattern");
        const char* setEnd = classEnd(p);
        // Outside the subject the frontier sees '\0' on either side.
        const auto before = static_cast<unsigned char>(s == subjectBegin_ ? '\0' : s[-1]);
        const auto here = static_cast<unsigned char>(s < subjectEnd_ ? *s : '\0');
        if (matchBracketClass(before, p, setEnd - 1) || !matchBracketClass(here, p, setEnd - 1))
          break;
        p = setEnd;
        continue;
      }
      if (next >= '0' && next <= '9') {
        s = matchBackReference(s, next);
        if (s == nullptr) break;
        p += 2;
        continue;
      }
    }
    // A single character class, possibly followed by a repetition suffix.
    const char* ep = classEnd(p);
    const char suffix = patternAt(ep);
    if (!singleMatch(s, p, ep)) {
      if (suffix == '*' || suffix == '?' || suffix == '-') {  // zero occurrences are fine
        p = ep + 1;
        continue;
      }
      break;  // '+' or a plain item: fail
    }
    if (suffix == '?') {
      result = match(s + 1, ep + 1);
      if (result != nullptr) break;
      p = ep + 1;  // try again without the optional character
      continue;
    }
    if (suffix == '+') {
      result = maxExpand(s + 1, p, ep);
      break;
    }
    if (suffix == '*') {
      result = maxExpand(s, p, ep);
      break;
    }
    if (suffix == '-') {
      result = minExpand(s, p, ep);
      break;
    }
    ++s;
    p = ep;
  }
  ++depthLeft_;
  return result;
}

// Returns the end of the single-character item at `p` (where a suffix would be).
const char* PatternMatcher::classEnd(const char* p) const {
  const char c = *p++;
  if (c == kEscape) {
    if (p == patternEnd_) fail("malformed pattern (ends with '%')");
    return p + 1;
  }
  if (c == '[') {
    if (patternAt(p) == '^') ++p;
    // The first byte of the set is a member even when it is ']'; "%]" never closes the set.
    do {
      if (p >= patternEnd_) fail("malformed pattern (missing ']')");
      const char member = *p++;
      if (member == kEscape && p < patternEnd_) ++p;
    } while (patternAt(p) != ']');
    return p + 1;
  }
  return p;
}

bool PatternMatcher::singleMatch(const char* s, const char* p, const char* classEndPtr) const {
  if (s >= subjectEnd_) return false;
  const auto c = static_cast<unsigned char>(*s);
  switch (*p) {
    case '.': return true;
    case kEscape: return matchClass(c, static_cast<unsigned char>(p[1]));
    case '[': return matchBracketClass(c, p, classEndPtr - 1);
    default: return static_cast<unsigned char>(*p) == c;
  }
}

// "%bxy": a balanced run from an 'x' to its matching 'y'.
const char* PatternMatcher::matchBalance(const char* s, const char* p) const {
  if (patternEnd_ - p < 2) fail("malformed pattern (missing arguments to '%b')");
  if (s >= subjectEnd_ || *s != p[0]) return nullptr;
  const char open = p[0];
  const char close = p[1];
  int depth = 1;
  while (++s < subjectEnd_) {
    if (*s == close) {
      if (--depth == 0) return s + 1;
    } else if (*s == open) {
      ++depth;
    }
  }
  return nullptr;
}

// Greedy repetition: take as many as possible, then give back one at a time.
const char* PatternMatcher::maxExpand(const char* s, const char* p, const char* classEndPtr) {
  ptrdiff_t count = 0;
  while (singleMatch(s + count, p, classEndPtr)) ++count;
  for (; count >= 0; --count) {
    if (const char* result = match(s + count, classEndPtr + 1)) return result;
  }
  return nullptr;
}

// Lazy repetition: try the rest first, taking one more character only when it fails.
const char* PatternMatcher::minExpand(const char* s, const char* p, const char* classEndPtr) {
  for (;;) {
    if (const char* result = match(s, classEndPtr + 1)) return result;
    if (!singleMatch(s, p, classEndPtr)) return nullptr;
    ++s;
  }
}

const char* PatternMatcher::startCapture(const char* s, const char* p, ptrdiff_t what) {
  if (level_ >= kPatternMaxCaptures) fail("too many captures");
  captures_[level_] = Capture{s, what};
  ++level_;
  const char* result = match(s, p);
  if (result == nullptr) --level_;  // the continuation failed: forget this capture
  return result;
}

const char* PatternMatcher::endCapture(const char* s, const char* p) {
  const int index = captureToClose();
  captures_[index].length = s - captures_[index].start;
  const char* result = match(s, p);
  if (result == nullptr) captures_[index].length = kUnclosed;  // reopen it for backtracking
  return result;
}

// The innermost capture still open, which a ')' closes.
int PatternMatcher::captureToClose() const {
  for (int index = level_ - 1; index >= 0; --index) {
    if (captures_[index].length == kUnclosed) return index;
  }
  fail("invalid pattern capture");
}

int PatternMatcher::checkBackReference(char digit) const {
  const int index = digit - '1';
  if (index < 0 || index >= level_ || captures_[index].length == kUnclosed)
    failCaptureIndex(index + 1);
  return index;
}

// "%1".."%9": the same bytes as an earlier closed capture. A position capture has no text and
// never matches (its negative length reads as huge, like the reference's unsigned compare).
const char* PatternMatcher::matchBackReference(const char* s, char digit) const {
  const Capture& capture = captures_[checkBackReference(digit)];
  const auto length = static_cast<size_t>(capture.length);
  if (static_cast<size_t>(subjectEnd_ - s) >= length &&
      std::memcmp(capture.start, s, length) == 0)
    return s + length;
  return nullptr;
}

// ---- results -------------------------------------------------------------------------------

CaptureValue PatternMatcher::capture(int index, size_t matchStart, size_t matchEnd) const {
  CaptureValue value;
  if (index >= level_) {
    if (index != 0) failCaptureIndex(index + 1);
    value.text = std::string_view(subjectBegin_ + matchStart, matchEnd - matchStart);
    return value;
  }
  const Capture& capture = captures_[index];
  if (capture.length == kUnclosed) fail("unfinished capture");
  if (capture.length == kPosition) {
    value.isPosition = true;
    value.position = static_cast<size_t>(capture.start - subjectBegin_) + 1;
    return value;
  }
  value.text = std::string_view(capture.start, static_cast<size_t>(capture.length));
  return value;
}

void PatternMatcher::appendReplacement(std::string& out, std::string_view replacement,
                                       size_t matchStart, size_t matchEnd) const {
  size_t from = 0;
  for (;;) {
    const size_t escape = replacement.find(kEscape, from);
    if (escape == std::string_view::npos) break;
    out.append(replacement.substr(from, escape - from));
    const char next = escape + 1 < replacement.size() ? replacement[escape + 1] : '\0';
    if (next == kEscape) {
      out.push_back(kEscape);
    } else if (next == '0') {
      out.append(subjectBegin_ + matchStart, matchEnd - matchStart);
    } else if (next >= '1' && next <= '9') {
      const CaptureValue value = capture(next - '1', matchStart, matchEnd);
      if (value.isPosition)
        out.append(std::to_string(value.position));
      else
        out.append(value.text);
    } else {
      fail("invalid use of '%' in replacement string");
    }
    from = escape + 2;
  }
  out.append(replacement.substr(from));
}

}  // namespace lunette
