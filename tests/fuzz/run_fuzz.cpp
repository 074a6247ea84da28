// libFuzzer target for execution: runs arbitrary bytes as a Lua chunk in a sandbox (no files,
// no processes, output discarded) under an instruction budget and a 64 MB memory limit, with
// a collector step at every safe point when built as lunette_run_stress_fuzz (inputs of odd
// size in generational mode). Lua errors,
// "not enough memory" and running out of budget are all fine; a crash, a sanitizer report, a
// leak, a C++ exception escaping the State, or a heap that fails validateHeap() (in the stress
// target also the verifier, run before every 64th collector step) is a bug, and
// so is an input that runs past libFuzzer's -timeout (the budget must bound every run).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "lib/libs.h"
#include "vm/state.h"

#ifndef LUNETTE_FUZZ_GC_STRESS
#define LUNETTE_FUZZ_GC_STRESS 0
#endif

namespace {

using namespace lunette;

constexpr bool kGcStress = LUNETTE_FUZZ_GC_STRESS != 0;
constexpr size_t kMemoryLimit = size_t{64} << 20;
constexpr int64_t kSliceBudget = 10000;
constexpr int kMaxSlices = kGcStress ? 10 : 50;

// Takes away what reaches outside the process or changes it for the next input: the io
// library, os functions that run commands, touch files, exit or set the locale, loading files,
// the file searchers of require, and the memory limit's setter.
constexpr std::string_view kSandbox = R"(
  local loaded = package.loaded
  io, loaded.io = nil, nil
  for _, name in ipairs({"execute", "remove", "rename", "exit", "tmpname", "setlocale", "getenv"}) do
    os[name] = nil
  end
  dofile, loadfile = nil, nil
  package.searchers = {package.searchers[1]}
  package.searchpath, package.path, package.cpath = nil, "", ""
  loaded.lunette.memorylimit = nil
  debug.debug = nil
)";

bool runChunk(State& S, std::string_view source, const char* name) {
  if (!S.load(source, name).ok) return false;
  S.start(0);
  for (int slice = 0; slice < kMaxSlices; ++slice) {
    if (S.run(kSliceBudget) != RunStatus::Paused) return true;
  }
  S.abandon();  // out of budget: the Stop button
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  State S;
  S.outputSink = [](std::string_view) {};
  S.errorSink = [](std::string_view) {};
  openStandardLibraries(S);
  if (!runChunk(S, kSandbox, "=sandbox") || S.exited()) std::abort();
  S.collector.memoryLimit = kMemoryLimit;
  S.collector.stressStep = kGcStress;
  // The stress target runs every other input (by the parity of its size) in generational mode,
  // with majors due often (majormul 20%), so incremental majors, minors and the young sweep
  // all meet the fuzzed programs too.
  if (kGcStress && size % 2 == 1) {
    S.collector.setMode(S, GcMode::Generational);
    S.collector.majormul = 20;
  }
  // Checked mode: the verifier before every 64th step. Before every step, a heap of a few MB
  // made one input take 43 s (the verifier walks the whole heap each time).
  S.collector.verifyEvery = kGcStress ? 64 : 0;
  S.nestedOverdraftLimit = kSliceBudget * kMaxSlices;  // a sort comparator may loop forever too
  runChunk(S, std::string_view(reinterpret_cast<const char*>(data), size), "=fuzz");
  std::string problem = S.collector.verifyFailure;
  if (problem.empty()) problem = S.collector.validateHeap(S);
  if (!problem.empty()) {
    std::fprintf(stderr, "validateHeap: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
