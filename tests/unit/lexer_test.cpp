// Lexer tests: tokens, escapes, numerals, long brackets, comments, line counting, and the
// reference's lexical error messages (checked against lua5.4's load()).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compiler/compile.h"
#include "compiler/lexer.h"

namespace lunette {
namespace {

std::vector<Token> scanAll(std::string_view source) {
  Lexer lexer(source, "=test");
  std::vector<Token> tokens;
  for (;;) {
    tokens.push_back(lexer.next());
    if (tokens.back().kind == Tok::Eos) return tokens;
  }
}

std::vector<Tok> kinds(std::string_view source) {
  std::vector<Tok> result;
  for (const Token& t : scanAll(source)) result.push_back(t.kind);
  return result;
}

Token single(std::string_view source) {
  auto tokens = scanAll(source);
  EXPECT_EQ(tokens.size(), 2u) << source;
  return tokens.front();
}

std::string stringValue(std::string_view source) {
  Token t = single(source);
  EXPECT_EQ(t.kind, Tok::String) << source;
  return t.text;
}

std::string lexError(std::string_view source) {
  try {
    scanAll(source);
  } catch (const SyntaxError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Lexer, ReadsEveryReservedWord) {
  EXPECT_EQ(kinds("and break do else elseif end false for function goto if in local nil not or "
                  "repeat return then true until while"),
            (std::vector<Tok>{Tok::And, Tok::Break, Tok::Do, Tok::Else, Tok::Elseif, Tok::End,
                              Tok::False, Tok::For, Tok::Function, Tok::Goto, Tok::If, Tok::In,
                              Tok::Local, Tok::Nil, Tok::Not, Tok::Or, Tok::Repeat, Tok::Return,
                              Tok::Then, Tok::True, Tok::Until, Tok::While, Tok::Eos}));
}

TEST(Lexer, ReadsNamesThatOnlyStartLikeReservedWords) {
  auto tokens = scanAll("ends _while do2 _ A_b9");
  ASSERT_EQ(tokens.size(), 6u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(tokens[static_cast<size_t>(i)].kind, Tok::Name);
  EXPECT_EQ(tokens[0].text, "ends");
  EXPECT_EQ(tokens[4].text, "A_b9");
}

TEST(Lexer, ReadsEverySymbolLongestFirst) {
  EXPECT_EQ(kinds("+ - * / // % ^ # & ~ | << >> == ~= <= >= < > = ( ) { } [ ] :: ; : , . .. ..."),
            (std::vector<Tok>{Tok::Plus, Tok::Minus, Tok::Star, Tok::Slash, Tok::IDiv,
                              Tok::Percent, Tok::Caret, Tok::Hash, Tok::Amp, Tok::Tilde, Tok::Pipe,
                              Tok::Shl, Tok::Shr, Tok::Eq, Tok::Ne, Tok::Le, Tok::Ge, Tok::Lt,
                              Tok::Gt, Tok::Assign, Tok::LParen, Tok::RParen, Tok::LBrace,
                              Tok::RBrace, Tok::LBracket, Tok::RBracket, Tok::DbColon,
                              Tok::Semicolon, Tok::Colon, Tok::Comma, Tok::Dot, Tok::Concat,
                              Tok::Dots, Tok::Eos}));
  EXPECT_EQ(kinds("a...b"), (std::vector<Tok>{Tok::Name, Tok::Dots, Tok::Name, Tok::Eos}));
  EXPECT_EQ(kinds("===="), (std::vector<Tok>{Tok::Eq, Tok::Eq, Tok::Eos}));
}

TEST(Lexer, DecodesEverySimpleEscape) {
  EXPECT_EQ(stringValue(R"("\a\b\f\n\r\t\v\\\"\'")"), "\a\b\f\n\r\t\v\\\"'");
  EXPECT_EQ(stringValue(R"('\"')"), "\"");
}

TEST(Lexer, DecodesDecimalAndHexEscapes) {
  EXPECT_EQ(stringValue(R"("\65\066\0677\x41\x7a\xFF")"), std::string("AB") + "C7" + "Az\xFF");
  EXPECT_EQ(stringValue(R"("\0\00\000")"), std::string(3, '\0'));
  EXPECT_EQ(stringValue(R"("\255")"), "\xFF");
}

TEST(Lexer, EncodesUtf8EscapesUpTo2To31) {
  EXPECT_EQ(stringValue(R"("\u{41}\u{E9}\u{20AC}\u{1F600}")"),
            "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  EXPECT_EQ(stringValue(R"("\u{7FFFFFFF}")"), "\xFD\xBF\xBF\xBF\xBF\xBF");
  EXPECT_EQ(stringValue(R"("\u{0000000041}")"), "A");  // leading zeros do not count
}

TEST(Lexer, SkipsWhitespaceAfterZEscapeAcrossLines) {
  Lexer lexer("\"a\\z  \n\n   b\" x", "=test");
  Token s = lexer.next();
  EXPECT_EQ(s.text, "ab");
  Token x = lexer.next();
  EXPECT_EQ(x.line, 3);
}

TEST(Lexer, TurnsEscapedLineBreaksIntoNewlines) {
  EXPECT_EQ(stringValue("\"a\\\r\nb\""), "a\nb");
  EXPECT_EQ(stringValue("\"a\\\n\rb\""), "a\nb");
}

TEST(Lexer, ReadsLongStringsOfAnyLevel) {
  EXPECT_EQ(stringValue("[[abc]]"), "abc");
  EXPECT_EQ(stringValue("[==[a]]b]=]c]==]"), "a]]b]=]c");
  EXPECT_EQ(stringValue("[=[\\n is not an escape]=]"), "\\n is not an escape");
  std::string deep = "[" + std::string(300, '=') + "[x]" + std::string(300, '=') + "]";
  Token t = single(deep);
  EXPECT_EQ(t.text, "x");
  EXPECT_EQ(t.level, 300);
}

TEST(Lexer, SkipsFirstLineBreakOfLongStringAndNormalisesTheOthers) {
  EXPECT_EQ(stringValue("[[\nabc]]"), "abc");
  EXPECT_EQ(stringValue("[[\r\nabc]]"), "abc");
  EXPECT_EQ(stringValue("[[a\r\nb\rc\n\rd]]"), "a\nb\nc\nd");
}

TEST(Lexer, CountsEveryLineBreakStyleOnce) {
  auto tokens = scanAll("a\nb\rc\r\nd\n\re\n\nf");
  std::vector<int> lines;
  for (const Token& t : tokens) lines.push_back(t.line);
  EXPECT_EQ(lines, (std::vector<int>{1, 2, 3, 4, 5, 7, 7}));
}

TEST(Lexer, RecordsWhereMultiLineTokensEnd) {
  Lexer lexer("x = [[\na\nb]] y", "=test");
  lexer.next();
  lexer.next();
  Token s = lexer.next();
  EXPECT_EQ(s.line, 1);
  EXPECT_EQ(s.endLine, 3);
  EXPECT_EQ(lexer.line(), 3);
}

TEST(Lexer, RecordsOneBasedColumns) {
  auto tokens = scanAll("local  x\n\t= 1");
  EXPECT_EQ(tokens[0].column, 1);
  EXPECT_EQ(tokens[1].column, 8);
  EXPECT_EQ(tokens[2].column, 2);
  EXPECT_EQ(tokens[3].column, 4);
}

TEST(Lexer, SkipsShortAndLongComments) {
  EXPECT_EQ(kinds("a -- comment\nb --[[ long\ncomment ]] c --[==[ x ]] ]==] d --[ not long\ne"),
            (std::vector<Tok>{Tok::Name, Tok::Name, Tok::Name, Tok::Name, Tok::Name, Tok::Eos}));
  EXPECT_EQ(kinds("--"), (std::vector<Tok>{Tok::Eos}));
}

TEST(Lexer, ConvertsNumerals) {
  Token i = single("42");
  EXPECT_EQ(i.kind, Tok::Int);
  EXPECT_EQ(i.integer, 42);
  Token h = single("0xff");
  EXPECT_EQ(h.kind, Tok::Int);
  EXPECT_EQ(h.integer, 255);
  Token wrap = single("0xffffffffffffffff");
  EXPECT_EQ(wrap.integer, -1);  // hexadecimal integers wrap around
  Token big = single("9223372036854775808");
  EXPECT_EQ(big.kind, Tok::Float);  // too big for an integer: a float
  EXPECT_DOUBLE_EQ(big.number, 9223372036854775808.0);
  EXPECT_DOUBLE_EQ(single("3.").number, 3.0);
  EXPECT_DOUBLE_EQ(single(".5").number, 0.5);
  EXPECT_DOUBLE_EQ(single("1e-2").number, 0.01);
  EXPECT_DOUBLE_EQ(single("2E+3").number, 2000.0);
  EXPECT_DOUBLE_EQ(single("0x1p4").number, 16.0);
  EXPECT_DOUBLE_EQ(single("0xA.8").number, 10.5);
  EXPECT_EQ(single("1.5").text, "1.5");
}

TEST(Lexer, ReadsNumeralsGreedilyLikeTheReference) {
  EXPECT_EQ(lexError("x = 3x"), "test:1: malformed number near '3x'");
  EXPECT_EQ(lexError("x = 3xyz"), "test:1: malformed number near '3x'");
  EXPECT_EQ(lexError("x = 3..4"), "test:1: malformed number near '3..4'");
  EXPECT_EQ(lexError("x = 1e"), "test:1: malformed number near '1e'");
  EXPECT_EQ(lexError("x = 0x"), "test:1: malformed number near '0x'");
  EXPECT_EQ(lexError("x = 0x1p"), "test:1: malformed number near '0x1p'");
  EXPECT_EQ(lexError("x = 3.4.5"), "test:1: malformed number near '3.4.5'");
  EXPECT_EQ(lexError("x = 3abc"), "test:1: malformed number near '3abc'");
  EXPECT_EQ(kinds("3 .. 4"), (std::vector<Tok>{Tok::Int, Tok::Concat, Tok::Int, Tok::Eos}));
}

TEST(Lexer, ReportsUnfinishedStrings) {
  EXPECT_EQ(lexError("x = \"abc"), "test:1: unfinished string near <eof>");
  EXPECT_EQ(lexError("x = \"abc\ndef\""), "test:1: unfinished string near '\"abc'");
  EXPECT_EQ(lexError("x = \"abc\\"), "test:1: unfinished string near <eof>");
}

TEST(Lexer, ReportsUnfinishedLongBracketsWithTheirStartLine) {
  EXPECT_EQ(lexError("\nx = [==[ abc\n\n"),
            "test:4: unfinished long string (starting at line 2) near <eof>");
  EXPECT_EQ(lexError("--[[ abc\n"),
            "test:2: unfinished long comment (starting at line 1) near <eof>");
  EXPECT_EQ(lexError("x = [=x"), "test:1: invalid long string delimiter near '[='");
}

TEST(Lexer, ReportsBadEscapesWithTheTextReadSoFar) {
  EXPECT_EQ(lexError(R"(x = "abc\q")"), R"(test:1: invalid escape sequence near '"abc\q')");
  EXPECT_EQ(lexError(R"(x = "\xg")"), R"(test:1: hexadecimal digit expected near '"\xg')");
  EXPECT_EQ(lexError(R"(x = "\x1")"), R"(test:1: hexadecimal digit expected near '"\x1"')");
  EXPECT_EQ(lexError(R"(x = "\400")"), R"(test:1: decimal escape too large near '"\400"')");
  EXPECT_EQ(lexError(R"(x = "\u123")"), R"(test:1: missing '{' near '"\u1')");
  EXPECT_EQ(lexError(R"(x = "\u{12")"), R"(test:1: missing '}' near '"\u{12"')");
  EXPECT_EQ(lexError(R"(x = "\u{}")"), R"(test:1: hexadecimal digit expected near '"\u{}')");
  EXPECT_EQ(lexError(R"(x = "\u{80000000}")"),
            R"(test:1: UTF-8 value too large near '"\u{80000000')");
}

TEST(Lexer, NamesTokensAsMessagesShowThem) {
  EXPECT_EQ(describeToken(single("end")), "'end'");
  EXPECT_EQ(describeToken(single("==")), "'=='");
  EXPECT_EQ(describeToken(single("foo")), "'foo'");
  EXPECT_EQ(describeToken(single("0x10")), "'0x10'");
  EXPECT_EQ(describeToken(single(R"("a\tb")")), "'\"a\tb\"'");  // escapes already decoded
  EXPECT_EQ(describeToken(single("[==[x]==]")), "'[==[x]==]'");
  EXPECT_EQ(describeToken(single("@")), "'@'");
  EXPECT_EQ(describeToken(single("\x01")), "'<\\1>'");
  EXPECT_EQ(describeToken(single("\x80")), "'<\\128>'");
  EXPECT_EQ(describeToken(scanAll("").front()), "<eof>");
  EXPECT_EQ(describeTokenKind(Tok::Name), "<name>");
  EXPECT_EQ(describeTokenKind(Tok::Assign), "'='");
}

TEST(Lexer, ShowsTextOnlyUpToANulByteLikeACString) {
  EXPECT_EQ(describeToken(single(R"("a\0b")")), "'\"a'");
}

TEST(Lexer, RescansATokenAtAnOffset) {
  std::string_view source = "x = foo + [[bar]]";
  EXPECT_EQ(describeToken(Lexer::tokenAt(source, 4, 1)), "'foo'");
  EXPECT_EQ(describeToken(Lexer::tokenAt(source, 10, 1)), "'[[bar]]'");
  EXPECT_EQ(describeToken(Lexer::tokenAt(source, 17, 1)), "<eof>");
}

}  // namespace
}  // namespace lunette
