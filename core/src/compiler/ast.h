// The abstract syntax tree the parser builds and the code generator walks.
//
// Positions. Every node has `pos`, the line and 1-based column of its first token (for error
// markers and coroutine creation sites). Nodes also carry the few extra lines the code
// generator needs to give each instruction the line the reference gives it: the reference
// compiles in one pass and stamps each instruction with the line of the last token read at that
// moment, so e.g. a CALL gets the line where its prefix expression starts, an operand is loaded
// on the line of the operator that follows it, and a list item is stored on the line of the ','
// after it. Those fields are named for the token they record ("closeLine" = the closing
// bracket's line) and are documented where they are declared.
//
// Ownership. All nodes live in the Chunk's arena and point at each other with plain pointers, so
// that destroying a deep tree (a chain of 100000 '..' or '.x') never recurses.
//
// Invariants: child pointers are never null unless documented optional; a Block's statements
// never include empty ';' statements.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lunette::ast {

struct SourcePos {
  int line = 0;
  int column = 0;
  uint32_t offset = 0;  // byte offset of the first token in the source
};

// The token the parser was looking at right after a construct: errors found later (too many
// registers or upvalues) name it, as the reference does with its "near '...'".
struct Follow {
  uint32_t offset = 0;
  int line = 0;
};

struct Node {
  SourcePos pos;
  virtual ~Node() = default;
};

struct Block;
struct FunctionBody;

// ---- expressions -------------------------------------------------------------------------------

enum class ExprKind : uint8_t {
  Nil, True, False, Vararg, Integer, Float, String, Function, Table, Binary, Unary, Name, Index,
  Call, MethodCall, Paren,
};

enum class BinOp : uint8_t {
  Add, Sub, Mul, Mod, Pow, Div, IDiv, BAnd, BOr, BXor, Shl, Shr, Concat,
  Eq, Ne, Lt, Le, Gt, Ge, And, Or,
};

enum class UnOp : uint8_t { Neg, BNot, Not, Len };

struct Expr : Node {
  explicit Expr(ExprKind k) : kind(k) {}
  ExprKind kind;
  int endLine = 0;  // line of the expression's last token
  Follow follow;

  template <typename T>
  T& as() {
    return static_cast<T&>(*this);
  }
  template <typename T>
  const T& as() const {
    return static_cast<const T&>(*this);
  }
};

struct ConstantExpr : Expr {  // nil, true, false: `kind` says which
  ConstantExpr() : Expr(ExprKind::Nil) {}
};

struct VarargExpr : Expr {
  VarargExpr() : Expr(ExprKind::Vararg) {}
  int emitLine = 0;  // the token before '...': the reference emits VARARG before reading it
};

struct IntegerExpr : Expr {
  IntegerExpr() : Expr(ExprKind::Integer) {}
  int64_t value = 0;
};

struct FloatExpr : Expr {
  FloatExpr() : Expr(ExprKind::Float) {}
  double value = 0;
};

struct StringExpr : Expr {
  StringExpr() : Expr(ExprKind::String) {}
  std::string value;
};

struct FunctionExpr : Expr {
  FunctionExpr() : Expr(ExprKind::Function) {}
  FunctionBody* body = nullptr;
};

enum class FieldKind : uint8_t { Positional, Named, Keyed };

struct TableField {
  SourcePos pos;  // the field's first token
  FieldKind kind = FieldKind::Positional;
  Expr* key = nullptr;  // Named: a StringExpr; Keyed: any expression; Positional: null
  Expr* value = nullptr;
  int keyCloseLine = 0;  // Keyed: the ']' line
  int assignLine = 0;    // Named, Keyed: the '=' line
  int sepLine = 0;       // the ',' or ';' after the field, or the '}' line for the last one
};

struct TableExpr : Expr {
  TableExpr() : Expr(ExprKind::Table) {}
  std::vector<TableField> fields;
  int openLine = 0;   // the token before '{' (NEWTABLE is emitted before '{' is read)
  int closeLine = 0;  // the '}' line
};

struct BinaryExpr : Expr {
  BinaryExpr() : Expr(ExprKind::Binary) {}
  BinOp op = BinOp::Add;
  Expr* lhs = nullptr;
  Expr* rhs = nullptr;
  int opLine = 0;
};

struct UnaryExpr : Expr {
  UnaryExpr() : Expr(ExprKind::Unary) {}
  UnOp op = UnOp::Neg;
  Expr* operand = nullptr;
  int opLine = 0;
};

struct NameExpr : Expr {
  NameExpr() : Expr(ExprKind::Name) {}
  std::string name;
};

// obj.name (key is a StringExpr, `dot`) or obj[key].
struct IndexExpr : Expr {
  IndexExpr() : Expr(ExprKind::Index) {}
  Expr* object = nullptr;
  Expr* key = nullptr;
  bool dot = false;
  int keyLine = 0;  // the name's line after '.', or the ']' line
};

// A list of expressions separated by ','.
struct ExprList {
  std::vector<Expr*> items;
  std::vector<int> commaLines;  // commaLines[i]: the ',' after items[i]
};

enum class ArgsKind : uint8_t { Parens, String, Table };

struct CallExpr : Expr {
  CallExpr() : Expr(ExprKind::Call) {}
  Expr* function = nullptr;
  ExprList args;
  ArgsKind argsKind = ArgsKind::Parens;
  int callLine = 0;   // where the arguments start ('(', string or '{'): the line CALL gets
  int closeLine = 0;  // after the arguments: the ')' line (or the string's / '}' line)
};

struct MethodCallExpr : Expr {
  MethodCallExpr() : Expr(ExprKind::MethodCall) {}
  Expr* object = nullptr;
  std::string method;
  ExprList args;
  ArgsKind argsKind = ArgsKind::Parens;
  int nameLine = 0;  // the method name's line: SELF gets it
  int callLine = 0;
  int closeLine = 0;
};

struct ParenExpr : Expr {
  ParenExpr() : Expr(ExprKind::Paren) {}
  Expr* inner = nullptr;
  int closeLine = 0;
};

// ---- statements --------------------------------------------------------------------------------

enum class StatKind : uint8_t {
  Local, Assign, Call, Do, While, Repeat, If, NumericFor, GenericFor, Function, LocalFunction,
  Return, Break, Goto, Label,
};

struct Stat : Node {
  explicit Stat(StatKind k) : kind(k) {}
  StatKind kind;
  int endLine = 0;  // line of the statement's last token

  template <typename T>
  T& as() {
    return static_cast<T&>(*this);
  }
  template <typename T>
  const T& as() const {
    return static_cast<const T&>(*this);
  }
};

struct Block : Node {
  std::vector<Stat*> stats;
  int endLine = 0;  // line of the last token read before the block's terminator
};

enum class Attrib : uint8_t { None, Const, Close };

struct LocalName {
  std::string name;
  Attrib attrib = Attrib::None;
  SourcePos pos;
};

struct LocalStat : Stat {
  LocalStat() : Stat(StatKind::Local) {}
  std::vector<LocalName> names;
  ExprList values;  // empty when there is no '='
};

struct AssignStat : Stat {
  AssignStat() : Stat(StatKind::Assign) {}
  std::vector<Expr*> targets;        // NameExpr or IndexExpr
  std::vector<int> targetCheckLines;  // the line a const-assignment error on a target names
  ExprList values;
};

struct CallStat : Stat {
  CallStat() : Stat(StatKind::Call) {}
  Expr* call = nullptr;  // CallExpr or MethodCallExpr
};

struct DoStat : Stat {
  DoStat() : Stat(StatKind::Do) {}
  Block* body = nullptr;
};

struct WhileStat : Stat {
  WhileStat() : Stat(StatKind::While) {}
  Expr* condition = nullptr;
  Block* body = nullptr;
};

struct RepeatStat : Stat {
  RepeatStat() : Stat(StatKind::Repeat) {}
  Block* body = nullptr;
  Expr* condition = nullptr;
};

struct IfClause {
  Expr* condition = nullptr;
  Block* body = nullptr;
  int thenLine = 0;
  // `if c then break ...`: the body starts with a break, which the reference compiles as a
  // jump taken when the condition is true; these record the break's line and the line after
  // the break and any ';' that follow it.
  bool startsWithBreak = false;
  int breakLine = 0;
  int afterBreakLine = 0;
};

struct IfStat : Stat {
  IfStat() : Stat(StatKind::If) {}
  std::vector<IfClause> clauses;  // if, then each elseif
  Block* elseBody = nullptr;      // optional
};

struct NumericForStat : Stat {
  NumericForStat() : Stat(StatKind::NumericFor) {}
  LocalName var;
  Expr* start = nullptr;
  Expr* limit = nullptr;
  Expr* step = nullptr;  // optional
  Block* body = nullptr;
  int doLine = 0;
};

struct GenericForStat : Stat {
  GenericForStat() : Stat(StatKind::GenericFor) {}
  std::vector<LocalName> names;
  ExprList values;
  Block* body = nullptr;
  int inLine = 0;  // the line the reference reads after 'in': TFORCALL and TFORLOOP get it
  int doLine = 0;
};

struct FunctionBody : Node {
  std::vector<LocalName> params;
  bool isVararg = false;
  bool isMethod = false;  // adds the implicit 'self' parameter
  Block* body = nullptr;
  int lineDefined = 0;
  int lastLineDefined = 0;
  int paramsEndLine = 0;  // the line VARARGPREP gets (the '...' line)
  int afterEndLine = 0;   // the line of the token after 'end' (for late goto errors)
};

// function a.b.c:m() ... end: `target` is the name path (NameExpr / IndexExpr chain).
struct FunctionStat : Stat {
  FunctionStat() : Stat(StatKind::Function) {}
  Expr* target = nullptr;
  FunctionBody* body = nullptr;
};

struct LocalFunctionStat : Stat {
  LocalFunctionStat() : Stat(StatKind::LocalFunction) {}
  LocalName name;
  FunctionBody* body = nullptr;
};

struct ReturnStat : Stat {
  ReturnStat() : Stat(StatKind::Return) {}
  ExprList values;
};

struct BreakStat : Stat {
  BreakStat() : Stat(StatKind::Break) {}
};

struct GotoStat : Stat {
  GotoStat() : Stat(StatKind::Goto) {}
  std::string label;
  int labelLine = 0;  // the line messages give for the goto
};

struct LabelStat : Stat {
  LabelStat() : Stat(StatKind::Label) {}
  std::string name;
  bool lastInBlock = false;  // only void statements follow it before the block ends
  int errorLine = 0;         // the line errors about this label are reported on
};

// ---- the whole chunk ---------------------------------------------------------------------------

struct Chunk {
  FunctionBody* main = nullptr;  // vararg, no parameters
  int eofLine = 0;               // the line of <eof>: errors found at the end are reported here
  std::vector<std::unique_ptr<Node>> arena;

  template <typename T>
  T* make() {
    auto node = std::make_unique<T>();
    T* raw = node.get();
    arena.push_back(std::move(node));
    return raw;
  }
};

}  // namespace lunette::ast
