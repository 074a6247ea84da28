// string.pack, string.unpack and string.packsize (manual 6.4.2), independent of the VM.
//
// A format is read option by option (FormatReader); packing asks a PackArguments object for each
// value and unpacking hands each value to an UnpackSink, so the string library binds both to the
// Lua stack while unit tests use plain C++ values.
//
// The native sizes are those of the reference build on 64-bit Linux, on every host (wasm32
// included), so packed data and packsize results are portable between Lunette builds: short 2,
// int 4, long 8, size_t 8, lua_Integer 8, float 4, double and lua_Number 8, maximum alignment 8,
// and native byte order little-endian. Integers of 1 to 16 bytes are supported; sizes beyond 8
// sign- or zero-extend on packing and must hold only the extension on unpacking.
//
// Errors: PackError carries the argument number that luaL_argerror would name, or 0 for errors
// the reference raises with luaL_error (bad options, sizes out of limits, integers too wide).
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lunette {

class PackError : public std::runtime_error {
 public:
  PackError(int argument, const std::string& message)
      : std::runtime_error(message), argument_(argument) {}
  int argument() const { return argument_; }  // 0: not about one argument

 private:
  int argument_;
};

inline constexpr int kPackMaxIntegerSize = 16;

enum class PackKind {
  Int,           // signed integer of `size` bytes
  Unsigned,      // unsigned integer of `size` bytes
  Float,         // C float
  Number,        // lua_Number (double)
  Double,        // C double
  FixedString,   // "cN": exactly N bytes
  LengthString,  // "sN": length as an N-byte unsigned, then the bytes
  ZeroString,    // "z": bytes then a '\0'
  Padding,       // "x": one zero byte
  AlignPadding,  // "Xop": only alignment
  Nop,           // ' ', endianness and alignment settings
};

struct PackOption {
  PackKind kind = PackKind::Nop;
  int size = 0;        // bytes of the item itself (a string's length prefix for "s")
  int alignPad = 0;    // zero bytes to insert before the item
  bool little = true;  // byte order in force for this item
};

// Reads a format option by option, tracking endianness and maximum alignment ("<", ">", "=",
// "![n]"). Stops at the end of the format or at an embedded '\0', as the reference does.
class FormatReader {
 public:
  explicit FormatReader(std::string_view format);
  bool done() const { return pos_ >= format_.size(); }
  // The next option, with the padding needed to align it at byte offset `offset`.
  PackOption next(size_t offset);

 private:
  PackKind readOption(int& size);
  int readNumber(int fallback);
  int readSizeLimited(int fallback);

  std::string_view format_;
  size_t pos_ = 0;
  bool little_ = true;
  int maxAlign_ = 1;
};

// Values to pack, numbered as Lua arguments (the format string is argument 1).
class PackArguments {
 public:
  virtual ~PackArguments() = default;
  virtual int64_t integer(int arg) = 0;           // like luaL_checkinteger
  virtual double number(int arg) = 0;             // like luaL_checknumber
  virtual std::string_view string(int arg) = 0;   // like luaL_checklstring
};

// Where unpacked values go, in order.
class UnpackSink {
 public:
  virtual ~UnpackSink() = default;
  virtual void reserve() = 0;  // room for one more value ("too many results" otherwise)
  virtual void integer(int64_t value) = 0;
  virtual void number(double value) = 0;
  virtual void string(std::string_view value) = 0;
};

std::string packValues(std::string_view format, PackArguments& args);

// Unpacks from `data` starting at Lua position `init` (1-based, negative from the end) and
// returns the 1-based position after the last byte read.
int64_t unpackValues(std::string_view format, std::string_view data, int64_t init,
                     UnpackSink& sink);

int64_t packSize(std::string_view format);

}  // namespace lunette
