// libFuzzer target for the Session API (issue 15, item 1d): the calls the page's worker makes,
// in whatever order and with whatever arguments the input says. Scripts are put together from
// fragments (coroutines parked and dropped, finalizers, weak tables, server-shim waits, errors,
// endless loops, memory bombs, os.exit); the run target covers arbitrary source, this one the
// call orders: a collection, a GC mode switch, a memory limit, a heap question or a reset
// while a run is paused mid-way, a run after os.exit or close, and so on.
//
// A crash, a sanitizer report, a leak, an exception escaping the Session (it must turn every
// failure into a result), or a reply the page would fail to parse as JSON is a bug. Every run
// is bounded: at most kMaxCalls calls, each run() at most kMaxBudget instructions.
#include <fuzzer/FuzzedDataProvider.h>

#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "session/session.h"

namespace {

using lunette::GcSettings;
using lunette::Session;

constexpr int kMaxCalls = 48;
constexpr int64_t kMaxBudget = 20000;
constexpr int kMaxFragments = 6;

// Statements a script is made of; each is valid on its own, some fail at run time on purpose.
constexpr std::array<std::string_view, 18> kFragments = {
    "local parked = {} for i = 1, 200 do local co = coroutine.create(function() "
    "coroutine.yield() end) coroutine.resume(co) parked[i] = co end\n",
    "for i = 1, 300 do coroutine.wrap(function() coroutine.yield(i) end)() end\n",
    "local t = setmetatable({}, {__mode = 'k'}) for i = 1, 100 do t[{}] = i end collectgarbage()\n",
    "setmetatable({}, {__gc = function() print('finalized') end})\n",
    "local s = {} for i = 1, 2000 do s[i] = ('x'):rep(i % 50) .. i end\n",
    "collectgarbage('step', 10) collectgarbage('incremental', 150, 200)\n",
    "collectgarbage('generational') collectgarbage() collectgarbage('incremental')\n",
    "print(collectgarbage('count') > 0)\n",
    "error('boom')\n",
    "error(setmetatable({}, {__tostring = function() return 'object' end}))\n",
    "while true do end\n",
    "local n = 0 repeat n = n + 1 until n < 0\n",
    "local t = {} for i = 1, 1e9 do t[i] = ('y'):rep(1000) .. i end\n",
    "os.exit(3)\n",
    "local lunette = require('lunette') local g = lunette.gcinfo() print(g ~= nil)\n",
    "if ngx then local sema = require('ngx.semaphore').new() "
    "ngx.thread.spawn(function() sema:wait() end) ngx.sleep(1) end\n",
    "if skynet then skynet.fork(function() skynet.wait() end) skynet.sleep(10) end\n",
    "local function r() return r() + 1 end pcall(r)\n",
};

constexpr std::array<std::string_view, 5> kModes = {"incremental", "generational", "luajit", "", "lunar"};
constexpr std::array<std::string_view, 5> kActions = {"collect", "step", "stop", "restart", "explode"};
constexpr std::array<std::string_view, 4> kShims = {"", "ngx", "skynet", "apache"};

[[noreturn]] void fail(std::string_view what, std::string_view text) {
  std::fprintf(stderr, "session_fuzz: %.*s: %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(text.size() > 400 ? 400 : text.size()), text.data());
  std::abort();
}

// ---- a JSON syntax check (RFC 8259), enough to know JSON.parse would accept the text ----------

struct JsonChecker {
  std::string_view s;
  size_t i = 0;
  int depth = 0;

  void space() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
  }
  bool literal(std::string_view word) {
    if (s.substr(i, word.size()) != word) return false;
    i += word.size();
    return true;
  }
  bool string() {
    if (i >= s.size() || s[i] != '"') return false;
    for (++i; i < s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c == '"') return ++i, true;
      if (c < 0x20) return false;
      if (c == '\\') {
        if (++i >= s.size()) return false;
        if (s[i] == 'u') {
          for (int k = 0; k < 4; ++k)
            if (++i >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
        } else if (std::string_view("\"\\/bfnrt").find(s[i]) == std::string_view::npos) {
          return false;
        }
      }
    }
    return false;
  }
  bool digits() {
    size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i > start;
  }
  bool number() {
    if (i < s.size() && s[i] == '-') ++i;
    if (i < s.size() && s[i] == '0') ++i;
    else if (!digits()) return false;
    if (i < s.size() && s[i] == '.' && (++i, !digits())) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      if (!digits()) return false;
    }
    return true;
  }
  bool value() {
    if (++depth > 200) return false;
    space();
    bool ok = false;
    if (i >= s.size()) ok = false;
    else if (s[i] == '{') ok = container('}', true);
    else if (s[i] == '[') ok = container(']', false);
    else if (s[i] == '"') ok = string();
    else if (s[i] == 't') ok = literal("true");
    else if (s[i] == 'f') ok = literal("false");
    else if (s[i] == 'n') ok = literal("null");
    else ok = number();
    --depth;
    return ok;
  }
  bool container(char close, bool object) {
    ++i;
    space();
    if (i < s.size() && s[i] == close) return ++i, true;
    for (;;) {
      if (object) {
        space();
        if (!string()) return false;
        space();
        if (i >= s.size() || s[i++] != ':') return false;
      }
      if (!value()) return false;
      space();
      if (i >= s.size()) return false;
      if (s[i] == close) return ++i, true;
      if (s[i++] != ',') return false;
    }
  }
  bool document() {
    if (!value()) return false;
    space();
    return i == s.size();
  }
};

void expectJson(std::string_view call, const std::string& text) {
  JsonChecker checker{text};
  if (!checker.document()) fail(std::string(call) + " returned text that is not JSON", text);
}

std::string script(FuzzedDataProvider& in) {
  std::string source;
  int count = in.ConsumeIntegralInRange(1, kMaxFragments);
  for (int k = 0; k < count; ++k) source += kFragments[in.ConsumeIntegralInRange<size_t>(0, kFragments.size() - 1)];
  return source;
}

std::optional<int> maybeParam(FuzzedDataProvider& in) {
  if (in.ConsumeBool()) return std::nullopt;
  return in.ConsumeIntegralInRange(-10, 2000);
}

template <size_t N>
std::string_view pick(FuzzedDataProvider& in, const std::array<std::string_view, N>& list) {
  return list[in.ConsumeIntegralInRange<size_t>(0, N - 1)];
}

void call(Session& session, FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 15)) {
    case 0: session.load(script(in), in.ConsumeBool() ? "=input" : "@main.lua"); break;
    case 1: session.run(in.ConsumeIntegralInRange<int64_t>(1, kMaxBudget)); break;
    case 2: session.stop(); break;
    case 3: session.reset(); break;
    case 4: {
      GcSettings settings{maybeParam(in), maybeParam(in), maybeParam(in), maybeParam(in), maybeParam(in)};
      session.setGc(pick(in, kModes), settings);
      break;
    }
    case 5: session.gcAction(pick(in, kActions), in.ConsumeIntegralInRange<int64_t>(-5, 5000)); break;
    case 6: session.setMemoryLimit(in.ConsumeIntegralInRange<size_t>(0, size_t{64} << 20)); break;
    case 7: session.setShim(pick(in, kShims)); break;
    case 8: expectJson("telemetryJson", session.telemetryJson()); break;
    case 9: expectJson("coroutinesJson", session.coroutinesJson()); break;
    case 10:
      session.drainOutput();
      session.drainErrors();
      expectJson("drainOutputMarks", session.drainOutputMarks());
      break;
    case 11:
      expectJson("runSummaryJson", session.runSummaryJson());
      expectJson("waitingJson", session.waitingJson());
      expectJson("strandedJson", session.strandedJson());
      break;
    case 12: expectJson("explainJson", session.explainJson(in.ConsumeIntegralInRange<uint32_t>(0, 400))); break;
    case 13:
      expectJson("suspectsJson", session.suspectsJson(in.ConsumeFloatingPointInRange<double>(0, 1000),
                                                      in.ConsumeIntegralInRange<size_t>(0, 50)));
      break;
    case 14: expectJson("censusJson", session.censusJson()); break;
    default:
      if (in.ConsumeBool()) session.close();
      else session.gcState();
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  Session session;
  session.setMemoryLimit(size_t{32} << 20);
  try {
    for (int k = 0; k < kMaxCalls && in.remaining_bytes() > 0; ++k) call(session, in);
  } catch (const std::exception& e) {
    fail("an exception escaped the Session", e.what());
  }
  return 0;
}
