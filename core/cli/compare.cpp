// lunette --compare (see compare.h).
#include "compare.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "common/read_file.h"
#include "inspect/run_summary.h"
#include "lib/embedded_modules.h"
#include "lib/libs.h"
#include "vm/state.h"

namespace lunette::cli {

namespace {

struct Setting {
  std::string text;  // as given, for the table
  GcMode mode = GcMode::Incremental;
  std::optional<int> pause, stepmul, stepsize, minormul, majormul;
};

std::optional<GcMode> modeNamed(const std::string& name) {
  if (name == "incremental") return GcMode::Incremental;
  if (name == "generational") return GcMode::Generational;
  if (name == "luajit") return GcMode::LuaJit;
  return std::nullopt;
}

// "incremental pause=100 stepmul=200": a mode, then name=value words. nullopt and a message
// in *problem when a word is not understood.
std::optional<Setting> parseSetting(const std::string& text, std::string* problem) {
  std::istringstream words(text);
  std::string word;
  Setting s;
  s.text = text;
  if (!(words >> word) || !modeNamed(word)) {
    *problem = "'" + text + "' does not start with a collector mode (incremental, generational, luajit)";
    return std::nullopt;
  }
  s.mode = *modeNamed(word);
  while (words >> word) {
    size_t eq = word.find('=');
    char* end = nullptr;
    long value = eq == std::string::npos ? 0 : std::strtol(word.c_str() + eq + 1, &end, 10);
    if (eq == std::string::npos || !end || *end || end == word.c_str() + eq + 1) {
      *problem = "'" + word + "' in '" + text + "' is not name=number";
      return std::nullopt;
    }
    std::string name = word.substr(0, eq);
    int v = static_cast<int>(value);
    if (name == "pause") s.pause = v;
    else if (name == "stepmul") s.stepmul = v;
    else if (name == "stepsize") s.stepsize = v;
    else if (name == "minormul") s.minormul = v;
    else if (name == "majormul") s.majormul = v;
    else {
      *problem = "unknown parameter '" + name + "' in '" + text + "'";
      return std::nullopt;
    }
  }
  return s;
}

struct Outcome {
  std::string status = "ok";
  bool failed = false;
  std::string output;
  RunSummary summary;
  double elapsedMs = 0;
};

Outcome runOnce(const Setting& setting, const std::string& scriptPath, const std::string& source,
                const std::vector<std::string>& args, const std::string& shim) {
  Outcome out;
  State S;
  S.outputSink = [&](std::string_view text) { out.output += text; };
  S.errorSink = [&](std::string_view) {};
  openStandardLibraries(S);
  Collector& gc = S.collector;
  gc.setMode(S, setting.mode);
  if (setting.pause) gc.pause = *setting.pause;
  if (setting.stepmul) gc.stepmul = *setting.stepmul;
  if (setting.stepsize) gc.stepsize = *setting.stepsize;
  if (setting.minormul) gc.minormul = *setting.minormul;
  if (setting.majormul) gc.majormul = *setting.majormul;
  Lua L = S.mainApi();
  setArgTable(L, "lunette", scriptPath, args);
  auto start = std::chrono::steady_clock::now();
  auto loaded = S.load(source, "@" + scriptPath);
  if (!loaded.ok) {
    out.status = "syntax error";
    out.failed = true;
    return out;
  }
  int nargs = static_cast<int>(args.size());
  try {
    if (!shim.empty()) {
      wrapInShim(L, shim);
      nargs += 1;
    }
  } catch (const LuaError&) {
    out.status = "error";
    out.failed = true;
    return out;
  }
  for (const std::string& a : args) L.pushString(a);
  S.start(nargs);
  RunStatus status;
  do status = S.run(INT64_MAX / 4);
  while (status == RunStatus::Paused);
  out.elapsedMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (status == RunStatus::Failed) {
    out.status = "error: " + S.errorMessage();
    out.failed = true;
  } else if (S.exited()) {
    out.status = "exit " + std::to_string(S.exitStatus());
  }
  out.summary = summarizeRun(S);
  return out;
}

// One column of the table: its title, how to read a value, and whether lower is better.
struct Column {
  const char* title;
  double (*value)(const Outcome&);
  const char* format;
};

const Column kColumns[] = {
    {"peak KB", [](const Outcome& o) { return o.summary.peakBytes / 1024; }, "%.1f"},
    {"final KB", [](const Outcome& o) { return o.summary.finalBytes / 1024; }, "%.1f"},
    {"cycles", [](const Outcome& o) { return static_cast<double>(o.summary.cycles); }, "%.0f"},
    {"steps", [](const Outcome& o) { return static_cast<double>(o.summary.steps); }, "%.0f"},
    {"longest ms", [](const Outcome& o) { return o.summary.longestStepMs; }, "%.3f"},
    {"p99 ms", [](const Outcome& o) { return o.summary.p99StepMs; }, "%.3f"},
    {"gc ms", [](const Outcome& o) { return o.summary.gcMs; }, "%.1f"},
    {"run ms", [](const Outcome& o) { return o.elapsedMs; }, "%.1f"},
    {"instructions", [](const Outcome& o) { return static_cast<double>(o.summary.instructions); }, "%.0f"},
};

void printTable(const std::vector<Setting>& settings, const std::vector<Outcome>& outcomes) {
  size_t settingWidth = 7;
  for (const Setting& s : settings) settingWidth = std::max(settingWidth, s.text.size());
  size_t statusWidth = 6;
  for (const Outcome& o : outcomes) statusWidth = std::max(statusWidth, std::min<size_t>(o.status.size(), 40));
  std::printf("%-*s  %-*s", static_cast<int>(settingWidth), "setting", static_cast<int>(statusWidth), "status");
  for (const Column& c : kColumns) std::printf("  %13s", c.title);
  std::printf("\n");
  for (size_t i = 0; i < settings.size(); ++i) {
    std::printf("%-*s  %-*s", static_cast<int>(settingWidth), settings[i].text.c_str(),
                static_cast<int>(statusWidth), outcomes[i].status.substr(0, 40).c_str());
    for (const Column& c : kColumns) {
      double v = c.value(outcomes[i]);
      bool best = true;
      for (const Outcome& other : outcomes) best = best && v <= c.value(other);
      char cell[64];
      std::snprintf(cell, sizeof cell, c.format, v);
      std::printf("  %12s%s", cell, best && outcomes.size() > 1 ? "*" : " ");
    }
    std::printf("\n");
  }
  std::printf("* best (lowest) of the column\n");
  bool same = true;
  for (size_t i = 1; i < outcomes.size(); ++i) {
    if (outcomes[i].output != outcomes[0].output) {
      same = false;
      std::printf("output differs: '%s' printed something else than '%s' (the script depends on the collector)\n",
                  settings[i].text.c_str(), settings[0].text.c_str());
    }
  }
  if (same) std::printf("output: the same under every setting\n");
}

}  // namespace

int runCompare(int argc, char** argv, int first) {
  std::vector<Setting> settings;
  std::string shim;
  int i = first;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--shim=", 0) == 0 && isShimName(a.substr(7))) {
      shim = a.substr(7);
      continue;
    }
    std::istringstream words(a);
    std::string head;
    words >> head;
    if (!modeNamed(head)) break;
    std::string problem;
    auto s = parseSetting(a, &problem);
    if (!s) {
      std::fprintf(stderr, "lunette: --compare: %s\n", problem.c_str());
      return 1;
    }
    settings.push_back(*s);
  }
  if (settings.empty() || i >= argc) {
    std::fprintf(stderr, "usage: lunette --compare \"MODE [name=value...]\"... [--shim=NAME] script.lua [args]\n");
    return 1;
  }
  std::string scriptPath = argv[i];
  std::vector<std::string> args(argv + i + 1, argv + argc);
  std::string source;
  if (!readWholeFile(scriptPath.c_str(), source)) {
    std::fprintf(stderr, "lunette: cannot open %s\n", scriptPath.c_str());
    return 1;
  }
  skipCommentLine(source);
  std::printf("%s under %zu collector settings, each in a fresh Lua state:\n\n", scriptPath.c_str(),
              settings.size());
  std::vector<Outcome> outcomes;
  bool anyFailed = false;
  for (const Setting& s : settings) {
    outcomes.push_back(runOnce(s, scriptPath, source, args, shim));
    anyFailed = anyFailed || outcomes.back().failed;
  }
  printTable(settings, outcomes);
  return anyFailed ? 1 : 0;
}

}  // namespace lunette::cli
