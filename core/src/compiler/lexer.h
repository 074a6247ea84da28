// The lexer: Lua 5.4 source bytes -> tokens.
//
// It follows the reference scanner's observable behaviour, because error messages expose it:
//  - a numeral is read greedily (digits, letters, '.', exponent signs) and only then converted
//    with parseNumber, so "3x" is one malformed token, not "3" followed by "x";
//  - "near '...'" shows the token as the reference's scan buffer holds it: the name, the numeral
//    as written, or a string with its delimiters and escapes already decoded; while a string is
//    being scanned the buffer is partial ("near '\"abc\\q'");
//  - lines count "\n", "\r", "\r\n" and "\n\r" as one line break each.
// Invariants: after next() returns, line() is the line where that token ends (the reference's
// `linenumber`); the token's own `line`/`column` is where it starts. Errors throw SyntaxError.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lunette {

enum class Tok : uint8_t {
  // Reserved words, in the manual's order.
  And, Break, Do, Else, Elseif, End, False, For, Function, Goto, If, In, Local, Nil, Not, Or,
  Repeat, Return, Then, True, Until, While,
  // Multi-character symbols.
  IDiv, Concat, Dots, Eq, Ge, Le, Ne, Shl, Shr, DbColon,
  // Single-character symbols.
  Plus, Minus, Star, Slash, Percent, Caret, Hash, Amp, Tilde, Pipe, Lt, Gt, Assign, LParen,
  RParen, LBrace, RBrace, LBracket, RBracket, Semicolon, Colon, Comma, Dot,
  // Tokens with a value.
  Eos, Float, Int, Name, String,
  Other,  // any other byte; the parser reports it as an unexpected symbol
};

struct Token {
  Tok kind = Tok::Eos;
  uint8_t byte = 0;      // Other: the byte itself
  char quote = 0;        // String: '"' or '\'' for a quoted string, 0 for a long bracket
  uint16_t level = 0;    // String from a long bracket: the number of '='
  int line = 1;          // where the token starts
  int column = 1;        // 1-based byte column of its first character
  int endLine = 1;       // where it ends (differs from `line` for multi-line long strings)
  uint32_t offset = 0;   // byte offset of its first character in the source
  std::string text;      // Name: the name; String: the decoded contents; Int/Float: as written
  int64_t integer = 0;
  double number = 0.0;
};

// "'end'", "'=='", "<eof>", "'\"abc\"'", "'<\\1>'": a token as messages name it.
std::string describeToken(const Token& token);
// "'='", "<name>", "<eof>": a token kind as "... expected" messages name it.
std::string describeTokenKind(Tok kind);

class Lexer {
 public:
  // `chunkname` is only used to format error messages (through chunkId).
  Lexer(std::string_view source, std::string_view chunkname);

  Token next();
  int line() const { return line_; }
  const std::string& chunkId() const { return chunkId_; }

  // Scans the token starting at byte `offset` (line numbers restart at `line`); used to name
  // the token a late (code generation) error points at.
  static Token tokenAt(std::string_view source, uint32_t offset, int line);

 private:
  static constexpr int kEoz = -1;

  void advance();
  void save(int c) { buffer_.push_back(static_cast<char>(c)); }
  void saveAndAdvance() {
    save(current_);
    advance();
  }
  bool currentIsNewline() const { return current_ == '\n' || current_ == '\r'; }
  void newline();
  bool acceptEither(char a, char b);

  Token make(Tok kind);
  Token readNumeral();
  Token readName();
  Token readQuotedString();
  void readLongBracket(bool isComment, int level);
  size_t skipSeparator();
  void readEscape();
  int readHexEscapeDigit();
  void readUtf8Escape();
  void readDecimalEscape();
  void checkEscape(bool ok, std::string_view message);

  [[noreturn]] void errorNearBuffer(std::string_view message);
  [[noreturn]] void errorNearEof(std::string_view message);

  std::string_view source_;
  std::string chunkId_;
  size_t position_ = 0;      // offset of the byte after current_
  size_t lineStart_ = 0;     // offset of the first byte of the current line
  int current_ = kEoz;
  int line_ = 1;
  std::string buffer_;       // the reference's scan buffer, for values and messages
  int startLine_ = 1;
  int startColumn_ = 1;
  uint32_t startOffset_ = 0;
};

}  // namespace lunette
