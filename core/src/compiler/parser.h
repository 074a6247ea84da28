// The parser: tokens -> AST (ast.h), by recursive descent over the grammar of the Lua 5.4
// manual (section 9), with the manual's operator priorities (section 3.4.8): `..` and `^` are
// right associative, and unary operators bind tighter than everything but `^` on their right
// (-2^2 is -(2^2)).
//
// It reports every syntax error the reference's parser reports, with the same wording, line and
// "near" token, plus the checks that need no name resolution: '...' outside a vararg function,
// the 200-locals limit, unknown attributes, several to-be-closed variables in one list, and the
// nesting limit. Errors that need scopes (goto, labels, const assignment) and limits on
// registers and upvalues are the code generator's.
//
// Nesting. The reference counts statements, subexpressions and assignment targets against its
// C-stack limit (200 levels, of which its callers normally hold 2) and fails with "C stack
// overflow"; we count the same way, so deep input fails here instead of overflowing our stack.
// Left-associative chains (a+b+c..., a.b.c...) cost no levels, as in the reference, and the code
// generator walks them iteratively.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ast.h"
#include "compiler/lexer.h"

namespace lunette {

std::unique_ptr<ast::Chunk> parse(std::string_view source, std::string_view chunkname);

inline constexpr int kMaxLocals = 200;        // per function, like the reference's MAXVARS
inline constexpr int kMaxSyntaxLevels = 198;  // the reference's 200 C levels minus its callers'

class Parser {
 public:
  Parser(std::string_view source, std::string_view chunkname);
  std::unique_ptr<ast::Chunk> parseChunk();

 private:
  struct FunctionScope {
    int lineDefined = 0;
    bool isVararg = false;
    int declaredLocals = 0;  // in scope or being declared, as the reference counts them
  };
  class LevelGuard;

  // ---- tokens ----
  void advance();
  Tok peekKind();
  bool check(Tok kind) const { return current_.kind == kind; }
  bool accept(Tok kind);
  void expect(Tok kind);
  void expectMatch(Tok what, Tok who, int line);
  std::string expectName();
  ast::SourcePos here() const { return {current_.line, current_.column, current_.offset}; }
  bool blockFollow(bool withUntil) const;
  template <typename T>
  T* finish(T* node);

  [[noreturn]] void syntaxError(std::string_view message);
  [[noreturn]] void semanticError(std::string_view message);
  [[noreturn]] void errorExpected(Tok kind);

  // ---- scopes (only what the parser's own checks need) ----
  void declareLocal();
  int saveScope() const { return functions_.back().declaredLocals; }
  void restoreScope(int saved) { functions_.back().declaredLocals = saved; }

  // ---- statements ----
  ast::Block* block();
  void statementList(ast::Block& block);
  void statement(ast::Block& block);
  ast::Stat* ifStatement(int line);
  void ifClause(ast::IfStat& stat);
  ast::Stat* whileStatement(int line);
  ast::Stat* forStatement(int line);
  ast::Stat* numericFor(ast::LocalName var);
  ast::Stat* genericFor(ast::LocalName first);
  ast::Stat* repeatStatement(int line);
  ast::Stat* functionStatement(int line);
  ast::Stat* localFunction();
  ast::Stat* localStatement();
  ast::Attrib attribute();
  ast::Stat* returnStatement();
  ast::Stat* gotoStatement();
  void labelStatement(ast::Block& block, std::string name);
  ast::Stat* expressionStatement();
  ast::FunctionBody* functionBody(bool isMethod, int line);
  void parameterList(ast::FunctionBody& body);

  // ---- expressions ----
  ast::Expr* expression() { return subexpression(0); }
  ast::Expr* subexpression(int limit);
  ast::Expr* simpleExpression();
  ast::Expr* primaryExpression();
  ast::Expr* suffixedExpression();
  ast::Expr* fieldSelector(ast::Expr* object);
  void callArguments(ast::ExprList& args, ast::ArgsKind& kind, int line);
  ast::Expr* tableConstructor();
  void expressionList(ast::ExprList& list);
  ast::StringExpr* stringNode(std::string value);

  Lexer lexer_;
  std::unique_ptr<ast::Chunk> chunk_;
  Token current_;
  Token ahead_;
  bool hasAhead_ = false;
  int lastLine_ = 1;    // the reference's `lastline`: where the last consumed token ended
  int lineNumber_ = 1;  // the reference's `linenumber`: where the newest scanned token ended
  int level_ = 0;
  std::vector<FunctionScope> functions_;
};

}  // namespace lunette
