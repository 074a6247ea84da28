// The code generator's class, shared by codegen.cpp (scopes, functions, statements) and
// codegen_expr.cpp (expressions). Not part of the compiler's interface: see codegen.h.
//
// Scopes. `vars_[0..varCount_)` holds the variables of every function being compiled, innermost
// last; a function's variables start at its firstLocal, and the first `activeVars` of them are
// in scope (later ones are declared but not active yet, as in `local x = x`). Slots past
// varCount_ keep the variables whose scope just ended until reused: pending gotos still need
// their registers. Compile-time constants are variables without a register. `labels_` and
// `gotos_` are the visible labels and the pending (unresolved) gotos, both stacks cut back when
// blocks close.
//
// Recursion. Expression chains that the parser builds without nesting levels (a+b+c..., a.b.c...)
// are walked iteratively; everything else recurses at most once per syntax level, which the
// parser bounds.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/ast.h"
#include "compiler/emitter.h"

namespace lunette {

class Generator final : public EmitErrors {
 public:
  Generator(std::string_view source, std::string_view chunkname);
  std::unique_ptr<FunctionData> run(const ast::Chunk& chunk);

  [[noreturn]] void syntaxError(std::string_view message) override;

 private:
  struct VarDesc {
    std::string_view name;
    VarKind kind = VarKind::Regular;
    int reg = 0;           // not for compile-time constants
    int debugIndex = -1;   // in FunctionData::locvars; -1 for compile-time constants
    ExpDesc constant;      // CompileTimeConst: the value
  };

  struct BlockScope {
    BlockScope* previous = nullptr;
    int firstLabel = 0;
    int firstGoto = 0;
    int activeVars = 0;      // active variables on entry
    bool upval = false;      // a local of this block is captured or to be closed
    bool isLoop = false;
    bool insideTbc = false;  // inside the scope of a to-be-closed variable
  };

  struct LabelDesc {
    std::string_view name;
    int pc = 0;          // label: its position; goto: its (list of) jump(s)
    int line = 0;
    int activeVars = 0;  // active variables at that point
    bool close = false;  // goto: leaves a scope that needs closing
  };

  struct FunctionContext {
    FunctionContext(FunctionData& data, Generator& gen) : fs(data, gen) {}
    FuncState fs;
    FunctionContext* previous = nullptr;
    BlockScope* block = nullptr;
    int firstLocal = 0;
    int firstLabel = 0;
    int activeVars = 0;
  };

  FuncState& fs() { return fn_->fs; }
  void setLine(int line) { fn_->fs.line = line; }
  [[noreturn]] void semanticError(std::string_view message, int line);

  // ---- variables and scopes (codegen.cpp) ----
  VarDesc& localVar(int index) { return vars_[static_cast<size_t>(fn_->firstLocal + index)]; }
  int newLocal(std::string_view name, VarKind kind = VarKind::Regular);
  int registerLevel(int activeVars);
  int varStack() { return registerLevel(fn_->activeVars); }
  void adjustLocals(int count);
  void removeVars(int toLevel);
  void syncActiveRegs() { fs().activeRegs = varStack(); }
  void enterBlock(BlockScope& block, bool isLoop);
  void leaveBlock(int errorLine);
  void markUpvalue(FunctionContext& fn, int varIndex);
  void markToBeClosed();
  void resolve(FunctionContext* fn, std::string_view name, ExpDesc& e, bool base);
  int searchUpvalue(FunctionContext& fn, std::string_view name);
  int newUpvalue(FunctionContext& fn, std::string_view name, const ExpDesc& e);
  void singleVar(const ast::NameExpr& name, ExpDesc& e);
  void readConstant(ExpDesc& e);
  void checkReadonly(const ExpDesc& e, int line);

  // ---- labels and gotos (codegen.cpp) ----
  const LabelDesc* findLabel(std::string_view name);
  void newGoto(std::string_view name, int line, int pc);
  bool createLabel(std::string_view name, int line, bool last, int errorLine);
  bool solveGotos(const LabelDesc& label, int errorLine);
  void moveGotosOut(const BlockScope& block);
  [[noreturn]] void undefinedGoto(const LabelDesc& gt, int line);

  // ---- functions (codegen.cpp) ----
  void openFunction(FunctionContext& fn, BlockScope& block);
  void closeFunction(int returnLine, int errorLine);
  void functionBody(const ast::FunctionBody& body, ExpDesc& e);

  // ---- statements (codegen.cpp) ----
  void block(const ast::Block& block);
  void statementList(const ast::Block& block, size_t first = 0);
  void statement(const ast::Stat& stat);
  void localStatement(const ast::LocalStat& stat);
  void adjustAssign(int nvars, int nexps, ExpDesc& e);
  void checkToClose(int level);
  void assignStatement(const ast::AssignStat& stat);
  void assignTarget(const ast::Expr& target, ExpDesc& v);
  void checkConflict(std::vector<ExpDesc>& previous, const ExpDesc& v);
  void callStatement(const ast::CallStat& stat);
  void whileStatement(const ast::WhileStat& stat);
  void repeatStatement(const ast::RepeatStat& stat);
  int condition(const ast::Expr& cond);
  void ifStatement(const ast::IfStat& stat);
  void testThenBlock(const ast::IfClause& clause, int& escapeList, bool moreFollows);
  void numericFor(const ast::NumericForStat& stat);
  void genericFor(const ast::GenericForStat& stat);
  void forBody(int base, int line, int nvars, bool isGeneric, int doLine, const ast::Block& body);
  void fixForJump(int pc, int dest);
  void functionStatement(const ast::FunctionStat& stat);
  void localFunction(const ast::LocalFunctionStat& stat);
  void returnStatement(const ast::ReturnStat& stat);
  void gotoStatement(const ast::GotoStat& stat);
  void labelStatement(const ast::LabelStat& stat);

  // ---- expressions (codegen_expr.cpp) ----
  void expr(const ast::Expr& e, ExpDesc& v);
  int exprList(const ast::ExprList& list, ExpDesc& v);
  void binaryExpr(const ast::BinaryExpr& root, ExpDesc& v);
  void unaryExpr(const ast::UnaryExpr& e, ExpDesc& v);
  void suffixedExpr(const ast::Expr& e, ExpDesc& v);
  void primaryExpr(const ast::Expr& e, ExpDesc& v);
  void indexStep(const ast::IndexExpr& e, ExpDesc& v);
  void callStep(const ast::Expr& e, ExpDesc& v);
  void callArguments(const ast::ExprList& args, ast::ArgsKind kind, int callLine, int closeLine,
                     ExpDesc& f);
  void tableConstructor(const ast::TableExpr& t, ExpDesc& v);

  std::string_view source_;
  std::string_view chunkname_;
  std::string chunkId_;
  FunctionContext* fn_ = nullptr;
  std::vector<VarDesc> vars_;
  size_t varCount_ = 0;
  std::vector<LabelDesc> labels_;
  std::vector<LabelDesc> gotos_;
  ast::Follow near_;  // the token a "near" error names (approximately, for late errors)
};

}  // namespace lunette
