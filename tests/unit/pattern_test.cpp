// The Lua pattern matcher on its own: classes, sets, repetitions, anchors, captures,
// back-references, replacement strings and every error the reference raises.
#include "lib/lua_pattern.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace lunette {
namespace {

struct Found {
  size_t start;  // 0-based offset of the match
  size_t end;    // one past its last byte
  std::vector<std::string> captures;  // positions written as "@N"
};

// string.find's search loop: honours a leading '^' and tries each candidate start from `init`.
std::optional<Found> search(std::string_view subject, std::string_view pattern, size_t init = 0) {
  const bool anchored = !pattern.empty() && pattern.front() == '^';
  if (anchored) pattern.remove_prefix(1);
  PatternMatcher matcher(subject, pattern);
  for (auto start = anchored ? std::optional<size_t>(init) : matcher.nextCandidate(init); start;
       start = matcher.nextCandidate(*start + 1)) {
    if (auto end = matcher.matchAt(*start)) {
      Found found{*start, *end, {}};
      for (int i = 0; i < matcher.captureCount(); ++i) {
        const CaptureValue value = matcher.capture(i, *start, *end);
        found.captures.push_back(value.isPosition ? "@" + std::to_string(value.position)
                                                  : std::string(value.text));
      }
      return found;
    }
    if (anchored) break;
  }
  return std::nullopt;
}

// The matched text, or "<none>".
std::string matched(std::string_view subject, std::string_view pattern) {
  auto found = search(subject, pattern);
  if (!found) return "<none>";
  return std::string(subject.substr(found->start, found->end - found->start));
}

std::vector<std::string> captures(std::string_view subject, std::string_view pattern) {
  auto found = search(subject, pattern);
  return found ? found->captures : std::vector<std::string>{"<none>"};
}

std::string errorOf(std::string_view subject, std::string_view pattern) {
  try {
    search(subject, pattern);
  } catch (const PatternError& e) {
    return e.what();
  }
  return "";
}

std::string gsubOnce(std::string_view subject, std::string_view pattern,
                     std::string_view replacement) {
  auto found = search(subject, pattern);
  if (!found) return "<none>";
  std::string out;
  PatternMatcher matcher(subject, pattern);
  matcher.matchAt(found->start);
  matcher.appendReplacement(out, replacement, found->start, found->end);
  return out;
}

TEST(Pattern, MatchesEachCharacterClass) {
  EXPECT_EQ(matched("123abc", "%a+"), "abc");
  EXPECT_EQ(matched("ab\1\2c", "%c+"), "\1\2");
  EXPECT_EQ(matched("ab42c", "%d+"), "42");
  EXPECT_EQ(matched("  x!y ", "%g+"), "x!y");
  EXPECT_EQ(matched("ABcdE", "%l+"), "cd");
  EXPECT_EQ(matched("ab.,;c", "%p+"), ".,;");
  EXPECT_EQ(matched("a \t\n\v\f\rb", "%s+"), " \t\n\v\f\r");
  EXPECT_EQ(matched("abCDe", "%u+"), "CD");
  EXPECT_EQ(matched("--a1B2--", "%w+"), "a1B2");
  EXPECT_EQ(matched("xyzBeeF0q", "%x+"), "BeeF0");
}

TEST(Pattern, UpperCaseClassesComplement) {
  EXPECT_EQ(matched("abc123", "%A+"), "123");
  EXPECT_EQ(matched("123 abc", "%D+"), " abc");
  EXPECT_EQ(matched("  ab  ", "%S+"), "ab");
  EXPECT_EQ(matched("ab!?cd", "%W+"), "!?");
  EXPECT_EQ(matched("\1\2ab", "%C+"), "ab");
}

TEST(Pattern, HighBytesBelongToNoClass) {
  EXPECT_EQ(matched("\xe9t\xe9", "%a+"), "t");
  EXPECT_EQ(matched("a\xff", "%W"), "\xff");
  EXPECT_EQ(matched("a\x80", "%p"), "<none>");
}

TEST(Pattern, EscapedNonClassCharacterIsLiteral) {
  EXPECT_EQ(matched("a.b", "%."), ".");
  EXPECT_EQ(matched("50%", "%d%%"), "0%");
  EXPECT_EQ(matched("a(b)", "%(b%)"), "(b)");
  EXPECT_EQ(matched("ay", "%y"), "y");
}

TEST(Pattern, DotMatchesAnyByteIncludingZero) {
  EXPECT_EQ(matched(std::string_view("a\0b", 3), "a.b"), std::string("a\0b", 3));
  EXPECT_EQ(matched("", "."), "<none>");
}

TEST(Pattern, SetsWithRangesClassesAndComplement) {
  EXPECT_EQ(matched("xyz0a9", "[0-9a]+"), "0a9");
  EXPECT_EQ(matched("hello world", "[^%s]+"), "hello");
  EXPECT_EQ(matched("a-b", "[a%-]+"), "a-");
  EXPECT_EQ(matched("x]y", "[]]"), "]");
  EXPECT_EQ(matched("]^a", "[^]^]"), "a");
  EXPECT_EQ(matched("a-z", "[z-]+"), "-z");
  EXPECT_EQ(matched("A1_b", "[%u%d_]+"), "A1_");
  EXPECT_EQ(matched("[x", "[[]"), "[");
  EXPECT_EQ(matched("b", "[a-]"), "<none>");
}

TEST(Pattern, RepetitionsAreGreedyOrLazy) {
  EXPECT_EQ(matched("<a><b>", "<.*>"), "<a><b>");
  EXPECT_EQ(matched("<a><b>", "<.->"), "<a>");
  EXPECT_EQ(matched("aaab", "a+b"), "aaab");
  EXPECT_EQ(matched("b", "a+b"), "<none>");
  EXPECT_EQ(matched("b", "a*b"), "b");
  EXPECT_EQ(matched("color colour", "colou?r"), "color");
  EXPECT_EQ(matched("aaa", "a-"), "");
  EXPECT_EQ(matched("aaa", "^a-$"), "aaa");
}

TEST(Pattern, AnchorsAtStartAndEnd) {
  EXPECT_EQ(matched("abc", "^b"), "<none>");
  EXPECT_EQ(matched("abc", "^ab"), "ab");
  EXPECT_EQ(matched("abc", "c$"), "c");
  EXPECT_EQ(matched("abc", "b$"), "<none>");
  EXPECT_EQ(matched("a$b", "a$b"), "a$b");  // '$' not at the end is a plain character
  EXPECT_EQ(matched("x^y", "x^y"), "x^y");  // so is '^' not at the start
}

TEST(Pattern, BalancedMatch) {
  EXPECT_EQ(matched("f(a(b)c) d", "%b()"), "(a(b)c)");
  EXPECT_EQ(matched("((", "%b()"), "<none>");
  EXPECT_EQ(matched("[x]]", "%b[]"), "[x]");
  EXPECT_EQ(matched("aXbXc", "%bXX"), "XbX");
}

TEST(Pattern, FrontierMatchesTransitions) {
  EXPECT_EQ(matched("THE (quick) fox", "%f[%a]%a+"), "THE");
  auto found = search("hello world", "%f[%w]%w+", 1);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->start, 6u);
  auto atEnd = search("abc", "%f[%z]");
  ASSERT_TRUE(atEnd);
  EXPECT_EQ(atEnd->start, 3u);
  auto end = search("abc", "%f[^%w]");  // at the end the next byte counts as '\0'
  ASSERT_TRUE(end);
  EXPECT_EQ(end->start, 3u);
}

TEST(Pattern, CapturesAndPositionCaptures) {
  EXPECT_EQ(captures("key = value", "(%w+)%s*=%s*(%w+)"),
            (std::vector<std::string>{"key", "value"}));
  EXPECT_EQ(captures("hello", "()ll()"), (std::vector<std::string>{"@3", "@5"}));
  EXPECT_EQ(captures("abc", "((a)(b))"), (std::vector<std::string>{"ab", "a", "b"}));
  EXPECT_EQ(captures("abc", "a(.-)$"), (std::vector<std::string>{"bc"}));
  EXPECT_EQ(captures("", "()"), (std::vector<std::string>{"@1"}));
}

TEST(Pattern, BackReferencesRepeatCapturedText) {
  EXPECT_EQ(matched("say \"hi\" or 'yo'", "([\"'])(.-)%1"), "\"hi\"");
  EXPECT_EQ(matched("abab", "(ab)%1"), "abab");
  EXPECT_EQ(matched("abac", "(ab)%1"), "<none>");
  EXPECT_EQ(matched("aa", "()a%1"), "<none>");  // a position capture has no text
}

TEST(Pattern, WholeMatchIsTheCaptureOfACapturelessPattern) {
  PatternMatcher matcher("xaby", "ab");
  auto end = matcher.matchAt(1);
  ASSERT_TRUE(end);
  EXPECT_EQ(matcher.captureCount(), 0);
  EXPECT_EQ(matcher.resultCount(), 1);
  EXPECT_EQ(matcher.capture(0, 1, *end).text, "ab");
  EXPECT_THROW(matcher.capture(1, 1, *end), PatternError);
}

TEST(Pattern, EmbeddedZerosInPatternAndSubject) {
  const std::string subject("a\0b\0c", 5);
  EXPECT_EQ(matched(subject, std::string_view("\0c", 2)), std::string("\0c", 2));
  EXPECT_EQ(matched(subject, std::string_view("[\0]+", 4)), std::string("\0", 1));
  // "%z" is 5.4's deprecated class of '\0'.
  EXPECT_EQ(matched(subject, "b%z"), std::string("b\0", 2));
  EXPECT_EQ(matched(subject, "%Z+"), "a");
}

TEST(Pattern, ReportsMalformedPatterns) {
  EXPECT_EQ(errorOf("a", "%"), "malformed pattern (ends with '%')");
  EXPECT_EQ(errorOf("a", "[a"), "malformed pattern (missing ']')");
  EXPECT_EQ(errorOf("a", "[a%"), "malformed pattern (missing ']')");
  EXPECT_EQ(errorOf("a", "[^"), "malformed pattern (missing ']')");
  EXPECT_EQ(errorOf("a", "%f"), "missing '[' after '%f' in pattern");
  EXPECT_EQ(errorOf("a", "%fx"), "missing '[' after '%f' in pattern");
  EXPECT_EQ(errorOf("a", "%b"), "malformed pattern (missing arguments to '%b')");
  EXPECT_EQ(errorOf("a", "%bx"), "malformed pattern (missing arguments to '%b')");
  EXPECT_EQ(errorOf("a", "%1"), "invalid capture index %1");
  EXPECT_EQ(errorOf("a", "(a%1)"), "invalid capture index %1");
  EXPECT_EQ(errorOf("a", "%0"), "invalid capture index %0");
  EXPECT_EQ(errorOf("a", "a)"), "invalid pattern capture");
  EXPECT_EQ(errorOf("a", "(a"), "unfinished capture");
  EXPECT_EQ(errorOf("a", std::string(33, '(')), "too many captures");
}

TEST(Pattern, ErrorsAreRaisedOnlyWhereTheMatcherGets) {
  EXPECT_EQ(errorOf("b", "a%"), "");  // never reaches the '%' since 'a' fails everywhere
  EXPECT_EQ(errorOf("a", "a%"), "malformed pattern (ends with '%')");
}

TEST(Pattern, DeepBacktrackingRaisesPatternTooComplex) {
  std::string subject(300, 'a');
  std::string pattern;
  for (int i = 0; i < 300; ++i) pattern += "a?";
  EXPECT_EQ(errorOf(subject, pattern), "pattern too complex");
  // 150 nested optional items still fit within the budget of 200 levels.
  std::string fits;
  for (int i = 0; i < 150; ++i) fits += "a?";
  EXPECT_EQ(matched(subject, fits), std::string(150, 'a'));
}

TEST(Pattern, ManyCapturesUpToTheLimit) {
  std::string pattern;
  for (int i = 0; i < kPatternMaxCaptures; ++i) pattern += "()";
  auto found = search("x", pattern);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->captures.size(), static_cast<size_t>(kPatternMaxCaptures));
}

TEST(Pattern, ReplacementStringExpandsCaptures) {
  EXPECT_EQ(gsubOnce("hello world", "(o)", "[%1%1]"), "[oo]");
  EXPECT_EQ(gsubOnce("hello", "l+", "<%0>"), "<ll>");
  EXPECT_EQ(gsubOnce("hello", "l+", "%1"), "ll");  // %1 without captures is the whole match
  EXPECT_EQ(gsubOnce("hello", "()ll", "%1"), "3");
  EXPECT_EQ(gsubOnce("abc", "b", "100%%"), "100%");
}

TEST(Pattern, ReplacementRejectsBadEscapes) {
  auto replaceError = [](std::string_view replacement) -> std::string {
    try {
      gsubOnce("abc", "(b)", replacement);
    } catch (const PatternError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(replaceError("%2"), "invalid capture index %2");
  EXPECT_EQ(replaceError("%x"), "invalid use of '%' in replacement string");
  EXPECT_EQ(replaceError("tail%"), "invalid use of '%' in replacement string");
}

TEST(Pattern, SearchesSkipToTheLeadingLiteral) {
  PatternMatcher literal("xxaxa", "a+b?");
  EXPECT_EQ(literal.nextCandidate(0), std::optional<size_t>(2));
  EXPECT_EQ(literal.nextCandidate(3), std::optional<size_t>(4));
  EXPECT_EQ(literal.nextCandidate(5), std::nullopt);
  PatternMatcher optional("xx", "a*");  // may match empty anywhere, the end included
  EXPECT_EQ(optional.nextCandidate(1), std::optional<size_t>(1));
  EXPECT_EQ(optional.nextCandidate(2), std::optional<size_t>(2));
  EXPECT_EQ(optional.nextCandidate(3), std::nullopt);
  PatternMatcher capture("xa", "(a)");
  EXPECT_EQ(capture.nextCandidate(0), std::optional<size_t>(0));
  PatternMatcher closing("xa", ")");  // must still reach the matcher to raise its error
  EXPECT_EQ(closing.nextCandidate(0), std::optional<size_t>(0));
}

TEST(Pattern, PlainSearchAndSpecialDetection) {
  EXPECT_TRUE(patternHasSpecials("a.b"));
  EXPECT_TRUE(patternHasSpecials(std::string_view("a\0%", 3)));
  EXPECT_FALSE(patternHasSpecials("a]b)c"));
  EXPECT_EQ(findPlain("hello", "ll"), std::optional<size_t>(2));
  EXPECT_EQ(findPlain("hello", ""), std::optional<size_t>(0));
  EXPECT_EQ(findPlain("hello", "lo!"), std::nullopt);
}

}  // namespace
}  // namespace lunette
