// Coroutines at scale: nesting without C++ recursion, many suspended ones, a flat heap under
// churn, yields inside metamethods, and the registry's view of them.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "inspect/inspector.h"
#include "lib/libs.h"
#include "run_lua.h"
#include "vm/state.h"

namespace lunette {
namespace {

using test::run;

TEST(Coroutines, TenThousandNestedResumesNeedNoNativeStack) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S,
                "local function chain(n) if n == 0 then return coroutine.yield('bottom') end "
                "local co = coroutine.create(chain) local ok, v = coroutine.resume(co, n - 1) "
                "return v end "
                "print(coroutine.resume(coroutine.create(chain), 10000))"),
            "true\tbottom\n");
}

TEST(Coroutines, HundredThousandSuspendedCoroutinesLiveAndAreCollected) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S,
                "local cos = {} for i = 1, 100000 do "
                "local c = coroutine.create(function(x) coroutine.yield(x) end) "
                "coroutine.resume(c, i) cos[i] = c end "
                "local n = 0 for i = 1, #cos do if coroutine.status(cos[i]) == 'suspended' then n = n + 1 end end "
                "print(n) cos = nil collectgarbage() print(collectgarbage('count') < 1024)"),
            "100000\ntrue\n");
  EXPECT_EQ(inspectorOf(S).collectedCount() > 0, true);
}

TEST(Coroutines, MillionCreateResumeDropCyclesKeepTheHeapFlat) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S,
                "local peak = 0 for i = 1, 1000000 do "
                "local c = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b end) "
                "c(i) if i % 50000 == 0 then local k = collectgarbage('count') "
                "if k > peak then peak = k end end end print(peak < 4096)"),
            "true\n");
}

TEST(Coroutines, YieldInsideIndexMetamethodResumesTheOpcode) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S,
                "local t = setmetatable({}, {__index = function(_, k) return coroutine.yield(k) end}) "
                "local co = coroutine.wrap(function() return t.answer + 1 end) "
                "print(co()) print(co(41))"),
            "answer\n42\n");
}

TEST(Coroutines, YieldAcrossANativeCallbackIsTheReferenceError) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S,
                "local co = coroutine.create(function() "
                "table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end) end) "
                "print(coroutine.resume(co))"),
            "false\tattempt to yield across a C-call boundary\n");
}

TEST(CoroutineRegistry, RecordsCreationSiteResumesAndCollection) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S,
                "local lunette = require 'lunette'\n"
                "local function worker() coroutine.yield() end\n"
                "local co = coroutine.create(worker)\n"
                "coroutine.resume(co) coroutine.resume(co)\n"
                "local r = lunette.costatus(co)\n"
                "print(r.site, r.func, r.resumes, r.status)\n"
                "co = nil collectgarbage()\n"
                "local all = lunette.coroutines()\n"
                "print(#all, all[1].status, all[1].collected)"),
            "test:3\tworker\t2\tdead\n1\tcollected\ttrue\n");
}

TEST(CoroutineRegistry, DoesNotKeepCoroutinesAlive) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S,
                "local lunette = require 'lunette'\n"
                "for i = 1, 100 do coroutine.create(function() end) end\n"
                "collectgarbage()\n"
                "local n = 0 for _, r in ipairs(lunette.coroutines()) do if r.collected then n = n + 1 end end\n"
                "print(n)"),
            "100\n");
}

TEST(CoroutineRegistry, CountsByStatusFollowEveryChangeIncludingClose) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S,
                "local a = coroutine.create(function() coroutine.yield() end)\n"
                "local b = coroutine.create(function() coroutine.yield() end)\n"
                "local c = coroutine.create(function() end)\n"
                "coroutine.resume(a) coroutine.resume(b) coroutine.resume(c)\n"
                "coroutine.close(b)\n"
                "_G.keep = {a, b, c}"),
            "");
  EXPECT_EQ(inspectorOf(S).countByStatus(CoStatus::Suspended), 1u);
  EXPECT_EQ(inspectorOf(S).countByStatus(CoStatus::Dead), 2u);
  EXPECT_EQ(inspectorOf(S).countByStatus(CoStatus::Running), 0u);
  EXPECT_EQ(inspectorOf(S).countByStatus(CoStatus::Normal), 0u);
  EXPECT_EQ(run(S, "keep = nil collectgarbage()"), "");
  EXPECT_EQ(inspectorOf(S).countByStatus(CoStatus::Suspended), 0u);
  EXPECT_EQ(inspectorOf(S).countByStatus(CoStatus::Dead), 0u);
  EXPECT_EQ(inspectorOf(S).collectedCount(), 3u);
}

TEST(CoroutineRegistry, ResumeAndYieldTimesComeFromTheClockAroundThem) {
  State S;
  openStandardLibraries(S);
  // A coroutine resumed, then left alone while the main thread burns time.
  EXPECT_EQ(run(S,
                "local lunette = require 'lunette'\n"
                "co = coroutine.create(function() coroutine.yield() end)\n"
                "coroutine.resume(co)\n"
                "local t0 = os.clock() while os.clock() - t0 < 0.05 do end\n"
                "local r = lunette.costatus(co)\n"
                "print(r.resumes, r.last_resume_ms <= r.created_ms + 40)"),
            "1\ttrue\n");
  inspectorOf(S).refresh();
  std::optional<CoroutineRecord> r = inspectorOf(S).record(1);
  ASSERT_TRUE(r.has_value());
  EXPECT_GE(r->lastYieldMs, r->lastResumeMs);
  EXPECT_GE(inspectorOf(S).nowMs() - lastActivityMs(*r), 40.0);  // idle for the busy loop
}

TEST(CoroutineEvents, SwitchFloodsAreSummarisedAndKeepCollectorEventsInTheRing) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S,
                "local co = coroutine.wrap(function() while true do coroutine.yield() end end)\n"
                "for i = 1, 200000 do co() end\n"
                "coroutine.create(print)\n"
                "collectgarbage()"),
            "");
  const Inspector& inspector = inspectorOf(S);
  const EventRing& ring = inspector.events;
  uint64_t transitions = 0, recordedSwitches = 0, cycles = 0;
  for (uint64_t s = ring.oldestSequence(); s < ring.nextSequence(); ++s) {
    const TelemetryEvent& e = ring.at(s);
    if (e.kind == EventKind::Cycle) ++cycles;
    if (e.kind != EventKind::Coroutine) continue;
    transitions += 1 + e.coroutine.skipped;
    if (!e.coroutine.created && !e.coroutine.collected) ++recordedSwitches;
  }
  transitions += inspector.transitionsUnrecorded;  // left out since the last event
  EXPECT_EQ(ring.oldestSequence(), 0u);  // nothing was overwritten
  EXPECT_GE(cycles, 1u);
  EXPECT_LT(recordedSwitches, 2000u);
  // 200000 resumes and 200000 yields, two births and the collections: the recorded ones and
  // those the events say were left out.
  EXPECT_EQ(transitions, 400000u + 2u + inspector.collectedCount());
}

TEST(CoroutineEvents, AShortExampleIsRecordedSwitchBySwitch) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S,
                "local lunette = require 'lunette'\n"
                "local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)\n"
                "co() co() co() co()\n"
                "local kinds = {}\n"
                "for _, e in ipairs(lunette.gctrace(100, 'coroutine')) do\n"
                "  kinds[#kinds + 1] = e.created and 'created' or (e.from .. '>' .. e.to)\n"
                "  assert(e.skipped == 0)\n"
                "end\n"
                "print(table.concat(kinds, ' '))"),
            "created suspended>running running>suspended suspended>running running>suspended "
            "suspended>running running>suspended suspended>running running>dead\n");
}

// resume/yield called from Lua switch threads without settle (interpreter.cpp, "direct
// switches"); the inspector must still see each switch, with coroutine.resume as with wrap, and
// a coroutine resuming another ("normal" in between, implied and not recorded).
TEST(CoroutineEvents, DirectResumesAndYieldsAreRecordedSwitchBySwitch) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S,
                "local lunette = require 'lunette'\n"
                "local inner = coroutine.create(function() while true do coroutine.yield() end end)\n"
                "local outer = coroutine.create(function()\n"
                "  while true do coroutine.resume(inner) coroutine.yield() end\n"
                "end)\n"
                "for i = 1, 3 do coroutine.resume(outer) end\n"
                "local seen = {}\n"
                "for _, e in ipairs(lunette.gctrace(100, 'coroutine')) do\n"
                "  if not e.created then seen[#seen + 1] = e.from .. '>' .. e.to end\n"
                "  assert(e.skipped == 0)\n"
                "end\n"
                "print(table.concat(seen, ' '))\n"
                "print(lunette.costatus(outer).resumes, lunette.costatus(inner).resumes)"),
            "suspended>running suspended>running running>suspended running>suspended "
            "suspended>running suspended>running running>suspended running>suspended "
            "suspended>running suspended>running running>suspended running>suspended\n"
            "3\t3\n");
  // The counts by status followed the implied changes too (outer: normal and back).
  EXPECT_EQ(inspectorOf(S).countByStatus(CoStatus::Suspended), 2u);
  EXPECT_EQ(inspectorOf(S).countByStatus(CoStatus::Normal), 0u);
  EXPECT_EQ(inspectorOf(S).countByStatus(CoStatus::Running), 0u);
}

}  // namespace
}  // namespace lunette
