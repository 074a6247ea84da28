// The parser; see parser.h. Each function below parses one production of the manual's grammar.
#include "compiler/parser.h"

#include <type_traits>

#include "compiler/compile.h"

namespace lunette {

using namespace ast;

namespace {

struct Priority {
  int left;
  int right;
};

// Indexed by BinOp.
constexpr Priority kPriorities[] = {
    {10, 10}, {10, 10},                      // + -
    {11, 11}, {11, 11},                      // * %
    {14, 13},                                // ^ (right associative)
    {11, 11}, {11, 11},                      // / //
    {6, 6},   {4, 4},   {5, 5},              // & | ~
    {7, 7},   {7, 7},                        // << >>
    {9, 8},                                  // .. (right associative)
    {3, 3},   {3, 3},   {3, 3}, {3, 3}, {3, 3}, {3, 3},  // == ~= < <= > >=
    {2, 2},   {1, 1},                        // and or
};
constexpr int kUnaryPriority = 12;

bool binaryOperator(Tok tok, BinOp& op) {
  switch (tok) {
    case Tok::Plus: op = BinOp::Add; return true;
    case Tok::Minus: op = BinOp::Sub; return true;
    case Tok::Star: op = BinOp::Mul; return true;
    case Tok::Percent: op = BinOp::Mod; return true;
    case Tok::Caret: op = BinOp::Pow; return true;
    case Tok::Slash: op = BinOp::Div; return true;
    case Tok::IDiv: op = BinOp::IDiv; return true;
    case Tok::Amp: op = BinOp::BAnd; return true;
    case Tok::Pipe: op = BinOp::BOr; return true;
    case Tok::Tilde: op = BinOp::BXor; return true;
    case Tok::Shl: op = BinOp::Shl; return true;
    case Tok::Shr: op = BinOp::Shr; return true;
    case Tok::Concat: op = BinOp::Concat; return true;
    case Tok::Eq: op = BinOp::Eq; return true;
    case Tok::Ne: op = BinOp::Ne; return true;
    case Tok::Lt: op = BinOp::Lt; return true;
    case Tok::Le: op = BinOp::Le; return true;
    case Tok::Gt: op = BinOp::Gt; return true;
    case Tok::Ge: op = BinOp::Ge; return true;
    case Tok::And: op = BinOp::And; return true;
    case Tok::Or: op = BinOp::Or; return true;
    default: return false;
  }
}

bool unaryOperator(Tok tok, UnOp& op) {
  switch (tok) {
    case Tok::Not: op = UnOp::Not; return true;
    case Tok::Minus: op = UnOp::Neg; return true;
    case Tok::Tilde: op = UnOp::BNot; return true;
    case Tok::Hash: op = UnOp::Len; return true;
    default: return false;
  }
}

}  // namespace

// Counts one syntax level for as long as it lives.
class Parser::LevelGuard {
 public:
  explicit LevelGuard(Parser& parser) : parser_(parser) {
    if (++parser_.level_ >= kMaxSyntaxLevels)
      throw SyntaxError("C stack overflow", parser_.lineNumber_, parser_.current_.column);
  }
  ~LevelGuard() { --parser_.level_; }
  LevelGuard(const LevelGuard&) = delete;
  LevelGuard& operator=(const LevelGuard&) = delete;

 private:
  Parser& parser_;
};

std::unique_ptr<Chunk> parse(std::string_view source, std::string_view chunkname) {
  return Parser(source, chunkname).parseChunk();
}

Parser::Parser(std::string_view source, std::string_view chunkname)
    : lexer_(source, chunkname), chunk_(std::make_unique<Chunk>()), scopes_(*this) {}

// ---- tokens ------------------------------------------------------------------------------------

void Parser::advance() {
  lastLine_ = lineNumber_;
  if (hasAhead_) {
    current_ = std::move(ahead_);
    hasAhead_ = false;
  } else {
    current_ = lexer_.next();
    lineNumber_ = lexer_.line();
  }
}

// Like the reference's lookahead, this moves `linenumber` to the look-ahead token.
Tok Parser::peekKind() {
  ahead_ = lexer_.next();
  lineNumber_ = lexer_.line();
  hasAhead_ = true;
  return ahead_.kind;
}

bool Parser::accept(Tok kind) {
  if (!check(kind)) return false;
  advance();
  return true;
}

void Parser::expect(Tok kind) {
  if (!check(kind)) errorExpected(kind);
  advance();
}

void Parser::expectMatch(Tok what, Tok who, int line) {
  if (accept(what)) return;
  if (line == lineNumber_) errorExpected(what);
  syntaxError(describeTokenKind(what) + " expected (to close " + describeTokenKind(who) +
              " at line " + std::to_string(line) + ")");
}

std::string Parser::expectName() {
  if (!check(Tok::Name)) errorExpected(Tok::Name);
  std::string name = std::move(current_.text);
  advance();
  return name;
}

bool Parser::blockFollow(bool withUntil) const {
  switch (current_.kind) {
    case Tok::Else:
    case Tok::Elseif:
    case Tok::End:
    case Tok::Eos:
      return true;
    case Tok::Until:
      return withUntil;
    default:
      return false;
  }
}

template <typename T>
T* Parser::finish(T* node) {
  node->endLine = lastLine_;
  if constexpr (std::is_base_of_v<Expr, T>) node->follow = {current_.offset, lineNumber_};
  return node;
}

void Parser::syntaxError(std::string_view message) {
  std::string text = lexer_.chunkId() + ":" + std::to_string(lineNumber_) + ": " +
                     std::string(message) + " near " + describeToken(current_);
  throw SyntaxError(std::move(text), lineNumber_, current_.column);
}

void Parser::semanticError(std::string_view message) {
  std::string text =
      lexer_.chunkId() + ":" + std::to_string(lineNumber_) + ": " + std::string(message);
  throw SyntaxError(std::move(text), lineNumber_, current_.column);
}

void Parser::errorExpected(Tok kind) { syntaxError(describeTokenKind(kind) + " expected"); }

// ---- chunk and blocks --------------------------------------------------------------------------

std::unique_ptr<Chunk> Parser::parseChunk() {
  FunctionBody* main = chunk_->make<FunctionBody>();
  main->isVararg = true;
  main->paramsEndLine = 1;
  main->pos = {1, 1};
  chunk_->main = main;
  varargFunctions_.push_back(true);
  scopes_.openFunction(0);
  advance();
  main->body = chunk_->make<Block>();
  main->body->pos = here();
  statementList(*main->body);
  if (!check(Tok::Eos)) errorExpected(Tok::Eos);
  main->afterEndLine = lineNumber_;
  chunk_->eofLine = lineNumber_;
  scopes_.closeFunction();
  varargFunctions_.pop_back();
  return std::move(chunk_);
}

Block* Parser::block() {
  Block* result = chunk_->make<Block>();
  result->pos = here();
  scopes_.enterBlock(false);
  statementList(*result);
  scopes_.leaveBlock();
  return result;
}

void Parser::statementList(Block& block) {
  while (!blockFollow(true)) {
    if (check(Tok::Return)) {
      statement(block);
      break;  // 'return' must be the last statement
    }
    statement(block);
  }
  block.endLine = lastLine_;
}

void Parser::statement(Block& block) {
  LevelGuard guard(*this);
  int line = lineNumber_;
  SourcePos pos = here();
  Stat* stat = nullptr;
  switch (current_.kind) {
    case Tok::Semicolon:
      advance();
      return;
    case Tok::If:
      stat = ifStatement(line);
      break;
    case Tok::While:
      stat = whileStatement(line);
      break;
    case Tok::Do: {
      advance();
      auto* doStat = chunk_->make<DoStat>();
      doStat->body = this->block();
      expectMatch(Tok::End, Tok::Do, line);
      stat = doStat;
      break;
    }
    case Tok::For:
      stat = forStatement(line);
      break;
    case Tok::Repeat:
      stat = repeatStatement(line);
      break;
    case Tok::Function:
      stat = functionStatement(line);
      break;
    case Tok::Local:
      advance();
      stat = accept(Tok::Function) ? localFunction() : localStatement();
      break;
    case Tok::DbColon: {
      advance();
      std::string name = expectName();
      labelStatement(block, std::move(name), line);
      block.stats.back()->pos = pos;
      return;
    }
    case Tok::Return:
      advance();
      stat = returnStatement();
      stat->pos = pos;
      finish(stat);  // the RETURN's line: before the optional ';'
      accept(Tok::Semicolon);
      block.stats.push_back(stat);
      return;
    case Tok::Break:
      advance();
      stat = chunk_->make<BreakStat>();
      scopes_.breakStatement(line);
      break;
    case Tok::Goto:
      advance();
      stat = gotoStatement();
      break;
    default:
      stat = expressionStatement();
      break;
  }
  stat->pos = pos;
  finish(stat);
  block.stats.push_back(stat);
}

// ---- compound statements -----------------------------------------------------------------------

Stat* Parser::ifStatement(int line) {
  auto* stat = chunk_->make<IfStat>();
  ifClause(*stat);
  while (check(Tok::Elseif)) ifClause(*stat);
  if (accept(Tok::Else)) stat->elseBody = block();
  expectMatch(Tok::End, Tok::If, line);
  return stat;
}

void Parser::ifClause(IfStat& stat) {
  IfClause clause;
  advance();  // 'if' or 'elseif'
  clause.condition = expression();
  expect(Tok::Then);
  clause.thenLine = lastLine_;
  Block* body = chunk_->make<Block>();
  body->pos = here();
  if (check(Tok::Break)) {
    clause.startsWithBreak = true;
    clause.breakLine = lineNumber_;
    auto* brk = chunk_->make<BreakStat>();
    brk->pos = here();
    advance();
    brk->endLine = lastLine_;
    scopes_.enterBlock(false);
    scopes_.breakStatement(clause.breakLine);
    body->stats.push_back(brk);
    while (accept(Tok::Semicolon)) {
    }
    clause.afterBreakLine = lastLine_;
  } else {
    scopes_.enterBlock(false);
  }
  statementList(*body);
  scopes_.leaveBlock();
  clause.body = body;
  stat.clauses.push_back(clause);
}

Stat* Parser::whileStatement(int line) {
  auto* stat = chunk_->make<WhileStat>();
  advance();
  stat->condition = expression();
  scopes_.enterBlock(true);
  expect(Tok::Do);
  stat->body = block();
  expectMatch(Tok::End, Tok::While, line);
  scopes_.leaveBlock();
  return stat;
}

Stat* Parser::forStatement(int line) {
  scopes_.enterBlock(true);
  advance();
  LocalName first;
  first.pos = here();
  first.name = expectName();
  Stat* stat = nullptr;
  switch (current_.kind) {
    case Tok::Assign:
      stat = numericFor(std::move(first));
      break;
    case Tok::Comma:
    case Tok::In:
      stat = genericFor(std::move(first));
      break;
    default:
      syntaxError("'=' or 'in' expected");
  }
  expectMatch(Tok::End, Tok::For, line);
  scopes_.leaveBlock();
  return stat;
}

Stat* Parser::numericFor(LocalName var) {
  auto* stat = chunk_->make<NumericForStat>();
  for (int i = 0; i < 3; ++i) scopes_.declareLocal("(for state)");
  scopes_.declareLocal(var.name);
  stat->var = std::move(var);
  expect(Tok::Assign);
  stat->start = expression();
  expect(Tok::Comma);
  stat->limit = expression();
  if (accept(Tok::Comma)) stat->step = expression();
  scopes_.activateLocals(3);
  expect(Tok::Do);
  stat->doLine = lastLine_;
  stat->body = loopBody(1);
  return stat;
}

Stat* Parser::genericFor(LocalName first) {
  auto* stat = chunk_->make<GenericForStat>();
  for (int i = 0; i < 4; ++i) scopes_.declareLocal("(for state)");
  scopes_.declareLocal(first.name);
  stat->names.push_back(std::move(first));
  while (accept(Tok::Comma)) {
    LocalName name;
    name.pos = here();
    name.name = expectName();
    scopes_.declareLocal(name.name);
    stat->names.push_back(std::move(name));
  }
  expect(Tok::In);
  stat->inLine = lineNumber_;
  expressionList(stat->values);
  scopes_.activateLocals(4);
  expect(Tok::Do);
  stat->doLine = lastLine_;
  stat->body = loopBody(static_cast<int>(stat->names.size()));
  return stat;
}

// A for loop's body, inside the scope of its declared variables.
Block* Parser::loopBody(int nvars) {
  scopes_.enterBlock(false);
  scopes_.activateLocals(nvars);
  Block* body = block();
  scopes_.leaveBlock();
  return body;
}

Stat* Parser::repeatStatement(int line) {
  auto* stat = chunk_->make<RepeatStat>();
  scopes_.enterBlock(true);
  scopes_.enterBlock(false);  // the condition sees the body's locals
  advance();
  stat->body = chunk_->make<Block>();
  stat->body->pos = here();
  statementList(*stat->body);
  expectMatch(Tok::Until, Tok::Repeat, line);
  stat->condition = expression();
  scopes_.leaveBlock();
  scopes_.leaveBlock();
  return stat;
}

// ---- function definitions ----------------------------------------------------------------------

Stat* Parser::functionStatement(int line) {
  auto* stat = chunk_->make<FunctionStat>();
  advance();  // 'function'
  auto* name = chunk_->make<NameExpr>();
  name->pos = here();
  name->name = expectName();
  Expr* target = finish(name);
  while (check(Tok::Dot)) target = fieldSelector(target);
  bool isMethod = false;
  if (check(Tok::Colon)) {
    isMethod = true;
    target = fieldSelector(target);
  }
  stat->target = target;
  stat->body = functionBody(isMethod, line);
  if (target->kind == ExprKind::Name) scopes_.checkAssignable(name->name);
  return stat;
}

Stat* Parser::localFunction() {
  auto* stat = chunk_->make<LocalFunctionStat>();
  stat->name.pos = here();
  stat->name.name = expectName();
  scopes_.declareLocal(stat->name.name);
  scopes_.activateLocals(1);  // visible in its own body, for recursion
  stat->body = functionBody(false, lineNumber_);
  return stat;
}

FunctionBody* Parser::functionBody(bool isMethod, int line) {
  FunctionBody* body = chunk_->make<FunctionBody>();
  body->pos = here();
  body->lineDefined = line;
  body->isMethod = isMethod;
  varargFunctions_.push_back(false);
  scopes_.openFunction(line);
  if (isMethod) {
    scopes_.declareLocal("self");
    scopes_.activateLocals(1);
  }
  expect(Tok::LParen);
  parameterList(*body);
  expect(Tok::RParen);
  body->body = chunk_->make<Block>();
  body->body->pos = here();
  statementList(*body->body);
  body->lastLineDefined = lineNumber_;
  expectMatch(Tok::End, Tok::Function, line);
  body->afterEndLine = lineNumber_;
  scopes_.closeFunction();
  varargFunctions_.pop_back();
  return body;
}

void Parser::parameterList(FunctionBody& body) {
  if (!check(Tok::RParen)) {
    do {
      if (check(Tok::Name)) {
        LocalName param;
        param.pos = here();
        param.name = expectName();
        scopes_.declareLocal(param.name);
        body.params.push_back(std::move(param));
      } else if (check(Tok::Dots)) {
        advance();
        body.isVararg = true;
      } else {
        syntaxError("<name> or '...' expected");
      }
    } while (!body.isVararg && accept(Tok::Comma));
  }
  scopes_.activateLocals(static_cast<int>(body.params.size()));
  varargFunctions_.back() = body.isVararg;
  body.paramsEndLine = lastLine_;
}

// ---- simple statements -------------------------------------------------------------------------

Attrib Parser::attribute() {
  if (!accept(Tok::Lt)) return Attrib::None;
  std::string name = expectName();
  expect(Tok::Gt);
  if (name == "const") return Attrib::Const;
  if (name == "close") return Attrib::Close;
  semanticError("unknown attribute '" + name + "'");
}

Stat* Parser::localStatement() {
  auto* stat = chunk_->make<LocalStat>();
  bool hasClose = false;
  do {
    LocalName name;
    name.pos = here();
    name.name = expectName();
    scopes_.declareLocal(name.name);
    name.attrib = attribute();
    scopes_.setLastAttribute(name.attrib);
    if (name.attrib == Attrib::Close) {
      if (hasClose) semanticError("multiple to-be-closed variables in local list");
      hasClose = true;
    }
    stat->names.push_back(std::move(name));
  } while (accept(Tok::Comma));
  if (accept(Tok::Assign)) expressionList(stat->values);
  scopes_.activateLocals(static_cast<int>(stat->names.size()));
  return stat;
}

Stat* Parser::returnStatement() {
  auto* stat = chunk_->make<ReturnStat>();
  if (!blockFollow(true) && !check(Tok::Semicolon)) expressionList(stat->values);
  return stat;
}

Stat* Parser::gotoStatement() {
  auto* stat = chunk_->make<GotoStat>();
  stat->labelLine = lineNumber_;
  stat->label = expectName();
  scopes_.gotoStatement(stat->label, stat->labelLine);
  return stat;
}

// Like the reference, a label swallows the void statements after it (';' and other labels,
// which are created first) before deciding whether it ends its block.
void Parser::labelStatement(Block& block, std::string name, int line) {
  auto* stat = chunk_->make<LabelStat>();
  stat->name = std::move(name);
  expect(Tok::DbColon);
  while (check(Tok::Semicolon) || check(Tok::DbColon)) statement(block);
  stat->lastInBlock = blockFollow(false);
  stat->errorLine = lineNumber_;
  stat->endLine = lastLine_;
  scopes_.labelStatement(stat->name, line, stat->lastInBlock);
  block.stats.push_back(stat);
}

Stat* Parser::expressionStatement() {
  Expr* first = suffixedExpression();
  if (check(Tok::Assign) || check(Tok::Comma)) {
    auto* stat = chunk_->make<AssignStat>();
    Expr* target = first;
    std::vector<std::unique_ptr<LevelGuard>> guards;  // each extra target is one more level
    for (;;) {
      if (target->kind != ExprKind::Name && target->kind != ExprKind::Index)
        syntaxError("syntax error");
      stat->targets.push_back(target);
      stat->targetCheckLines.push_back(lineNumber_);
      if (target->kind == ExprKind::Name) scopes_.checkAssignable(target->as<NameExpr>().name);
      if (!accept(Tok::Comma)) break;
      target = suffixedExpression();
      guards.push_back(std::make_unique<LevelGuard>(*this));
    }
    expect(Tok::Assign);
    expressionList(stat->values);
    return stat;
  }
  if (first->kind != ExprKind::Call && first->kind != ExprKind::MethodCall)
    syntaxError("syntax error");
  auto* stat = chunk_->make<CallStat>();
  stat->call = first;
  return stat;
}

// ---- expressions -------------------------------------------------------------------------------

void Parser::expressionList(ExprList& list) {
  list.items.push_back(expression());
  while (accept(Tok::Comma)) {
    list.commaLines.push_back(lastLine_);
    list.items.push_back(expression());
  }
}

// Operators with a left priority above `limit` are taken here; lower ones are left for the
// caller, which is how both precedence and associativity come out of one loop.
Expr* Parser::subexpression(int limit) {
  LevelGuard guard(*this);
  Expr* result;
  UnOp unary;
  if (unaryOperator(current_.kind, unary)) {
    auto* node = chunk_->make<UnaryExpr>();
    node->pos = here();
    node->op = unary;
    node->opLine = lineNumber_;
    advance();
    node->operand = subexpression(kUnaryPriority);
    result = finish(node);
  } else {
    result = simpleExpression();
  }
  BinOp op;
  while (binaryOperator(current_.kind, op) &&
         kPriorities[static_cast<int>(op)].left > limit) {
    auto* node = chunk_->make<BinaryExpr>();
    node->pos = result->pos;
    node->op = op;
    node->lhs = result;
    node->opLine = lineNumber_;
    advance();
    node->rhs = subexpression(kPriorities[static_cast<int>(op)].right);
    result = finish(node);
  }
  return result;
}

StringExpr* Parser::stringNode(std::string value) {
  auto* node = chunk_->make<StringExpr>();
  node->pos = here();
  node->value = std::move(value);
  return node;
}

Expr* Parser::simpleExpression() {
  SourcePos pos = here();
  Expr* result;
  switch (current_.kind) {
    case Tok::Float: {
      auto* node = chunk_->make<FloatExpr>();
      node->value = current_.number;
      result = node;
      break;
    }
    case Tok::Int: {
      auto* node = chunk_->make<IntegerExpr>();
      node->value = current_.integer;
      result = node;
      break;
    }
    case Tok::String:
      result = stringNode(std::move(current_.text));
      break;
    case Tok::Nil:
    case Tok::True:
    case Tok::False: {
      auto* node = chunk_->make<ConstantExpr>();
      node->kind = check(Tok::Nil)    ? ExprKind::Nil
                   : check(Tok::True) ? ExprKind::True
                                      : ExprKind::False;
      result = node;
      break;
    }
    case Tok::Dots: {
      if (!varargFunctions_.back()) syntaxError("cannot use '...' outside a vararg function");
      auto* node = chunk_->make<VarargExpr>();
      node->emitLine = lastLine_;
      result = node;
      break;
    }
    case Tok::LBrace:
      return tableConstructor();
    case Tok::Function: {
      advance();
      auto* node = chunk_->make<FunctionExpr>();
      node->pos = pos;
      node->body = functionBody(false, lineNumber_);
      return finish(node);
    }
    default:
      return suffixedExpression();
  }
  result->pos = pos;
  advance();
  return finish(result);
}

Expr* Parser::primaryExpression() {
  SourcePos pos = here();
  if (check(Tok::Name)) {
    auto* node = chunk_->make<NameExpr>();
    node->pos = pos;
    node->name = expectName();
    return finish(node);
  }
  if (check(Tok::LParen)) {
    int line = lineNumber_;
    advance();
    auto* node = chunk_->make<ParenExpr>();
    node->pos = pos;
    node->inner = expression();
    expectMatch(Tok::RParen, Tok::LParen, line);
    node->closeLine = lastLine_;
    return finish(node);
  }
  syntaxError("unexpected symbol");
}

Expr* Parser::fieldSelector(Expr* object) {
  auto* node = chunk_->make<IndexExpr>();
  node->pos = object->pos;
  node->object = object;
  node->dot = true;
  advance();  // '.' or ':'
  SourcePos keyPos = here();
  StringExpr* key = stringNode(expectName());
  key->pos = keyPos;
  node->keyLine = lastLine_;
  node->key = finish(key);
  return finish(node);
}

Expr* Parser::suffixedExpression() {
  Expr* result = primaryExpression();
  for (;;) {
    switch (current_.kind) {
      case Tok::Dot:
        result = fieldSelector(result);
        break;
      case Tok::LBracket: {
        auto* node = chunk_->make<IndexExpr>();
        node->pos = result->pos;
        node->object = result;
        advance();
        node->key = expression();
        expect(Tok::RBracket);
        node->keyLine = lastLine_;
        result = finish(node);
        break;
      }
      case Tok::Colon: {
        auto* node = chunk_->make<MethodCallExpr>();
        node->pos = result->pos;
        node->object = result;
        advance();
        node->method = expectName();
        node->nameLine = lastLine_;
        node->callLine = lineNumber_;  // the arguments' line, as 5.4.8 (5.4.4: the prefix's)
        callArguments(node->args, node->argsKind, node->callLine);
        node->closeLine = lastLine_;
        result = finish(node);
        break;
      }
      case Tok::LParen:
      case Tok::String:
      case Tok::LBrace: {
        auto* node = chunk_->make<CallExpr>();
        node->pos = result->pos;
        node->function = result;
        node->callLine = lineNumber_;  // the arguments' line, as 5.4.8 (5.4.4: the prefix's)
        callArguments(node->args, node->argsKind, node->callLine);
        node->closeLine = lastLine_;
        result = finish(node);
        break;
      }
      default:
        return result;
    }
  }
}

void Parser::callArguments(ExprList& args, ArgsKind& kind, int line) {
  switch (current_.kind) {
    case Tok::LParen:
      kind = ArgsKind::Parens;
      advance();
      if (!check(Tok::RParen)) expressionList(args);
      expectMatch(Tok::RParen, Tok::LParen, line);
      break;
    case Tok::LBrace:
      kind = ArgsKind::Table;
      args.items.push_back(tableConstructor());
      break;
    case Tok::String: {
      kind = ArgsKind::String;
      StringExpr* node = stringNode(std::move(current_.text));
      advance();
      args.items.push_back(finish(node));
      break;
    }
    default:
      syntaxError("function arguments expected");
  }
}

Expr* Parser::tableConstructor() {
  auto* table = chunk_->make<TableExpr>();
  table->pos = here();
  table->openLine = lastLine_;
  int line = lineNumber_;
  expect(Tok::LBrace);
  do {
    if (check(Tok::RBrace)) break;
    TableField field;
    field.pos = here();
    bool named = check(Tok::Name) && peekKind() == Tok::Assign;
    if (named) {
      field.kind = FieldKind::Named;
      SourcePos keyPos = here();
      StringExpr* key = stringNode(expectName());
      key->pos = keyPos;
      field.key = finish(key);
      expect(Tok::Assign);
      field.assignLine = lastLine_;
      field.value = expression();
    } else if (check(Tok::LBracket)) {
      field.kind = FieldKind::Keyed;
      advance();
      field.key = expression();
      expect(Tok::RBracket);
      field.keyCloseLine = lastLine_;
      expect(Tok::Assign);
      field.assignLine = lastLine_;
      field.value = expression();
    } else {
      field.value = expression();
    }
    table->fields.push_back(field);
    if (!check(Tok::Comma) && !check(Tok::Semicolon)) break;
    advance();
    table->fields.back().sepLine = lastLine_;
  } while (true);
  expectMatch(Tok::RBrace, Tok::LBrace, line);
  table->closeLine = lastLine_;
  if (!table->fields.empty()) table->fields.back().sepLine = table->closeLine;
  return finish(table);
}

}  // namespace lunette
