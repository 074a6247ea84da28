// string.pack / unpack / packsize; see string_pack.h for the sizes, the byte order and errors.
#include "lib/string_pack.h"

#include <algorithm>
#include <climits>
#include <cstring>

namespace lunette {

namespace {

// The reference build's C type sizes (64-bit Linux), fixed on every host.
constexpr int kShortSize = 2;
constexpr int kIntSize = 4;
constexpr int kLongSize = 8;
constexpr int kSizeTSize = 8;
constexpr int kIntegerSize = 8;  // lua_Integer
constexpr int kFloatSize = 4;
constexpr int kDoubleSize = 8;
constexpr int kNativeMaxAlign = 8;
constexpr bool kNativeLittle = true;
// Sizes are limited so that they fit in an int, like the reference's MAXSIZE.
constexpr size_t kMaxPackedSize = INT_MAX;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Writes the low `size` bytes of `value` (sign- or zero-extended past 8 bytes) in byte order.
void appendInteger(std::string& out, uint64_t value, bool little, int size, bool negative) {
  char bytes[kPackMaxIntegerSize];
  for (int i = 0; i < size; ++i) {
    unsigned char byte = 0;
    if (i < kIntegerSize)
      byte = static_cast<unsigned char>(value >> (8 * i));
    else
      byte = negative ? 0xff : 0x00;
    bytes[little ? i : size - 1 - i] = static_cast<char>(byte);
  }
  out.append(bytes, static_cast<size_t>(size));
}

// Reads a `size`-byte integer; bytes beyond 8 must be the sign (or zero) extension.
int64_t readInteger(const char* bytes, bool little, int size, bool isSigned) {
  auto byteAt = [&](int i) { return static_cast<unsigned char>(bytes[little ? i : size - 1 - i]); };
  const int limit = size <= kIntegerSize ? size : kIntegerSize;
  uint64_t result = 0;
  for (int i = limit - 1; i >= 0; --i) result = (result << 8) | byteAt(i);
  if (size < kIntegerSize) {
    if (isSigned) {  // sign-extend from the top bit of the item
      const uint64_t signBit = uint64_t{1} << (size * 8 - 1);
      result = (result ^ signBit) - signBit;
    }
  } else if (size > kIntegerSize) {
    const unsigned char extension =
        (!isSigned || static_cast<int64_t>(result) >= 0) ? 0x00 : 0xff;
    for (int i = limit; i < size; ++i) {
      if (byteAt(i) != extension)
        throw PackError(0, std::to_string(size) + "-byte integer does not fit into Lua Integer");
    }
  }
  return static_cast<int64_t>(result);
}

// Copies a float or double's bytes in the requested order.
template <typename Float>
void appendFloat(std::string& out, Float value, bool little) {
  char bytes[sizeof(Float)];
  std::memcpy(bytes, &value, sizeof(Float));
  if (little != kNativeLittle) std::reverse(bytes, bytes + sizeof(Float));
  out.append(bytes, sizeof(Float));
}

template <typename Float>
Float readFloat(const char* data, bool little) {
  char bytes[sizeof(Float)];
  std::memcpy(bytes, data, sizeof(Float));
  if (little != kNativeLittle) std::reverse(bytes, bytes + sizeof(Float));
  Float value;
  std::memcpy(&value, bytes, sizeof(Float));
  return value;
}

// A Lua string position (negative from the end, 0 as 1) as a 1-based position >= 1.
size_t relativePosition(int64_t pos, size_t length) {
  if (pos > 0) return static_cast<size_t>(pos);
  if (pos == 0) return 1;
  if (pos < -static_cast<int64_t>(length)) return 1;
  return length - static_cast<size_t>(-pos) + 1;
}

}  // namespace

// ---- reading formats -----------------------------------------------------------------------

FormatReader::FormatReader(std::string_view format)
    : format_(format.substr(0, format.find('\0'))), little_(kNativeLittle) {}

// Digits after an option; reading stops before the value could overflow an int.
int FormatReader::readNumber(int fallback) {
  if (done() || !isDigit(format_[pos_])) return fallback;
  int value = 0;
  do {
    value = value * 10 + (format_[pos_++] - '0');
  } while (!done() && isDigit(format_[pos_]) && value <= (INT_MAX - 9) / 10);
  return value;
}

int FormatReader::readSizeLimited(int fallback) {
  const int size = readNumber(fallback);
  if (size > kPackMaxIntegerSize || size <= 0) {
    throw PackError(0, "integral size (" + std::to_string(size) + ") out of limits [1," +
                           std::to_string(kPackMaxIntegerSize) + "]");
  }
  return size;
}

PackKind FormatReader::readOption(int& size) {
  const char option = format_[pos_++];
  size = 0;
  switch (option) {
    case 'b': size = 1; return PackKind::Int;
    case 'B': size = 1; return PackKind::Unsigned;
    case 'h': size = kShortSize; return PackKind::Int;
    case 'H': size = kShortSize; return PackKind::Unsigned;
    case 'l': size = kLongSize; return PackKind::Int;
    case 'L': size = kLongSize; return PackKind::Unsigned;
    case 'j': size = kIntegerSize; return PackKind::Int;
    case 'J': size = kIntegerSize; return PackKind::Unsigned;
    case 'T': size = kSizeTSize; return PackKind::Unsigned;
    case 'f': size = kFloatSize; return PackKind::Float;
    case 'n': size = kDoubleSize; return PackKind::Number;
    case 'd': size = kDoubleSize; return PackKind::Double;
    case 'i': size = readSizeLimited(kIntSize); return PackKind::Int;
    case 'I': size = readSizeLimited(kIntSize); return PackKind::Unsigned;
    case 's': size = readSizeLimited(kSizeTSize); return PackKind::LengthString;
    case 'c':
      size = readNumber(-1);
      if (size == -1) throw PackError(0, "missing size for format option 'c'");
      return PackKind::FixedString;
    case 'z': return PackKind::ZeroString;
    case 'x': size = 1; return PackKind::Padding;
    case 'X': return PackKind::AlignPadding;
    case ' ': return PackKind::Nop;
    case '<': little_ = true; return PackKind::Nop;
    case '>': little_ = false; return PackKind::Nop;
    case '=': little_ = kNativeLittle; return PackKind::Nop;
    case '!': maxAlign_ = readSizeLimited(kNativeMaxAlign); return PackKind::Nop;
    default: throw PackError(0, std::string("invalid format option '") + option + "'");
  }
}

PackOption FormatReader::next(size_t offset) {
  PackOption option;
  option.kind = readOption(option.size);
  option.little = little_;
  int align = option.size;  // an item aligns to its own size...
  if (option.kind == PackKind::AlignPadding) {  // ...and "X" to the size of the next option
    if (done() || readOption(align) == PackKind::FixedString || align == 0)
      throw PackError(1, "invalid next option for option 'X'");
  }
  if (align <= 1 || option.kind == PackKind::FixedString) return option;
  if (align > maxAlign_) align = maxAlign_;
  if ((align & (align - 1)) != 0) throw PackError(1, "format asks for alignment not power of 2");
  const int misalignment = static_cast<int>(offset & static_cast<size_t>(align - 1));
  option.alignPad = (align - misalignment) & (align - 1);
  return option;
}

// ---- pack ----------------------------------------------------------------------------------

std::string packValues(std::string_view format, PackArguments& args) {
  FormatReader reader(format);
  std::string out;
  int arg = 1;
  while (!reader.done()) {
    const PackOption option = reader.next(out.size());
    out.append(static_cast<size_t>(option.alignPad), '\0');
    ++arg;
    const int size = option.size;
    switch (option.kind) {
      case PackKind::Int: {
        const int64_t n = args.integer(arg);
        if (size < kIntegerSize) {
          const int64_t limit = int64_t{1} << (size * 8 - 1);
          if (n < -limit || n >= limit) throw PackError(arg, "integer overflow");
        }
        appendInteger(out, static_cast<uint64_t>(n), option.little, size, n < 0);
        break;
      }
      case PackKind::Unsigned: {
        const int64_t n = args.integer(arg);
        if (size < kIntegerSize && static_cast<uint64_t>(n) >= (uint64_t{1} << (size * 8)))
          throw PackError(arg, "unsigned overflow");
        appendInteger(out, static_cast<uint64_t>(n), option.little, size, false);
        break;
      }
      case PackKind::Float:
        appendFloat(out, static_cast<float>(args.number(arg)), option.little);
        break;
      case PackKind::Number:
      case PackKind::Double:
        appendFloat(out, args.number(arg), option.little);
        break;
      case PackKind::FixedString: {
        const std::string_view s = args.string(arg);
        if (s.size() > static_cast<size_t>(size))
          throw PackError(arg, "string longer than given size");
        out.append(s);
        out.append(static_cast<size_t>(size) - s.size(), '\0');
        break;
      }
      case PackKind::LengthString: {
        const std::string_view s = args.string(arg);
        if (size < kSizeTSize && s.size() >= (uint64_t{1} << (size * 8)))
          throw PackError(arg, "string length does not fit in given size");
        appendInteger(out, s.size(), option.little, size, false);
        out.append(s);
        break;
      }
      case PackKind::ZeroString: {
        const std::string_view s = args.string(arg);
        if (s.find('\0') != std::string_view::npos) throw PackError(arg, "string contains zeros");
        out.append(s);
        out.push_back('\0');
        break;
      }
      case PackKind::Padding:
        out.push_back('\0');
        --arg;
        break;
      case PackKind::AlignPadding:
      case PackKind::Nop:
        --arg;  // consumed no argument
        break;
    }
  }
  return out;
}

// ---- unpack --------------------------------------------------------------------------------

int64_t unpackValues(std::string_view format, std::string_view data, int64_t init,
                     UnpackSink& sink) {
  FormatReader reader(format);
  const size_t length = data.size();
  size_t pos = relativePosition(init, length) - 1;
  if (pos > length) throw PackError(3, "initial position out of string");
  while (!reader.done()) {
    const PackOption option = reader.next(pos);
    const auto size = static_cast<size_t>(option.size);
    if (static_cast<size_t>(option.alignPad) + size > length - pos)
      throw PackError(2, "data string too short");
    pos += static_cast<size_t>(option.alignPad);
    sink.reserve();
    const char* at = data.data() + pos;
    switch (option.kind) {
      case PackKind::Int:
      case PackKind::Unsigned:
        sink.integer(readInteger(at, option.little, option.size, option.kind == PackKind::Int));
        break;
      case PackKind::Float: sink.number(readFloat<float>(at, option.little)); break;
      case PackKind::Number:
      case PackKind::Double: sink.number(readFloat<double>(at, option.little)); break;
      case PackKind::FixedString: sink.string(data.substr(pos, size)); break;
      case PackKind::LengthString: {
        const auto n = static_cast<size_t>(readInteger(at, option.little, option.size, false));
        if (n > length - pos - size) throw PackError(2, "data string too short");
        sink.string(data.substr(pos + size, n));
        pos += n;
        break;
      }
      case PackKind::ZeroString: {
        const size_t zero = data.find('\0', pos);
        if (zero == std::string_view::npos)
          throw PackError(2, "unfinished string for format 'z'");
        sink.string(data.substr(pos, zero - pos));
        pos = zero + 1;
        break;
      }
      case PackKind::Padding:
      case PackKind::AlignPadding:
      case PackKind::Nop:
        break;
    }
    pos += size;
  }
  return static_cast<int64_t>(pos) + 1;
}

// ---- packsize ------------------------------------------------------------------------------

int64_t packSize(std::string_view format) {
  FormatReader reader(format);
  size_t total = 0;
  while (!reader.done()) {
    const PackOption option = reader.next(total);
    if (option.kind == PackKind::LengthString || option.kind == PackKind::ZeroString)
      throw PackError(1, "variable-length format");
    const auto size = static_cast<size_t>(option.size) + static_cast<size_t>(option.alignPad);
    if (total > kMaxPackedSize - size) throw PackError(1, "format result too large");
    total += size;
  }
  return static_cast<int64_t>(total);
}

}  // namespace lunette
