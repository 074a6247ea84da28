// Lua 5.4 pattern matching (manual 6.4.1) as a pure component: a subject and a pattern go in,
// a match end and captures come out. It knows nothing of the VM, so it is tested on its own; the
// string library turns its PatternError into a Lua error with the same message.
//
// Semantics are the reference's, byte for byte: character classes use the "C" locale (bytes
// >= 0x80 belong to no class; "%z" is the deprecated class of '\0', kept by 5.4), a pattern
// may contain '\0', '^' anchors only where the caller strips it (find/match/gsub; gmatch treats
// it as a literal), and errors are raised lazily, when the matcher reaches the malformed part,
// exactly as the reference does.
//
// Invariants:
//  - Backtracking is recursive but bounded: every nested attempt costs one level of a budget of
//    kPatternMaxDepth, and exceeding it raises "pattern too complex" instead of overflowing the
//    C++ stack (the wasm stack is small). Which constructs recurse mirrors the reference (captures,
//    '?', and each attempt of '*', '+', '-'), so the same patterns hit the limit.
//  - No allocation while matching: captures live in a fixed array of kPatternMaxCaptures.
//  - Captures are offsets into the subject; the subject and pattern must outlive the matcher.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lunette {

inline constexpr int kPatternMaxCaptures = 32;  // the reference's LUA_MAXCAPTURES
inline constexpr int kPatternMaxDepth = 200;    // the reference's MAXCCALLS for the matcher

// A malformed pattern, a bad capture reference, or a matcher limit. what() is the Lua message.
class PatternError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// True when `pattern` contains a magic character (^$*+?.([%-) anywhere, embedded zeros
// included, i.e. when find() must run the matcher rather than a plain substring search.
bool patternHasSpecials(std::string_view pattern);

// One capture's value: a substring, or a position (1-based, as Lua sees it).
struct CaptureValue {
  bool isPosition = false;
  size_t position = 0;
  std::string_view text;
};

class PatternMatcher {
 public:
  // `pattern` is matched as given: callers that honour a leading '^' strip it first.
  PatternMatcher(std::string_view subject, std::string_view pattern);

  // Tries to match starting exactly at subject offset `start` (<= subject size). On success
  // returns the end offset of the match and keeps its captures until the next call.
  std::optional<size_t> matchAt(size_t start);

  // The first offset >= `from` where a match could start, or nullopt when none can. Searches
  // may skip to it: when the pattern opens with a plain character that must be present, only
  // its occurrences are candidates, and a failed attempt elsewhere could not have raised an
  // error either. Otherwise every offset is a candidate.
  std::optional<size_t> nextCandidate(size_t from) const;

  // Number of captures the last successful match produced (0 when the pattern has none).
  int captureCount() const { return level_; }

  // The number of values a match yields: its captures, or the whole match when there are none.
  int resultCount() const { return level_ == 0 ? 1 : level_; }

  // Capture `index` (0-based) of the last match [matchStart, matchEnd). Index 0 of a pattern
  // without captures is the whole match. Raises "invalid capture index %N" beyond that and
  // "unfinished capture" for a capture that never closed.
  CaptureValue capture(int index, size_t matchStart, size_t matchEnd) const;

  // gsub's replacement string: "%0".."%9" insert captures (position captures as integers), "%%"
  // a percent sign; anything else after '%' raises "invalid use of '%' in replacement string".
  void appendReplacement(std::string& out, std::string_view replacement, size_t matchStart,
                         size_t matchEnd) const;

  std::string_view subject() const { return {subjectBegin_, size_t(subjectEnd_ - subjectBegin_)}; }

 private:
  static constexpr ptrdiff_t kUnclosed = -1;  // capture opened, not yet closed
  static constexpr ptrdiff_t kPosition = -2;  // a "()" position capture

  struct Capture {
    const char* start;
    ptrdiff_t length;  // >= 0, or kUnclosed / kPosition
  };

  const char* match(const char* s, const char* p);
  const char* classEnd(const char* p) const;
  bool singleMatch(const char* s, const char* p, const char* classEndPtr) const;
  const char* matchBalance(const char* s, const char* p) const;
  const char* maxExpand(const char* s, const char* p, const char* classEndPtr);
  const char* minExpand(const char* s, const char* p, const char* classEndPtr);
  const char* startCapture(const char* s, const char* p, ptrdiff_t what);
  const char* endCapture(const char* s, const char* p);
  const char* matchBackReference(const char* s, char digit) const;
  int captureToClose() const;
  int checkBackReference(char digit) const;

  // The pattern byte at `p`, or '\0' past its end (the reference reads its terminator there).
  char patternAt(const char* p) const { return p < patternEnd_ ? *p : '\0'; }

  const char* subjectBegin_;
  const char* subjectEnd_;
  const char* patternBegin_;
  const char* patternEnd_;
  int firstLiteral_ = -1;  // the byte every match starts with, or -1 when unknown
  int depthLeft_ = kPatternMaxDepth;
  int level_ = 0;
  Capture captures_[kPatternMaxCaptures];
};

// Plain substring search used by find() without magic characters; returns an offset into
// `haystack` or nullopt. An empty needle is found at offset 0.
std::optional<size_t> findPlain(std::string_view haystack, std::string_view needle);

}  // namespace lunette
