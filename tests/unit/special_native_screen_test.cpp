// CALL's screen for the natives the loop runs itself (pcall, xpcall, coroutine.resume/yield,
// the function coroutine.wrap returns, pairs): it must recognise exactly those six, so a hot
// library native never takes the slow call path by an accident of where the linker put it.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "lib/libs.h"
#include "vm/interpreter.h"
#include "vm/object.h"
#include "vm/state.h"
#include "vm/table.h"

namespace lunette {
namespace {

const std::vector<NativeFunction> kSpecialNatives = {nativePcall,  nativeXpcall,   nativeResume,
                                                     nativeYield,  nativeWrapped, nativePairs};

// Every native reachable from the globals through tables (the libraries and _G itself).
std::set<NativeFunction> registeredNatives(State& S) {
  std::set<NativeFunction> found;
  std::set<const Table*> visited;
  std::vector<const Table*> pending = {S.globals};
  while (!pending.empty()) {
    const Table* table = pending.back();
    pending.pop_back();
    if (!visited.insert(table).second) continue;
    Value key, value;
    while (table->next(S, key, value)) {
      if (value.tag == Tag::LightNative) found.insert(value.f);
      else if (value.tag == Tag::NativeClosure) found.insert(value.asNativeClosure()->function);
      else if (value.tag == Tag::Table) pending.push_back(value.asTable());
    }
  }
  return found;
}

TEST(SpecialNativeScreen, EverySpecialNativeIsScreened) {
  for (NativeFunction f : kSpecialNatives) EXPECT_TRUE(isSpecialNative(f));
}

TEST(SpecialNativeScreen, NoOtherLibraryNativeIsScreened) {
  State S;
  openStandardLibraries(S);
  std::set<NativeFunction> natives = registeredNatives(S);
  ASSERT_GT(natives.size(), 100u);  // the walk really reached the libraries
  int specialsSeen = 0;
  for (NativeFunction f : natives) {
    bool special = std::find(kSpecialNatives.begin(), kSpecialNatives.end(), f) != kSpecialNatives.end();
    specialsSeen += special;
    EXPECT_EQ(isSpecialNative(f), special) << "native at " << reinterpret_cast<void*>(f);
  }
  EXPECT_EQ(specialsSeen, 5);  // all but coroutine.wrap's function, which no table holds
  EXPECT_FALSE(isSpecialNative(nativeNext));
  EXPECT_FALSE(isSpecialNative(nativeIpairsStep));
}

}  // namespace
}  // namespace lunette
