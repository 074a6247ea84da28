// Binary chunks: writer and checked reader (see chunk_dump.h for the format and invariants).
#include "bytecode/chunk_dump.h"

#include <climits>
#include <cstring>
#include <variant>

#include "bytecode/bytecode_check.h"

namespace lunette {

namespace {

constexpr std::string_view kSignature = "\x1bLua";
constexpr std::string_view kFormatName = "Lunette";
constexpr int64_t kIntegerCheck = 0x5678;
constexpr double kFloatCheck = 370.5;

// A double's bit pattern and back (not std::bit_cast: Emscripten 3.1.6's libc++ lacks it).
uint64_t bitsOf(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return bits;
}
double doubleOf(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

enum class ConstantKind : uint8_t { Nil, False, True, Integer, Float, String };

// ---- writing ------------------------------------------------------------------------------

class ChunkWriter {
 public:
  explicit ChunkWriter(bool strip) : strip_(strip) {}

  std::string finish(const FunctionData& main) {
    out_ += kSignature;
    out_ += kFormatName;
    byte(kChunkFormatVersion);
    byte(sizeof(Instruction));
    byte(sizeof(int64_t));
    byte(sizeof(double));
    fixed64(static_cast<uint64_t>(kIntegerCheck));
    fixed64(bitsOf(kFloatCheck));
    function(main, nullptr);
    return std::move(out_);
  }

 private:
  void byte(uint8_t b) { out_ += static_cast<char>(b); }
  void fixed32(uint32_t v) {
    for (int i = 0; i < 4; ++i) byte(static_cast<uint8_t>(v >> (8 * i)));
  }
  void fixed64(uint64_t v) {
    for (int i = 0; i < 8; ++i) byte(static_cast<uint8_t>(v >> (8 * i)));
  }
  void varint(uint64_t v) {
    while (v >= 0x80) {
      byte(static_cast<uint8_t>(v | 0x80));
      v >>= 7;
    }
    byte(static_cast<uint8_t>(v));
  }
  void count(size_t n) { varint(n); }
  void signedVarint(int64_t v) {  // zigzag: small magnitudes of either sign stay short
    varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  void string(std::string_view s) {
    count(s.size());
    out_ += s;
  }

  void function(const FunctionData& f, const FunctionData* parent) {
    if (strip_ || (parent && parent->source == f.source)) {
      byte(0);
    } else {
      byte(1);
      string(f.source);
    }
    varint(static_cast<uint64_t>(f.linedefined));
    varint(static_cast<uint64_t>(f.lastlinedefined));
    byte(f.numparams);
    byte(f.isVararg ? 1 : 0);
    byte(f.maxstacksize);
    count(f.code.size());
    for (Instruction i : f.code) fixed32(i);
    count(f.constants.size());
    for (const Constant& c : f.constants) constant(c);
    count(f.upvalues.size());
    for (const UpvalueInfo& u : f.upvalues) {
      byte(u.instack ? 1 : 0);
      byte(u.index);
      byte(static_cast<uint8_t>(u.kind));
    }
    count(f.children.size());
    for (const auto& child : f.children) function(*child, &f);
    debugInfo(f);
  }

  void constant(const Constant& c) {
    if (std::holds_alternative<NilConstant>(c)) {
      byte(static_cast<uint8_t>(ConstantKind::Nil));
    } else if (auto* b = std::get_if<bool>(&c)) {
      byte(static_cast<uint8_t>(*b ? ConstantKind::True : ConstantKind::False));
    } else if (auto* i = std::get_if<int64_t>(&c)) {
      byte(static_cast<uint8_t>(ConstantKind::Integer));
      fixed64(static_cast<uint64_t>(*i));
    } else if (auto* d = std::get_if<double>(&c)) {
      byte(static_cast<uint8_t>(ConstantKind::Float));
      fixed64(bitsOf(*d));
    } else {
      byte(static_cast<uint8_t>(ConstantKind::String));
      string(std::get<std::string>(c));
    }
  }

  void debugInfo(const FunctionData& f) {
    if (strip_) {
      count(0);  // line info
      count(0);  // locals
      count(0);  // upvalue names
      return;
    }
    count(f.lineinfo.size());
    int64_t previous = f.linedefined;
    for (int line : f.lineinfo) {
      signedVarint(line - previous);
      previous = line;
    }
    count(f.locvars.size());
    for (const LocalVarInfo& var : f.locvars) {
      string(var.name);
      varint(static_cast<uint64_t>(var.startpc));
      varint(static_cast<uint64_t>(var.endpc));
    }
    count(f.upvalues.size());
    for (const UpvalueInfo& u : f.upvalues) string(u.name);
  }

  bool strip_;
  std::string out_;
};

// ---- reading ------------------------------------------------------------------------------

class ChunkReader {
 public:
  explicit ChunkReader(std::string_view bytes) : in_(bytes) {}

  std::unique_ptr<FunctionData> read() {
    header();
    auto main = function(nullptr, 0);
    if (pos_ != in_.size()) fail("extra bytes after the chunk");
    std::string broken = checkFunctionData(*main);
    if (!broken.empty()) fail("corrupted chunk: " + broken);
    return main;
  }

 private:
  [[noreturn]] static void fail(const std::string& why) { throw ChunkFormatError(why); }
  size_t left() const { return in_.size() - pos_; }
  void need(size_t n) const {
    if (n > left()) fail("truncated chunk");
  }

  void header() {
    // A prefix of the signature is a truncated chunk; anything else is not ours.
    for (std::string_view expected : {kSignature, kFormatName}) {
      size_t n = std::min(expected.size(), left());
      if (in_.substr(pos_, n) != expected.substr(0, n))
        fail(expected == kSignature ? "not a binary chunk" : "not a Lunette chunk");
      need(expected.size());
      pos_ += expected.size();
    }
    if (byte() != kChunkFormatVersion) fail("format version mismatch");
    if (byte() != sizeof(Instruction)) fail("Instruction size mismatch");
    if (byte() != sizeof(int64_t)) fail("lua_Integer size mismatch");
    if (byte() != sizeof(double)) fail("lua_Number size mismatch");
    if (static_cast<int64_t>(fixed64()) != kIntegerCheck) fail("integer format mismatch");
    if (doubleOf(fixed64()) != kFloatCheck) fail("float format mismatch");
  }

  uint8_t byte() {
    need(1);
    return static_cast<uint8_t>(in_[pos_++]);
  }
  bool flag() {
    uint8_t b = byte();
    if (b > 1) fail("corrupted chunk: bad flag");
    return b == 1;
  }
  uint32_t fixed32() {
    need(4);
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
      v |= static_cast<uint32_t>(static_cast<uint8_t>(in_[pos_++])) << (8 * i);
    return v;
  }
  uint64_t fixed64() {
    need(8);
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
      v |= static_cast<uint64_t>(static_cast<uint8_t>(in_[pos_++])) << (8 * i);
    return v;
  }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      uint8_t b = byte();
      if (shift == 63 && b > 1) fail("corrupted chunk: varint overflow");
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
      if (shift == 63) fail("corrupted chunk: varint overflow");
    }
  }
  int64_t signedVarint() {
    uint64_t v = varint();
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  }
  int nonNegativeInt() {
    uint64_t v = varint();
    if (v > static_cast<uint64_t>(INT_MAX)) fail("corrupted chunk: number out of range");
    return static_cast<int>(v);
  }
  // A count of items each taking at least `minBytes`: bounded by what is left, so a corrupt
  // count fails as truncated instead of asking for gigabytes.
  size_t count(size_t minBytes) {
    uint64_t n = varint();
    if (n > left() / minBytes) fail("truncated chunk");
    return static_cast<size_t>(n);
  }
  std::string string() {
    size_t n = count(1);
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }

  std::unique_ptr<FunctionData> function(const FunctionData* parent, int depth) {
    if (depth >= kMaxChunkDepth) fail("corrupted chunk: functions nested too deeply");
    auto f = std::make_unique<FunctionData>();
    if (flag())
      f->source = string();
    else
      f->source = parent ? parent->source : "=?";
    f->linedefined = nonNegativeInt();
    f->lastlinedefined = nonNegativeInt();
    f->numparams = byte();
    f->isVararg = flag();
    f->maxstacksize = byte();
    f->code.resize(count(4));
    for (Instruction& i : f->code) i = fixed32();
    f->constants.resize(count(1));
    for (Constant& c : f->constants) c = constant();
    f->upvalues.resize(count(3));
    for (UpvalueInfo& u : f->upvalues) {
      u.instack = flag();
      u.index = byte();
      uint8_t kind = byte();
      if (kind > static_cast<uint8_t>(VarKind::CompileTimeConst))
        fail("corrupted chunk: bad upvalue kind");
      u.kind = static_cast<VarKind>(kind);
    }
    f->children.resize(count(1));
    for (auto& child : f->children) child = function(f.get(), depth + 1);
    settleExits(*f);  // never trust a chunk's k bits: a clear one would skip closing
    debugInfo(*f);
    return f;
  }

  Constant constant() {
    switch (static_cast<ConstantKind>(byte())) {
      case ConstantKind::Nil:
        return NilConstant{};
      case ConstantKind::False:
        return false;
      case ConstantKind::True:
        return true;
      case ConstantKind::Integer:
        return static_cast<int64_t>(fixed64());
      case ConstantKind::Float:
        return doubleOf(fixed64());
      case ConstantKind::String:
        return string();
    }
    fail("corrupted chunk: bad constant kind");
  }

  void debugInfo(FunctionData& f) {
    size_t lines = count(1);
    if (lines != 0 && lines != f.code.size()) fail("corrupted chunk: bad line info size");
    f.lineinfo.resize(lines);
    int64_t line = f.linedefined;
    for (int& l : f.lineinfo) {
      int64_t delta = signedVarint();
      if (delta < -(int64_t{1} << 32) || delta > (int64_t{1} << 32))
        fail("corrupted chunk: line out of range");
      line += delta;
      if (line < INT_MIN || line > INT_MAX) fail("corrupted chunk: line out of range");
      l = static_cast<int>(line);
    }
    f.locvars.resize(count(3));
    for (LocalVarInfo& var : f.locvars) {
      var.name = string();
      var.startpc = nonNegativeInt();
      var.endpc = nonNegativeInt();
    }
    size_t names = count(1);
    if (names != 0 && names != f.upvalues.size()) fail("corrupted chunk: bad upvalue names");
    for (size_t i = 0; i < names; ++i) f.upvalues[i].name = string();
  }

  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

std::string dumpChunk(const FunctionData& function, bool strip) {
  return ChunkWriter(strip).finish(function);
}

std::unique_ptr<FunctionData> undumpChunk(std::string_view bytes) {
  return ChunkReader(bytes).read();
}

}  // namespace lunette
