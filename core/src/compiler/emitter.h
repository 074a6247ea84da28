// The code emitter: one function's instruction buffer, registers, constants and jump lists, and
// the expression descriptors the code generator compiles expressions into.
//
// Expression descriptors. An ExpDesc says where a value *will* be without committing to a
// register until its consumer decides: a constant not yet loaded, a local's register, an upvalue
// or table access whose GET instruction is not emitted yet, an instruction whose destination
// register is still open (Reloc), a call whose result count is still open, or a comparison
// that exists only as a conditional jump. Consumers "discharge" a descriptor into exactly the
// form they need (a register, an RK operand, a jump), which is how `local x = a + 1` becomes
// one ADDK into x's register with no MOVE, and `if a < b then` one LT and one JMP.
//
// Jump lists. Pending jumps (the exits of `and`/`or` and conditions) are threaded through the
// sJ fields of the JMP instructions themselves, ending with kNoJump, until patched.
//
// Registers. Locals occupy the lowest registers (activeRegs of them); temporaries are allocated
// as a stack above them: freeReg is the first free register, and temporaries are released in
// reverse order of allocation (asserted in freeRegister).
//
// Invariants: code.size() == lineinfo.size() at all times; every JMP in the finished function
// points at its final target (finish() shortcuts jumps to jumps); maxstacksize >= freeReg.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "bytecode/function_data.h"
#include "compiler/ast.h"

namespace lunette {

inline constexpr int kNoJump = -1;
inline constexpr int kNoRegister = kMaxArgA;  // "no register" for TESTSET patching
inline constexpr int kMaxIndexRK = kMaxArgB;  // largest constant index an RK operand can hold
inline constexpr int kMaxUpvalues = 255;
inline constexpr int kFieldsPerFlush = 50;    // list items stored by one SETLIST
inline constexpr int kMultRet = -1;

enum class ExpKind : uint8_t {
  Void,      // no value (an empty expression list)
  Nil, True, False,
  K,         // constant K[info]
  KFloat,    // number; not yet in the constant table
  KInt,      // integer; not yet in the constant table
  KStr,      // string; not yet in the constant table
  NonReloc,  // value in register info
  Local,     // local variable in register localReg (variable localIndex)
  Upval,     // upvalue info
  Const,     // compile-time constant local (variable localIndex); the generator resolves it
  Indexed,   // R[table][R[key]]
  IndexUp,   // Up[table][K[key]], K[key] a string
  IndexInt,  // R[table][key], key an integer 0..255
  IndexStr,  // R[table][K[key]], K[key] a string
  Jmp,       // a comparison: info is the pc of its JMP
  Reloc,     // instruction at pc info computes the value; its A is not fixed yet
  Call,      // CALL at pc info
  Vararg,    // VARARG at pc info
};

struct ExpDesc {
  ExpKind kind = ExpKind::Void;
  int info = 0;
  int64_t ival = 0;
  double nval = 0;
  std::string_view str;  // KStr; points into the AST, which outlives code generation
  int table = 0;         // Indexed*: the table's register or upvalue
  int key = 0;           // Indexed*: the key's register, constant or integer
  int localReg = 0;
  int localIndex = 0;
  int t = kNoJump;  // jumps to patch when the value is true
  int f = kNoJump;  // ... when it is false

  static ExpDesc make(ExpKind kind, int info = 0) {
    ExpDesc e;
    e.kind = kind;
    e.info = info;
    return e;
  }
  bool hasJumps() const { return t != f; }
  bool hasMultRet() const { return kind == ExpKind::Call || kind == ExpKind::Vararg; }
  bool isIndexed() const { return kind >= ExpKind::Indexed && kind <= ExpKind::IndexStr; }
};

// Receives errors found while emitting: they name the token the parser was at ("near ...").
class EmitErrors {
 public:
  virtual ~EmitErrors() = default;
  [[noreturn]] virtual void syntaxError(std::string_view message) = 0;
};

class FuncState {
 public:
  FuncState(FunctionData& f, EmitErrors& errors) : f_(f), errors_(errors) {}

  FunctionData& data() { return f_; }
  int pc() const { return static_cast<int>(f_.code.size()); }

  int freeReg = 0;     // first free register
  int activeRegs = 0;  // registers held by active local variables
  int line = 1;        // the line the next instruction gets

  // ---- instructions ----
  int code(Instruction i);
  int codeABC(Op op, int a, int b, int c, bool k = false) {
    return code(encodeABC(op, a, b, c, k));
  }
  int codeABx(Op op, int a, int bx) { return code(encodeABx(op, a, bx)); }
  void fixLine(int newLine) { f_.lineinfo.back() = newLine; }
  Instruction& at(int pc) { return f_.code[static_cast<size_t>(pc)]; }
  int getLabel();  // the current pc, marked as a jump target
  void loadNil(int from, int n);
  void loadInteger(int reg, int64_t value);
  void loadFloat(int reg, double value);
  void loadConstant(int reg, int k);
  void ret(int first, int nret);
  void setList(int base, int nelems, int tostore);
  void setTableSize(int pc, int ra, int arraySize, int hashSize);
  void setVarargPrep(int numparams) { codeABC(Op::VarargPrep, numparams, 0, 0); }
  void finish();

  // ---- jumps ----
  int jump();
  void jumpTo(int target) { patchList(jump(), target); }
  void concatJumps(int& list, int other);
  void patchList(int list, int target);
  void patchToHere(int list);
  void fixJump(int pc, int dest);

  // ---- registers ----
  void checkStack(int n);
  void reserveRegs(int n);
  void freeRegister(int reg);
  void freeExp(const ExpDesc& e);
  void freeExps(const ExpDesc& e1, const ExpDesc& e2);

  // ---- constants ----
  int stringK(std::string_view s);
  int integerK(int64_t i);
  int floatK(double d);
  int boolK(bool b);
  int nilK();

  // ---- expressions ----
  void dischargeVars(ExpDesc& e);
  void exp2nextreg(ExpDesc& e);
  int exp2anyreg(ExpDesc& e);
  void exp2anyregup(ExpDesc& e);
  void exp2val(ExpDesc& e);
  bool exp2K(ExpDesc& e);
  bool exp2RK(ExpDesc& e);
  bool exp2const(const ExpDesc& e, ExpDesc& constant) const;
  void setReturns(ExpDesc& e, int nresults);
  void setMultRet(ExpDesc& e) { setReturns(e, kMultRet); }
  void setOneRet(ExpDesc& e);
  void storeVar(const ExpDesc& var, ExpDesc& value);
  void self(ExpDesc& e, ExpDesc& key);
  void indexed(ExpDesc& t, ExpDesc& k);
  void goIfTrue(ExpDesc& e);
  void goIfFalse(ExpDesc& e);
  void prefix(ast::UnOp op, ExpDesc& e, int opLine);
  void infix(ast::BinOp op, ExpDesc& e);
  void posfix(ast::BinOp op, ExpDesc& e1, ExpDesc& e2, int opLine);

 private:
  int addConstant(Constant value);
  int getJump(int pc);
  int jumpControl(int pc);
  bool patchTestRegister(int node, int reg);
  void removeValues(int list);
  void patchListAux(int list, int vtarget, int reg, int dtarget);
  bool needValue(int list);
  int condJump(Op op, int a, int b, int c, bool k);
  int jumpOnCond(ExpDesc& e, bool cond);
  void negateCondition(ExpDesc& e);
  int codeLoadBool(int a, Op op);
  void discharge2reg(ExpDesc& e, int reg);
  void discharge2anyreg(ExpDesc& e);
  void exp2reg(ExpDesc& e, int reg);
  void str2K(ExpDesc& e);
  bool isKstr(const ExpDesc& e) const;
  void codeABRK(Op op, int a, int b, ExpDesc& ec);
  void codeNot(ExpDesc& e);
  void codeUnary(Op op, ExpDesc& e, int opLine);
  bool constFolding(ast::BinOp op, ExpDesc& e1, const ExpDesc& e2);
  bool constFoldingUnary(ast::UnOp op, ExpDesc& e);
  void codeBinary(Op op, ExpDesc& e1, ExpDesc& e2, int opLine);
  void codeBinaryK(Op op, ExpDesc& e1, ExpDesc& e2, int opLine, bool flipped);
  void codeArith(ast::BinOp op, ExpDesc& e1, ExpDesc& e2, int opLine);
  void codeConcat(ExpDesc& e1, ExpDesc& e2, int opLine);
  void codeEq(ast::BinOp op, ExpDesc& e1, ExpDesc& e2);
  void codeOrder(ast::BinOp op, ExpDesc& e1, ExpDesc& e2);
  Instruction* previousInstruction();

  FunctionData& f_;
  EmitErrors& errors_;
  int lastTarget_ = 0;  // last pc that is a jump target: peepholes never reach across it
  std::unordered_map<std::string, int> stringConstants_;
  std::unordered_map<int64_t, int> integerConstants_;
  std::map<uint64_t, int> floatConstants_;  // keyed by bit pattern: 0.0 and -0.0 differ
  int trueConstant_ = -1, falseConstant_ = -1, nilConstant_ = -1;
};

}  // namespace lunette
