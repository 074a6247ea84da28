// The parser: tokens -> AST (ast.h), by recursive descent over the grammar of the Lua 5.4
// manual (section 9), with the manual's operator priorities (section 3.4.8): `..` and `^` are
// right associative, and unary operators bind tighter than everything but `^` on their right
// (-2^2 is -(2^2)).
//
// It reports every error the reference's parser reports, with the same wording, line and "near"
// token, at the same point of the source: syntax errors, '...' outside a vararg function, the
// nesting limit, attributes, and (through its ScopeTracker, scopes.h) the 200-locals limit,
// goto and label errors and assignments to constants. Only the limits that depend on code
// generation (registers, upvalues) are the code generator's.
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
#include "compiler/scopes.h"

namespace lunette {

std::unique_ptr<ast::Chunk> parse(std::string_view source, std::string_view chunkname);

inline constexpr int kMaxSyntaxLevels = 198;  // the reference's 200 C levels minus its callers'

class Parser final : public ScopeErrors {
 public:
  Parser(std::string_view source, std::string_view chunkname);
  std::unique_ptr<ast::Chunk> parseChunk();

  [[noreturn]] void syntaxError(std::string_view message) override;
  [[noreturn]] void semanticError(std::string_view message) override;

 private:
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

  [[noreturn]] void errorExpected(Tok kind);

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
  ast::Block* loopBody(int nvars);
  ast::Stat* repeatStatement(int line);
  ast::Stat* functionStatement(int line);
  ast::Stat* localFunction();
  ast::Stat* localStatement();
  ast::Attrib attribute();
  ast::Stat* returnStatement();
  ast::Stat* gotoStatement();
  void labelStatement(ast::Block& block, std::string name, int line);
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
  std::vector<bool> varargFunctions_;  // per open function: may it use '...'?
  ScopeTracker scopes_;
};

}  // namespace lunette
