// The coroutine registry's representation: creation sites interned per call instruction and
// body, entries in a ring with a bounded history, times read from the clock map.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "inspect/inspector.h"
#include "inspect/telemetry_json.h"
#include "lib/libs.h"
#include "run_lua.h"
#include "vm/state.h"

namespace lunette {
namespace {

using test::run;

std::vector<CoroutineRecord> records(State& S) {
  inspectorOf(S).refresh();
  return inspectorOf(S).coroutines();
}

TEST(CoroutineRegistry, OneCallInstructionMakesOneSiteForAllItsCoroutines) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S,
                "keep = {}\n"
                "for i = 1, 1000 do keep[i] = coroutine.create(function() end) end"),
            "");
  std::vector<CoroutineRecord> all = records(S);
  ASSERT_EQ(all.size(), 1000u);
  for (const CoroutineRecord& r : all) EXPECT_EQ(r.site, all[0].site);
  EXPECT_EQ(all[0].site->chunk, "test");
  EXPECT_EQ(all[0].site->line, 2);
  EXPECT_EQ(all[0].site->function, "function <test:2>");
}

TEST(CoroutineRegistry, TwoCallsOnOneLineNameTheirOwnArguments) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S,
                "local function f() end local function g() end\n"
                "keep = {} for i = 1, 3 do keep[#keep + 1], keep[#keep + 2] = coroutine.create(f), coroutine.wrap(g) end"),
            "");
  std::vector<CoroutineRecord> all = records(S);
  ASSERT_EQ(all.size(), 6u);
  for (size_t i = 0; i < all.size(); i += 2) {
    EXPECT_EQ(all[i].site->function, "f");
    EXPECT_EQ(all[i + 1].site->function, "g");
    EXPECT_EQ(all[i].site->line, 2);
    EXPECT_EQ(all[i + 1].site->line, 2);
    EXPECT_TRUE(all[i + 1].wrapped);
  }
  EXPECT_NE(all[0].site, all[1].site);
}

// An unnamed argument (a call's result) is named by the body, which changes from one
// coroutine to the next at the same call: nested functions of the caller, a native function.
TEST(CoroutineRegistry, AnUnnamedArgumentIsNamedByEachBody) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S,
                "local function id(f) return f end\n"
                "keep = {}\n"
                "for i = 1, 6 do\n"
                "  keep[i] = coroutine.create(id(i % 3 == 0 and print or i % 3 == 1 and function() end\n"
                "                                or function() end))\n"
                "end"),
            "");
  std::vector<CoroutineRecord> all = records(S);
  ASSERT_EQ(all.size(), 6u);
  const char* expected[] = {"function <test:4>", "function <test:5>", "native function"};
  for (size_t i = 0; i < all.size(); ++i)
    EXPECT_EQ(all[i].site->function, expected[i % 3]) << "coroutine " << i + 1;
  EXPECT_EQ(all[0].site, all[3].site);
}

// Bodies from prototypes the caller does not keep alive cannot be cached by address (a freed
// prototype's address comes back for the next one): each is named for itself.
TEST(CoroutineRegistry, BodiesFromOtherChunksAreNamedEachTime) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S,
                "local function id(f) return f end\n"
                "keep = {}\n"
                "for i = 1, 40 do\n"
                "  local f = load(string.rep('\\n', i % 4) .. 'return function() end', '=c' .. i)()\n"
                "  keep[i] = coroutine.create(id(f))\n"
                "  f = nil collectgarbage()\n"
                "end"),
            "");
  std::vector<CoroutineRecord> all = records(S);
  ASSERT_EQ(all.size(), 40u);
  for (size_t i = 0; i < all.size(); ++i) {
    int n = static_cast<int>(i) + 1;
    EXPECT_EQ(all[i].site->function, "function <c" + std::to_string(n) + ":" + std::to_string(n % 4 + 1) + ">");
  }
}

// A coroutine's thread is an allocation of the line that created it, like any object (the heap
// census counts it there). The inspector keeps the last birthplace, keyed by the calling
// instruction and the body's prototype, and forgets it when a prototype is freed: two calls
// taking turns with one body, and chunks loaded, run and collected one after the other (whose
// prototypes may come back at the same addresses), each get their own lines.
TEST(CoroutineRegistry, EachCoroutinesThreadIsCountedAtTheLineThatCreatedIt) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S,
                "keep = {} local function f() end\n"
                "for i = 1, 3 do keep[#keep + 1] = coroutine.create(f)\n"
                "  keep[#keep + 1] = coroutine.create(f) end\n"
                "for i = 1, 4 do\n"
                "  local make = load(string.rep('\\n', i) .. 'return function(keep, n) for j = 1, 3 do '\n"
                "                    .. 'keep[n + j] = coroutine.create(function() end) end end', '=c' .. i)()\n"
                "  make(keep, #keep)\n"
                "  make = nil collectgarbage() collectgarbage()\n"
                "end"),
            "");
  std::vector<CoroutineRecord> all = records(S);
  ASSERT_EQ(all.size(), 18u);
  const Inspector& inspector = inspectorOf(S);
  for (size_t i = 0; i < all.size(); ++i) {
    bool loaded = i >= 6;
    int chunk = loaded ? static_cast<int>(i - 6) / 3 + 1 : 0;
    std::string chunkName = loaded ? "c" + std::to_string(chunk) : "test";
    int line = loaded ? chunk + 1 : 2 + static_cast<int>(i % 2);
    EXPECT_EQ(all[i].site->chunk, chunkName) << "coroutine " << i + 1;
    EXPECT_EQ(all[i].site->line, line) << "coroutine " << i + 1;
    const Thread* thread = inspector.liveThread(all[i].id);
    ASSERT_NE(thread, nullptr);
    const AllocationSite* site = inspector.site(thread->site);
    ASSERT_NE(site, nullptr) << "coroutine " << i + 1;
    EXPECT_EQ(site->chunk, chunkName) << "coroutine " << i + 1;
    EXPECT_EQ(site->line, line) << "coroutine " << i + 1;
  }
}

// Thousands of coroutines churn through while a few live on: the history stays at its limit,
// the entries stay bounded, and the long-lived coroutines' records (moved when holes are
// squeezed out) are still theirs when they die and when they are collected.
TEST(CoroutineRegistry, ChurnKeepsTheHistoryBoundedAndLongLivedRecordsTheirs) {
  State S;
  openStandardLibraries(S);
  inspectorOf(S).setHistoryLimit(100);
  ASSERT_EQ(run(S,
                "elders = {}\n"
                "for i = 1, 5 do elders[i] = coroutine.create(function(x) coroutine.yield() error('elder ' .. x) end) "
                "coroutine.resume(elders[i], i) end\n"
                "for i = 1, 20000 do\n"
                "  local co = coroutine.create(function() coroutine.yield() end)\n"
                "  coroutine.resume(co)\n"
                "  if i == 10000 then elders[6] = coroutine.create(function() end) end\n"
                "end\n"
                "collectgarbage()\n"
                "for i = 1, 5 do assert(not coroutine.resume(elders[i])) end"),
            "");
  // The last churned coroutine may linger in a register of the main chunk.
  uint32_t live = inspectorOf(S).countByStatus(CoStatus::Suspended) +
                  inspectorOf(S).countByStatus(CoStatus::Dead);
  EXPECT_GE(live, 6u);
  EXPECT_LE(live, 7u);
  EXPECT_EQ(inspectorOf(S).collectedCount(), 20006u - live);  // 5 elders, 20000, elders[6]
  EXPECT_LE(inspectorOf(S).registry().entryCount(), 2u * (100u + live) + 1024u);
  EXPECT_TRUE(inspectorOf(S).registry().consistent());
  std::vector<CoroutineRecord> all = records(S);
  ASSERT_EQ(all.size(), 100u + live);
  std::set<uint32_t> ids;
  size_t collected = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    if (i) {
      EXPECT_LT(all[i - 1].id, all[i].id);
    }
    ids.insert(all[i].id);
    if (all[i].collected) ++collected;
  }
  EXPECT_EQ(collected, 100u);
  for (uint32_t id = 1; id <= 5; ++id) {
    ASSERT_TRUE(ids.count(id)) << id;
    std::optional<CoroutineRecord> r = inspectorOf(S).record(id);
    EXPECT_EQ(r->status, CoStatus::Dead);
    EXPECT_TRUE(r->diedInError);
    EXPECT_NE(r->error.find("elder " + std::to_string(id)), std::string::npos) << r->error;
    EXPECT_GE(r->deathMs, r->createdMs);
    EXPECT_NE(inspectorOf(S).liveThread(id), nullptr);
  }
  // elders[6], made among the churn: created after churned coroutine 10000 (id 5 + 10000).
  ASSERT_NE(inspectorOf(S).liveThread(10006), nullptr);
  EXPECT_FALSE(inspectorOf(S).record(10006)->collected);
  ASSERT_EQ(run(S, "elders = nil collectgarbage()"), "");
  for (uint32_t id = 1; id <= 5; ++id) {
    std::optional<CoroutineRecord> r = inspectorOf(S).record(id);
    ASSERT_TRUE(r.has_value()) << id;  // just collected: in the history
    EXPECT_TRUE(r->collected);
    EXPECT_EQ(r->status, CoStatus::Dead);
    EXPECT_EQ(inspectorOf(S).liveThread(id), nullptr);
  }
  EXPECT_TRUE(inspectorOf(S).registry().consistent());
}

// Collections convert birth times to floats through a one-entry memo (births share the latest
// clock reading): coroutines born at several readings each keep their own time once collected.
TEST(CoroutineRegistry, CollectedRecordsKeepTheBirthTimeOfEachReading) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S, "batches = {}"), "");
  Inspector& inspector = inspectorOf(S);
  for (int batch = 0; batch < 4; ++batch) {
    double start = inspector.nowMs();
    while (inspector.nowMs() < start + 2) {
    }  // the next births are dated by a later reading
    ASSERT_EQ(run(S,
                  "local b = {} for i = 1, 20 do b[i] = coroutine.create(function() end) end\n"
                  "batches[#batches + 1] = b"),
              "");
  }
  std::vector<CoroutineRecord> live = records(S);
  ASSERT_EQ(live.size(), 80u);
  std::set<double> birthTimes;
  for (const CoroutineRecord& r : live) birthTimes.insert(r.createdMs);
  ASSERT_GE(birthTimes.size(), 4u);
  ASSERT_EQ(run(S, "batches = nil collectgarbage() collectgarbage()"), "");
  std::vector<CoroutineRecord> gone = records(S);
  ASSERT_EQ(gone.size(), 80u);
  for (size_t i = 0; i < gone.size(); ++i) {
    EXPECT_TRUE(gone[i].collected);
    EXPECT_EQ(gone[i].id, live[i].id);
    EXPECT_EQ(gone[i].createdMs, static_cast<double>(CoroutineRegistry::floatAtOrBefore(live[i].createdMs)));
  }
}

// A collected record is one cache line (floats for its times, the flags packed beside the
// creation count, the site by number): it still says what the live record said.
TEST(CoroutineRegistry, ACollectedRecordSaysWhatItsLiveRecordSaid) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S,
                "local function body() coroutine.yield() error('boom') end\n"
                "failing = coroutine.wrap(body) failing()\n"
                "pcall(failing)\n"
                "parked = coroutine.create(function() for i = 1, 3 do coroutine.yield(i) end end)\n"
                "coroutine.resume(parked) coroutine.resume(parked)"),
            "");
  std::vector<CoroutineRecord> live = records(S);
  ASSERT_EQ(live.size(), 2u);
  ASSERT_EQ(run(S, "failing, parked = nil, nil collectgarbage() collectgarbage()"), "");
  std::vector<CoroutineRecord> gone = records(S);
  ASSERT_EQ(gone.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const CoroutineRecord& before = live[i];
    const CoroutineRecord& after = gone[i];
    SCOPED_TRACE(i);
    EXPECT_FALSE(before.collected);
    EXPECT_TRUE(after.collected);
    EXPECT_EQ(after.id, before.id);
    EXPECT_EQ(after.site, before.site);
    EXPECT_EQ(after.status, before.status);
    EXPECT_EQ(after.wrapped, before.wrapped);
    EXPECT_EQ(after.diedInError, before.diedInError);
    EXPECT_EQ(after.error, before.error);
    EXPECT_EQ(after.createdInstructions, before.createdInstructions);
    EXPECT_EQ(after.switches.resumes, before.switches.resumes);
    EXPECT_EQ(after.switches.lastYieldAt, before.switches.lastYieldAt);
    EXPECT_NEAR(after.createdMs, before.createdMs, 1e-3);
    EXPECT_LE(after.createdMs, before.createdMs);  // never later: it would look unborn
    EXPECT_NEAR(after.deathMs, before.deathMs, 1e-3);
    EXPECT_LE(after.deathMs, before.deathMs);
    EXPECT_GE(after.collectedMs, std::max(after.createdMs, after.deathMs));
    EXPECT_GT(after.collectedInstructions, after.createdInstructions);
  }
  EXPECT_TRUE(live[0].wrapped);
  EXPECT_TRUE(live[0].diedInError);
  EXPECT_EQ(live[0].status, CoStatus::Dead);
  EXPECT_NE(live[0].error.find("boom"), std::string::npos);
  EXPECT_FALSE(live[1].wrapped);
  EXPECT_EQ(live[1].status, CoStatus::Suspended);
  EXPECT_EQ(live[1].switches.resumes, 2u);
  EXPECT_LT(live[1].deathMs, 0);
}

// Rounded to the nearest float, about half of all times would come back later than they
// were, and a coroutine with no recorded transition would look unborn on the page at a moment
// whose sample counted it (the clock natively ticks in whole milliseconds, which floats hold
// exactly; the browser's clock has fractions).
TEST(CoroutineRegistry, TimesKeptAsFloatsAreNeverLaterThanTheReading) {
  for (double ms : {0.1, 1e-3, 2.7, 142.37, 3600000.3, 86400000.7, 0.0, -1.0, -0.1, -2.7, 1e-50,
                    -1e-50, 1e39, -1e39, -3.3, -142.37}) {
    float kept = CoroutineRegistry::floatAtOrBefore(ms);
    EXPECT_LE(kept, ms) << ms;
    EXPECT_EQ(std::nextafter(kept, std::numeric_limits<float>::infinity()) > ms || kept == ms, true) << ms;
  }
}

// Without a long-lived coroutine in front, evicted entries leave the ring as they go.
TEST(CoroutineRegistry, FrontHolesLeaveAtOnce) {
  State S;
  openStandardLibraries(S);
  inspectorOf(S).setHistoryLimit(10);
  ASSERT_EQ(run(S,
                "for i = 1, 5000 do local co = coroutine.create(function() coroutine.yield() end) "
                "coroutine.resume(co) end collectgarbage() collectgarbage()"),
            "");
  EXPECT_GE(inspectorOf(S).collectedCount(), 4999u);
  EXPECT_LE(inspectorOf(S).registry().entryCount(), 64u);
  EXPECT_TRUE(inspectorOf(S).registry().consistent());
  EXPECT_EQ(inspectorOf(S).coroutines().size(), 10u + (5000u - inspectorOf(S).collectedCount()));
}

// A full history (no coroutine died in error) drops its oldest record for each new one, around
// its ring (of 16 slots for a limit of 10), and keeps the newest collected: each round's
// coroutines are collected by that round's collection, so the kept ten are the last round's.
TEST(CoroutineRegistry, AFullHistoryKeepsTheNewestCollected) {
  State S;
  openStandardLibraries(S);
  inspectorOf(S).setHistoryLimit(10);
  ASSERT_EQ(run(S,
                "local function makeAndDrop()\n"
                "  local batch = {}\n"
                "  for i = 1, 20 do batch[i] = coroutine.create(function() coroutine.yield() end) end\n"
                "end\n"
                "for round = 1, 50 do makeAndDrop() collectgarbage() end"),
            "");
  EXPECT_EQ(inspectorOf(S).collectedCount(), 1000u);
  EXPECT_TRUE(inspectorOf(S).registry().consistent());
  std::vector<CoroutineRecord> all = records(S);
  ASSERT_EQ(all.size(), 10u);
  for (const CoroutineRecord& r : all) {
    EXPECT_TRUE(r.collected) << r.id;
    EXPECT_GT(r.id, 980u) << r.id;
  }
}

TEST(CoroutineRegistry, TheNewestRecordsComeInIdOrder) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S,
                "keep = {} for i = 1, 50 do keep[i] = coroutine.create(print) end\n"
                "for i = 1, 50, 2 do keep[i] = nil end collectgarbage()"),
            "");
  inspectorOf(S).refresh();
  std::vector<CoroutineRecord> newest = inspectorOf(S).coroutines(5);
  ASSERT_EQ(newest.size(), 5u);
  for (size_t i = 0; i < newest.size(); ++i) EXPECT_EQ(newest[i].id, 46u + i);
  EXPECT_FALSE(newest[0].collected);  // keep[46]
  EXPECT_TRUE(newest[1].collected);   // keep[47], dropped
}

// Coroutine events are dated without reading the clock (by the latest reading), yet their
// times fit in order among the collector's events, which read it.
TEST(CoroutineEvents, TimesNeverGoBackwardsAcrossTheRing) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S,
                "for i = 1, 3000 do\n"
                "  local co = coroutine.wrap(function() coroutine.yield() end) co()\n"
                "  for k = 1, 8000 do end  -- spaced out: births and switches are recorded\n"
                "  if i % 1000 == 0 then local t = os.clock() while os.clock() - t < 0.01 do end end\n"
                "end collectgarbage()"),
            "");
  inspectorOf(S).refresh();
  const EventRing& ring = inspectorOf(S).events;
  double last = 0;
  size_t coroutineEvents = 0;
  for (uint64_t s = ring.oldestSequence(); s < ring.nextSequence(); ++s) {
    const TelemetryEvent& e = ring.at(s);
    double ms = e.timeMs;
    EXPECT_GE(ms, last) << "event " << s;
    last = ms;
    if (e.kind == EventKind::Coroutine) ++coroutineEvents;
  }
  EXPECT_GT(coroutineEvents, 3000u);
  EXPECT_GE(last, 30.0);  // the busy waits are in the times
}

// The cycle summaries' ring is shorter than the event ring: a reader passes over the cycle
// events whose summary was overwritten (counted as dropped) rather than read a newer cycle's
// summary in their place.
TEST(CollectorEvents, AReaderPassesOverCycleEventsWhoseSummaryWasOverwritten) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S, "for i = 1, 1500 do collectgarbage() end"), "");
  const Inspector& inspector = inspectorOf(S);
  std::string json;
  uint64_t cursor = 0, dropped = 0;
  appendEventsJson(json, inspector, &cursor, kEventCapacity, &dropped);
  std::vector<long> cycles;
  const std::string tag = "\"kind\":\"cycle\"";
  for (size_t at = json.find(tag); at != std::string::npos; at = json.find(tag, at + 1)) {
    size_t number = json.find("\"cycle\":", at + tag.size());
    ASSERT_NE(number, std::string::npos);
    cycles.push_back(std::stol(json.substr(number + 8)));
  }
  ASSERT_FALSE(cycles.empty());
  EXPECT_LE(cycles.size(), kCycleRecordCapacity);
  for (size_t i = 1; i < cycles.size(); ++i) EXPECT_EQ(cycles[i], cycles[i - 1] + 1) << i;
  EXPECT_GE(cycles.back(), 1500);
  // The ring held more cycle events than summaries: those were dropped, not misread.
  size_t cycleEventsInRing = 0;
  for (uint64_t s = inspector.events.oldestSequence(); s < inspector.events.nextSequence(); ++s)
    cycleEventsInRing += inspector.events.at(s).kind == EventKind::Cycle;
  ASSERT_GT(cycleEventsInRing, kCycleRecordCapacity);
  EXPECT_EQ(dropped, cycleEventsInRing - cycles.size());
}

}  // namespace
}  // namespace lunette
