// The interpreter seen from the embedding API: budgets, results, errors, separate states.
#include <gtest/gtest.h>

#include <string>

#include "lib/libs.h"
#include "run_lua.h"
#include "vm/state.h"

namespace lunette {
namespace {

struct RunResult {
  RunStatus status;
  std::string output;
  std::string error;
};

RunResult runToEnd(const std::string& source, int64_t budget = INT64_MAX / 4) {
  State S;
  std::string output;
  S.outputSink = [&](std::string_view text) { output += text; };
  openStandardLibraries(S);
  auto loaded = S.load(source, "=test");
  if (!loaded.ok) return {RunStatus::Failed, output, loaded.message};
  S.start(0);
  RunStatus status;
  do status = S.run(budget);
  while (status == RunStatus::Paused);
  return {status, output, S.errorMessage()};
}

TEST(Budget, InfiniteLoopComesBackPaused) {
  State S;
  openStandardLibraries(S);
  ASSERT_TRUE(S.load("while true do end", "=loop").ok);
  S.start(0);
  for (int slice = 0; slice < 5; ++slice) EXPECT_EQ(S.run(10000), RunStatus::Paused);
  EXPECT_GT(S.instructionCount, 40000);
}

TEST(Budget, PausedRunCanBeResumedToTheEnd) {
  RunResult r = runToEnd("local s = 0 for i = 1, 100000 do s = s + i end print(s)", 1000);
  EXPECT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.output, "5000050000\n");
}

TEST(Budget, PausedRunCanBeAbandonedAndTheStateReused) {
  State S;
  std::string output;
  S.outputSink = [&](std::string_view text) { output += text; };
  openStandardLibraries(S);
  ASSERT_TRUE(S.load("while true do end", "=loop").ok);
  S.start(0);
  EXPECT_EQ(S.run(1000), RunStatus::Paused);
  S.abandon();
  ASSERT_TRUE(S.load("print('next')", "=next").ok);
  S.start(0);
  EXPECT_EQ(S.run(1000000), RunStatus::Finished);
  EXPECT_EQ(output, "next\n");
}

TEST(Budget, LoopInsideACoroutinePausesAndResumes) {
  RunResult r = runToEnd(
      "local co = coroutine.wrap(function() local n = 0 for i = 1, 50000 do n = n + 1 end "
      "coroutine.yield(n) end) print(co())",
      500);
  EXPECT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.output, "50000\n");
}

TEST(Interpreter, RuntimeErrorReportsChunkAndLine) {
  RunResult r = runToEnd("local x\n\nx.y = 1");
  EXPECT_EQ(r.status, RunStatus::Failed);
  EXPECT_EQ(r.error, "test:3: attempt to index a nil value (local 'x')");
}

TEST(Interpreter, SyntaxErrorNamesTheLineAndToken) {
  State S;
  auto loaded = S.load("x = = 1", "=test");
  EXPECT_FALSE(loaded.ok);
  EXPECT_EQ(loaded.message, "test:1: unexpected symbol near '='");
  EXPECT_EQ(loaded.line, 1);
}

TEST(Interpreter, DeepRecursionIsACatchableStackOverflow) {
  RunResult r = runToEnd(
      "local function f(n) return 1 + f(n + 1) end "
      "local ok, msg = pcall(f, 1) print(ok, string.find(msg, 'stack overflow') ~= nil)");
  EXPECT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.output, "false\ttrue\n");
}

// CALL's frame-limit check is folded into the frame push (FrameStack::tryPushFast): a recursion
// still stops at the same depth, with the same catchable error, and the frame limit is still
// raised for a message handler (xpcall's runs above the overflowing frames).
TEST(Interpreter, RecursionOverflowsAtTheFrameLimitThroughTheFoldedCheck) {
  RunResult r = runToEnd(
      "local depth = 0 "
      "local function g() depth = depth + 1 g() end "
      "local ok, msg = pcall(g) print(ok, string.find(msg, 'stack overflow') ~= nil, depth) "
      "local function f() return 1 + f() end "
      "local function handler(m) local function h(n) if n > 0 then return 1 + h(n - 1) end return 0 end "
      "  return h(150) end "
      "print(xpcall(f, handler))");
  EXPECT_EQ(r.status, RunStatus::Finished);
  EXPECT_EQ(r.output, "false\ttrue\t219997\nfalse\t150\n");
}

TEST(Interpreter, TailCallsRunInConstantStack) {
  RunResult r = runToEnd("local function f(n) if n == 0 then return 'done' end return f(n - 1) end "
                   "print(f(1000000))");
  EXPECT_EQ(r.output, "done\n");
}

// A tail call's frame returns where the frame it replaced would have: to pcall's marker (which
// prepends true), to a native caller (a sort comparator, a gsub callback), to a coroutine's
// resumer, to a metamethod's opcode; not straight to the Lua frame below, as a plain call does.
TEST(Interpreter, TailCallsReturnToTheReplacedFramesCaller) {
  RunResult r = runToEnd(
      "local function id(...) return ... end "
      "local function viaTail(...) return id(...) end "
      "print(pcall(viaTail, 1, 2)) "
      "print(select('#', pcall(viaTail))) "
      "local t = {3, 1, 2} table.sort(t, function(a, b) return id(a < b) end) "
      "print(t[1], t[2], t[3]) "
      "print((string.gsub('ab', '%w', function(c) return id(c .. c) end))) "
      "local co = coroutine.wrap(function(x) return viaTail(x, 'end') end) print(co('co')) "
      "local mt = {__add = function(a, b) return id(40 + b) end} "
      "print(setmetatable({}, mt) + 2, 'after')");
  EXPECT_EQ(r.status, RunStatus::Finished) << r.error;
  EXPECT_EQ(r.output, "true\t1\t2\n1\n1\t2\t3\naabb\nco\tend\n42\tafter\n");
}

TEST(Interpreter, StatesAreIndependent) {
  State a, b;
  openStandardLibraries(a);
  openStandardLibraries(b);
  ASSERT_TRUE(a.load("x = 1", "=a").ok);
  a.start(0);
  ASSERT_EQ(a.run(1000), RunStatus::Finished);
  std::string output;
  b.outputSink = [&](std::string_view t) { output += t; };
  ASSERT_TRUE(b.load("print(x)", "=b").ok);
  b.start(0);
  ASSERT_EQ(b.run(1000), RunStatus::Finished);
  EXPECT_EQ(output, "nil\n");
}

TEST(Interpreter, CountMatchesTheSumOfBytesByKind) {
  State S;
  openStandardLibraries(S);
  ASSERT_TRUE(S.load("t = {} for i = 1, 1000 do t[i] = {tostring(i)} end", "=alloc").ok);
  S.start(0);
  ASSERT_EQ(S.run(INT64_MAX / 4), RunStatus::Finished);
  size_t sum = 0;
  for (size_t bytes : S.collector.bytesByKind) sum += bytes;
  EXPECT_EQ(sum, S.collector.heapBytes);
}

// A table constructor's safe point sees only the registers below the new table (as the
// reference's does): last round's `u`, left in the register above `t`, is garbage there.
// With a full collection at every safe point, each round's first count finds the weak table
// empty; were the stale register scanned, it would find last round's `u` still alive.
TEST(Interpreter, ATableConstructorsCollectionIgnoresTheRegistersAboveIt) {
  State S;
  openStandardLibraries(S);
  S.collector.stressEvery = 1;
  EXPECT_EQ(test::run(S, R"(
    local weak = setmetatable({}, {__mode = 'k'})
    local survivors = 0
    for round = 1, 3 do
      local t = {}
      for _ in next, weak do survivors = survivors + 1 end
      local u = {}
      weak[u] = true
    end
    print(survivors)
  )"), "0\n");
}

}  // namespace
}  // namespace lunette
