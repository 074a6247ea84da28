// State::finalizeForExit, what a process about to exit runs instead of destroying the State
// (Session::closeForExit, called by wasm/run.mjs): the finalizers lua_close runs, in the same
// order and with the same output as when the State is destroyed, and no object freed.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "lib/libs.h"
#include "run_lua.h"
#include "vm/state.h"

namespace lunette {
namespace {

const char* kScript = R"(
for i = 1, 3 do setmetatable({}, {__gc = function() print("finalized " .. i) end}) end
kept = {}
for i = 1, 1000 do kept[i] = {i} end
)";

std::unique_ptr<State> stateAfterScript(std::string& output) {
  auto S = std::make_unique<State>();
  openStandardLibraries(*S);
  EXPECT_EQ(test::run(*S, kScript), "");
  S->outputSink = [&output](std::string_view text) { output += text; };
  return S;
}

TEST(StateFinalizeForExit, RunsTheFinalizersOfACloseAndFreesNothing) {
  std::string atClose;
  stateAfterScript(atClose).reset();
  EXPECT_EQ(atClose, "finalized 3\nfinalized 2\nfinalized 1\n");

  std::string atExit;
  std::unique_ptr<State> S = stateAfterScript(atExit);
  size_t heapBefore = S->collector.heapBytes;
  S->finalizeForExit();
  EXPECT_EQ(atExit, atClose);
  EXPECT_GE(S->collector.heapBytes, heapBefore);  // nothing freed (printing may allocate)

  // Destroyed afterwards (a test, not an exit): the objects are freed, no finalizer runs twice.
  S.reset();
  EXPECT_EQ(atExit, atClose);
}

}  // namespace
}  // namespace lunette
