// The heap census: every object carries the Lua line that allocated it, and the census groups
// the heap by that site and kind.
#include "inspect/census.h"

#include <gtest/gtest.h>

#include <string>

#include "inspect/inspector.h"
#include "lib/libs.h"
#include "run_lua.h"

namespace lunette {
namespace {

using test::run;

// The census group for (line, kind) of chunk "test", or an empty group.
CensusGroup groupAt(const State& S, int line, Tag kind) {
  for (const CensusGroup& g : censusBySite(S)) {
    const AllocationSite* site = inspectorOf(S).site(g.site);
    if (site && site->chunk == "test" && site->line == line && g.kind == kind) return g;
  }
  return {};
}

TEST(Census, CountsObjectsByTheLineThatMadeThem) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S,
                "keep = {}\n"
                "for i = 1, 300 do keep[i] = {i} end\n"
                "names = {}\n"
                "for i = 1, 50 do names[i] = 'name' .. i end\n"
                "fns = {}\n"
                "for i = 1, 20 do fns[i] = function() return i end end\n"
                "collectgarbage()  -- the number strings `..` made on the way are garbage\n"),
            "");
  CensusGroup tables = groupAt(S, 2, Tag::Table);
  EXPECT_EQ(tables.count, 300u);
  EXPECT_GE(tables.bytes, 300u * sizeof(Table));
  EXPECT_EQ(groupAt(S, 4, Tag::String).count, 50u);
  EXPECT_EQ(groupAt(S, 6, Tag::LuaClosure).count, 20u);
  EXPECT_EQ(groupAt(S, 6, Tag::UpVal).count, 20u);  // a fresh `i` per iteration, closed over
}

TEST(Census, ObjectsANativeFunctionMakesBelongToTheLineThatCalledIt) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S,
                "local t = {}\n"
                "for i = 1, 10 do t[i] = string.rep('x', 100 + i) end\n"
                "packs = {}\n"
                "for i = 1, 7 do packs[i] = table.pack(i) end\n"
                "keep = t\n"),
            "");
  EXPECT_EQ(groupAt(S, 2, Tag::String).count, 10u);
  EXPECT_EQ(groupAt(S, 4, Tag::Table).count, 7u);
}

TEST(Census, CoroutinesAreCountedWhereTheyWereCreated) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S,
                "parked = {}\n"
                "local function park() return coroutine.create(function() coroutine.yield() end) end\n"
                "for i = 1, 12 do parked[i] = park() coroutine.resume(parked[i]) end\n"),
            "");
  EXPECT_EQ(groupAt(S, 2, Tag::Thread).count, 12u);
  const AllocationSite* site = inspectorOf(S).site(groupAt(S, 2, Tag::Thread).site);
  ASSERT_NE(site, nullptr);
  EXPECT_EQ(site->function, "function <test:2>");
}

TEST(Census, TwoFunctionsOnOneLineAreTwoSites) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S,
                "local make = function() return {} end keep = {make(), make(), {}}\n"),
            "");
  int inMain = 0, inMake = 0;
  for (const CensusGroup& g : censusBySite(S)) {
    const AllocationSite* site = inspectorOf(S).site(g.site);
    if (!site || site->line != 1 || g.kind != Tag::Table) continue;
    if (site->function == "main chunk") inMain += static_cast<int>(g.count);
    if (site->function == "function <test:1>") inMake += static_cast<int>(g.count);
  }
  EXPECT_EQ(inMake, 2);
  EXPECT_EQ(inMain, 2);  // `keep` and the third element
}

TEST(Census, GroupsAddUpToTheHeapAndComeLargestFirst) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S, "big = {} for i = 1, 5000 do big[i] = {} end collectgarbage()\n"), "");
  std::vector<CensusGroup> groups = censusBySite(S);
  size_t count = 0;
  for (size_t i = 0; i < groups.size(); ++i) {
    count += groups[i].count;
    if (i) {
      EXPECT_GE(groups[i - 1].bytes, groups[i].bytes);
    }
  }
  size_t heapCount = 0;
  for (size_t k = 0; k < kTagCount; ++k) heapCount += S.collector.countByKind[k];
  EXPECT_EQ(count, heapCount);  // after a full collection, nothing is dead-yet-listed
}

TEST(Census, TheLuaModuleListsSitesWithTheirFunction) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S,
                "local lunette = require 'lunette'\n"
                "local function node(i) return {id = i} end\n"
                "keep = {} for i = 1, 400 do keep[i] = node(i) end\n"
                "local top = lunette.census()[1]\n"
                "print(top.site, top.line, top.func, top.kind, top.count)\n"),
            "test:2\t2\tfunction <test:2>\ttable\t400\n");
}

}  // namespace
}  // namespace lunette
