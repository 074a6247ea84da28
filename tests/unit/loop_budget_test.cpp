// Every way a Lua program can run forever must come back from State::run(budget) as Paused
// after about `budget` instructions: loops of every form, goto, recursion, coroutines. The
// budget is charged on backward jumps and calls, so each form below exercises one of the
// places that charge it (a plain JMP, a test that takes its JMP itself, FORLOOP, TFORLOOP, a
// call, a tail call).
//
// Each loop counts its iterations in the global `n` and stops after kEscapeIterations with an
// error, so a form that escapes the budget makes its test fail (Finished or Failed instead of
// Paused) in a fraction of a second instead of hanging the suite.
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "lib/libs.h"
#include "vm/state.h"

namespace lunette {
namespace {

constexpr int64_t kBudget = 10000;
constexpr int64_t kEscapeIterations = 20000000;  // far beyond what kBudget allows

struct LoopForm {
  const char* name;
  const char* source;  // STEP stands for one counted iteration
};

// One iteration's work: count it, and give up long after the budget should have paused us.
std::string expandStep(std::string source) {
  const std::string step = "n = n + 1 if n > " + std::to_string(kEscapeIterations) +
                           " then error('escaped the budget') end";
  for (size_t at = source.find("STEP"); at != std::string::npos; at = source.find("STEP", at)) {
    source.replace(at, 4, step);
    at += step.size();
  }
  return "n = 0\n" + source;
}

// Lets GoogleTest name a failing form instead of dumping its bytes.
void PrintTo(const LoopForm& form, std::ostream* out) { *out << form.name; }

int64_t globalInteger(State& S, const char* name) {
  const Value* v = S.globals->getString(S.newString(name));
  return v->tag == Tag::Integer ? v->i : -1;
}

class LoopBudget : public testing::TestWithParam<LoopForm> {};

TEST_P(LoopBudget, EndlessLoopPausesWithinItsBudget) {
  State S;
  openStandardLibraries(S);
  ASSERT_TRUE(S.load(expandStep(GetParam().source), "=loop").ok);
  S.start(0);
  int64_t iterationsBefore = 0;
  for (int slice = 1; slice <= 3; ++slice) {
    ASSERT_EQ(S.run(kBudget), RunStatus::Paused) << "slice " << slice << ": " << S.errorMessage();
    // The slice stopped soon after its budget ran out: at most one loop body over it.
    EXPECT_GE(S.instructionCount, slice * kBudget);
    EXPECT_LE(S.instructionCount, slice * kBudget + 100);
    // Each iteration charges at least one instruction and at most its whole body.
    int64_t iterations = globalInteger(S, "n") - iterationsBefore;
    EXPECT_GE(iterations, kBudget / 60) << "slice " << slice;
    EXPECT_LE(iterations, kBudget + 1) << "slice " << slice;
    iterationsBefore += iterations;
  }
}

const LoopForm kLoopForms[] = {
    {"WhileTrue", "while true do STEP end"},
    {"WhileCondition", "while n >= 0 do STEP end"},
    {"RepeatUntilFalse", "repeat STEP until false"},
    {"RepeatUntilNil", "repeat STEP until nil"},
    {"RepeatUntilLessThanImmediate", "repeat STEP until n < 0"},
    {"RepeatUntilEqualImmediate", "repeat STEP until n == -1"},
    {"RepeatUntilEqualConstant", "repeat STEP until n == 'never'"},
    {"RepeatUntilEqualRegister", "local never = {} repeat STEP until n == never"},
    {"RepeatUntilLessThanRegister", "local low = -1 repeat STEP until n < low"},
    {"RepeatUntilLessEqualRegister", "local low = -1 repeat STEP until n <= low"},
    {"RepeatUntilTest", "local done repeat STEP until done"},
    {"RepeatUntilAndOr", "local a, b = false, nil repeat STEP until a or b and n < 0"},
    {"RepeatUntilMetamethod",
     "local never = setmetatable({}, {__lt = function() return false end})\n"
     "repeat STEP until never < never"},
    {"RepeatWithCapturedLocal",
     "local keep repeat local v = n STEP keep = function() return v end until n < 0"},
    {"NumericForInteger", "for i = 1, math.maxinteger do STEP end"},
    {"NumericForFloat", "for x = 1.0, math.huge do STEP end"},
    {"GenericFor", "for _ in function() return true end do STEP end"},
    {"GenericForPairsNested", "while true do for _ in pairs({}) do end STEP end"},
    {"GotoBackward", "::top:: STEP goto top"},
    {"GotoBackwardConditional", "::top:: STEP if n >= 0 then goto top end"},
    {"GotoBackwardClosingScope",
     "local keep ::top:: do local v = n STEP keep = function() return v end goto top end"},
    {"TailRecursion", "local function f() STEP return f() end f()"},
    {"Recursion", "local function f() STEP f() end f()"},
    {"RecursionThroughPcall", "local function f() STEP pcall(f) end f()"},
    {"IndexMetamethodInLoop",
     "local t = setmetatable({}, {__index = function(t, k) STEP return k end})\n"
     "while true do local _ = t.x end"},
    {"LoopInCoroutine", "coroutine.wrap(function() repeat STEP until false end)()"},
    {"CoroutinePingPong",
     "local co = coroutine.wrap(function() while true do coroutine.yield() end end)\n"
     "repeat STEP co() until false"},
};

INSTANTIATE_TEST_SUITE_P(EveryForm, LoopBudget, testing::ValuesIn(kLoopForms),
                         [](const testing::TestParamInfo<LoopForm>& info) { return info.param.name; });

// A loop inside a native call (here a sort comparator) cannot pause: with an overdraft limit
// it fails once that many instructions past its slice, even if it catches the first error.
// (The loops end after millions of instructions, so that without the limit the test fails
// instead of hanging.)
TEST(Budget, LoopThatCannotPauseFailsPastTheOverdraftLimit) {
  for (const char* comparator :
       {"function(a, b) local n = 0 while n < 3000000 do n = n + 1 end return a < b end",
        "function(a, b) local n = 0 while n < 3000000 do "
        "  n = n + 1 pcall(function() local m = 0 repeat m = m + 1 until m == 10 end) "
        "end return a < b end"}) {
    State S;
    openStandardLibraries(S);
    S.nestedOverdraftLimit = 50000;
    ASSERT_TRUE(S.load(std::string("table.sort({3, 2, 1}, ") + comparator + ")", "=sort").ok);
    S.start(0);
    EXPECT_EQ(S.run(kBudget), RunStatus::Failed) << comparator;
    EXPECT_NE(S.errorMessage().find("instruction budget exhausted in a call that cannot pause"),
              std::string::npos)
        << S.errorMessage();
    EXPECT_GE(S.instructionCount, kBudget + 50000) << comparator;
  }
}

// table.move over a huge range is one native call looping on its own, without a Lua
// instruction: it counts its elements against the budget and fails past the overdraft limit
// (the fuzzer found one running for minutes).
TEST(Budget, TableMoveOverAHugeRangeFailsPastTheOverdraftLimit) {
  State S;
  openStandardLibraries(S);
  S.nestedOverdraftLimit = 50000;
  ASSERT_TRUE(S.load("local t = {} table.move(t, 1, 1 << 40, 2)", "=move").ok);
  S.start(0);
  EXPECT_EQ(S.run(kBudget), RunStatus::Failed);
  EXPECT_NE(S.errorMessage().find("instruction budget exhausted in a call that cannot pause"),
            std::string::npos)
      << S.errorMessage();
}

TEST(Budget, OverdraftLimitLeavesPausableLoopsAlone) {
  State S;
  openStandardLibraries(S);
  S.nestedOverdraftLimit = 100;
  ASSERT_TRUE(S.load("local n = 0 repeat n = n + 1 until n == 100000 print(n)", "=loop").ok);
  S.start(0);
  RunStatus status;
  do status = S.run(1000);
  while (status == RunStatus::Paused);
  EXPECT_EQ(status, RunStatus::Finished) << S.errorMessage();
}

}  // namespace
}  // namespace lunette
