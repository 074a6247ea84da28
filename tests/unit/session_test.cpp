// The Session built natively (no Emscripten): the same logic the wasm module runs, in the
// release and the sanitizer builds like every unit test.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "session/session.h"

namespace lunette {
namespace {

SessionRunResult runToEnd(Session& session, std::string_view source, int64_t budget = 1000000) {
  SessionLoadResult loaded = session.load(source, "=input");
  EXPECT_TRUE(loaded.ok) << loaded.message;
  SessionRunResult result;
  for (int i = 0; i < 10000; ++i) {
    result = session.run(budget);
    if (result.status != SessionStatus::Paused) break;
  }
  return result;
}

TEST(SessionErrorLine, IsTheNamedPositionInTheScriptElseTheInnermostScriptFrame) {
  const std::vector<SourcePosition> frames = {{"lib.lua", 4}, {"input", 9}, {"input", 2}};
  EXPECT_EQ(scriptErrorLine({"input", 12}, frames, "=input"), 12);
  EXPECT_EQ(scriptErrorLine({"lib.lua", 12}, frames, "=input"), 9);
  EXPECT_EQ(scriptErrorLine({}, frames, "=input"), 9);
  EXPECT_EQ(scriptErrorLine({}, {}, "=input"), 0);
  EXPECT_EQ(scriptErrorLine({"main.lua", 3}, {}, "@main.lua"), 3);
}

// What kind of error ended a run is decided where it was thrown, never read from its text.
TEST(SessionTypedErrors, EachFailureCarriesItsKindAndPosition) {
  struct Case {
    const char* source;
    const char* kind;
    int line;             // the script line the editor marks
    int positionLine;     // where the error points (0: nowhere)
  };
  const Case cases[] = {
      {"local x = nil\nreturn x.y", "runtime", 2, 2},
      {"error('not enough memory')", "runtime", 1, 1},   // a runtime error, whatever it says
      {"local function f()\n  error({code = 1})\nend\nf()", "runtime", 2, 2},
      {"local function f()\n  error('up', 2)\nend\nf()", "runtime", 4, 4},
      {"error('no position', 0)", "runtime", 1, 1},
      {"local t = {}\nfor i = 1, 1e9 do t[i] = ('x'):rep(1000) .. i end", "memory", 2, 2},
      {"local co = coroutine.wrap(function()\n  error('inside')\nend)\nco()", "runtime", 4, 4},
  };
  for (const Case& c : cases) {
    Session session;
    session.setMemoryLimit(size_t{8} << 20);
    SessionRunResult r = runToEnd(session, c.source);
    ASSERT_EQ(r.status, SessionStatus::Failed) << c.source;
    EXPECT_EQ(r.error.kind, c.kind) << c.source << ": " << r.error.message;
    EXPECT_EQ(r.error.line, c.line) << c.source;
    EXPECT_EQ(r.error.position.line, c.positionLine) << c.source;
    if (c.positionLine) EXPECT_EQ(r.error.position.chunk, "input") << c.source;
  }
}

// An error while the run's message handler names the error (its __tostring overflows the stack)
// is an error in the handler, not the script's error.
TEST(SessionTypedErrors, AnErrorInTheMessageHandlerHasTheHandlerKind) {
  Session session;
  SessionRunResult r = runToEnd(session,
                                "local function deeper() return deeper() + 1 end\n"
                                "error(setmetatable({}, {__tostring = function() return deeper() end}))");
  ASSERT_EQ(r.status, SessionStatus::Failed);
  EXPECT_EQ(r.error.kind, "handler") << r.error.message;
  EXPECT_EQ(r.error.line, 2) << r.error.message;
}

TEST(Session, CapturesStdoutAndStderrSeparately) {
  Session session;
  SessionRunResult result =
      runToEnd(session, "print('a', 1) io.stderr:write('e\\n') io.write('b')");
  EXPECT_EQ(result.status, SessionStatus::Finished);
  EXPECT_EQ(session.drainOutput(), "a\t1\nb");
  EXPECT_EQ(session.drainErrors(), "e\n");
  EXPECT_EQ(session.drainOutput(), "");
}

TEST(Session, PausesEveryBudgetAndStopAbandonsTheRun) {
  Session session;
  ASSERT_TRUE(session.load("while true do end", "=input").ok);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(session.run(5000).status, SessionStatus::Paused);
  session.stop();
  EXPECT_EQ(session.status(), SessionStatus::Idle);
  EXPECT_EQ(session.run(5000).status, SessionStatus::Idle);
  EXPECT_EQ(runToEnd(session, "print('next')").status, SessionStatus::Finished);
  EXPECT_EQ(session.drainOutput(), "next\n");
}

TEST(Session, RuntimeErrorIsAnErrorRecordWithLine) {
  Session session;
  SessionRunResult result = runToEnd(session, "local a\n\nreturn a + 1");
  ASSERT_EQ(result.status, SessionStatus::Failed);
  EXPECT_EQ(result.error.line, 3);
  EXPECT_NE(result.error.message.find("attempt to perform arithmetic on a nil value"),
            std::string::npos);
  EXPECT_EQ(result.error.traceback.rfind("stack traceback:", 0), 0u);
}

TEST(Session, OsExitIsAnExitResultThatPcallCannotCatch) {
  Session session;
  SessionRunResult result = runToEnd(session, "pcall(os.exit, 5) print('after')");
  EXPECT_EQ(result.status, SessionStatus::Exited);
  EXPECT_EQ(result.exitCode, 5);
  EXPECT_EQ(session.drainOutput(), "");
}

TEST(Session, OsExitWithCloseClosesPendingVariablesAndRunsFinalizers) {
  Session session;
  SessionRunResult result = runToEnd(session,
      "setmetatable({}, {__gc = function() print('finalized') end})\n"
      "local c <close> = setmetatable({}, {__close = function() print('closed') end})\n"
      "os.exit(true, true)");
  EXPECT_EQ(result.status, SessionStatus::Exited);
  EXPECT_EQ(result.exitCode, 0);
  EXPECT_EQ(session.drainOutput(), "closed\nfinalized\n");
}

TEST(Session, MemoryLimitRaisesNotEnoughMemoryAndTheSessionRecovers) {
  Session session;
  session.setMemoryLimit(8u << 20);
  SessionRunResult result =
      runToEnd(session, "local t = {} for i = 1, 1e8 do t[i] = ('x'):rep(100) .. i end");
  ASSERT_EQ(result.status, SessionStatus::Failed);
  EXPECT_NE(result.error.message.find("not enough memory"), std::string::npos);
  EXPECT_EQ(runToEnd(session, "print(#{1, 2, 3})").status, SessionStatus::Finished);
  EXPECT_EQ(session.drainOutput(), "3\n");
}

TEST(Session, UnknownCollectorModeOrActionIsRefused) {
  Session session;
  GcSettings settings;
  settings.minormul = 40;
  EXPECT_EQ(session.setGc("generational", settings), "");
  EXPECT_EQ(session.gcState().mode, "generational");
  EXPECT_EQ(session.gcState().minormul, 40);
  EXPECT_NE(session.setGc("copying", {}), "");
  EXPECT_NE(session.gcAction("explode", 0), "");
  EXPECT_EQ(session.gcAction("collect", 0), "");
}

TEST(SessionTelemetry, SamplesFollowTheProtocolFieldsAndDrain) {
  Session session;
  session.setSampleInterval(1000);
  runToEnd(session, "local t = {} for i = 1, 20000 do t[i] = {} end", 5000);
  std::string json = session.telemetryJson();
  EXPECT_EQ(json.rfind("{\"samples\":{\"fields\":[\"t\",\"instr\",\"allocated\",\"total\"", 0), 0u);
  EXPECT_NE(json.find("\"rows\":[["), std::string::npos);
  EXPECT_NE(json.find("\"events\":[{\"kind\":"), std::string::npos) << "collector events";
  EXPECT_NE(json.find("\"kind\":\"cycle\""), std::string::npos);
  std::string again = session.telemetryJson();
  EXPECT_NE(again.find("\"rows\":[]"), std::string::npos);
  EXPECT_NE(again.find("\"events\":[]"), std::string::npos);
}

TEST(SessionTelemetry, CountsCoroutinesByStatusAndListsTheRegistry) {
  Session session;
  runToEnd(session,
           "keep = {}\nfor i = 1, 3 do\n"
           "  keep[i] = coroutine.create(function() coroutine.yield() end) end\n"
           "coroutine.resume(keep[1])\ncoroutine.resume(keep[1])");
  std::string json = session.telemetryJson();
  // The last sample has co.suspended, co.running, co.normal, co.dead, co.collected, then line,
  // cycle and reason (8: the run's end).
  size_t rowEnd = json.rfind("]]");
  size_t rowStart = json.rfind('[', rowEnd);
  std::string row = json.substr(rowStart + 1, rowEnd - rowStart - 1);
  std::vector<std::string> values;
  for (size_t at = 0; at <= row.size();) {
    size_t comma = row.find(',', at);
    if (comma == std::string::npos) comma = row.size();
    values.push_back(row.substr(at, comma - at));
    at = comma + 1;
  }
  ASSERT_EQ(values.size(), 25u) << row;
  EXPECT_EQ(values[16] + values[17] + values[18] + values[19] + values[20], "20010") << row;
  EXPECT_EQ(values[23], "8") << row;
  EXPECT_EQ(values[24], "null") << row;  // vtime: no server shim, no virtual clock
  std::string registry = session.coroutinesJson();
  const char* first = "[{\"id\":1,\"status\":\"dead\",\"site\":{\"chunk\":\"input\",\"line\":3";
  EXPECT_EQ(registry.rfind(first, 0), 0u)
      << registry;
  EXPECT_NE(registry.find("\"id\":3,\"status\":\"suspended\""), std::string::npos);
}

TEST(SessionCompare, RunSummaryCountsTheCyclesAndThePeakOfTheRun) {
  Session session;
  runToEnd(session, "local keep = {} for i = 1, 100000 do keep[i % 1000 + 1] = {i} end keep = nil collectgarbage()");
  std::string json = session.runSummaryJson();
  EXPECT_EQ(json.rfind("{\"peakBytes\":", 0), 0u) << json;
  EXPECT_NE(json.find("\"p99StepMs\":"), std::string::npos) << json;
  EXPECT_EQ(json.find("\"cycles\":0,"), std::string::npos) << json;
}

}  // namespace
}  // namespace lunette

namespace lunette {
namespace {

TEST(SessionShims, AChunkUnderTheNgxShimSleepsOnTheVirtualClockAndReportsItsWaiters) {
  Session session;
  EXPECT_EQ(session.setShim("ngx"), "");
  runToEnd(session,
           "ngx.sleep(60) print(ngx.now() - 1700000000)\n"
           "local sema = require('ngx.semaphore').new()\n"
           "ngx.thread.spawn(function() sema:wait() end)\n");
  EXPECT_EQ(session.drainOutput(), "60.0\n");
  std::string waiting = session.waitingJson();
  EXPECT_NE(waiting.find("\"semaphore #1\""), std::string::npos) << waiting;
  EXPECT_NE(session.setShim("apache"), "");
  EXPECT_EQ(session.setShim(""), "");
  session.reset();  // a fresh universe, as the worker makes for every run
  runToEnd(session, "print(ngx)");
  EXPECT_EQ(session.drainOutput(), "nil\n");
  EXPECT_EQ(session.waitingJson(), "{}");
}

TEST(SessionShims, WhatEachCoroutineWaitsForIsReadableWhileTheRunIsPaused) {
  Session session;
  ASSERT_EQ(session.setShim("ngx"), "");
  // Ten light threads park on a semaphore; then the main task spins, so the run pauses with
  // its scheduler (and the waits) in the middle of their life.
  ASSERT_TRUE(session.load("local sema = require('ngx.semaphore').new()\n"
                           "for i = 1, 10 do ngx.thread.spawn(function() sema:wait() end) end\n"
                           "local n = 0 for i = 1, 200000 do n = n + i end\n"
                           "sema:post(10)\n",
                           "=input")
                  .ok);
  SessionRunResult result = session.run(20000);
  ASSERT_EQ(result.status, SessionStatus::Paused);
  std::string waiting = session.waitingJson();
  size_t count = 0;
  for (size_t at = waiting.find("semaphore #1"); at != std::string::npos;
       at = waiting.find("semaphore #1", at + 1))
    ++count;
  EXPECT_EQ(count, 10u) << waiting;
  // Reading them disturbed nothing: the run goes on and its posts wake every waiter.
  for (int i = 0; i < 1000 && result.status == SessionStatus::Paused; ++i) result = session.run(20000);
  EXPECT_EQ(result.status, SessionStatus::Finished);
  EXPECT_EQ(session.waitingJson(), "{}");
}

// The `vtime` column of every row in a telemetry batch, as written ("null" without a clock).
std::vector<std::string> virtualTimes(const std::string& json) {
  std::vector<std::string> out;
  for (size_t end = json.find("],["); ; end = json.find("],[", end + 1)) {
    size_t close = end == std::string::npos ? json.find("]]") : end;
    if (close == std::string::npos) break;
    size_t comma = json.rfind(',', close);
    out.push_back(json.substr(comma + 1, close - comma - 1));
    if (end == std::string::npos) break;
  }
  return out;
}

TEST(SessionShims, SamplesCarryTheVirtualClockAndOneIsTakenWhereItMoves) {
  Session session;
  ASSERT_EQ(session.setShim("ngx"), "");
  runToEnd(session, "ngx.sleep(5) local t = {} for i = 1, 100 do t[i] = {} end ngx.sleep(2.5)");
  std::string json = session.telemetryJson();
  ASSERT_NE(json.find("\"reason\",\"vtime\"]"), std::string::npos) << json.substr(0, 400);
  std::vector<std::string> vtimes = virtualTimes(json.substr(0, json.find("\"events\"")));
  ASSERT_GE(vtimes.size(), 3u);
  EXPECT_EQ(vtimes.back(), "7.5");
  // The clock's moves are samples of reason 9 (VirtualClock) carrying the new time.
  EXPECT_NE(json.find(",9,5]"), std::string::npos);
  EXPECT_NE(json.find(",9,7.5]"), std::string::npos);
  for (size_t i = 1; i < vtimes.size(); ++i) {
    if (vtimes[i - 1] == "null") continue;
    EXPECT_LE(std::stod(vtimes[i - 1]), std::stod(vtimes[i])) << "the clock never goes back";
  }
}

TEST(SessionShims, WaitersOfASemaphoreNobodyPostsAreSuspectsWithAPathThroughIt) {
  Session session;
  ASSERT_EQ(session.setShim("ngx"), "");
  runToEnd(session,
           "backend = {ready = require('ngx.semaphore').new()}\n"
           "for i = 1, 3 do ngx.thread.spawn(function() backend.ready:wait() end) end\n"
           "ngx.thread.spawn(function() backend.ready:wait(1) end)\n");
  // A huge idle threshold: only the stuck waiters can be suspects.
  std::string suspects = session.suspectsJson(1e12, 50);
  size_t count = 0;
  for (size_t at = suspects.find("\"waitsFor\":\"semaphore #1\""); at != std::string::npos;
       at = suspects.find("\"waitsFor\":\"semaphore #1\"", at + 1))
    ++count;
  EXPECT_EQ(count, 3u) << suspects;  // the one with a timeout gave up: not stuck
  std::string stranded = session.strandedJson();
  EXPECT_EQ(stranded, "{\"2\":\"semaphore #1\",\"3\":\"semaphore #1\",\"4\":\"semaphore #1\"}")
      << stranded;
  EXPECT_NE(suspects.find("\"_G.backend.ready.waiters[1]\""), std::string::npos) << suspects;
  // The finished tasks are held by nothing but the scheduler's weak-keyed records: not suspects.
  EXPECT_EQ(suspects.find("dead but still referenced"), std::string::npos) << suspects;
}

TEST(SessionShims, WithoutTheShimThereAreNoStuckWaiters) {
  Session session;
  runToEnd(session, "keep = coroutine.create(function() coroutine.yield() end) coroutine.resume(keep)");
  EXPECT_EQ(session.suspectsJson(1e12, 50), "[]");
}

// ---- checking without running ---------------------------------------------------------------

TEST(SessionCheck, ReportsEachCompileErrorExactlyAsLoadDoes) {
  const char* broken[] = {
      "print((1)\n",                                  // unbalanced parenthesis
      "local x <const> = 1\nx = 2\n",                 // assignment to a constant
      "goto nowhere\n",                               // goto without a label
      "do ::a:: end\n::a:: ::a::\n",                  // repeated label
      "local t = {}\nfor i = 1, 2 do\n  t[i] = \n end\n",
  };
  for (const char* source : broken) {
    Session session;
    SessionLoadResult loaded = session.load(source, "=main.lua");
    ASSERT_FALSE(loaded.ok) << source;
    std::string expected = "{\"ok\":false,\"message\":\"" + loaded.message +
                           "\",\"line\":" + std::to_string(loaded.line) +
                           ",\"column\":" + std::to_string(loaded.column) + "}";
    EXPECT_EQ(Session::checkJson(source, "=main.lua"), expected) << source;
  }
}

TEST(SessionCheck, ListsLocalsWithTheLinesWhereTheyAreVisible) {
  std::string json = Session::checkJson(
      "local count <const> = 10\n"            // 1
      "local function grow(t, n, ...)\n"      // 2
      "  for i = 1, n do\n"                   // 3
      "    local item = {}\n"                 // 4
      "    t[i] = item\n"                     // 5
      "  end\n"                               // 6
      "end\n"                                 // 7
      "total = 0\n"                           // 8
      "function report(x) total = x end\n",   // 9
      "=main.lua");
  EXPECT_NE(json.find("{\"ok\":true,\"names\":["), std::string::npos) << json;
  auto has = [&](const std::string& record) {
    EXPECT_NE(json.find(record), std::string::npos) << record << "\n in " << json;
  };
  has(R"j({"name":"count","kind":"local","line":1,"column":7,"from":2,"to":0,"detail":"<const>"})j");
  has(R"j({"name":"grow","kind":"localfunction","line":2,"column":16,"from":2,"to":0,)j"
      R"j("detail":"(t, n, ...)"})j");
  has(R"j({"name":"t","kind":"parameter","line":2,"column":21,"from":2,"to":7})j");
  has(R"j({"name":"i","kind":"loopvariable","line":3,"column":7,"from":3,"to":6})j");
  has(R"j({"name":"item","kind":"local","line":4,"column":11,"from":5,"to":6})j");
  has(R"j({"name":"total","kind":"global","line":8,"column":1,"from":8,"to":0})j");
  has(R"j({"name":"report","kind":"globalfunction","line":9,"column":10,"from":9,"to":0,)j"
      R"j("detail":"(x)"})j");
  // `total = x` inside report assigns the same global: listed once, where it is first set.
  EXPECT_EQ(json.find("\"total\""), json.rfind("\"total\""));
}

TEST(SessionCheck, ALocalShadowsTheGlobalItsAssignmentWouldOtherwiseCreate) {
  std::string json = Session::checkJson("local x\nx = 1\ny = 2\n", "=main.lua");
  EXPECT_EQ(json.find("\"kind\":\"global\",\"line\":2"), std::string::npos) << json;
  EXPECT_NE(json.find(R"j({"name":"y","kind":"global","line":3)j"), std::string::npos) << json;
}

TEST(SessionCheck, ALongExpressionChainIsWalkedWithoutRecursion) {
  std::string source = "local s = 1\nlocal t = s";
  for (int i = 0; i < 200000; ++i) source += " + s";
  source += "\n";
  std::string json = Session::checkJson(source, "=main.lua");
  EXPECT_NE(json.find(R"j({"name":"t","kind":"local")j"), std::string::npos) << json.substr(0, 200);
}

TEST(SessionCheck, LeavesAPausedRunAsItWas) {
  Session session;
  ASSERT_TRUE(session.load("local n = 0\nfor i = 1, 100000 do n = n + i end\nprint(n)\n",
                           "=main.lua").ok);
  EXPECT_EQ(session.run(1000).status, SessionStatus::Paused);
  EXPECT_NE(Session::checkJson("print((", "=main.lua").find("\"ok\":false"), std::string::npos);
  SessionRunResult result;
  do result = session.run(1000000); while (result.status == SessionStatus::Paused);
  EXPECT_EQ(result.status, SessionStatus::Finished);
  EXPECT_EQ(session.drainOutput(), "5000050000\n");
}

}  // namespace
}  // namespace lunette
