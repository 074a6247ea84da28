// Number <-> text conversions with Lua 5.4's exact rules, shared by the lexer, tonumber, string
// coercion and printing.
//
// Parsing accepts what the reference accepts: optional surrounding whitespace, decimal and
// hexadecimal integers (hex integers wrap around modulo 2^64), decimal floats with exponents,
// hexadecimal floats with binary exponents ("0x1p4"), "inf"/"nan" are NOT numbers. A decimal
// integer that does not fit in 64 bits becomes a float.
// Formatting: integers as "%lld"; floats as "%.14g", with ".0" appended when the result looks
// like an integer ("1e+100" stays, "3" becomes "3.0"); inf, -inf, nan, -nan as the C library
// prints them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lunette {

struct ParsedNumber {
  bool isInteger = false;
  int64_t integer = 0;
  double number = 0.0;
};

// The whole of `text` must be a numeral (whitespace allowed around it); nullopt otherwise.
std::optional<ParsedNumber> parseNumber(std::string_view text);

// Writes the Lua representation of a float into `out` (at least 64 bytes); returns the length.
int formatFloat(double value, char* out);
int formatInteger(int64_t value, char* out);
std::string floatToString(double value);
std::string integerToString(int64_t value);

// lua_Number -> lua_Integer when the float has an exact integer value in range.
std::optional<int64_t> floatToInteger(double value);

// Human-readable chunk name for messages, like the reference's: "=name" -> "name",
// "@file" -> "file" (trimmed from the left with "..."), otherwise [string "first line..."].
std::string chunkId(std::string_view source);

}  // namespace lunette
