// Embind glue: exposes lunette::Session to JavaScript as `Session` (see wasm/README.md for the
// JS-side contract). Results are plain JS objects; output is raw bytes (Uint8Array), because a
// Lua string need not be UTF-8 and run.mjs must reproduce it byte for byte.
//
// Invariant: no C++ exception crosses into JavaScript. Session already guards its own work;
// every binding here is wrapped once more (in `shielded`) so that a failure while building the
// JS result still comes back as an error record.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <string>
#include <vector>

#include "session/session.h"

namespace lunette {

namespace {

using emscripten::val;

val errorResult(std::string_view message) {
  val error = val::object();
  error.set("kind", std::string("internal"));
  error.set("message", std::string(message));
  error.set("line", 0);
  error.set("traceback", std::string());
  val result = val::object();
  result.set("status", std::string("error"));
  result.set("error", error);
  return result;
}

template <typename Work>
val shielded(Work&& work) {
  try {
    return work();
  } catch (const std::exception& e) {
    return errorResult(std::string("internal error: ") + e.what());
  } catch (...) {
    return errorResult("internal error");
  }
}

val bytes(const std::string& data) {
  const auto* first = reinterpret_cast<const uint8_t*>(data.data());
  return val::global("Uint8Array").new_(emscripten::typed_memory_view(data.size(), first));
}

// A JS string (UTF-8 encoded) or a Uint8Array / ArrayBuffer view (taken byte for byte).
std::string textFrom(const val& value) {
  if (value.isString()) return value.as<std::string>();
  if (value.isUndefined() || value.isNull()) return {};
  val uint8Array = val::global("Uint8Array");
  val view = value.instanceof(uint8Array) ? value : uint8Array.new_(value);
  std::string out(view["length"].as<size_t>(), '\0');
  val target(emscripten::typed_memory_view(out.size(), reinterpret_cast<uint8_t*>(out.data())));
  target.call<void>("set", view);
  return out;
}

std::optional<int> optionalInt(const val& params, const char* name) {
  if (params.isUndefined() || params.isNull()) return std::nullopt;
  val v = params[name];
  if (!v.isNumber()) return std::nullopt;
  double d = v.as<double>();
  if (!std::isfinite(d)) return std::nullopt;
  return static_cast<int>(d);
}

val gcReport(Session& session, const std::string& problem) {
  GcStateReport report = session.gcState();
  val params = val::object();
  params.set("pause", report.pause);
  params.set("stepmul", report.stepmul);
  params.set("stepsize", report.stepsize);
  params.set("minormul", report.minormul);
  params.set("majormul", report.majormul);
  val result = val::object();
  result.set("ok", problem.empty());
  if (!problem.empty()) result.set("error", problem);
  result.set("mode", report.mode);
  result.set("params", params);
  result.set("running", report.running);
  result.set("total", report.total);
  result.set("threshold", report.threshold);
  return result;
}

val parseJson(const std::string& json) { return val::global("JSON").call<val>("parse", json); }

}  // namespace

// The class JavaScript sees; a Session by value, with JS-shaped results.
class JsSession {
 public:
  val load(val source, std::string chunkname) {
    return shielded([&] {
      SessionLoadResult r = session_.load(textFrom(source), chunkname);
      val result = val::object();
      result.set("ok", r.ok);
      if (!r.ok) {
        result.set("message", r.message);
        result.set("line", r.line);
        result.set("column", r.column);
      }
      return result;
    });
  }

  // Compile-only: {ok, names} or {ok: false, message, line, column} (Session::checkJson).
  val check(val source, std::string chunkname) {
    return shielded([&] { return parseJson(Session::checkJson(textFrom(source), chunkname)); });
  }

  void setArgs(std::string script, val args) {
    try {
      std::vector<std::string> list;
      int n = args.isUndefined() || args.isNull() ? 0 : args["length"].as<int>();
      for (int i = 0; i < n; ++i) list.push_back(textFrom(args[i]));
      session_.setArgs(script, list);
    } catch (...) {
    }
  }

  val run(double budget) {
    return shielded([&] { return runResult(session_.run(sliceOf(budget))); });
  }
  // Stepping (Session::setStepping): the script to its next line, one collector step, the
  // rest of the cycle, the graph now.
  void setStepping(bool on) { quietly([&] { session_.setStepping(on); }); }
  val runToNextLine(double budget) {
    return shielded([&] { return runResult(session_.runToNextLine(sliceOf(budget))); });
  }
  val gcStep(bool expand) {
    return shielded([&] { return parseJson(session_.gcStepJson(expand)); });
  }
  val finishCycle(bool expand) {
    return shielded([&] { return parseJson(session_.finishCycleJson(expand)); });
  }
  val heapGraph(bool expand) {
    return shielded([&] { return parseJson(session_.heapGraphJson(expand)); });
  }

  static int64_t sliceOf(double budget) {
    return std::isfinite(budget) && budget >= 1 ? static_cast<int64_t>(budget) : 1;
  }

  static val runResult(const SessionRunResult& r) {
    {
      val result = val::object();
      result.set("status", std::string(sessionStatusName(r.status)));
      result.set("instructions", static_cast<double>(r.instructions));
      if (r.status == SessionStatus::Failed) {
        val error = val::object();
        error.set("kind", r.error.kind);
        error.set("message", r.error.message);
        error.set("line", r.error.line);
        if (r.error.position.line > 0) {
          val position = val::object();
          position.set("chunk", r.error.position.chunk);
          position.set("line", r.error.position.line);
          error.set("position", position);
        }
        error.set("traceback", r.error.traceback);
        result.set("error", error);
      }
      if (r.status == SessionStatus::Exited) result.set("exitCode", r.exitCode);
      if (r.line > 0) result.set("line", r.line);
      return result;
    }
  }

  val setGc(std::string mode, val params) {
    return shielded([&] {
      GcSettings settings;
      settings.pause = optionalInt(params, "pause");
      settings.stepmul = optionalInt(params, "stepmul");
      settings.stepsize = optionalInt(params, "stepsize");
      settings.minormul = optionalInt(params, "minormul");
      settings.majormul = optionalInt(params, "majormul");
      return gcReport(session_, session_.setGc(mode, settings));
    });
  }

  val gcAction(std::string name, double arg) {
    return shielded([&] {
      int64_t n = std::isfinite(arg) ? static_cast<int64_t>(arg) : 0;
      return gcReport(session_, session_.gcAction(name, n));
    });
  }

  val gcState() {
    return shielded([&] { return gcReport(session_, ""); });
  }

  val drainOutput() {
    return shielded([&] {
      val result = val::object();
      result.set("stdout", bytes(session_.drainOutput()));
      result.set("stderr", bytes(session_.drainErrors()));
      return result;
    });
  }

  // "" on success, else why the shim name was refused.
  std::string setShim(std::string name) {
    try {
      return session_.setShim(name);
    } catch (...) {
      return "internal error";
    }
  }

  // JSON [[instructions, byteEnd], ...] for the stdout text the last drainOutput() returned.
  std::string drainOutputMarks() {
    try {
      return session_.drainOutputMarks();
    } catch (...) {
      return "[]";
    }
  }

  val telemetry() {
    return shielded([&] { return parseJson(session_.telemetryJson()); });
  }
  std::string telemetryJson() {
    try {
      return session_.telemetryJson();
    } catch (...) {
      return "{\"samples\":{\"fields\":[],\"rows\":[]},\"events\":[]}";
    }
  }
  val runSummary() {
    return shielded([&] { return parseJson(session_.runSummaryJson()); });
  }
  val waiting() {
    return shielded([&] { return parseJson(session_.waitingJson()); });
  }
  val stranded() {
    return shielded([&] { return parseJson(session_.strandedJson()); });
  }
  val coroutines() {
    return shielded([&] { return parseJson(session_.coroutinesJson()); });
  }

  // The heap questions; a failure is an error record ({found: false, error} / [] / empty).
  val explain(double id) {
    return shielded([&] {
      bool valid = std::isfinite(id) && id >= 0 && id <= 4294967295.0;
      return parseJson(session_.explainJson(valid ? static_cast<uint32_t>(id) : 0));
    });
  }
  val suspects(double thresholdMs, double limit) {
    return shielded([&] {
      double threshold = std::isfinite(thresholdMs) && thresholdMs > 0 ? thresholdMs : 0;
      size_t most = std::isfinite(limit) && limit >= 1 ? static_cast<size_t>(limit) : 50;
      return parseJson(session_.suspectsJson(threshold, most));
    });
  }
  val census() {
    return shielded([&] { return parseJson(session_.censusJson()); });
  }

  void setMemoryLimit(double bytes) {
    if (std::isfinite(bytes) && bytes >= 0) session_.setMemoryLimit(static_cast<size_t>(bytes));
  }
  void setSampleInterval(double instructions) {
    if (std::isfinite(instructions)) session_.setSampleInterval(static_cast<int64_t>(instructions));
  }
  void stop() { quietly([&] { session_.stop(); }); }
  void reset() { quietly([&] { session_.reset(); }); }
  void close() { quietly([&] { session_.close(); }); }
  void closeForExit() { quietly([&] { session_.closeForExit(); }); }
  std::string status() const { return std::string(sessionStatusName(session_.status())); }
  double instructionCount() const { return static_cast<double>(session_.instructionCount()); }
  double elapsedMs() const { return session_.elapsedMs(); }
  static std::string version() { return Session::version(); }

 private:
  Session session_;

  template <typename Work>
  static void quietly(Work&& work) {
    try {
      work();
    } catch (...) {
    }
  }
};

EMSCRIPTEN_BINDINGS(lunette_session) {
  emscripten::class_<JsSession>("Session")
      .constructor<>()
      .function("load", &JsSession::load)
      .function("check", &JsSession::check)
      .function("setArgs", &JsSession::setArgs)
      .function("setShim", &JsSession::setShim)
      .function("run", &JsSession::run)
      .function("setStepping", &JsSession::setStepping)
      .function("runToNextLine", &JsSession::runToNextLine)
      .function("gcStep", &JsSession::gcStep)
      .function("finishCycle", &JsSession::finishCycle)
      .function("heapGraph", &JsSession::heapGraph)
      .function("setGc", &JsSession::setGc)
      .function("gcAction", &JsSession::gcAction)
      .function("gcState", &JsSession::gcState)
      .function("drainOutput", &JsSession::drainOutput)
      .function("drainOutputMarks", &JsSession::drainOutputMarks)
      .function("telemetry", &JsSession::telemetry)
      .function("telemetryJson", &JsSession::telemetryJson)
      .function("coroutines", &JsSession::coroutines)
      .function("waiting", &JsSession::waiting)
      .function("stranded", &JsSession::stranded)
      .function("runSummary", &JsSession::runSummary)
      .function("explain", &JsSession::explain)
      .function("suspects", &JsSession::suspects)
      .function("census", &JsSession::census)
      .function("setMemoryLimit", &JsSession::setMemoryLimit)
      .function("setSampleInterval", &JsSession::setSampleInterval)
      .function("stop", &JsSession::stop)
      .function("reset", &JsSession::reset)
      .function("close", &JsSession::close)
      .function("closeForExit", &JsSession::closeForExit)
      .function("status", &JsSession::status)
      .function("instructionCount", &JsSession::instructionCount)
      .function("elapsedMs", &JsSession::elapsedMs)
      .class_function("version", &JsSession::version);
}

}  // namespace lunette
