// The lexer; see lexer.h for the behaviour it reproduces.
#include "compiler/lexer.h"

#include <array>

#include "common/numconv.h"
#include "compiler/compile.h"

namespace lunette {

namespace {

constexpr std::array<std::string_view, static_cast<size_t>(Tok::Other) + 1> kTokenNames{
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
    "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    "//", "..", "...", "==", ">=", "<=", "~=", "<<", ">>", "::",
    "+", "-", "*", "/", "%", "^", "#", "&", "~", "|", "<", ">", "=", "(", ")", "{", "}", "[",
    "]", ";", ":", ",", ".",
    "<eof>", "<number>", "<integer>", "<name>", "<string>", "<other>"};

constexpr int kReservedCount = static_cast<int>(Tok::While) + 1;

bool isAlpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isDigit(int c) { return c >= '0' && c <= '9'; }
bool isAlnum(int c) { return isAlpha(c) || isDigit(c); }
bool isHexDigit(int c) {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hexValue(int c) { return isDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }
bool isSpace(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
// Printable in the C locale: the reference shows other bytes as '<\N>'.
bool isPrint(int c) { return c >= 32 && c < 127; }

// Extended UTF-8 (up to 6 bytes, values below 2^31), as the reference's \u{...} produces.
void appendUtf8(std::string& out, uint32_t x) {
  if (x < 0x80) {
    out.push_back(static_cast<char>(x));
    return;
  }
  char bytes[8];
  int n = 0;
  uint32_t firstByteMax = 0x3f;  // payload that still fits next to the length prefix
  do {
    bytes[n++] = static_cast<char>(0x80 | (x & 0x3f));
    x >>= 6;
    firstByteMax >>= 1;
  } while (x > firstByteMax);
  bytes[n++] = static_cast<char>((~firstByteMax << 1) | x);
  while (n > 0) out.push_back(bytes[--n]);
}

// The reference formats token text as a C string, so it ends at the first NUL byte.
std::string quotedText(std::string_view text) {
  size_t nul = text.find('\0');
  if (nul != std::string_view::npos) text = text.substr(0, nul);
  return "'" + std::string(text) + "'";
}

}  // namespace

std::string describeTokenKind(Tok kind) {
  std::string_view name = kTokenNames[static_cast<size_t>(kind)];
  // The reference quotes words and symbols but not the <eof>-style placeholders.
  if (kind >= Tok::Eos) return std::string(name);
  return "'" + std::string(name) + "'";
}

std::string describeToken(const Token& token) {
  switch (token.kind) {
    case Tok::Name:
    case Tok::Int:
    case Tok::Float:
      return quotedText(token.text);
    case Tok::String: {
      if (token.quote != 0) return quotedText(token.quote + token.text + token.quote);
      std::string equals(token.level, '=');
      return quotedText("[" + equals + "[" + token.text + "]" + equals + "]");
    }
    case Tok::Other:
      if (isPrint(token.byte)) return std::string("'") + static_cast<char>(token.byte) + "'";
      return "'<\\" + std::to_string(token.byte) + ">'";
    default:
      return describeTokenKind(token.kind);
  }
}

Lexer::Lexer(std::string_view source, std::string_view chunkname)
    : source_(source), chunkId_(lunette::chunkId(chunkname)) {
  advance();
}

Token Lexer::tokenAt(std::string_view source, uint32_t offset, int line) {
  Lexer lexer(source.substr(offset < source.size() ? offset : source.size()), "=?");
  lexer.line_ = line;
  try {
    return lexer.next();
  } catch (const SyntaxError&) {
    Token eof;
    return eof;
  }
}

void Lexer::advance() {
  if (position_ < source_.size()) {
    current_ = static_cast<unsigned char>(source_[position_++]);
  } else {
    current_ = kEoz;
    position_ = source_.size() + 1;
  }
}

// Skips one line break: "\n", "\r", "\n\r" or "\r\n".
void Lexer::newline() {
  int old = current_;
  advance();
  if (currentIsNewline() && current_ != old) advance();
  ++line_;
  lineStart_ = position_ - 1;
}

bool Lexer::acceptEither(char a, char b) {
  if (current_ != a && current_ != b) return false;
  saveAndAdvance();
  return true;
}

void Lexer::errorNearBuffer(std::string_view message) {
  std::string text = chunkId_ + ":" + std::to_string(line_) + ": " + std::string(message) +
                     " near " + quotedText(buffer_);
  throw SyntaxError(std::move(text), line_, startColumn_);
}

void Lexer::errorNearEof(std::string_view message) {
  std::string text =
      chunkId_ + ":" + std::to_string(line_) + ": " + std::string(message) + " near <eof>";
  throw SyntaxError(std::move(text), line_, startColumn_);
}

Token Lexer::make(Tok kind) {
  Token token;
  token.kind = kind;
  token.line = startLine_;
  token.column = startColumn_;
  token.offset = startOffset_;
  token.endLine = line_;
  return token;
}

Token Lexer::next() {
  buffer_.clear();
  for (;;) {
    startLine_ = line_;
    startOffset_ = static_cast<uint32_t>(position_ - 1);
    startColumn_ = static_cast<int>(position_ - lineStart_);
    switch (current_) {
      case '\n':
      case '\r':
        newline();
        continue;
      case ' ':
      case '\f':
      case '\t':
      case '\v':
        advance();
        continue;
      case '-':
        advance();
        if (current_ != '-') return make(Tok::Minus);
        advance();
        if (current_ == '[') {
          size_t sep = skipSeparator();
          buffer_.clear();
          if (sep >= 2) {
            readLongBracket(/*isComment=*/true, static_cast<int>(sep - 2));
            buffer_.clear();
            continue;
          }
        }
        while (!currentIsNewline() && current_ != kEoz) advance();
        continue;
      case '[': {
        size_t sep = skipSeparator();
        if (sep >= 2) {
          readLongBracket(/*isComment=*/false, static_cast<int>(sep - 2));
          Token token = make(Tok::String);
          token.level = static_cast<uint16_t>(sep - 2);
          token.text = buffer_.substr(sep, buffer_.size() - 2 * sep);
          return token;
        }
        if (sep == 0) errorNearBuffer("invalid long string delimiter");
        return make(Tok::LBracket);
      }
      case '=':
        advance();
        if (current_ == '=') return advance(), make(Tok::Eq);
        return make(Tok::Assign);
      case '<':
        advance();
        if (current_ == '=') return advance(), make(Tok::Le);
        if (current_ == '<') return advance(), make(Tok::Shl);
        return make(Tok::Lt);
      case '>':
        advance();
        if (current_ == '=') return advance(), make(Tok::Ge);
        if (current_ == '>') return advance(), make(Tok::Shr);
        return make(Tok::Gt);
      case '/':
        advance();
        if (current_ == '/') return advance(), make(Tok::IDiv);
        return make(Tok::Slash);
      case '~':
        advance();
        if (current_ == '=') return advance(), make(Tok::Ne);
        return make(Tok::Tilde);
      case ':':
        advance();
        if (current_ == ':') return advance(), make(Tok::DbColon);
        return make(Tok::Colon);
      case '"':
      case '\'':
        return readQuotedString();
      case '.':
        saveAndAdvance();
        if (current_ == '.') {
          advance();
          if (current_ == '.') return advance(), make(Tok::Dots);
          return make(Tok::Concat);
        }
        if (!isDigit(current_)) return make(Tok::Dot);
        return readNumeral();
      case kEoz:
        return make(Tok::Eos);
      default:
        if (isDigit(current_)) return readNumeral();
        if (isAlpha(current_)) return readName();
        break;
    }
    // A single-character token.
    int c = current_;
    advance();
    switch (c) {
      case '+': return make(Tok::Plus);
      case '*': return make(Tok::Star);
      case '%': return make(Tok::Percent);
      case '^': return make(Tok::Caret);
      case '#': return make(Tok::Hash);
      case '&': return make(Tok::Amp);
      case '|': return make(Tok::Pipe);
      case '(': return make(Tok::LParen);
      case ')': return make(Tok::RParen);
      case '{': return make(Tok::LBrace);
      case '}': return make(Tok::RBrace);
      case ']': return make(Tok::RBracket);
      case ';': return make(Tok::Semicolon);
      case ',': return make(Tok::Comma);
      default: {
        Token token = make(Tok::Other);
        token.byte = static_cast<uint8_t>(c);
        return token;
      }
    }
  }
}

// Greedy, like the reference: conversion happens once the whole numeral-looking text is read.
Token Lexer::readNumeral() {
  char expo1 = 'E', expo2 = 'e';
  int first = current_;
  saveAndAdvance();
  if (first == '0' && acceptEither('x', 'X')) expo1 = 'P', expo2 = 'p';
  for (;;) {
    if (acceptEither(expo1, expo2)) {
      acceptEither('-', '+');
    } else if (isHexDigit(current_) || current_ == '.') {
      saveAndAdvance();
    } else {
      break;
    }
  }
  if (isAlpha(current_)) saveAndAdvance();  // a numeral touching a letter is malformed
  auto parsed = parseNumber(buffer_);
  if (!parsed) errorNearBuffer("malformed number");
  Token token = make(parsed->isInteger ? Tok::Int : Tok::Float);
  token.text = buffer_;
  token.integer = parsed->integer;
  token.number = parsed->number;
  return token;
}

Token Lexer::readName() {
  do {
    saveAndAdvance();
  } while (isAlnum(current_));
  Token token;
  for (int i = 0; i < kReservedCount; ++i) {
    if (kTokenNames[static_cast<size_t>(i)] == buffer_) {
      token = make(static_cast<Tok>(i));
      token.text = buffer_;
      return token;
    }
  }
  token = make(Tok::Name);
  token.text = buffer_;
  return token;
}

// After a '[' or ']': counts the '='. Returns level + 2 for a well-formed bracket, 1 for a lone
// bracket, 0 for a bracket followed by '=' but not closed ("[=").
size_t Lexer::skipSeparator() {
  size_t count = 0;
  int bracket = current_;
  saveAndAdvance();
  while (current_ == '=') {
    saveAndAdvance();
    ++count;
  }
  if (current_ == bracket) return count + 2;
  return count == 0 ? 1 : 0;
}

void Lexer::readLongBracket(bool isComment, int level) {
  int startLine = line_;
  saveAndAdvance();  // the second '['
  if (currentIsNewline()) newline();  // a first line break is not part of the string
  for (;;) {
    switch (current_) {
      case kEoz: {
        std::string what = isComment ? "comment" : "string";
        errorNearEof("unfinished long " + what + " (starting at line " +
                     std::to_string(startLine) + ")");
      }
      case ']':
        if (skipSeparator() == static_cast<size_t>(level) + 2) {
          saveAndAdvance();
          return;
        }
        break;
      case '\n':
      case '\r':
        save('\n');
        newline();
        if (isComment) buffer_.clear();  // a comment's text is never needed
        break;
      default:
        if (isComment)
          advance();
        else
          saveAndAdvance();
    }
  }
}

Token Lexer::readQuotedString() {
  int quote = current_;
  saveAndAdvance();
  while (current_ != quote) {
    switch (current_) {
      case kEoz:
        errorNearEof("unfinished string");
      case '\n':
      case '\r':
        errorNearBuffer("unfinished string");
      case '\\':
        readEscape();
        break;
      default:
        saveAndAdvance();
    }
  }
  saveAndAdvance();
  Token token = make(Tok::String);
  token.quote = static_cast<char>(quote);
  token.text = buffer_.substr(1, buffer_.size() - 2);
  return token;
}

void Lexer::checkEscape(bool ok, std::string_view message) {
  if (ok) return;
  if (current_ != kEoz) saveAndAdvance();  // show the offending character too
  errorNearBuffer(message);
}

// The backslash stays in the buffer until the escape is complete, so that an error message
// shows the escape as written.
void Lexer::readEscape() {
  saveAndAdvance();  // the backslash
  int value;
  switch (current_) {
    case 'a': value = '\a'; break;
    case 'b': value = '\b'; break;
    case 'f': value = '\f'; break;
    case 'n': value = '\n'; break;
    case 'r': value = '\r'; break;
    case 't': value = '\t'; break;
    case 'v': value = '\v'; break;
    case '\\':
    case '"':
    case '\'':
      value = current_;
      break;
    case 'x': {
      int high = readHexEscapeDigit();
      int low = readHexEscapeDigit();
      buffer_.resize(buffer_.size() - 2);  // 'x' and the first digit
      value = high * 16 + low;
      break;
    }
    case 'u':
      readUtf8Escape();
      return;
    case '\n':
    case '\r':
      newline();
      buffer_.back() = '\n';
      return;
    case kEoz:
      return;  // the caller reports the unfinished string
    case 'z': {
      buffer_.pop_back();
      advance();
      while (isSpace(current_)) {
        if (currentIsNewline())
          newline();
        else
          advance();
      }
      return;
    }
    default:
      checkEscape(isDigit(current_), "invalid escape sequence");
      readDecimalEscape();
      return;
  }
  advance();
  buffer_.back() = static_cast<char>(value);
}

// Saves the character before the digit (the 'x', '{' or previous digit) and reads one digit.
int Lexer::readHexEscapeDigit() {
  saveAndAdvance();
  checkEscape(isHexDigit(current_), "hexadecimal digit expected");
  return hexValue(current_);
}

void Lexer::readUtf8Escape() {
  size_t escapeStart = buffer_.size() - 1;  // the backslash
  saveAndAdvance();                         // 'u'
  checkEscape(current_ == '{', "missing '{'");
  uint32_t value = static_cast<uint32_t>(readHexEscapeDigit());
  for (;;) {
    saveAndAdvance();
    if (!isHexDigit(current_)) break;
    checkEscape(value <= (0x7FFFFFFFu >> 4), "UTF-8 value too large");
    value = (value << 4) + static_cast<uint32_t>(hexValue(current_));
  }
  checkEscape(current_ == '}', "missing '}'");
  advance();
  buffer_.resize(escapeStart);
  appendUtf8(buffer_, value);
}

void Lexer::readDecimalEscape() {
  int value = 0;
  int digits = 0;
  for (; digits < 3 && isDigit(current_); ++digits) {
    value = value * 10 + (current_ - '0');
    saveAndAdvance();
  }
  checkEscape(value <= 255, "decimal escape too large");
  buffer_.resize(buffer_.size() - static_cast<size_t>(digits));
  buffer_.back() = static_cast<char>(value);
}

}  // namespace lunette
