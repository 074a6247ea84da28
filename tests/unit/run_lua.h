// Test support: run Lua source on a State to the end (in slices, so budgets are exercised too)
// and return what it printed, or "syntax: ..." / "error: ..." when it did not finish.
#pragma once

#include <string>

#include "vm/state.h"

namespace lunette::test {

inline std::string run(State& S, const std::string& source) {
  std::string output;
  S.outputSink = [&](std::string_view text) { output += text; };
  auto loaded = S.load(source, "=test");
  if (!loaded.ok) return "syntax: " + loaded.message;
  S.start(0);
  RunStatus status;
  do status = S.run(1000000);
  while (status == RunStatus::Paused);
  if (status == RunStatus::Failed) return "error: " + S.errorMessage();
  return output;
}

}  // namespace lunette::test
