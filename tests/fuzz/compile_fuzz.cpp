// libFuzzer target for the front end: compiles arbitrary bytes. compile() must either return
// well-formed bytecode or throw SyntaxError; anything else (a crash, a sanitizer report, another
// exception, or bytecode breaking the invariants the VM relies on) is a bug.
//
// Build and run (seed it with the Lua test corpus):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -Icore/src \
//     tests/fuzz/compile_fuzz.cpp core/src/compiler/*.cpp core/src/bytecode/*.cpp \
//     core/src/common/numconv.cpp -o /tmp/compile_fuzz
//   /tmp/compile_fuzz -max_total_time=60 -max_len=4096 /tmp/corpus tests/lua
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bytecode/bytecode_check.h"
#include "bytecode/disasm.h"
#include "compiler/compile.h"

using namespace lunette;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  try {
    auto function = compile(source, "=fuzz");
    if (!checkFunctionData(*function).empty()) std::abort();  // the VM's invariants
    if (disassemble(*function).empty()) std::abort();
  } catch (const SyntaxError&) {
    // the only acceptable failure
  }
  return 0;
}
