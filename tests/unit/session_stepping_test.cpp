// The Session's stepping mode: a run that leaves its heap to be collected by hand, the heap
// graph it draws (nodes, colours, labels, weak edges, the collapsed library), steps that
// merge what the picture cannot tell apart, and running the script a line at a time.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
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

// Reads the graph JSON the Session writes (its own fixed layout: see appendHeapGraphJson).
Graph parse(const std::string& json) {
  Graph g;
  g.json = json;
  std::smatch m;
  if (std::regex_search(json, m, std::regex("\"phase\":\"([a-z]+)\""))) g.phase = m[1];
  std::regex node(
      "\\{\"id\":(\\d+),\"kind\":\"([a-z ]+)\",\"color\":\"([a-z]+)\",\"root\":(true|false),"
      "\"label\":\"((?:[^\"\\\\]|\\\\.)*)\"([^}]*)");
  for (auto it = std::sregex_iterator(json.begin(), json.end(), node); it != std::sregex_iterator(); ++it) {
    const std::smatch& n = *it;
    g.nodes.push_back({std::stoi(n[1]), n[2], n[3], n[5], n[4] == "true",
                       n[6].str().find("\"library\":true") != std::string::npos});
  }
  std::regex edge("\\{\"from\":(\\d+),\"to\":(\\d+),\"weak\":(true|false)\\}");
  for (auto it = std::sregex_iterator(json.begin(), json.end(), edge); it != std::sregex_iterator(); ++it)
    g.edges.push_back((*it)[1].str() + ((*it)[3] == "true" ? "~>" : "->") + (*it)[2].str());
  return g;
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
  std::smatch freed;
  ASSERT_TRUE(std::regex_search(after.json, freed, std::regex("\"freed\":\\[([0-9,]*)\\]")));
  EXPECT_GE(std::count(freed[1].first, freed[1].second, ',') + 1, 3000) << "each garbage table's id";
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
  std::smatch m;
  ASSERT_TRUE(std::regex_search(json, m, std::regex("\"emergencies\":(\\d+)")));
  EXPECT_GT(std::stoi(m[1]), 0);
}

TEST(SessionStepping, ABigHeapIsListedUpToTheCapWithTheRestCounted) {
  Session session;
  runSteppingScript(session, "keep = {}\nfor i = 1, 6000 do keep[i] = {} end");
  std::string json = session.heapGraphJson(false);
  Graph g = parse(json);
  EXPECT_EQ(g.nodes.size(), kMaxHeapGraphNodes + 1);  // and the library node
  std::smatch m;
  ASSERT_TRUE(std::regex_search(json, m, std::regex("\"omitted\":(\\d+)")));
  EXPECT_GT(std::stoi(m[1]), 1000);
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
