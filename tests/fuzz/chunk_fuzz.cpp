// libFuzzer target for the binary chunk loader (bytecode/chunk_dump.h): undumps arbitrary
// bytes. undumpChunk must either return a function the bytecode checker accepts, whose dump
// reads back to the same function, or throw ChunkFormatError; anything else (a crash, a sanitizer
// report, another exception) is a bug. Seeds: tests/fuzz/corpus/chunk (chunks string.dump
// wrote, stripped and not).
//
// Build and run alone (the loader needs no VM):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Icore/src \
//     tests/fuzz/chunk_fuzz.cpp core/src/bytecode/chunk_dump.cpp \
//     core/src/bytecode/bytecode_check.cpp -o /tmp/chunk_fuzz
//   /tmp/chunk_fuzz -max_total_time=60 /tmp/corpus tests/fuzz/corpus/chunk
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bytecode/bytecode_check.h"
#include "bytecode/chunk_dump.h"

using namespace lunette;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<FunctionData> function;
  try {
    function = undumpChunk(bytes);
  } catch (const ChunkFormatError&) {
    return 0;  // the only acceptable failure
  }
  if (!checkFunctionData(*function).empty()) std::abort();
  // Writer and reader agree: what was accepted dumps to a chunk that reads back and dumps to
  // the same bytes (the input itself may differ: the reader also takes overlong varints).
  std::string again = dumpChunk(*function, false);
  try {
    if (dumpChunk(*undumpChunk(again), false) != again) std::abort();
  } catch (const ChunkFormatError&) {
    std::abort();
  }
  return 0;
}
