// "Why is this still alive?": retention paths from each kind of root, through cycles, never
// through weak references, and nil for the unreachable; leak suspects.
#include <gtest/gtest.h>

#include <string>
#include <unordered_set>
#include <vector>

#include "inspect/retention.h"
#include "lib/libs.h"
#include "run_lua.h"
#include "vm/state.h"

namespace lunette {
namespace {

using test::run;

// Prints the path as " -> "-joined edge texts.
const char* kPrintPath =
    "local lunette = require 'lunette'\n"
    "local function show(v) local p = lunette.why(v) if not p then print('unreachable') return end\n"
    "  local t = {} for i, e in ipairs(p) do t[i] = e.text end print(table.concat(t, ' -> ')) end\n";

TEST(Why, NamesAGlobalTableAndItsIndex) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S, std::string(kPrintPath) +
                       "tasks = {} for i = 1, 40 do tasks[i] = {} end\n"
                       "show(tasks[37])"),
            "_G.tasks[37] -> table\n");
}

TEST(Why, OneSearchFindsEachOfManyTargetsIncludingOnesHeldByAnother) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S, "outer = {inner = {}} list = {} for i = 1, 5 do list[i] = {} end "
                   "collectgarbage('stop') local lost = {} lostRef = setmetatable({}, {__mode = 'v'}) "
                   "lostRef[1] = lost"),
            "");
  auto field = [&](Table* t, const char* name) { return *t->getString(S.newString(name)); };
  Value outer = field(S.globals, "outer"), list = field(S.globals, "list");
  Value lostRef = field(S.globals, "lostRef");
  Value inner = field(outer.asTable(), "inner");
  Value third = *list.asTable()->getInt(3);
  Value lost = *lostRef.asTable()->getInt(1);
  std::vector<RetentionPath> paths = findRetentionPaths(S, {outer, third, lost, inner});
  ASSERT_EQ(paths.size(), 4u);
  ASSERT_TRUE(paths[0].found);
  EXPECT_EQ(paths[0].edges.front().text, "_G.outer");
  ASSERT_TRUE(paths[1].found);
  EXPECT_EQ(paths[1].edges.front().text, "_G.list[3]");
  EXPECT_FALSE(paths[2].found);  // only a weak table holds it
  ASSERT_TRUE(paths[3].found);   // held through another target
  EXPECT_EQ(paths[3].edges.front().text, "_G.outer.inner");
}

TEST(Why, NamesTheUpvalueAndTheFunctionHoldingACoroutine) {
  State S;
  openStandardLibraries(S);
  std::string out = run(S, std::string(kPrintPath) +
                               "local co = coroutine.create(function() coroutine.yield() end)\n"
                               "coroutine.resume(co)\n"
                               "function startTimer() return co end\n"
                               "local saved = co co = nil\n"
                               "show(saved)");
  // The local `saved` of the main chunk holds it (a stack root), named as a local.
  EXPECT_NE(out.find("local 'saved'"), std::string::npos) << out;
  EXPECT_NE(out.find("coroutine #1"), std::string::npos) << out;
}

TEST(Why, FollowsAnUpvalueOfAGlobalFunction) {
  State S;
  openStandardLibraries(S);
  std::string out = run(S, std::string(kPrintPath) +
                               "do local big = {} function keeper() return big end end\n"
                               "local function target() return keeper() end\n"
                               "show(target())");
  EXPECT_NE(out.find("_G.keeper"), std::string::npos) << out;
  EXPECT_NE(out.find("upvalue 'big' of function 'keeper'"), std::string::npos) << out;
}

TEST(Why, ReachesThroughACycleOnlyFromARoot) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S, std::string(kPrintPath) +
                       "local function make() local a, b = {}, {} a.other = b b.other = a return a end\n"
                       "holder = make()\n"
                       "show(holder.other)\n"
                       "local orphan = make() local inner = orphan.other orphan = nil\n"
                       "collectgarbage()\n"
                       "show(inner)"),
            "_G.holder.other -> table\nmain thread -> local 'inner' in main chunk -> table\n");
}

TEST(Why, WeakReferencesAreNotPaths) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S, std::string(kPrintPath) +
                       "cache = setmetatable({}, {__mode = 'v'})\n"
                       "local function put() cache[1] = {} end\n"
                       "local function check() print(lunette.why(cache[1])) end\n"
                       "put() check()"),
            "nil\n");
}

TEST(Why, AWeakKeyedValueIsHeldOnlyWhileItsKeyIs) {
  State S;
  openStandardLibraries(S);
  // The value holds its own key (a task record naming its coroutine): nothing else holds
  // either, so the collector frees both and there is no path.
  EXPECT_EQ(run(S, std::string(kPrintPath) +
                       "tasks = setmetatable({}, {__mode = 'k'})\n"
                       "local function put() local co = coroutine.create(print) tasks[co] = {co = co} end\n"
                       "local function check() print(lunette.why(select(2, next(tasks)))) end\n"
                       "put() check()"),
            "nil\n");
  // Once the key is held elsewhere, the value is reached through the table.
  EXPECT_EQ(run(S, std::string(kPrintPath) +
                       "held = {}\n"
                       "local function put() local co = coroutine.create(print) held[1] = co tasks[co] = {co = co} end\n"
                       "local function check() show(tasks[held[1]]) end\n"
                       "tasks = setmetatable({}, {__mode = 'k'}) put() check()"),
            "_G.tasks[thread key] -> table\n");
}

TEST(Why, ValuesThatAreNotObjectsHaveNoPath) {
  State S;
  openStandardLibraries(S);
  // Numbers have no path; a string made for the call is held by nothing but the call.
  EXPECT_EQ(run(S, std::string(kPrintPath) + "show(42) print(lunette.why('text' .. 1))"),
            "unreachable\nnil\n");
}

TEST(Why, RegistryAndMetatablesAreRoots) {
  State S;
  openStandardLibraries(S);
  std::string out = run(S, std::string(kPrintPath) +
                               "getmetatable('').extra = {}\n"
                               "show(getmetatable('').extra)\n");
  EXPECT_NE(out.find("string metatable"), std::string::npos) << out;
}

TEST(Suspects, ListsParkedCoroutinesWithTheirPath) {
  State S;
  openStandardLibraries(S);
  std::string out = run(S,
                        "local lunette = require 'lunette'\n"
                        "pending = {}\n"
                        "for i = 1, 3 do local co = coroutine.create(function() coroutine.yield() end)\n"
                        "  coroutine.resume(co) pending[i] = co end\n"
                        "local finished = coroutine.create(function() end) coroutine.resume(finished)\n"
                        "held = finished\n"
                        "local s = lunette.suspects(0)\n"
                        "table.sort(s, function(a, b) return a.id < b.id end)\n"
                        "for _, r in ipairs(s) do print(r.id, r.reason, r.path[1].text) end");
  EXPECT_EQ(out,
            "1\tsuspended and not resumed\t_G.pending[1]\n"
            "2\tsuspended and not resumed\t_G.pending[2]\n"
            "3\tsuspended and not resumed\t_G.pending[3]\n"
            "4\tdead but still referenced\t_G.held\n");
}

TEST(Suspects, IgnoresRecentlyResumedAndUnreachableCoroutines) {
  State S;
  openStandardLibraries(S);
  EXPECT_EQ(run(S,
                "local lunette = require 'lunette'\n"
                "parked = coroutine.create(function() coroutine.yield() end) coroutine.resume(parked)\n"
                "local lost = coroutine.create(function() coroutine.yield() end) coroutine.resume(lost)\n"
                "lost = nil\n"
                "print(#lunette.suspects(3600))\n"),
            "0\n");
}

// The search and the collector follow the same references (gc/references.h): on a heap of
// every kind of object, reachable and not, through weak tables, ephemerons, upvalues, coroutine
// stacks and metatables, the search finds a path to exactly the objects a full collection keeps.
TEST(Why, FindsAPathToExactlyTheObjectsACollectionKeeps) {
  State S;
  openStandardLibraries(S);
  ASSERT_EQ(run(S, R"(
    collectgarbage('stop')
    keep = { list = {}, byName = {} }
    for i = 1, 50 do keep.list[i] = { id = i } end
    keep.byName.first = keep.list[1]
    local hidden = { secret = {} }
    function keep.getter() return hidden end            -- held only by an upvalue
    local cycle = {} cycle.self = cycle                 -- garbage: a cycle
    weakValues = setmetatable({}, { __mode = 'v' })
    weakValues[1] = {}                                  -- garbage: only a weak value holds it
    weakValues[2] = keep.list[2]
    ephemerons = setmetatable({}, { __mode = 'k' })
    local deadKey = {}
    ephemerons[deadKey] = { 'value of a dead key' }     -- garbage with its key
    ephemerons[keep.list[3]] = { 'value of a live key' }
    parked = coroutine.create(function(a)
      local onMyStack = { a }
      coroutine.yield()
      return onMyStack
    end)
    coroutine.resume(parked, {})
    local lost = coroutine.create(function() local mine = {} coroutine.yield() end)
    coroutine.resume(lost)                              -- garbage: a parked coroutine nobody holds
    lost = nil
    local done = coroutine.wrap(function() return {} end)
    done()
    withMeta = setmetatable({}, { __index = { shared = {} } })
    local function closures() local x = {} return function() return x end end
    kept = closures()
    local dropped = closures()
    dropped = nil
    deadKey = nil
    cycle = nil
  )"),
            "");
  std::vector<Value> objects;
  S.collector.forEachObject([&](const GcObject* o) {
    switch (o->kind) {
      case Tag::Table:
      case Tag::LuaClosure:
      case Tag::NativeClosure:
      case Tag::Thread:
      case Tag::Userdata: objects.push_back(Value::object(const_cast<GcObject*>(o), o->kind)); break;
      default: break;
    }
  });
  std::vector<RetentionPath> paths = findRetentionPaths(S, objects);
  S.collector.fullCollect(S);
  std::unordered_set<const GcObject*> survivors;
  S.collector.forEachObject([&](const GcObject* o) { survivors.insert(o); });
  size_t found = 0, lost = 0;
  for (size_t i = 0; i < objects.size(); ++i) {
    bool survived = survivors.count(objects[i].gc) != 0;
    EXPECT_EQ(paths[i].found, survived) << describeObject(S, objects[i]) << " #" << i;
    (paths[i].found ? found : lost) += 1;
  }
  EXPECT_GT(found, 100u);
  EXPECT_GE(lost, 8u) << "the script's garbage";
}

}  // namespace
}  // namespace lunette
