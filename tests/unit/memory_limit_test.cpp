// The memory limit without thrashing: emergency collections are paced (collector.h, "The memory
// limit"). One that leaves too little room refuses the next allocation past the limit, the
// refusals double while emergencies keep freeing too little, and a normal cycle or a drop in
// memory ends the back-off. Every test counts collections (Collector::emergencyCollections),
// never time.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lib/libs.h"
#include "run_lua.h"
#include "vm/state.h"

namespace lunette {
namespace {

using test::run;

constexpr GcMode kModes[] = {GcMode::Incremental, GcMode::Generational, GcMode::LuaJit};

// A state whose live heap is about `liveBytes` (a global table of small tables), collected, with
// the limit set `roomBytes` above what is live.
struct LimitedState {
  State S;
  LimitedState(GcMode mode, size_t liveBytes, size_t roomBytes) {
    openStandardLibraries(S);
    S.collector.setMode(S, mode);
    std::string fill = "live = {} local i = 0 while collectgarbage('count') * 1024 < " +
                       std::to_string(liveBytes) + " do i = i + 1 live[i] = {i, i, i} end";
    EXPECT_EQ(run(S, fill), "");
    S.collector.fullCollect(S);
    S.collector.memoryLimit = S.collector.heapBytes + roomBytes;
  }
  uint64_t emergencies() const { return S.collector.emergencyCollections; }
};

TEST(GcMemoryLimit, AnEmergencyThatLeavesTooLittleRoomRefusesTheNextAllocation) {
  for (GcMode mode : kModes) {
    // Room for an eighth of the live heap: less than the quarter an emergency must leave.
    LimitedState s(mode, 4 << 20, 512 << 10);
    EXPECT_EQ(run(s.S,
                  "ok, err = pcall(function() for i = 1, 2000000 do local t = {i} end end)"),
              "")
        << gcModeName(mode);
    // The garbage filled the room once; its emergency freed it but left too little room, so the
    // next allocation past the limit failed instead of collecting again.
    EXPECT_EQ(s.emergencies(), 1u) << gcModeName(mode);
    EXPECT_EQ(run(s.S, "print(ok, err)"), "false\tnot enough memory\n") << gcModeName(mode);
    EXPECT_EQ(s.S.collector.validateHeap(s.S), "") << gcModeName(mode);
  }
}

TEST(GcMemoryLimit, ProgramWithRoomForAQuarterOfItsLiveHeapRunsToTheEnd) {
  for (GcMode mode : kModes) {
    LimitedState s(mode, 4 << 20, 2 << 20);
    EXPECT_EQ(run(s.S, "local n = 0 for i = 1, 200000 do local t = {i} n = n + t[1] end print(n)"),
              "20000100000\n")
        << gcModeName(mode);
    // Generational minor collections keep this heap under the limit by themselves.
    if (mode != GcMode::Generational) EXPECT_GT(s.emergencies(), 1u) << gcModeName(mode);
    EXPECT_LE(s.S.collector.heapBytes, s.S.collector.memoryLimit) << gcModeName(mode);
  }
}

// Requests that can never fit, one after another: the failures between two emergencies double.
TEST(GcMemoryLimit, FailuresBetweenEmergenciesDoubleWhileTheyFreeTooLittle) {
  LimitedState s(GcMode::Incremental, 1 << 20, 1 << 20);
  Lua L = s.S.mainApi();
  std::vector<int> collectedAt;
  for (int request = 1; request <= 100; ++request) {
    uint64_t before = s.emergencies();
    EXPECT_THROW(L.newTable(1 << 20, 0), LuaError);  // a 16 MB array part
    if (s.emergencies() > before) collectedAt.push_back(request);
  }
  EXPECT_EQ(collectedAt, (std::vector<int>{1, 2, 4, 8, 16, 32, 64}));
}

TEST(GcMemoryLimit, RecursionClosingVariablesAtTheLimitEndsAfterFewEmergencies) {
  for (GcMode mode : kModes) {
    // Each level holds a <close> variable whose __close appends to a table: the recursion runs
    // out of memory, then every level's __close allocates at the limit while it unwinds.
    LimitedState s(mode, 1 << 20, 2 << 20);
    EXPECT_EQ(run(s.S,
                  "closed = {} "
                  "local function dive(depth) "
                  "  local guard <close> = setmetatable({}, {__close = function() "
                  "    closed[#closed + 1] = {depth} end}) "
                  "  dive(depth + 1) "
                  "end "
                  "ok, err = pcall(dive, 1)"),
              "")
        << gcModeName(mode);
    // Thousands of levels closed, nearly each allocating past the limit; the doubling keeps
    // the collections to a logarithm of that.
    EXPECT_LE(s.emergencies(), 20u) << gcModeName(mode);
    EXPECT_GE(s.emergencies(), 5u) << gcModeName(mode);
    // (Read from C++: the heap is still full, compiling a chunk to print them could fail.)
    EXPECT_TRUE(s.S.globals->getString(s.S.newString("ok"))->isFalsy()) << gcModeName(mode);
    const Value* err = s.S.globals->getString(s.S.newString("err"));
    ASSERT_TRUE(err->isString()) << gcModeName(mode);
    EXPECT_EQ(err->asString()->view(), "not enough memory") << gcModeName(mode);
    EXPECT_EQ(s.S.collector.validateHeap(s.S), "") << gcModeName(mode);
  }
}

TEST(GcMemoryLimit, ACaughtMemoryErrorLeavesTheNextAllocationToACollection) {
  for (GcMode mode : kModes) {
    LimitedState s(mode, 1 << 20, 1 << 20);
    // The bomb's emergency freed too little and its request failed; the allocations after
    // pcall collect again, and the bomb's table is garbage by then. (The allocations run as a
    // second chunk: within one, the bomb's dead registers may lie below the live frame's top,
    // which the collector scans whole, and keep its table alive until they are overwritten.)
    EXPECT_EQ(run(s.S, "ok = pcall(function() local t = {} for i = 1, 1e9 do t[i] = {i} end end)"), "")
        << gcModeName(mode);
    EXPECT_EQ(run(s.S, "local after = {} for i = 1, 5000 do after[i] = {i} end print(ok, #after)"),
              "false\t5000\n")
        << gcModeName(mode);
  }
}

TEST(GcMemoryLimit, ANormalCycleEndsTheBackoff) {
  LimitedState s(GcMode::Incremental, 1 << 20, 1 << 20);
  const std::string tooBig = "print(pcall(string.rep, 'x', 4 << 20))";
  EXPECT_EQ(run(s.S, tooBig), "false\tnot enough memory\n");
  EXPECT_EQ(s.emergencies(), 1u);  // in vain: its own request failed
  EXPECT_EQ(run(s.S, tooBig), "false\tnot enough memory\n");
  EXPECT_EQ(s.emergencies(), 2u);  // in vain again: now one more failure before the next
  EXPECT_EQ(run(s.S, tooBig), "false\tnot enough memory\n");
  EXPECT_EQ(s.emergencies(), 2u);  // refused without collecting
  EXPECT_EQ(run(s.S, tooBig), "false\tnot enough memory\n");
  EXPECT_EQ(s.emergencies(), 3u);  // in vain: three failures before the next
  EXPECT_EQ(run(s.S, "collectgarbage() " + tooBig), "false\tnot enough memory\n");
  EXPECT_EQ(s.emergencies(), 4u);  // the full cycle ended the back-off
}

TEST(GcMemoryLimit, MemoryDroppingWellBelowTheLastEmergencyEndsTheBackoff) {
  LimitedState s(GcMode::Incremental, 1 << 20, 4 << 20);
  Collector& gc = s.S.collector;
  // Something the program holds (here a raw block) fills the room (but for 64 KB to compile
  // the chunks below), so requests past the limit collect in vain.
  size_t held = gc.memoryLimit - gc.heapBytes - (64 << 10);
  void* block = s.S.allocateRaw(held, Tag::String);
  const std::string request = "print(pcall(string.rep, 'x', 128 << 10))";
  EXPECT_EQ(run(s.S, request), "false\tnot enough memory\n");
  EXPECT_EQ(run(s.S, request), "false\tnot enough memory\n");
  EXPECT_EQ(s.emergencies(), 2u);
  EXPECT_FALSE(gc.mayCollectForLimit());  // the back-off refuses the next request
  s.S.releaseRaw(block, held, Tag::String);
  EXPECT_TRUE(gc.mayCollectForLimit());  // the heap dropped: no refusal left
  EXPECT_EQ(run(s.S, "print(#string.rep('x', 128 << 10))"), "131072\n");
}

}  // namespace
}  // namespace lunette
