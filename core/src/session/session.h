// The Session: one Lua universe driven in budgeted slices, as the web worker and wasm/run.mjs
// use it. It is a thin shell over lunette::State and knows nothing of JavaScript: bindings.cpp
// turns its plain results into JS values, and it builds natively for the unit tests.
//
// Lifecycle. load() compiles a chunk onto the State; the first run() starts it (with the
// varargs set by setArgs), later calls resume it, each executing about `budget` instructions.
// A run ends Finished, Failed (an uncaught error: message, line, traceback) or Exited
// (os.exit: the State is then spent and the next load() starts a fresh one). stop() abandons
// a paused run; reset() replaces the State by a fresh one.
//
// Invariants.
// - No C++ exception escapes a public member: every failure becomes a result with an error
//   record (the wasm boundary must never see a raw exception).
// - Output written by print/io.write and by io.stderr/warnings accumulates in two buffers until
//   drained; each is capped so a runaway print loop cannot exhaust memory.
// - Samples are the inspector's recording (inspect/recording.h): the VM takes them at its own
//   events; the Session adds a tick every `sampleInterval` instructions inside run() and one at
//   the end of every run() call. telemetryJson() sends what the page has not seen (or the whole
//   recording, marked `replace`, after the recording thinned), with the inspector's events
//   since the previous batch. Times (`t`) are milliseconds since
//   the State was created: the worker creates one per run, so since the run started.
// - The heap questions (explain, suspects, census) only read the heap and run between run()
//   calls, so they see a consistent heap; they answer JSON like the telemetry.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inspect/heap_graph.h"
#include "inspect/telemetry_json.h"
#include "session/memory_reserve.h"
#include "vm/state.h"

namespace lunette {

class State;

enum class SessionStatus { Idle, Paused, Finished, Failed, Exited };

// "idle", "paused", "finished", "error", "exit": the names JavaScript sees.
std::string_view sessionStatusName(SessionStatus status);

// A failed run's error, typed: `kind` is "runtime" (error(), or an error the VM raised),
// "memory" ("not enough memory"), "handler" ("error in error handling") or "internal" (a bug
// of ours); the VM decides it where the error is thrown. `position` is where the error points:
// the chunk and line its message names, else the innermost Lua frame that raised it (line 0:
// neither). `line` is the line of the script the editor marks: the position when it is in the
// script, else the innermost script frame; 0 when the error does not point into the script.
// (Syntax errors are load results, os.exit and Stop are run statuses: see SessionLoadResult,
// SessionStatus.)
struct ErrorRecord {
  std::string kind = "runtime";
  std::string message;
  int line = 0;
  SourcePosition position;
  std::string traceback;
};

struct SessionLoadResult {
  bool ok = false;
  std::string message;    // the syntax error, as the reference formats it
  int line = 0;
  int column = 0;
};

struct SessionRunResult {
  SessionStatus status = SessionStatus::Idle;
  ErrorRecord error;      // when Failed
  int exitCode = 0;       // when Exited
  int64_t instructions = 0;  // executed by this call
  int line = 0;              // runToNextLine: the line the script stopped before
};

// Collector settings; a field left empty keeps its current value.
struct GcSettings {
  std::optional<int> pause, stepmul, stepsize, minormul, majormul;
};

struct GcStateReport {
  std::string mode;       // "incremental", "generational", "luajit"
  int pause = 0, stepmul = 0, stepsize = 0, minormul = 0, majormul = 0;
  bool running = true;
  double total = 0;
  double threshold = 0;
};

class Session {
 public:
  static constexpr size_t kDefaultMemoryLimit = size_t{256} << 20;
  static constexpr size_t kOutputCap = size_t{64} << 20;
  static constexpr int64_t kDefaultSampleInterval = kTickInstructions;
  static constexpr size_t kMaxEventsPerBatch = 4096;
  static constexpr size_t kMaxCoroutineRecords = 1000;
  static constexpr size_t kMaxCensusSites = 200;

  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // ---- running -----------------------------------------------------------------------------
  SessionLoadResult load(std::string_view source, std::string_view chunkname);
  // The global `arg` table (arg[0] = script, arg[-1] = "lunette") and the main chunk's varargs.
  void setArgs(std::string_view script, const std::vector<std::string>& args);
  SessionRunResult run(int64_t budget);
  // "" (plain Lua), "ngx" or "skynet": the next load()'s chunk runs as the first task of that
  // server shim's scheduler on a virtual clock, as `lunette --shim=NAME`. Empty string on
  // success, else why the name was refused.
  std::string setShim(std::string_view name);
  void stop();                 // abandons a paused run; the State stays usable
  void reset();                // a fresh State; the old one's finalizer output is discarded
  void close();                // closes the State like lua_close: finalizers run, output kept
  // close() for a process that exits next (wasm/run.mjs): the same finalizers run and print,
  // but the State's memory is left as it is rather than freed object by object, and so never
  // freed. Only for an exit: a page that goes on using the module would leak the heap.
  void closeForExit();
  SessionStatus status() const { return status_; }

  // Compiles `source` without running it (no State is touched, so it may be asked at any
  // moment, also between two slices of a run): {"ok":true,"names":[{name, kind, line, column,
  // from, to, detail}]} with the script's names and their scopes (compiler/outline.h), or
  // {"ok":false,"message","line","column"} with the error exactly as load() reports it.
  static std::string checkJson(std::string_view source, std::string_view chunkname);

  // ---- output ------------------------------------------------------------------------------
  std::string drainOutput() { return drain(output_, outputTruncated_); }
  // [[instructions, byteEnd], ...] for the text the last drainOutput() returned: its first
  // byteEnd bytes had been written when the VM had executed `instructions` (see markOutput).
  std::string drainOutputMarks();
  static constexpr size_t kMaxOutputMarks = 512;
  std::string drainErrors() { return drain(errors_, errorsTruncated_); }

  // ---- collector ---------------------------------------------------------------------------
  // Empty string on success, otherwise why the request was refused.
  std::string setGc(std::string_view mode, const GcSettings& settings);
  std::string gcAction(std::string_view name, int64_t arg);
  GcStateReport gcState();
  void setMemoryLimit(size_t bytes);
  size_t memoryLimit() const { return memoryLimit_; }

  // ---- telemetry ---------------------------------------------------------------------------
  void setSampleInterval(int64_t instructions);
  // {"samples":{"fields":[...],"rows":[[...],...]},"events":[...],"droppedEvents":n} since
  // the last call.
  std::string telemetryJson();
  // The coroutine registry (PROTOCOL.md's `coroutines`): the newest kMaxCoroutineRecords.
  std::string coroutinesJson();
  int64_t instructionCount() const;
  double elapsedMs() const;      // since the current run started

  // The run so far in figures (inspect/run_summary.h), for comparing collector settings:
  // {"peakBytes","finalBytes","cycles","steps","longestStepMs","p99StepMs","gcMs","instructions"}.
  std::string runSummaryJson();

  // What each coroutine parked by a server shim waits for, from the shim's scheduler (sleep
  // until t, semaphore #n, wakeup token, thread.wait on #n): {"<coroutine id>": "text", ...};
  // {} without a shim. The page's "waiting for" column.
  std::string waitingJson();
  // The same for the coroutines the shim's scheduler left waiting when it ended: nothing is
  // left to wake them ({} while the scheduler runs, or without a shim).
  std::string strandedJson();

  // ---- heap questions ----------------------------------------------------------------------
  // Why coroutine `id` is alive: {"found", "edges":[{text, chunk?, line?}], "target"}; found is
  // false when it was collected, is unknown, or nothing strong reaches it.
  std::string explainJson(uint32_t id);
  // Coroutines that look leaked, at most `limit`:
  // [{<registry record>, "reason", "idleMs", "waitsFor"?, "path":[edges]}]. Suspended and idle
  // for at least `thresholdMs` yet reachable, or dead yet still referenced, or (first, with
  // `waitsFor`) left waiting by a server shim's scheduler that has ended: a semaphore or a
  // wakeup nobody is left to post.
  std::string suspectsJson(double thresholdMs, size_t limit);
  // {"byType":{kind:{count, bytes}}, "bySite":[{site, count, bytes}]}: the heap by object kind
  // and the live coroutines by creation site (their stack bytes), largest first.
  std::string censusJson();

  // ---- stepping through the collector -------------------------------------------------------
  // A learner's run: setStepping(true) before load(). load() then notes the library (every
  // object alive before the script is compiled), and the run holds the collector: no pacer
  // steps, so the heap stays as the script leaves it, ready to be collected by hand. The
  // memory limit is still honoured (an emergency collection may run: the graph's
  // "emergencies" counts them). A finished script keeps its State until the next load() or
  // reset(), so the units below work after the end of the run as well as between two lines.
  void setStepping(bool on);
  bool stepping() const { return stepping_; }
  // One step: one unit of collector work (Collector::stepUnit), or, with the library collapsed,
  // the run of units the picture cannot tell apart (units that change no shown colour, free
  // nothing shown and stay in one phase: marking the library's objects one by one). Returns
  // the graph after it, with "unit" (what the last unit did), "units" (how many ran),
  // "processed" (the node just traversed or finalized, or null) and "freed" (the ids of the
  // nodes that have gone since the previous graph).
  std::string gcStepJson(bool expandLibrary);
  // Steps until the cycle in progress ends (or, in the pause between cycles, a whole cycle).
  std::string finishCycleJson(bool expandLibrary);
  // {phase, processed, unit, units, freed, emergencies, line, nodes, edges}
  // (inspect/heap_graph.h): the heap now.
  std::string heapGraphJson(bool expandLibrary);
  // Runs the paused script up to its next line (a line event of the main thread, in any of its
  // Lua frames; coroutines run through), at most about `budget` instructions, with the
  // collector held as before. Paused with `line` set when the line was reached; Paused with
  // line 0 when the budget ran out first (call again); Finished or Failed as run().
  SessionRunResult runToNextLine(int64_t budget);
  int stoppedLine() const { return stoppedLine_; }  // the line the script waits at, or 0

  static std::string version();

 private:
  std::unique_ptr<State> state_;
  SessionStatus status_ = SessionStatus::Idle;
  bool started_ = false;
  bool spent_ = false;         // os.exit ended the State's life
  std::string chunkname_;
  std::vector<std::string> args_;
  std::string shim_;
  // Stepping (see setStepping): the library and node ids, and what the last step did.
  bool stepping_ = false;
  HeapGraphIds graphIds_;
  GcUnitReport lastUnit_;
  size_t lastUnits_ = 0;
  std::vector<uint32_t> freedSinceGraph_;
  uint64_t emergenciesAtLoad_ = 0;
  int stoppedLine_ = 0;
  std::string graphJson(bool expandLibrary);
  void prepareStepping(State& S);  // at load(): the library noted, the collector held
  size_t memoryLimit_ = kDefaultMemoryLimit;
  MemoryReserve memoryReserve_;  // grows WebAssembly memory ahead of the heap, between slices
  int64_t sampleInterval_ = kDefaultSampleInterval;

  std::string output_, errors_;
  bool outputTruncated_ = false, errorsTruncated_ = false;

  Recording::Cursor recordingCursor_;  // what telemetryJson() has sent of the recording
  struct OutputMark {
    int64_t instructions;
    size_t byteEnd;
  };
  std::vector<OutputMark> outputMarks_;
  std::chrono::steady_clock::time_point runStart_ = std::chrono::steady_clock::now();
  uint64_t eventCursor_ = 0;      // next inspector event to send
  uint64_t droppedEvents_ = 0;    // overwritten in the ring or over the batch limit, unsent

  State& state();              // creates the State on first use
  void createState();
  void startIfNeeded();
  SessionRunResult runSlices(int64_t budget);
  SessionRunResult runGuarded(int64_t budget);  // runSlices; what escapes is a failed run
  SessionRunResult failure(ErrorRecord error);
  SessionRunResult exited(int code);
  void discardState();         // close() without keeping what the closing prints
  void takeSample(SampleReason reason);  // a tick of the recording, when inspecting
  std::vector<std::pair<uint32_t, std::string>> schedulerWaits(const char* field);
  std::string schedulerWaitsJson(const char* field);
  void markOutput();
  static void append(std::string& buffer, bool& truncated, std::string_view text);
  static std::string drain(std::string& buffer, bool& truncated);
};

std::string_view errorKindName(ErrorKind kind);  // "runtime", "memory", "handler"
// The script line an error points at (ErrorRecord::line) from the VM's positions, for the
// script loaded as `chunkname`.
int scriptErrorLine(const SourcePosition& named, const std::vector<SourcePosition>& frames,
                    std::string_view chunkname);

}  // namespace lunette
