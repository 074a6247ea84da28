// The Session (see session.h): budgeted runs, output buffers, collector controls and telemetry
// samples over one lunette::State.
//
// Every public member funnels its work through guard(), which turns any C++ exception into an
// error string. os.exit is the State's own (State::exit): run() sees Finished with exited()
// set and reports Exited. A State that has exited is spent, like a process: the next load()
// replaces it, discarding whatever its destruction prints (its finalizers would not have run
// in a process that exited without `close`).
#include "lib/libs.h"
#include "session/session.h"

#include <algorithm>
#include <cstdio>
#include <new>
#include <stdexcept>

#include "common/numconv.h"
#include "compiler/outline.h"
#include "inspect/heap_json.h"
#include "inspect/inspector.h"
#include "inspect/run_summary.h"
#include "lib/embedded_modules.h"
#include "vm/state.h"

namespace lunette {

namespace {

// The message a LuaError carries, when one escapes outside State::run (e.g. while starting).
std::string pendingErrorText(State& S) {
  const Value& v = S.running ? S.running->errorValue : Value();
  if (v.isString()) return std::string(v.asString()->view());
  return "error object is not a string";
}

// Runs `work`; returns an empty string, or what went wrong if it threw.
template <typename Work>
std::string guard(State* S, Work&& work) {
  try {
    work();
    return {};
  } catch (const LuaError&) {
    return S ? pendingErrorText(*S) : std::string("error");
  } catch (const ExitRequest&) {
    return "os.exit is not allowed here";
  } catch (const std::bad_alloc&) {
    return "not enough memory";
  } catch (const std::exception& e) {
    return std::string("internal error: ") + e.what();
  } catch (...) {
    return "internal error";
  }
}

std::optional<GcMode> parseGcMode(std::string_view name) {
  if (name == "incremental") return GcMode::Incremental;
  if (name == "generational") return GcMode::Generational;
  if (name == "luajit") return GcMode::LuaJit;
  return std::nullopt;
}

}  // namespace

std::string_view sessionStatusName(SessionStatus status) {
  switch (status) {
    case SessionStatus::Idle: return "idle";
    case SessionStatus::Paused: return "paused";
    case SessionStatus::Finished: return "finished";
    case SessionStatus::Failed: return "error";
    case SessionStatus::Exited: return "exit";
  }
  return "idle";
}

namespace {

// An error that did not come through State::run's report (it escaped it, or is not Lua's).
ErrorRecord untypedError(std::string kind, std::string message) {
  ErrorRecord error;
  error.kind = std::move(kind);
  error.message = std::move(message);
  return error;
}

}  // namespace

std::string_view errorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Runtime: return "runtime";
    case ErrorKind::Memory: return "memory";
    case ErrorKind::Handler: return "handler";
  }
  return "runtime";
}

int scriptErrorLine(const SourcePosition& named, const std::vector<SourcePosition>& frames,
                    std::string_view chunkname) {
  const std::string script = chunkId(chunkname);
  if (named.line > 0 && named.chunk == script) return named.line;
  // No position in the message (error(v, 0), an error object) or one outside the script (a
  // bad argument to a library function written in Lua): the innermost script frame.
  for (const SourcePosition& frame : frames)
    if (frame.chunk == script) return frame.line;
  return 0;
}

// ---- lifecycle ------------------------------------------------------------------------------

Session::Session() = default;

Session::~Session() {
  // Finalizers may still print: the buffers must outlive the State.
  state_.reset();
}

std::string Session::version() { return "Lunette 0.1 (Lua 5.4)"; }

// ---- checking without running ---------------------------------------------------------------

namespace {

void jsonField(std::string& out, const char* name) {
  if (out.back() != '{') out += ',';
  appendJsonString(out, name);
  out += ':';
}

void jsonInt(std::string& out, const char* name, int value) {
  jsonField(out, name);
  out += std::to_string(value);
}

void jsonText(std::string& out, const char* name, std::string_view value) {
  jsonField(out, name);
  appendJsonString(out, value);
}

}  // namespace

std::string Session::checkJson(std::string_view source, std::string_view chunkname) {
  ScriptCheck check = checkScript(source, chunkname);
  std::string out = "{";
  jsonField(out, "ok");
  out += check.ok ? "true" : "false";
  if (!check.ok) {
    jsonText(out, "message", check.message);
    jsonInt(out, "line", check.line);
    jsonInt(out, "column", check.column);
    return out + "}";
  }
  jsonField(out, "names");
  out += '[';
  for (size_t i = 0; i < check.names.size(); ++i) {
    const OutlineName& n = check.names[i];
    if (i) out += ',';
    out += '{';
    jsonText(out, "name", n.name);
    jsonText(out, "kind", outlineKindName(n.kind));
    jsonInt(out, "line", n.line);
    jsonInt(out, "column", n.column);
    jsonInt(out, "from", n.fromLine);
    jsonInt(out, "to", n.toLine);
    if (!n.detail.empty()) jsonText(out, "detail", n.detail);
    out += '}';
  }
  return out + "]}";
}

State& Session::state() {
  if (!state_) createState();
  return *state_;
}

void Session::createState() {
  state_ = std::make_unique<State>();
  State& S = *state_;
  S.outputSink = [this](std::string_view text) {
    append(output_, outputTruncated_, text);
    markOutput();
  };
  S.errorSink = [this](std::string_view text) { append(errors_, errorsTruncated_, text); };
  S.collector.memoryLimit = memoryLimit_;
  openStandardLibraries(S);
  status_ = SessionStatus::Idle;
  started_ = false;
  stoppedLine_ = 0;
  graphIds_ = HeapGraphIds();
  eventCursor_ = 0;
  recordingCursor_ = {};
  outputMarks_.clear();
}

void Session::discardState() {
  std::string output = std::move(output_), errors = std::move(errors_);
  bool outputTruncated = outputTruncated_, errorsTruncated = errorsTruncated_;
  close();
  output_ = std::move(output);
  errors_ = std::move(errors);
  outputTruncated_ = outputTruncated;
  errorsTruncated_ = errorsTruncated;
}

void Session::close() {
  std::string problem = guard(state_.get(), [&] { state_.reset(); });
  if (!problem.empty()) state_.reset();
  status_ = SessionStatus::Idle;
  started_ = false;
  spent_ = false;
}

void Session::closeForExit() {
  guard(state_.get(), [&] {
    if (state_) state_->finalizeForExit();
  });
  static_cast<void>(state_.release());  // deliberately never freed: the process exits next
  close();                              // the Session's own status, as after close()
}

void Session::reset() {
  close();
  output_.clear();
  errors_.clear();
  outputTruncated_ = errorsTruncated_ = false;
  guard(nullptr, [&] { createState(); });
}

// ---- running --------------------------------------------------------------------------------

SessionLoadResult Session::load(std::string_view source, std::string_view chunkname) {
  SessionLoadResult result;
  if (spent_) discardState();
  std::string problem = guard(state_.get(), [&] {
    State& S = state();
    if (status_ == SessionStatus::Paused) stop();
    S.mainApi().setTop(0);
    prepareStepping(S);
    LoadResult loaded = S.load(source, chunkname);
    result.ok = loaded.ok;
    result.message = loaded.message;
    result.line = loaded.line;
    result.column = loaded.column;
    if (!loaded.ok) S.mainApi().pop(1);
  });
  if (!problem.empty()) {
    result = SessionLoadResult{};
    result.message = problem;
  }
  chunkname_ = std::string(chunkname);
  status_ = result.ok ? SessionStatus::Paused : SessionStatus::Idle;
  started_ = false;
  runStart_ = std::chrono::steady_clock::now();
  return result;
}

void Session::setArgs(std::string_view script, const std::vector<std::string>& args) {
  args_ = args;
  guard(state_.get(), [&] {
    Lua L = state().mainApi();
    setArgTable(L, "lunette", script, args);
  });
}

void Session::startIfNeeded() {
  if (started_) return;
  started_ = true;
  Lua L = state_->mainApi();
  int nargs = static_cast<int>(args_.size());
  if (!shim_.empty()) {
    wrapInShim(L, shim_);
    nargs += 1;
  }
  for (const std::string& a : args_) L.pushString(a);
  state_->start(nargs);
}

std::string Session::setShim(std::string_view name) {
  if (!name.empty() && !isShimName(name)) return "unknown server shim '" + std::string(name) + "'";
  shim_ = std::string(name);
  return "";
}

SessionRunResult Session::run(int64_t budget) {
  if (!state_ || status_ != SessionStatus::Paused) {
    SessionRunResult idle;
    idle.status = status_ == SessionStatus::Paused ? SessionStatus::Idle : status_;
    if (!state_) idle.status = SessionStatus::Idle;
    return idle;
  }
  State& S = *state_;
  int64_t before = S.instructionCount;
  SessionRunResult result;
  S.mainThread->hookMask = static_cast<uint8_t>(S.mainThread->hookMask & ~kHookLineStop);
  // Without hooks the interpreter will not look at the stopped instruction again: forget it,
  // or a later line stop reaching the same instruction would skip it once.
  if (!S.mainThread->hookMask) S.lineStopResumePc = nullptr;
  stoppedLine_ = 0;
  result = runGuarded(budget);
  if (state_) result.instructions = state_->instructionCount - before;
  takeSample(SampleReason::RunEnd);
  return result;
}

// runSlices, with what escapes it turned into a failed run: the error the VM could not type
// (outside any protected call), an allocation that failed, or a bug of ours.
SessionRunResult Session::runGuarded(int64_t budget) {
  State& S = *state_;
  try {
    startIfNeeded();
    return runSlices(budget < 1 ? 1 : budget);
  } catch (const LuaError&) {
    return failure(untypedError("runtime", pendingErrorText(S)));
  } catch (const std::bad_alloc&) {
    return failure(untypedError("memory", "not enough memory"));
  } catch (const std::exception& e) {
    return failure(untypedError("internal", std::string("internal error: ") + e.what()));
  } catch (...) {
    return failure(untypedError("internal", "internal error"));
  }
}

SessionRunResult Session::runSlices(int64_t budget) {
  State& S = *state_;
  SessionRunResult result;
  int64_t remaining = budget;
  while (true) {
    // Between two slices, never inside the collector: a grow costs the most in WebAssembly
    // (memory_reserve.h), so it happens while the heap grows rather than when it is steady.
    memoryReserve_.beforeSlice(S.collector);
    int64_t slice = remaining < sampleInterval_ ? remaining : sampleInterval_;
    RunStatus status = S.run(slice);
    remaining -= slice;
    if (status == RunStatus::Failed) {
      ErrorRecord error;
      error.kind = errorKindName(S.errorKind());
      error.message = S.errorMessage();
      error.position = S.errorPosition();
      if (error.position.line == 0 && !S.errorFrames().empty()) error.position = S.errorFrames().front();
      error.line = scriptErrorLine(S.errorPosition(), S.errorFrames(), chunkname_);
      error.traceback = S.errorTraceback();
      return failure(std::move(error));
    }
    if (status == RunStatus::Finished && S.exited()) return exited(S.exitStatus());
    if (status == RunStatus::Paused && S.lineStopped) break;  // runToNextLine reached its line
    if (status == RunStatus::Finished) {
      S.mainApi().setTop(0);
      status_ = SessionStatus::Finished;
      result.status = status_;
      return result;
    }
    if (remaining <= 0) break;
    takeSample(SampleReason::Tick);
  }
  result.status = SessionStatus::Paused;
  return result;
}

SessionRunResult Session::failure(ErrorRecord error) {
  // State::run abandons a failed run itself; an exception escaping it has left frames behind.
  if (state_ && state_->isRunning()) guard(state_.get(), [&] { state_->abandon(); });
  // A run that died of memory leaves its garbage at the limit: reclaim it (no finalizers, as
  // in an emergency collection) so that the next script is not refused at once.
  if (state_ && error.kind == "memory")
    guard(state_.get(), [&] { state_->collector.emergencyCollect(*state_); });
  SessionRunResult result;
  result.status = status_ = SessionStatus::Failed;
  result.error = std::move(error);
  return result;
}

SessionRunResult Session::exited(int code) {
  // State::exit has closed what os.exit(code, true) asks to close; nothing else runs.
  spent_ = true;
  SessionRunResult result;
  result.status = status_ = SessionStatus::Exited;
  result.exitCode = code;
  return result;
}

void Session::stop() {
  stoppedLine_ = 0;
  if (state_) state_->lineStopResumePc = nullptr;
  if (state_ && status_ == SessionStatus::Paused) {
    guard(state_.get(), [&] {
      if (started_) state_->abandon();
      state_->mainApi().setTop(0);
    });
  }
  if (status_ == SessionStatus::Paused) status_ = SessionStatus::Idle;
  started_ = false;
}

// ---- output ---------------------------------------------------------------------------------

void Session::append(std::string& buffer, bool& truncated, std::string_view text) {
  if (truncated) return;
  if (buffer.size() + text.size() > kOutputCap) {
    buffer.append("\n[output truncated: more than 64 MB between drains]\n");
    truncated = true;
    return;
  }
  buffer.append(text);
}

std::string Session::drain(std::string& buffer, bool& truncated) {
  std::string out;
  out.swap(buffer);
  truncated = false;
  return out;
}

// ---- collector ------------------------------------------------------------------------------

std::string Session::setGc(std::string_view mode, const GcSettings& settings) {
  std::optional<GcMode> parsed = parseGcMode(mode);
  if (!parsed) return "unknown collector mode '" + std::string(mode) + "'";
  return guard(state_.get(), [&] {
    State& S = state();
    Collector& gc = S.collector;
    if (gc.mode != *parsed) gc.setMode(S, *parsed);
    if (settings.pause) gc.pause = *settings.pause;
    if (settings.stepmul) gc.stepmul = *settings.stepmul;
    if (settings.stepsize) gc.stepsize = *settings.stepsize;
    if (settings.minormul) gc.minormul = *settings.minormul;
    if (settings.majormul) gc.majormul = *settings.majormul;
  });
}

std::string Session::gcAction(std::string_view name, int64_t arg) {
  if (name != "collect" && name != "step" && name != "stop" && name != "restart")
    return "unknown collector action '" + std::string(name) + "'";
  return guard(state_.get(), [&] {
    State& S = state();
    if (name == "collect") S.collector.fullCollect(S);
    else if (name == "step") S.collector.explicitStep(S, arg);
    else if (name == "stop") S.collector.stop();
    else S.collector.restart(S);
  });
}

GcStateReport Session::gcState() {
  GcStateReport report;
  guard(state_.get(), [&] {
    const Collector& gc = state().collector;
    report.mode = gcModeName(gc.mode);
    report.pause = gc.pause;
    report.stepmul = gc.stepmul;
    report.stepsize = gc.stepsize;
    report.minormul = gc.minormul;
    report.majormul = gc.majormul;
    report.running = gc.running;
    report.total = static_cast<double>(gc.heapBytes);
    report.threshold = static_cast<double>(gc.threshold);
  });
  return report;
}

void Session::setMemoryLimit(size_t bytes) {
  memoryLimit_ = bytes;
  if (state_) state_->collector.memoryLimit = bytes;
}

std::string Session::runSummaryJson() {
  RunSummary r = state_ ? summarizeRun(*state_) : RunSummary();
  std::string out = "{\"peakBytes\":";
  appendJsonNumber(out, r.peakBytes);
  out += ",\"finalBytes\":";
  appendJsonNumber(out, r.finalBytes);
  out += ",\"cycles\":";
  appendJsonNumber(out, static_cast<double>(r.cycles));
  out += ",\"steps\":";
  appendJsonNumber(out, static_cast<double>(r.steps));
  out += ",\"longestStepMs\":";
  appendJsonNumber(out, r.longestStepMs);
  out += ",\"p99StepMs\":";
  appendJsonNumber(out, r.p99StepMs);
  out += ",\"gcMs\":";
  appendJsonNumber(out, r.gcMs);
  out += ",\"instructions\":";
  appendJsonNumber(out, static_cast<double>(r.instructions));
  return out + "}";
}

// ---- stepping through the collector ---------------------------------------------------------

namespace {

// Units in one step at most: a step that merges the library's units still ends (a cycle over a
// heap this size has ended long before).
constexpr size_t kMaxUnitsPerStep = 1000000;

std::string errorJson(const std::string& problem) {
  std::string out = "{\"error\":";
  appendJsonString(out, problem);
  return out + "}";
}

}  // namespace

void Session::setStepping(bool on) {
  stepping_ = on;
  if (!on && state_) state_->collector.held = false;
}

void Session::prepareStepping(State& S) {
  S.collector.held = stepping_;
  graphIds_ = HeapGraphIds();
  lastUnit_ = GcUnitReport();
  lastUnits_ = 0;
  freedSinceGraph_.clear();
  stoppedLine_ = 0;
  emergenciesAtLoad_ = S.collector.emergencyCollections;
  if (stepping_) graphIds_.captureLibrary(S.collector);
}

std::string Session::gcStepJson(bool expand) {
  std::string problem = guard(state_.get(), [&] {
    State& S = state();
    std::vector<uint64_t> before = heapGraphSignature(S, graphIds_, expand);
    lastUnits_ = 0;
    while (lastUnits_ < kMaxUnitsPerStep) {
      GcPhase phase = S.collector.phase;
      size_t objects = 0;
      for (size_t n : S.collector.countByKind) objects += n;
      lastUnit_ = S.collector.stepUnit(S);
      ++lastUnits_;
      if (lastUnit_.kind == GcUnitKind::None) break;
      if (S.collector.phase != phase || lastUnit_.freed > 0) break;
      if (lastUnit_.processed && (expand || !graphIds_.isLibrary(lastUnit_.processed))) break;
      size_t after = 0;
      for (size_t n : S.collector.countByKind) after += n;
      if (after != objects) break;  // a finalizer made objects
      if (heapGraphSignature(S, graphIds_, expand) != before) break;
    }
  });
  if (!problem.empty()) return errorJson(problem);
  return graphJson(expand);
}

std::string Session::finishCycleJson(bool expand) {
  std::string problem = guard(state_.get(), [&] {
    State& S = state();
    Collector& gc = S.collector;
    size_t units = 0;
    if (gc.phase == GcPhase::Pause) {
      lastUnit_ = gc.stepUnit(S);
      ++units;
    }
    while (gc.phase != GcPhase::Pause && units < kMaxUnitsPerStep) {
      lastUnit_ = gc.stepUnit(S);
      ++units;
      if (lastUnit_.kind == GcUnitKind::None) break;
    }
    lastUnits_ = units;
  });
  if (!problem.empty()) return errorJson(problem);
  return graphJson(expand);
}

std::string Session::heapGraphJson(bool expand) {
  std::string out;
  std::string problem = guard(state_.get(), [&] { out = graphJson(expand); });
  return problem.empty() ? out : errorJson(problem);
}

std::string Session::graphJson(bool expand) {
  State& S = state();
  for (uint32_t id : graphIds_.forgetMissing(S.collector)) freedSinceGraph_.push_back(id);
  HeapGraph graph = buildHeapGraph(S, graphIds_, expand);
  const GcUnitReport& unit = lastUnit_;
  std::string out = "{\"phase\":";
  appendJsonString(out, gcPhaseName(S.collector.phase));
  out += ",\"processed\":";
  if (unit.processed && lastUnits_ > 0) {
    bool found = false;  // a finalized object may have been freed since
    S.collector.forEachObject([&](const GcObject* o) { found = found || o == unit.processed; });
    if (!found) out += "null";
    else out += std::to_string(shownNodeOf(S, graphIds_, unit.processed, expand));
  } else {
    out += "null";
  }
  out += ",\"unit\":";
  appendJsonString(out, lastUnits_ > 0 ? gcUnitKindName(unit.kind) : "none");
  out += ",\"units\":" + std::to_string(lastUnits_);
  out += ",\"freed\":[";
  for (size_t i = 0; i < freedSinceGraph_.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(freedSinceGraph_[i]);
  }
  out += "],\"emergencies\":" + std::to_string(S.collector.emergencyCollections - emergenciesAtLoad_);
  out += ",\"line\":" + std::to_string(stoppedLine_);
  out += ",\"library\":" + std::to_string(graphIds_.librarySize());
  out += ',';
  appendHeapGraphJson(out, graph);
  out += '}';
  freedSinceGraph_.clear();
  lastUnits_ = 0;
  return out;
}

SessionRunResult Session::runToNextLine(int64_t budget) {
  if (!state_ || status_ != SessionStatus::Paused) return run(budget);
  State& S = *state_;
  S.lineStopped = false;
  // run() clears a pending stop; set it once run has started the script (a first call pushes the
  // main frame, whose first line is then the stop).
  bool wasStarted = started_;
  SessionRunResult result;
  if (!wasStarted) {
    guard(state_.get(), [&] { startIfNeeded(); });
  }
  S.mainThread->hookMask = static_cast<uint8_t>(S.mainThread->hookMask | kHookLineStop);
  int64_t before = S.instructionCount;
  result = runGuarded(budget);
  if (state_) {
    result.instructions = state_->instructionCount - before;
    state_->mainThread->hookMask = static_cast<uint8_t>(state_->mainThread->hookMask & ~kHookLineStop);
    if (result.status == SessionStatus::Paused && state_->lineStopped) result.line = state_->lineStopLine;
    state_->lineStopped = false;
  }
  stoppedLine_ = result.line;
  takeSample(SampleReason::RunEnd);
  return result;
}

// ---- server shims ---------------------------------------------------------------------------

namespace {

// The table stored in `table` under the string key `name`, or nullptr. Scans the hash part rather
// than interning `name`: reading the heap this way allocates nothing and runs nothing, so it is
// safe while a run is paused mid-way.
const Table* tableField(const Table* table, std::string_view name) {
  for (uint32_t i = 0; i < table->hashCapacity(); ++i) {
    const Node& n = table->hash[i];
    if (n.key.isString() && n.key.asString()->view() == name && n.value.tag == Tag::Table)
      return n.value.asTable();
  }
  return nullptr;
}

}  // namespace

// The scheduler's table `field` (coroutine -> text) as [(coroutine id, text)] by id; empty
// without a shim. Read straight from the heap, so also while a run is paused: what each
// coroutine waits for at that moment.
std::vector<std::pair<uint32_t, std::string>> Session::schedulerWaits(const char* field) {
  std::vector<std::pair<uint32_t, std::string>> waits;
  if (!state_) return waits;
  const Table* loaded = tableField(state_->registry, "_LOADED");
  const Table* scheduler = loaded ? tableField(loaded, "lunette.shim.scheduler") : nullptr;
  const Table* table = scheduler ? tableField(scheduler, field) : nullptr;
  if (!table) return waits;
  for (uint32_t i = 0; i < table->hashCapacity(); ++i) {
    const Node& n = table->hash[i];
    if (n.key.tag != Tag::Thread || !n.value.isString()) continue;
    const Thread* thread = n.key.asThread();
    if (thread->coroutineId) waits.emplace_back(thread->coroutineId, std::string(n.value.asString()->view()));
  }
  std::sort(waits.begin(), waits.end());  // by id: the table's order is the heap's
  return waits;
}

std::string Session::waitingJson() { return schedulerWaitsJson("waiting"); }

std::string Session::strandedJson() { return schedulerWaitsJson("stranded"); }

std::string Session::schedulerWaitsJson(const char* field) {
  std::string out = "{";
  bool first = true;
  for (const auto& [id, text] : schedulerWaits(field)) {
    if (!first) out += ',';
    first = false;
    appendJsonString(out, std::to_string(id));
    out += ':';
    appendJsonString(out, text);
  }
  return out + "}";
}

// ---- telemetry ------------------------------------------------------------------------------

void Session::setSampleInterval(int64_t instructions) {
  sampleInterval_ = instructions < 1000 ? 1000 : instructions;
}

int64_t Session::instructionCount() const { return state_ ? state_->instructionCount : 0; }

double Session::elapsedMs() const {
  auto elapsed = std::chrono::steady_clock::now() - runStart_;
  return std::chrono::duration<double, std::milli>(elapsed).count();
}

void Session::takeSample(SampleReason reason) {
  if (state_ && state_->inspecting) inspectorOf(*state_).takeSample(reason);
}

// Output is stamped with the instruction count it was written at, so the page can show what
// had been printed by any moment of the recording. Marks are coalesced: one per write at
// most, and past kMaxOutputMarks per drain the last mark just moves forward.
void Session::markOutput() {
  int64_t instructions = state_ ? state_->instructionsNow() : 0;
  size_t end = output_.size();
  if (!outputMarks_.empty() &&
      (outputMarks_.back().instructions == instructions || outputMarks_.size() >= kMaxOutputMarks)) {
    outputMarks_.back() = {instructions, end};
    return;
  }
  outputMarks_.push_back({instructions, end});
}

std::string Session::drainOutputMarks() {
  std::string out = "[";
  for (size_t i = 0; i < outputMarks_.size(); ++i) {
    if (i) out += ',';
    out += '[';
    appendJsonNumber(out, static_cast<double>(outputMarks_[i].instructions));
    out += ',';
    appendJsonNumber(out, static_cast<double>(outputMarks_[i].byteEnd));
    out += ']';
  }
  out += ']';
  outputMarks_.clear();
  return out;
}

std::string Session::telemetryJson() {
  std::string out = "{\"samples\":";
  if (state_ && findInspector(*state_))
    appendRecordingJson(out, inspectorOf(*state_).recording, recordingCursor_);
  else
    appendSamplesJson(out, nullptr, 0);
  out += ",\"events\":";
  if (state_ && findInspector(*state_)) {
    appendEventsJson(out, inspectorOf(*state_), &eventCursor_, kMaxEventsPerBatch,
                     &droppedEvents_);
  } else {
    out += "[]";
  }
  out += ",\"droppedEvents\":";
  appendJsonNumber(out, static_cast<double>(droppedEvents_));
  out += '}';
  droppedEvents_ = 0;
  return out;
}

std::string Session::coroutinesJson() {
  if (!state_ || !findInspector(*state_)) return "[]";
  std::string out;
  std::string problem = guard(state_.get(), [&] {
    out = lunette::coroutinesJson(inspectorOf(*state_), kMaxCoroutineRecords);
  });
  return problem.empty() ? out : "[]";
}

// ---- heap questions -------------------------------------------------------------------------

std::string Session::explainJson(uint32_t id) {
  std::string out;
  std::string problem = guard(state_.get(), [&] {
    if (state_ && findInspector(*state_)) {
      out = lunette::explainJson(*state_, id);
    } else {
      out = "{\"found\":false,\"id\":" + std::to_string(id) + ",\"edges\":[],\"target\":\"coroutine #" +
            std::to_string(id) + "\"}";
    }
  });
  if (problem.empty()) return out;
  std::string failed = "{\"found\":false,\"edges\":[],\"error\":";
  appendJsonString(failed, problem);
  return failed + "}";
}

std::string Session::suspectsJson(double thresholdMs, size_t limit) {
  if (!state_ || !findInspector(*state_)) return "[]";
  // Tasks the shim's scheduler left waiting when it ended: nothing will ever wake them.
  StuckWaits stuck;
  for (auto& [id, text] : schedulerWaits("stranded")) stuck.emplace(id, std::move(text));
  std::string out;
  std::string problem =
      guard(state_.get(), [&] { out = lunette::suspectsJson(*state_, thresholdMs, limit, stuck); });
  return problem.empty() ? out : "[]";
}

std::string Session::censusJson() {
  std::string out;
  std::string problem = guard(state_.get(), [&] {
    State& S = state();
    out = lunette::censusJson(S, kMaxCensusSites);
  });
  return problem.empty() ? out : "{\"byType\":{},\"bySite\":[]}";
}

}  // namespace lunette
