// Parser tests: the tree's shape (precedence, associativity, statements), source positions, the
// reference's syntax error messages (each checked against lua5.4's load()), and the nesting
// limit.
#include <gtest/gtest.h>

#include <string>

#include "compiler/compile.h"
#include "compiler/parser.h"

namespace lunette {
namespace {

using namespace ast;

const char* binName(BinOp op) {
  static const char* names[] = {"+", "-", "*", "%", "^", "/", "//", "&", "|", "~", "<<",
                                ">>", "..", "==", "~=", "<", "<=", ">", ">=", "and", "or"};
  return names[static_cast<int>(op)];
}

const char* unName(UnOp op) {
  static const char* names[] = {"neg", "bnot", "not", "len"};
  return names[static_cast<int>(op)];
}

// A compact rendering of an expression: (op lhs rhs), names and numbers as themselves.
std::string render(const Expr& e) {
  switch (e.kind) {
    case ExprKind::Nil: return "nil";
    case ExprKind::True: return "true";
    case ExprKind::False: return "false";
    case ExprKind::Vararg: return "...";
    case ExprKind::Integer: return std::to_string(e.as<IntegerExpr>().value);
    case ExprKind::Float: return std::to_string(e.as<FloatExpr>().value);
    case ExprKind::String: return "'" + e.as<StringExpr>().value + "'";
    case ExprKind::Name: return e.as<NameExpr>().name;
    case ExprKind::Binary: {
      const auto& b = e.as<BinaryExpr>();
      return std::string("(") + binName(b.op) + " " + render(*b.lhs) + " " + render(*b.rhs) + ")";
    }
    case ExprKind::Unary: {
      const auto& u = e.as<UnaryExpr>();
      return std::string("(") + unName(u.op) + " " + render(*u.operand) + ")";
    }
    case ExprKind::Paren: return "[" + render(*e.as<ParenExpr>().inner) + "]";
    case ExprKind::Index: {
      const auto& i = e.as<IndexExpr>();
      return "(index " + render(*i.object) + " " + render(*i.key) + ")";
    }
    case ExprKind::Call: {
      const auto& c = e.as<CallExpr>();
      std::string s = "(call " + render(*c.function);
      for (const Expr* a : c.args.items) s += " " + render(*a);
      return s + ")";
    }
    case ExprKind::MethodCall: {
      const auto& m = e.as<MethodCallExpr>();
      std::string s = "(method " + render(*m.object) + " " + m.method;
      for (const Expr* a : m.args.items) s += " " + render(*a);
      return s + ")";
    }
    case ExprKind::Function: return "function";
    case ExprKind::Table: return "table";
  }
  return "?";
}

// Parses `return <expression>` and renders the expression.
std::string expr(std::string_view source) {
  auto chunk = parse("return " + std::string(source), "=test");
  const auto& ret = chunk->main->body->stats.at(0)->as<ReturnStat>();
  return render(*ret.values.items.at(0));
}

std::string error(std::string_view source) {
  try {
    compile(source, "=test");
  } catch (const SyntaxError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Parser, GivesArithmeticOperatorsTheirPriorities) {
  EXPECT_EQ(expr("1 + 2 * 3"), "(+ 1 (* 2 3))");
  EXPECT_EQ(expr("1 * 2 + 3"), "(+ (* 1 2) 3)");
  EXPECT_EQ(expr("a // b % c / d"), "(/ (% (// a b) c) d)");
  EXPECT_EQ(expr("1 - 2 - 3"), "(- (- 1 2) 3)");
}

TEST(Parser, MakesPowerAndConcatenationRightAssociative) {
  EXPECT_EQ(expr("2 ^ 3 ^ 2"), "(^ 2 (^ 3 2))");
  EXPECT_EQ(expr("a .. b .. c"), "(.. a (.. b c))");
  EXPECT_EQ(expr("a .. b + c .. d"), "(.. a (.. (+ b c) d))");
}

TEST(Parser, BindsUnaryOperatorsTighterThanAllButPower) {
  EXPECT_EQ(expr("-2 ^ 2"), "(neg (^ 2 2))");
  EXPECT_EQ(expr("2 ^ -2"), "(^ 2 (neg 2))");
  EXPECT_EQ(expr("-a * b"), "(* (neg a) b)");
  EXPECT_EQ(expr("not a == b"), "(== (not a) b)");
  EXPECT_EQ(expr("#t + 1"), "(+ (len t) 1)");
  EXPECT_EQ(expr("~a & b"), "(& (bnot a) b)");
  EXPECT_EQ(expr("- - a"), "(neg (neg a))");
}

TEST(Parser, OrdersBitwiseComparisonAndLogicalOperators) {
  EXPECT_EQ(expr("a | b ~ c & d << e"), "(| a (~ b (& c (<< d e))))");
  EXPECT_EQ(expr("a << b .. c"), "(<< a (.. b c))");
  EXPECT_EQ(expr("a < b == c"), "(== (< a b) c)");
  EXPECT_EQ(expr("a or b and c"), "(or a (and b c))");
  EXPECT_EQ(expr("a and b or c and d"), "(or (and a b) (and c d))");
  EXPECT_EQ(expr("a == b and c ~= d"), "(and (== a b) (~= c d))");
  EXPECT_EQ(expr("a | b < c"), "(< (| a b) c)");
}

TEST(Parser, BuildsSuffixChainsLeftToRight) {
  EXPECT_EQ(expr("a.b[c]:m(1)(2)"), "(call (method (index (index a 'b') c) m 1) 2)");
  EXPECT_EQ(expr("f{1}'s'"), "(call (call f table) 's')");
  EXPECT_EQ(expr("(f())"), "[(call f)]");
}

TEST(Parser, RecordsLinesAndColumnsOnNodes) {
  auto chunk = parse("local x = 1\n  if x then\n    y = x +\n      2\n  end", "=test");
  const auto& stats = chunk->main->body->stats;
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0]->pos.line, 1);
  EXPECT_EQ(stats[0]->pos.column, 1);
  EXPECT_EQ(stats[1]->pos.line, 2);
  EXPECT_EQ(stats[1]->pos.column, 3);
  const auto& ifStat = stats[1]->as<IfStat>();
  EXPECT_EQ(ifStat.endLine, 5);
  const Stat& assign = *ifStat.clauses[0].body->stats[0];
  EXPECT_EQ(assign.pos.line, 3);
  EXPECT_EQ(assign.pos.column, 5);
  const auto& sum = assign.as<AssignStat>().values.items[0]->as<BinaryExpr>();
  EXPECT_EQ(sum.pos.line, 3);
  EXPECT_EQ(sum.opLine, 3);
  EXPECT_EQ(sum.endLine, 4);
  EXPECT_EQ(sum.rhs->pos.line, 4);
  EXPECT_EQ(sum.rhs->pos.column, 7);
}

TEST(Parser, RecordsTheLinesCallsAndFunctionsNeed) {
  auto chunk = parse("f(\n a,\n b\n)\nlocal g = function(...)\nend", "=test");
  const auto& call = chunk->main->body->stats[0]->as<CallStat>().call->as<CallExpr>();
  EXPECT_EQ(call.callLine, 1);
  EXPECT_EQ(call.closeLine, 4);
  EXPECT_EQ(call.args.commaLines, (std::vector<int>{2}));
  const auto& local = chunk->main->body->stats[1]->as<LocalStat>();
  const FunctionBody& body = *local.values.items[0]->as<FunctionExpr>().body;
  EXPECT_EQ(body.lineDefined, 5);
  EXPECT_EQ(body.lastLineDefined, 6);
  EXPECT_TRUE(body.isVararg);
}

TEST(Parser, ParsesEveryStatementKind) {
  auto chunk = parse(
      "local a <const>, b <close> = 1\n"
      "x, b.c = 1, 2\n"
      "f()\n"
      "do end\n"
      "while a do end\n"
      "repeat until a\n"
      "if a then elseif b then else end\n"
      "for i = 1, 2 do end\n"
      "for k, v in pairs(t) do end\n"
      "function m.n:o() end\n"
      "local function p() end\n"
      "::l:: goto l\n"
      "for i = 1, 2 do break end\n"
      "return 1;",
      "=test");
  std::vector<StatKind> kinds;
  for (const Stat* s : chunk->main->body->stats) kinds.push_back(s->kind);
  EXPECT_EQ(kinds, (std::vector<StatKind>{
                       StatKind::Local, StatKind::Assign, StatKind::Call, StatKind::Do,
                       StatKind::While, StatKind::Repeat, StatKind::If, StatKind::NumericFor,
                       StatKind::GenericFor, StatKind::Function, StatKind::LocalFunction,
                       StatKind::Label, StatKind::Goto, StatKind::NumericFor, StatKind::Return}));
  const auto& local = chunk->main->body->stats[0]->as<LocalStat>();
  EXPECT_EQ(local.names[0].attrib, Attrib::Const);
  EXPECT_EQ(local.names[1].attrib, Attrib::Close);
  const auto& fn = chunk->main->body->stats[9]->as<FunctionStat>();
  EXPECT_TRUE(fn.body->isMethod);
  EXPECT_EQ(render(*fn.target), "(index (index m 'n') 'o')");
}

TEST(Parser, KeepsEmptyStatementsOutOfTheTree) {
  auto chunk = parse(";;; x = 1 ;;; ; return;", "=test");
  EXPECT_EQ(chunk->main->body->stats.size(), 2u);
}

TEST(Parser, MarksTheIfBreakShortcut) {
  auto chunk = parse("while x do if y then break; ; end end", "=test");
  const auto& loop = chunk->main->body->stats[0]->as<WhileStat>();
  const auto& ifStat = loop.body->stats[0]->as<IfStat>();
  EXPECT_TRUE(ifStat.clauses[0].startsWithBreak);
  EXPECT_EQ(ifStat.clauses[0].body->stats.size(), 1u);
}

// Each expected message was checked against lua5.4's load(source, "=test").
TEST(Parser, ReportsSyntaxErrorsLikeTheReference) {
  EXPECT_EQ(error("x = "), "test:1: unexpected symbol near <eof>");
  EXPECT_EQ(error("x = }"), "test:1: unexpected symbol near '}'");
  EXPECT_EQ(error("x = 1 @"), "test:1: unexpected symbol near '@'");
  EXPECT_EQ(error("x = 1 \x01"), "test:1: unexpected symbol near '<\\1>'");
  EXPECT_EQ(error("x = \"a\\tb\" )"), "test:1: unexpected symbol near ')'");
  EXPECT_EQ(error("x = (((1"), "test:1: ')' expected near <eof>");
  EXPECT_EQ(error("for i do end"), "test:1: '=' or 'in' expected near 'do'");
  EXPECT_EQ(error("for i = 1 do end"), "test:1: ',' expected near 'do'");
  EXPECT_EQ(error("local function end"), "test:1: <name> expected near 'end'");
  EXPECT_EQ(error("x = function(a,) end"), "test:1: <name> or '...' expected near ')'");
  EXPECT_EQ(error("a.b:c = 1"), "test:1: function arguments expected near '='");
  EXPECT_EQ(error("f() = 1"), "test:1: syntax error near '='");
  EXPECT_EQ(error("(a) = 1"), "test:1: syntax error near '='");
  EXPECT_EQ(error("x"), "test:1: syntax error near <eof>");
  EXPECT_EQ(error("a, b"), "test:1: '=' expected near <eof>");
  EXPECT_EQ(error("return 1 x"), "test:1: <eof> expected near 'x'");
  EXPECT_EQ(error("function f() return 1 x end"), "test:1: 'end' expected near 'x'");
  EXPECT_EQ(error("do end end"), "test:1: <eof> expected near 'end'");
  EXPECT_EQ(error("local x <const"), "test:1: '>' expected near <eof>");
  EXPECT_EQ(error("x = {x 1}"), "test:1: '}' expected near '1'");
  EXPECT_EQ(error("::a"), "test:1: '::' expected near <eof>");
  EXPECT_EQ(error("goto 1"), "test:1: <name> expected near '1'");
  EXPECT_EQ(error("x = a.1"), "test:1: unexpected symbol near '.1'");
}

TEST(Parser, NamesTheOpeningLineOfAnUnclosedBlock) {
  EXPECT_EQ(error("if x then"), "test:1: 'end' expected near <eof>");
  EXPECT_EQ(error("if x then\n\n  y = 1\n"),
            "test:4: 'end' expected (to close 'if' at line 1) near <eof>");
  EXPECT_EQ(error("f(\n\n"), "test:3: unexpected symbol near <eof>");
  EXPECT_EQ(error("x = f(1,\n2\n"), "test:3: ')' expected (to close '(' at line 1) near <eof>");
  EXPECT_EQ(error("repeat\nx = 1"),
            "test:2: 'until' expected (to close 'repeat' at line 1) near <eof>");
  EXPECT_EQ(error("t = {\n1"), "test:2: '}' expected (to close '{' at line 1) near <eof>");
}

TEST(Parser, RejectsVarargOutsideVarargFunctions) {
  EXPECT_EQ(error("function f() x = ... end"),
            "test:1: cannot use '...' outside a vararg function near '...'");
  EXPECT_EQ(error("local function f(...) return function() return ... end end"),
            "test:1: cannot use '...' outside a vararg function near '...'");
  EXPECT_EQ(error("x = ..."), "no error");  // the main chunk is vararg
}

TEST(Parser, ChecksAttributes) {
  EXPECT_EQ(error("local x <foo> = 1"), "test:1: unknown attribute 'foo'");
  EXPECT_EQ(error("local x <close>, y <close> = 1"),
            "test:1: multiple to-be-closed variables in local list");
}

// The reference compiles in one pass: an error in scopes is reported where it is read, before a
// later syntax error. Messages checked against lua5.4.
TEST(Parser, ReportsScopeErrorsBeforeLaterSyntaxErrors) {
  EXPECT_EQ(error("goto l; local a; ::l:: x = = 1"),
            "test:1: <goto l> at line 1 jumps into the scope of local 'a'");
  EXPECT_EQ(error("function f() goto x end x = = 1"),
            "test:1: no visible label 'x' for <goto> at line 1");
  EXPECT_EQ(error("local c <const> = 1; c = = 2"),
            "test:1: attempt to assign to const variable 'c'");
  EXPECT_EQ(error("::a:: ::a:: x = = 1"), "test:1: label 'a' already defined on line 1");
  EXPECT_EQ(error("local c <close> = nil\nfunction g() c, d = 1 end"),
            "test:2: attempt to assign to const variable 'c'");
  // A break outside any loop is only noticed when the function ends.
  EXPECT_EQ(error("while x do end break x = = 1"), "test:1: unexpected symbol near '='");
}

TEST(Parser, LimitsLocalsPerFunctionTo200) {
  std::string ok = "local a1";
  for (int i = 2; i <= 200; ++i) ok += ", a" + std::to_string(i);
  EXPECT_EQ(error(ok), "no error");
  EXPECT_EQ(error(ok + ", a201"),
            "test:1: too many local variables (limit is 200) in main function near <eof>");
  EXPECT_EQ(error("function f()\n" + ok + ", a201 = 1 end"),
            "test:2: too many local variables (limit is 200) in function at line 1 near '='");
  // Scopes that ended give their slots back.
  std::string blocks;
  for (int i = 0; i < 5; ++i) blocks += "do " + ok + " end ";
  EXPECT_EQ(error(blocks), "no error");
}

TEST(Parser, FailsDeepNestingWithoutOverflowingTheStack) {
  std::string parens(300, '(');
  EXPECT_EQ(error("x = " + parens + "1" + std::string(300, ')')), "C stack overflow");
  std::string blocks;
  for (int i = 0; i < 300; ++i) blocks += "do ";
  EXPECT_EQ(error(blocks), "C stack overflow");
  std::string minuses;
  for (int i = 0; i < 100000; ++i) minuses += "- ";
  EXPECT_EQ(error("x = " + minuses + "1"), "C stack overflow");
  // Just under the reference's limit is fine.
  EXPECT_EQ(error("x = " + std::string(195, '(') + "1" + std::string(195, ')')), "no error");
}

TEST(Parser, HandlesLongLeftAssociativeChainsIteratively) {
  std::string sum = "x = 1";
  for (int i = 0; i < 100000; ++i) sum += " + 1";
  EXPECT_EQ(error(sum), "no error");
  std::string fields = "x = a";
  for (int i = 0; i < 100000; ++i) fields += ".b";
  EXPECT_EQ(error(fields), "no error");
  std::string calls = "f";
  for (int i = 0; i < 100000; ++i) calls += "()";
  EXPECT_EQ(error(calls), "no error");
}

TEST(Parser, SkipsAShebangLineOnlyInFiles) {
  EXPECT_EQ(error("#!/usr/bin/lua\nreturn"), "test:1: unexpected symbol near '#'");
  auto f = compile("#!/usr/bin/lua\nlocal x = y", "@script.lua");
  ASSERT_FALSE(f->lineinfo.empty());
  EXPECT_EQ(f->lineinfo[1], 2);  // line numbers do not move
  try {
    compile("#!/usr/bin/lua\nx =", "@script.lua");
    FAIL();
  } catch (const SyntaxError& e) {
    EXPECT_STREQ(e.what(), "script.lua:2: unexpected symbol near <eof>");
    EXPECT_EQ(e.line(), 2);
  }
}

TEST(Parser, ReportsTheOffendingTokensColumn) {
  try {
    compile("x = 1\n  y = = 2", "=test");
    FAIL();
  } catch (const SyntaxError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 7);
  }
}

}  // namespace
}  // namespace lunette
