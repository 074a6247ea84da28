// string.format (manual 6.4): the format-string interpreter, independent of the VM.
//
// The formatter walks the format string and asks a FormatArguments object for each value, so
// the string library binds it to the Lua stack and unit tests bind it to plain C++ values.
// Behaviour is lua5.4's, including the order in which a bad specification and a bad argument
// are reported (e.g. "%d" converts its argument before checking its flags, "%c" the reverse).
//
// Accepted: %d %i %u %c %x %X %o %e %E %f %g %G %a %A %p %q %s and "%%". A specification is
// '%', flags from "-+ #0" (which ones depend on the conversion), a width of at most two digits,
// an optional '.' and precision of at most two digits, then the conversion letter. Numbers are
// printed with snprintf into a stack buffer (the widest item, "%99.99f" of 1e308, needs 410
// bytes), except %a, which is our own code (see appendHexFloat); strings are padded by hand so
// they may hold any byte.
//
// Errors: a plain FormatError (argument 0) for a malformed specification, raised by the caller
// like luaL_error; a FormatError with an argument number for argument errors ("no value",
// "string contains zeros", "value has no literal form"), raised like luaL_argerror. Argument
// conversion failures are raised by the FormatArguments implementation itself.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lunette {

class FormatError : public std::runtime_error {
 public:
  FormatError(int argument, const std::string& message)
      : std::runtime_error(message), argument_(argument) {}
  int argument() const { return argument_; }  // 0: not about one argument

 private:
  int argument_;
};

// What %q can write back as a Lua literal.
struct LiteralValue {
  enum class Kind { String, Integer, Float, Keyword, None };  // Keyword: nil, true, false
  Kind kind = Kind::None;
  std::string_view text;  // String and Keyword
  int64_t integer = 0;
  double number = 0.0;
};

// The values being formatted, numbered as Lua arguments (the format string is argument 1).
class FormatArguments {
 public:
  virtual ~FormatArguments() = default;
  virtual int count() const = 0;                  // the last argument's number
  virtual int64_t integer(int arg) = 0;           // like luaL_checkinteger
  virtual double number(int arg) = 0;             // like luaL_checknumber
  virtual std::string_view display(int arg) = 0;  // like tostring (__tostring, __name)
  virtual LiteralValue literal(int arg) = 0;      // the value's type and payload for %q
  virtual const void* pointer(int arg) = 0;       // identity for %p; nullptr for non-objects
};

// Appends the formatted result of `format` to `out`.
void formatString(std::string& out, std::string_view format, FormatArguments& args);

// %q's pieces, exposed for tests: a string in double quotes with escapes that read back
// identically, a float as a hex literal ("0x1.8p+0"; 1e9999, -1e9999 and (0/0) for the
// non-finite ones), an integer in decimal (math.mininteger in hex, since its decimal form
// would read back as a float).
void appendQuotedString(std::string& out, std::string_view text);
void appendQuotedFloat(std::string& out, double value);
void appendQuotedInteger(std::string& out, int64_t value);

// %a / %A (`upper`) with the given flags, width and precision, written as glibc writes it (a
// subnormal as "0x0.<fraction>p-1022"), so the WebAssembly build (musl) prints the same. Used
// whenever the C locale's decimal point is '.'.
void appendHexFloat(std::string& out, double value, std::string_view modifiers, bool upper);

}  // namespace lunette
