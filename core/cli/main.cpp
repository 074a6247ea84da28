// The `lunette` command, used like the reference `lua`:
//   lunette [options] [script [args]]
//     -e stat   execute string 'stat'        -l mod   require 'mod' into global 'mod'
//     -i        interactive mode after script -v       show version
//     -E        ignore environment variables  -W       turn warnings on
//     --        stop handling options         -        execute stdin and stop handling options
//     --gc-stress-step     a collector step at every safe point (tests the barriers)
//     --gc-stress-full=N   a full collection at every N-th safe point
//     --gc=MODE            start the collector in MODE: incremental, generational, luajit
//     --bytecode FILE      list FILE's compiled bytecode and exit
//     --shim=ngx|skynet    run the script as the first request handler (ngx) or service
//                          (skynet) of a scheduler on a virtual clock (lib/shim_*.lua)
//     --compare SETTING... script  the script under each collector setting ("incremental
//                          pause=100"), a table of what each cost (cli/compare.h)
//     --no-inspector       no event ring and no coroutine registry (measures their cost)
//     --trace FILE         write the telemetry stream (JSON lines) the playground can draw
//     --validate-heap      check the heap's invariants at exit (status 70 when broken)
//     --gc-verify[=N]      checked mode: the heap verifier after every N-th collector step
//                          (default 1) and every phase change; status 70 when it fails
//     --gc-cpu-clock       time collector steps in thread CPU time (benchmarks on a busy machine)
//     --memory-limit=BYTES a heap limit: allocating beyond it raises "not enough memory"
// Uncaught errors print "lunette: message" and a traceback to stderr and exit with status 1.
#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <iostream>
#include <string>
#include <vector>

#include "bytecode/disasm.h"
#include "compare.h"
#include "common/read_file.h"
#include "compiler/compile.h"
#include "inspect/heap_json.h"
#include "inspect/inspector.h"
#include "lib/embedded_modules.h"
#include "inspect/telemetry_json.h"
#include "lib/libs.h"
#include "vm/state.h"

namespace {

using lunette::Lua;
using lunette::RunStatus;
using lunette::State;

const char* programName = "lunette";

// --trace FILE: the telemetry stream the playground draws, one JSON batch per line (the shape
// of the worker's `slice` messages: samples, events, and at most every kSuspectsEveryMs the
// leak suspects with their paths), written between slices. The last line adds the coroutine
// registry and a census, so a replay shows what the page would have shown at the end.
struct TraceWriter {
  static constexpr double kSuspectsEveryMs = 500;
  static constexpr double kSuspectThresholdMs = 1000;
  static constexpr size_t kSuspectLimit = 50;
  FILE* file = nullptr;
  uint64_t eventCursor = 0;
  uint64_t dropped = 0;
  double suspectsAtMs = -kSuspectsEveryMs;

  lunette::Recording::Cursor cursor;

  // Samples: while the recording has never thinned, each line carries the samples taken since
  // the previous one; after that only the last line does, with the whole (thinned) recording
  // marked `replace`, so a trace of a long run stays as bounded as the recording itself.
  void appendSamples(std::string& line, const lunette::Recording& recording, bool last) {
    if (last || recording.generation() == 0) {
      lunette::appendRecordingJson(line, recording, cursor);
    } else {
      lunette::appendSamplesJson(line, nullptr, 0);
    }
  }

  void slice(State& S, bool last) {
    if (!file) return;
    inspectorOf(S).takeSample(last ? lunette::SampleReason::RunEnd : lunette::SampleReason::Tick);
    double now = inspectorOf(S).nowMs();
    std::string line = "{\"samples\":";
    appendSamples(line, inspectorOf(S).recording, last);
    line += ",\"events\":";
    lunette::appendEventsJson(line, inspectorOf(S), &eventCursor, 4096, &dropped);
    if (last || now - suspectsAtMs >= kSuspectsEveryMs) {
      suspectsAtMs = now;
      line += ",\"suspects\":{\"thresholdMs\":";
      lunette::appendJsonNumber(line, kSuspectThresholdMs);
      line += ",\"list\":";
      line += lunette::suspectsJson(S, kSuspectThresholdMs, kSuspectLimit);
      line += '}';
    }
    if (last) {
      line += ",\"coroutines\":";
      line += lunette::coroutinesJson(inspectorOf(S), 100000);
      line += ",\"census\":";
      line += lunette::censusJson(S, 200);
    }
    line += "}\n";
    std::fwrite(line.data(), 1, line.size(), file);
  }
};
TraceWriter trace;
bool validateAtExit = false;
std::string shimName;  // --shim=ngx|skynet: the script runs on the shim's virtual clock

// --validate-heap: after the run, the collector's own check of the heap (lists, accounting,
// colours); a broken heap is reported and the exit status becomes 70.
int finish(State& S, int status) {
  std::fflush(stdout);
  if (!S.collector.verifyFailure.empty()) {
    std::fprintf(stderr, "%s: heap verification failed %s\n", programName, S.collector.verifyFailure.c_str());
    return 70;
  }
  if (validateAtExit) {
    std::string problem = S.collector.validateHeap(S);
    if (!problem.empty()) {
      std::fprintf(stderr, "%s: heap validation failed: %s\n", programName, problem.c_str());
      return 70;
    }
  }
  return status;
}

void reportError(State& S, const std::string& message, const std::string& traceback) {
  std::fprintf(stderr, "%s: %s\n%s\n", programName, message.c_str(), traceback.c_str());
  std::fflush(stderr);
}

// Runs the function under `nargs` arguments on the main stack; false after reporting an error.
bool runToEnd(State& S, int nargs, int nresults = 0) {
  Lua L = S.mainApi();
  int base = L.top() - nargs - 1;
  S.start(nargs);
  RunStatus status;
  // With --trace, run in slices so the stream has samples along the way.
  int64_t slice = trace.file ? lunette::kTickInstructions : INT64_MAX / 4;
  do {
    status = S.run(slice);
    trace.slice(S, status != RunStatus::Paused);
  } while (status == RunStatus::Paused);
  if (status == RunStatus::Failed) {
    reportError(S, S.errorMessage(), S.errorTraceback());
    return false;
  }
  if (S.exited()) {
    // os.exit: the state has done its closing; the process ends here.
    int status = finish(S, S.exitStatus());
    std::fflush(stderr);
    std::_Exit(status);
  }
  if (nresults == 0) L.setTop(base);
  return true;
}

bool loadAndRun(State& S, const std::string& source, const std::string& chunkname) {
  auto result = S.load(source, chunkname);
  if (!result.ok) {
    Lua L = S.mainApi();
    std::fprintf(stderr, "%s: %s\n", programName, result.message.c_str());
    L.pop(1);
    return false;
  }
  return runToEnd(S, 0);
}

bool runScript(State& S, const char* name, const std::vector<std::string>& args) {
  std::string source;
  std::string chunkname = name ? std::string("@") + name : std::string("=stdin");
  if (!lunette::readWholeFile(name, source)) {
    std::fprintf(stderr, "%s: cannot open %s\n", programName, name);
    return false;
  }
  lunette::skipCommentLine(source);
  auto result = S.load(source, chunkname);
  Lua L = S.mainApi();
  if (!result.ok) {
    std::fprintf(stderr, "%s: %s\n", programName, result.message.c_str());
    L.pop(1);
    return false;
  }
  int nargs = static_cast<int>(args.size());
  if (!shimName.empty()) {
    // --shim=NAME: the chunk becomes the first task of the shim's scheduler on its virtual
    // clock (requiring the shim is instant: its modules are compiled in).
    try {
      lunette::wrapInShim(L, shimName);
    } catch (const lunette::LuaError&) {
      reportError(S, S.errorMessage(), "");
      return false;
    }
    nargs += 1;
  }
  for (const std::string& a : args) L.pushString(a);
  return runToEnd(S, nargs);
}

void interactive(State& S) {
  std::string line;
  while (true) {
    std::fputs("> ", stdout);
    std::fflush(stdout);
    if (!std::getline(std::cin, line)) break;
    Lua L = S.mainApi();
    // Try as an expression first, like the reference REPL.
    auto result = S.load("return " + line, "=stdin");
    if (!result.ok) {
      L.pop(1);
      result = S.load(line, "=stdin");
    }
    if (!result.ok) {
      std::fprintf(stderr, "%s: %s\n", programName, result.message.c_str());
      L.pop(1);
      continue;
    }
    int base = L.top() - 1;
    if (!runToEnd(S, 0, -1)) continue;
    int n = L.top() - base;
    if (n > 0) {
      L.getGlobal("print");
      L.insert(base + 1);
      L.call(n, 0);
    }
    L.setTop(base);
  }
  std::fputs("\n", stdout);
}

// glibc's malloc serves a block past its mmap threshold with a fresh mapping, and raises that
// threshold (up to 32 MB) each time such a block is freed; it also gives the top of its heap
// back to the system whenever more than twice that threshold is free there. A script that
// grows a few big arrays per round and drops them (the collector frees them some steps later)
// makes both swing: each round's arrays land on pages given back a moment before, and every
// page faults again when it is zero-filled (array_sum: 35k page faults against lua5.4's
// 12k, a third of its run time in the kernel). Fixed thresholds keep freed big blocks in the
// heap for the next ones; a realloc past 32 MB still remaps instead of copying.
void tuneAllocator() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  tuneAllocator();
  if (argc > 1 && std::strcmp(argv[1], "--compare") == 0) return lunette::cli::runCompare(argc, argv, 2);
  State S;
  openStandardLibraries(S);
  // Like the reference standalone interpreter, start in generational mode.
  S.collector.setMode(S, lunette::GcMode::Generational);
  Lua L = S.mainApi();

  // Find the script: the first argument that is not an option.
  int script = 0;
  bool hasE = false, hasI = false, hasV = false, noEnv = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      if (i + 1 < argc) script = i + 1;
      break;
    }
    if (a == "-") {
      script = i;
      break;
    }
    if (a == "-e" || a == "-l") {
      hasE = hasE || a == "-e";
      if (++i >= argc) {
        std::fprintf(stderr, "%s: '%s' needs argument\n", programName, a.c_str());
        return 1;
      }
      continue;
    }
    if (a == "-i") hasI = hasV = true;
    else if (a == "-v") hasV = true;
    else if (a == "-E") noEnv = true;
    else if (a == "-W") S.warningsOn = true;
    else if (a == "--bytecode") {
      // lunette --bytecode file.lua: list the compiled bytecode, like luac -l -l.
      if (i + 1 >= argc) return 1;
      std::string source;
      if (!lunette::readWholeFile(argv[i + 1], source)) {
        std::fprintf(stderr, "%s: cannot open %s\n", programName, argv[i + 1]);
        return 1;
      }
      try {
        std::fputs(lunette::disassemble(*lunette::compile(source, std::string("@") + argv[i + 1])).c_str(), stdout);
      } catch (const lunette::SyntaxError& e) {
        std::fprintf(stderr, "%s: %s\n", programName, e.what());
        return 1;
      }
      return 0;
    }
    else if (a == "--gc-stress-step") S.collector.stressStep = true;
    else if (a == "--no-inspector") S.stopInspecting();
    else if (a == "--validate-heap") validateAtExit = true;
    else if (a == "--gc-verify") S.collector.verifyEvery = 1;
    else if (a == "--gc-cpu-clock") lunette::Collector::cpuClock = true;
    else if (a.rfind("--gc-verify=", 0) == 0) S.collector.verifyEvery = std::max(1, std::atoi(a.c_str() + 12));
    else if (a.rfind("--shim=", 0) == 0 && lunette::isShimName(a.substr(7))) shimName = a.substr(7);
    else if (a.rfind("--memory-limit=", 0) == 0) S.collector.memoryLimit = std::strtoull(a.c_str() + 15, nullptr, 10);
    else if (a == "--trace") {
      if (++i >= argc) {
        std::fprintf(stderr, "%s: '--trace' needs a file name\n", programName);
        return 1;
      }
      trace.file = std::fopen(argv[i], "w");
      if (!trace.file) {
        std::fprintf(stderr, "%s: cannot open %s\n", programName, argv[i]);
        return 1;
      }
    }
    else if (a == "--gc=incremental") S.collector.setMode(S, lunette::GcMode::Incremental);
    else if (a == "--gc=generational") S.collector.setMode(S, lunette::GcMode::Generational);
    else if (a == "--gc=luajit") S.collector.setMode(S, lunette::GcMode::LuaJit);
    else if (a.rfind("--gc-stress-full=", 0) == 0) S.collector.stressEvery = std::atoi(a.c_str() + 17);
    else if (a.size() > 1 && a[0] == '-') {
      std::fprintf(stderr, "%s: unrecognized option '%s'\n", programName, a.c_str());
      std::fprintf(stderr, "usage: %s [options] [script [args]]\n", programName);
      return 1;
    } else {
      script = i;
      break;
    }
  }
  if (hasV) std::printf("Lunette (Lua 5.4 compatible)\n");

  // The arg table: arg[0] is the script, negative indexes the interpreter and options.
  L.newTable();
  int first = script ? script : argc;
  for (int i = 0; i < argc; ++i) {
    L.pushString(argv[i]);
    L.rawSetI(-2, i - first);
  }
  L.setGlobal("arg");

  if (!noEnv) {
    const char* init = std::getenv("LUA_INIT_5_4");
    const char* initName = "=LUA_INIT_5_4";
    if (!init) {
      init = std::getenv("LUA_INIT");
      initName = "=LUA_INIT";
    }
    if (init) {
      bool ok = init[0] == '@' ? runScript(S, init + 1, {}) : loadAndRun(S, init, initName);
      if (!ok) return finish(S, 1);
    }
  }

  // Run -e and -l in order.
  for (int i = 1; i < first; ++i) {
    std::string a = argv[i];
    if (a == "-e") {
      if (!loadAndRun(S, argv[++i], "=(command line)")) return finish(S, 1);
    } else if (a == "-l") {
      std::string mod = argv[++i];
      L.getGlobal("require");
      L.pushString(mod);
      if (!runToEnd(S, 1, -1)) return finish(S, 1);
      L.setGlobal(mod);
    }
  }

  if (script) {
    std::vector<std::string> args;
    for (int i = script + 1; i < argc; ++i) args.push_back(argv[i]);
    const char* name = std::strcmp(argv[script], "-") == 0 && std::strcmp(argv[script - 1], "--") != 0
                           ? nullptr
                           : argv[script];
    if (!runScript(S, name, args)) return finish(S, 1);
  }
  if (hasI) {
    interactive(S);
  } else if (!script && !hasE && !hasV) {
    if (isatty(0)) {
      std::printf("Lunette (Lua 5.4 compatible)\n");
      interactive(S);
    } else if (!runScript(S, nullptr, {})) {
      return 1;
    }
  }
  std::fflush(stdout);
  return finish(S, 0);
}
