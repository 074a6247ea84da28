// Binary chunks: Lunette's own serialized form of a FunctionData (string.dump, load of a
// binary string or file). The bytecode layer: no heap, no State.
//
// Format (version kChunkFormatVersion). All multi-byte fixed-width values are little-endian.
//
//   header   "\x1bLua"                 the signature every Lua binary chunk starts with, so
//                                      load() tells binary from text by the first byte
//            "Lunette"                 whose format this is (PUC Lua's chunks differ)
//            u8 format version
//            u8 sizeof(Instruction), u8 sizeof(int64_t), u8 sizeof(double)
//            i64 0x5678                integer check (endianness and width)
//            f64 370.5                 float check (representation)
//   function (recursive):
//            source      u8 0 (inherit the parent's; "=?" for a stripped main) | 1 + string
//            linedefined, lastlinedefined   varint
//            u8 numparams, u8 isVararg (0/1), u8 maxstacksize
//            code        varint n, n x u32
//            constants   varint n, n x (u8 kind, payload): nil | false | true |
//                        integer i64 | float f64 (bit pattern) | string
//            upvalues    varint n, n x (u8 instack 0/1, u8 index, u8 kind)
//            children    varint n, n x function
//            debug       varint n (0 or #code), n x zigzag varint line delta;
//                        varint n, n x (string name, varint startpc, varint endpc);
//                        varint n (0 or #upvalues), n x string name
//   a string is varint length + bytes (zero bytes allowed).
//
// Invariants of undumpChunk: it reads nothing beyond the input (every read checks what is
// left), allocates at most in proportion to the input (every count is bounded by the bytes
// left), nests at most kMaxChunkDepth functions, consumes the whole input, and returns only
// FunctionData that checkFunctionData accepts. Anything else is a ChunkFormatError.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "bytecode/function_data.h"

namespace lunette {

inline constexpr uint8_t kChunkFormatVersion = 2;  // 2: RETURN0 and RETURN1 after RETURN
inline constexpr int kMaxChunkDepth = 200;  // nested functions; the compiler's limit is lower

// Why a binary chunk was refused: "truncated chunk", "not a Lunette chunk", ... Callers
// prefix the chunk name and "bad binary format" as the reference does.
class ChunkFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// True when `bytes` is meant as a binary chunk (its first byte is the signature's ESC).
inline bool isBinaryChunk(std::string_view bytes) {
  return !bytes.empty() && bytes.front() == '\x1b';
}

// Serializes `function` and its children. With `strip`, the debug part is left out (line
// info, local and upvalue names, the source name).
std::string dumpChunk(const FunctionData& function, bool strip);

// Parses and checks a binary chunk; throws ChunkFormatError when it is not a valid one.
std::unique_ptr<FunctionData> undumpChunk(std::string_view bytes);

}  // namespace lunette
