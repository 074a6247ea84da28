// The Session's stepping mode: a run that leaves its heap to be collected by hand, the heap
// graph it draws (nodes, colours, labels, weak edges, the collapsed library), steps that
// merge what the picture cannot tell apart, and running the script a line at a time.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string_view>
#include <string>
#include <vector>

#include "session/session.h"

namespace lunette {
namespace {

struct GraphNode {
  int id;
  std::string kind, color, label;
  bool root, library;
};

struct Graph {
  std::string phase;
  std::vector<GraphNode> nodes;
  std::vector<std::string> edges;  // "from->to" or "from~>to" (weak)
  std::string json;

  const GraphNode* labelled(const std::string& label) const {
    for (const GraphNode& n : nodes)
      if (n.label == label) return &n;
    return nullptr;
  }
  int countKind(const std::string& kind) const {
    int n = 0;
    for (const GraphNode& node : nodes) n += node.kind == kind;
    return n;
  }
  bool hasEdge(int from, int to, bool weak) const {
    std::string key = std::to_string(from) + (weak ? "~>" : "->") + std::to_string(to);
    for (const std::string& e : edges)
      if (e == key) return true;
    return false;
  }
};

// Reading the graph JSON the Session writes (its own fixed layout: see appendHeapGraphJson)
// with plain string scanning: libstdc++'s std::regex recurses once per character matched, which
// overflowed the stack on a graph of thousands of nodes in the sanitizer build.

// The end of the JSON string starting at `quote` (the position after its closing quote).
size_t skipString(const std::string& json, size_t quote) {
  size_t i = quote + 1;
  while (i < json.size() && json[i] != '"') i += json[i] == '\\' ? 2 : 1;
  return i + 1;
}

// The object starting at `open` ('{'), up to its matching '}' (strings may hold braces).
std::string_view objectAt(const std::string& json, size_t open) {
  int depth = 0;
  for (size_t i = open; i < json.size();) {
    char c = json[i];
    if (c == '"') {
      i = skipString(json, i);
      continue;
    }
    if (c == '{') ++depth;
    if (c == '}' && --depth == 0) return std::string_view(json).substr(open, i + 1 - open);
    ++i;
  }
  return std::string_view(json).substr(open);
}

// The raw value of `"key":` in `text` (a string's text without its quotes, escapes kept as they
// are except \" and \\; else the token up to the next ',', '}' or ']'); empty when absent.
std::string valueOf(std::string_view text, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\":";
  size_t at = text.find(needle);
  if (at == std::string_view::npos) return {};
  size_t i = at + needle.size();
  std::string out;
  if (i < text.size() && text[i] == '"') {
    for (++i; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\' && i + 1 < text.size()) ++i;
      out += text[i];
    }
    return out;
  }
  while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']') out += text[i++];
  return out;
}

// Calls visit(object) for every object of the JSON that starts with `"first":`.
template <typename Visit>
void forEachObjectStartingWith(const std::string& json, std::string_view first, Visit visit) {
  std::string opener = "{\"" + std::string(first) + "\":";
  for (size_t at = json.find(opener); at != std::string::npos; at = json.find(opener, at + 1))
    visit(objectAt(json, at));
}

Graph parse(const std::string& json) {
  Graph g;
  g.json = json;
  g.phase = valueOf(json, "phase");
  forEachObjectStartingWith(json, "id", [&](std::string_view n) {
    g.nodes.push_back({std::stoi(valueOf(n, "id")), valueOf(n, "kind"), valueOf(n, "color"),
                       valueOf(n, "label"), valueOf(n, "root") == "true",
                       valueOf(n, "library") == "true"});
  });
  forEachObjectStartingWith(json, "from", [&](std::string_view e) {
    g.edges.push_back(valueOf(e, "from") + (valueOf(e, "weak") == "true" ? "~>" : "->") +
                      valueOf(e, "to"));
  });
  return g;
}

// The numbers of the JSON array `"key":[...]`.
std::vector<int> arrayOf(const std::string& json, std::string_view key) {
  std::vector<int> out;
  std::string needle = "\"" + std::string(key) + "\":[";
  size_t at = json.find(needle);
  if (at == std::string::npos) return out;
  size_t i = at + needle.size();
  while (i < json.size() && json[i] != ']') {
    size_t end = json.find_first_of(",]", i);
    out.push_back(std::stoi(json.substr(i, end - i)));
    i = json[end] == ',' ? end + 1 : end;
  }
  return out;
}

void runSteppingScript(Session& session, const std::string& source) {
  session.setStepping(true);
  ASSERT_TRUE(session.load(source, "=input").ok);
  SessionRunResult r;
  for (int i = 0; i < 1000; ++i) {
    r = session.run(1000000);
    if (r.status != SessionStatus::Paused) break;
  }
  ASSERT_EQ(r.status, SessionStatus::Finished) << r.error.message;
}

TEST(SessionStepping, ARunEndsWithItsGarbageUncollectedAndOneCycleFreesIt) {
  Session session;
  runSteppingScript(session, "keep = {}\nfor i = 1, 3000 do local garbage = {i} end");
  Graph before = parse(session.heapGraphJson(false));
  EXPECT_GE(before.countKind("table"), 3000);  // the held collector freed none of them
  ASSERT_NE(before.labelled("table keep"), nullptr);
  Graph after = parse(session.finishCycleJson(false));
  EXPECT_EQ(after.phase, "pause");
  EXPECT_LT(after.countKind("table"), 10);
  EXPECT_NE(after.labelled("table keep"), nullptr);
  EXPECT_GE(arrayOf(after.json, "freed").size(), 3000u) << "each garbage table's id";
}

TEST(SessionStepping, StepsShowAReachableTableGrayThenBlack) {
  Session session;
  runSteppingScript(session, "keep = {inner = {}}\nlocal dropped = {}");
  std::vector<std::string> colours, phases;
  for (int i = 0; i < 5000; ++i) {
    Graph g = parse(session.gcStepJson(false));
    const GraphNode* keep = g.labelled("table keep");
    ASSERT_NE(keep, nullptr);
    if (colours.empty() || colours.back() != keep->color) colours.push_back(keep->color);
    if (phases.empty() || phases.back() != g.phase) phases.push_back(g.phase);
    if (g.phase == "pause" && phases.size() > 1) break;
  }
  EXPECT_EQ(colours, (std::vector<std::string>{"white", "gray", "black", "white"}));
  EXPECT_EQ(phases, (std::vector<std::string>{"propagate", "sweep", "pause"}));
}

TEST(SessionStepping, MarkingTheLibraryTakesFewStepsWhenItIsOneNode) {
  Session session;
  runSteppingScript(session, "keep = {}");
  int collapsedSteps = 0;
  do ++collapsedSteps;
  while (parse(session.gcStepJson(false)).phase != "pause" && collapsedSteps < 100000);
  runSteppingScript(session, "keep = {}");
  int expandedSteps = 0;
  do ++expandedSteps;
  while (parse(session.gcStepJson(true)).phase != "pause" && expandedSteps < 100000);
  EXPECT_LT(collapsedSteps * 5, expandedSteps);
  EXPECT_LT(collapsedSteps, 200);
}

TEST(SessionStepping, TheLibraryIsOneNodeUnlessExpanded) {
  Session session;
  runSteppingScript(session, "keep = {}");
  Graph folded = parse(session.heapGraphJson(false));
  int libraryNodes = 0;
  for (const GraphNode& n : folded.nodes) libraryNodes += n.library;
  EXPECT_EQ(libraryNodes, 1);
  EXPECT_LT(folded.nodes.size(), 40u);
  Graph expanded = parse(session.heapGraphJson(true));
  for (const GraphNode& n : expanded.nodes) EXPECT_FALSE(n.library);
  EXPECT_GT(expanded.nodes.size(), folded.nodes.size() + 100);
  // The roots are their own nodes either way.
  for (const char* root : {"table _G (globals)", "table registry", "thread main"}) {
    ASSERT_NE(folded.labelled(root), nullptr) << root;
    EXPECT_TRUE(folded.labelled(root)->root);
  }
}

TEST(SessionStepping, RunToNextLineStopsBeforeEachLine) {
  Session session;
  session.setStepping(true);
  ASSERT_TRUE(session.load("local a = 1\nfor i = 1, 2 do\n  a = a + i\nend\nprint(a)", "=input").ok);
  std::vector<int> lines;
  SessionRunResult r;
  for (int i = 0; i < 20; ++i) {
    r = session.runToNextLine(100000);
    if (r.status != SessionStatus::Paused) break;
    lines.push_back(r.line);
  }
  EXPECT_EQ(r.status, SessionStatus::Finished);
  EXPECT_EQ(lines, (std::vector<int>{1, 2, 3, 2, 3, 2, 5}));
  EXPECT_EQ(session.drainOutput(), "4\n");
}

TEST(SessionStepping, RunningOnAndStoppingAgainInALoopStopsAtEveryLineStill) {
  Session session;
  session.setStepping(true);
  ASSERT_TRUE(session.load("local a = 0\nfor i = 1, 4 do\n  a = a + i\nend\nprint(a)", "=input").ok);
  ASSERT_EQ(session.runToNextLine(100000).line, 1);
  ASSERT_EQ(session.runToNextLine(100000).line, 2);
  ASSERT_EQ(session.runToNextLine(100000).line, 3);
  // An ordinary slice of a few instructions (Continue, then Pause), then lines again.
  ASSERT_EQ(session.run(3).status, SessionStatus::Paused);
  std::vector<int> lines;
  SessionRunResult r;
  for (int i = 0; i < 20; ++i) {
    r = session.runToNextLine(100000);
    if (r.status != SessionStatus::Paused) break;
    lines.push_back(r.line);
  }
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), 5);
  for (size_t i = 0; i + 1 < lines.size(); ++i) EXPECT_NE(lines[i], lines[i + 1]) << i;
  EXPECT_EQ(session.drainOutput(), "10\n");
}

TEST(SessionStepping, LabelsNameLocalsGlobalsFieldsAndUpvalues) {
  Session session;
  session.setStepping(true);
  ASSERT_TRUE(session.load("local list = {}\nholder = {child = {}}\n"
                           "local function get() return list end\nlocal x = 1", "=input").ok);
  for (int i = 0; i < 4; ++i) ASSERT_EQ(session.runToNextLine(100000).status, SessionStatus::Paused);
  Graph g = parse(session.heapGraphJson(false));
  EXPECT_NE(g.labelled("table local list"), nullptr) << g.json;
  EXPECT_NE(g.labelled("table holder"), nullptr);
  EXPECT_NE(g.labelled("table holder.child"), nullptr);
  EXPECT_NE(g.labelled("function local get"), nullptr) << g.json;
  EXPECT_NE(g.labelled("upvalue list"), nullptr);
}

TEST(SessionStepping, WeakTableEdgesAreWeakAndEphemeronValuesToo) {
  Session session;
  runSteppingScript(session,
                    "cache = setmetatable({}, {__mode = 'k'})\nkey = {}\ncache[key] = {}\n"
                    "names = setmetatable({}, {__mode = 'v'})\nnames[1] = {}\nstrong = {key}");
  Graph g = parse(session.heapGraphJson(false));
  const GraphNode* cache = g.labelled("table cache");
  const GraphNode* key = g.labelled("table key");
  const GraphNode* value = g.labelled("table cache[…]");
  const GraphNode* names = g.labelled("table names");
  const GraphNode* strong = g.labelled("table strong");
  ASSERT_TRUE(cache && key && value && names && strong) << g.json;
  EXPECT_TRUE(g.hasEdge(cache->id, key->id, true));
  EXPECT_TRUE(g.hasEdge(cache->id, value->id, true));  // an ephemeron's value
  EXPECT_TRUE(g.hasEdge(strong->id, key->id, false));
  const GraphNode* named = g.labelled("table names[1]");
  ASSERT_NE(named, nullptr);
  EXPECT_TRUE(g.hasEdge(names->id, named->id, true));
}

TEST(SessionStepping, ABlackTableStoredIntoOnTheNextLineTurnsGray) {
  Session session;
  session.setStepping(true);
  ASSERT_TRUE(session.load("holder = {}\nholder.child = {}\nprint(holder.child ~= nil)", "=input").ok);
  ASSERT_EQ(session.runToNextLine(100000).line, 1);
  ASSERT_EQ(session.runToNextLine(100000).line, 2);
  Graph g;
  for (int i = 0; i < 5000; ++i) {
    g = parse(session.gcStepJson(false));
    if (g.labelled("table holder")->color == "black") break;
  }
  ASSERT_EQ(g.phase, "propagate");
  ASSERT_EQ(g.labelled("table holder")->color, "black");
  ASSERT_EQ(session.runToNextLine(100000).line, 3);
  g = parse(session.heapGraphJson(false));
  EXPECT_EQ(g.labelled("table holder")->color, "gray") << "the barrier";
  EXPECT_EQ(g.labelled("table holder.child")->color, "white");
  parse(session.finishCycleJson(false));
  EXPECT_EQ(session.run(100000).status, SessionStatus::Finished);
  EXPECT_EQ(session.drainOutput(), "true\n");
}

TEST(SessionStepping, TheMemoryLimitStillCollectsAndTheGraphSaysSo) {
  Session session;
  session.setMemoryLimit(size_t{4} << 20);
  runSteppingScript(session, "for i = 1, 200000 do local t = {i, i, i, i} end\nkeep = {}");
  std::string json = session.heapGraphJson(false);
  ASSERT_FALSE(valueOf(json, "emergencies").empty());
  EXPECT_GT(std::stoi(valueOf(json, "emergencies")), 0);
}

TEST(SessionStepping, ABigHeapIsListedUpToTheCapWithTheRestCounted) {
  Session session;
  runSteppingScript(session, "keep = {}\nfor i = 1, 6000 do keep[i] = {} end");
  std::string json = session.heapGraphJson(false);
  Graph g = parse(json);
  EXPECT_EQ(g.nodes.size(), kMaxHeapGraphNodes + 1);  // and the library node
  ASSERT_FALSE(valueOf(json, "omitted").empty());
  EXPECT_GT(std::stoi(valueOf(json, "omitted")), 1000);
  for (const char* root : {"table _G (globals)", "table registry", "thread main"})
    EXPECT_NE(g.labelled(root), nullptr) << root;
  std::map<int, bool> listed;
  for (const GraphNode& n : g.nodes) listed[n.id] = true;
  for (const std::string& e : g.edges) {
    size_t arrow = e.find('>');
    EXPECT_TRUE(listed[std::stoi(e.substr(0, arrow - 1))] && listed[std::stoi(e.substr(arrow + 1))]) << e;
  }
}

TEST(SessionStepping, WithoutSteppingTheCollectorPacesItself) {
  Session session;
  ASSERT_TRUE(session.load("for i = 1, 30000 do local garbage = {i} end\nkeep = {}", "=input").ok);
  while (session.run(1000000).status == SessionStatus::Paused) {
  }
  EXPECT_LT(parse(session.heapGraphJson(true)).countKind("table"), 3000);
}

}  // namespace
}  // namespace lunette
