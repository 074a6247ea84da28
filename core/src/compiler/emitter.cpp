// The code emitter; see emitter.h for expression descriptors, jump lists and registers.
#include "compiler/emitter.h"

#include <bit>
#include <cassert>
#include <cmath>
#include <cstring>
#include <utility>

#include "common/numconv.h"
#include "compiler/constfold.h"

namespace lunette {

using ast::BinOp;
using ast::UnOp;

namespace {

// ---- instruction field updates ------------------------------------------------------------------

void setA(Instruction& i, int a) {
  i = (i & ~(0xFFu << 7)) | (static_cast<Instruction>(a) << 7);
}
void setB(Instruction& i, int b) {
  i = (i & ~(0xFFu << 16)) | (static_cast<Instruction>(b) << 16);
}
void setC(Instruction& i, int c) {
  i = (i & ~(0xFFu << 24)) | (static_cast<Instruction>(c) << 24);
}
void setK(Instruction& i, bool k) {
  i = (i & ~(1u << 15)) | (static_cast<Instruction>(k) << 15);
}
void setSJ(Instruction& i, int sj) {
  i = (i & 0x7Fu) | (static_cast<Instruction>(sj + kOffsetSJ) << 7);
}

// Instructions that test and are always followed by a JMP.
bool isTest(Op op) {
  switch (op) {
    case Op::Eq: case Op::Lt: case Op::Le: case Op::EqK: case Op::EqI: case Op::LtI:
    case Op::LeI: case Op::GtI: case Op::GeI: case Op::Test: case Op::TestSet:
      return true;
    default:
      return false;
  }
}

bool fitsBx(int64_t i) { return -kOffsetBx <= i && i <= kMaxArgBx - kOffsetBx; }
bool fitsSC(int64_t i) { return -kOffsetSC <= i && i <= kMaxArgC - kOffsetSC; }

bool isNumeral(const ExpDesc& e) {
  return !e.hasJumps() && (e.kind == ExpKind::KInt || e.kind == ExpKind::KFloat);
}

Numeral toNumeral(const ExpDesc& e) {
  return e.kind == ExpKind::KInt ? Numeral::fromInteger(e.ival) : Numeral::fromFloat(e.nval);
}

// A small integer usable as an instruction's immediate operand.
bool isSmallInteger(const ExpDesc& e, int& immediate) {
  if (e.kind != ExpKind::KInt || e.hasJumps() || !fitsSC(e.ival)) return false;
  immediate = static_cast<int>(e.ival);
  return true;
}

// For EQI a float with an integral value is as good: equality with a number never calls a
// metamethod, and 1 == 1.0.
bool isSmallNumberForEq(const ExpDesc& e, int& immediate) {
  if (isSmallInteger(e, immediate)) return true;
  if (e.kind != ExpKind::KFloat || e.hasJumps()) return false;
  auto i = floatToInteger(e.nval);
  if (!i || !fitsSC(*i)) return false;
  immediate = static_cast<int>(*i);
  return true;
}

// For LTI, LEI, GTI and GEI a float with an integral value will do too: the comparison's result
// is the same, and the instruction's C flag says the constant was a float (a metamethod gets
// it back as one).
bool isSmallNumberForOrder(const ExpDesc& e, int& immediate, bool& isFloat) {
  isFloat = e.kind == ExpKind::KFloat;
  return isSmallNumberForEq(e, immediate);
}

bool isArithOrBitwise(BinOp op) { return op <= BinOp::Shr; }
// The operators whose constant form may take the constant from the left (flagged with k).
bool isCommutative(BinOp op) {
  return op == BinOp::Add || op == BinOp::Mul || op == BinOp::BAnd || op == BinOp::BOr ||
         op == BinOp::BXor;
}
bool isBitwise(BinOp op) { return op >= BinOp::BAnd && op <= BinOp::Shr; }

// BinOp lists the arithmetic and bitwise operators in the order of both the register forms
// (ADD..SHR) and the constant forms (ADDK..SHRK) in the opcode table.
Op registerForm(BinOp op) {
  return static_cast<Op>(static_cast<int>(Op::Add) + static_cast<int>(op));
}
Op constantForm(BinOp op) {
  return static_cast<Op>(static_cast<int>(Op::AddK) + static_cast<int>(op));
}
static_assert(static_cast<int>(Op::Shr) - static_cast<int>(Op::Add) ==
              static_cast<int>(BinOp::Shr) - static_cast<int>(BinOp::Add));
static_assert(static_cast<int>(Op::ShrK) - static_cast<int>(Op::AddK) ==
              static_cast<int>(BinOp::Shr) - static_cast<int>(BinOp::Add));

ArithOp arithOf(BinOp op) { return static_cast<ArithOp>(static_cast<int>(op)); }
static_assert(static_cast<int>(ArithOp::Shr) == static_cast<int>(BinOp::Shr));

}  // namespace

// ---- instructions -------------------------------------------------------------------------------

int FuncState::code(Instruction i) {
  f_.code.push_back(i);
  f_.lineinfo.push_back(line);
  return pc() - 1;
}

int FuncState::getLabel() {
  lastTarget_ = pc();
  return pc();
}

// The last instruction, unless something may jump to the current position (then a peephole
// that rewrites it would change what the jump sees).
Instruction* FuncState::previousInstruction() {
  if (pc() > lastTarget_) return &at(pc() - 1);
  return nullptr;
}

void FuncState::loadNil(int from, int n) {
  int last = from + n - 1;
  if (Instruction* previous = previousInstruction(); previous && opOf(*previous) == Op::LoadNil) {
    int pfrom = argA(*previous);
    int plast = pfrom + argB(*previous);
    // Merge with the previous LOADNIL when the two ranges touch or overlap.
    if ((pfrom <= from && from <= plast + 1) || (from <= pfrom && pfrom <= last + 1)) {
      if (pfrom < from) from = pfrom;
      if (plast > last) last = plast;
      setA(*previous, from);
      setB(*previous, last - from);
      return;
    }
  }
  codeABC(Op::LoadNil, from, n - 1, 0);
}

void FuncState::loadConstant(int reg, int k) {
  if (k <= kMaxArgBx) {
    codeABx(Op::LoadK, reg, k);
  } else {
    codeABC(Op::LoadKX, reg, 0, 0);
    code(encodeAx(Op::ExtraArg, k));
  }
}

void FuncState::loadInteger(int reg, int64_t value) {
  if (fitsBx(value))
    code(encodeAsBx(Op::LoadI, reg, static_cast<int>(value)));
  else
    loadConstant(reg, integerK(value));
}

void FuncState::loadFloat(int reg, double value) {
  auto i = floatToInteger(value);
  if (i && fitsBx(*i) && !(value == 0 && std::signbit(value)))  // LOADF cannot make -0.0
    code(encodeAsBx(Op::LoadF, reg, static_cast<int>(*i)));
  else
    loadConstant(reg, floatK(value));
}

void FuncState::ret(int first, int nret) { codeABC(Op::Return, first, nret + 1, 0); }

void FuncState::setList(int base, int nelems, int tostore) {
  int b = tostore == kMultRet ? 0 : tostore;
  if (nelems <= kMaxArgC) {
    codeABC(Op::SetList, base, b, nelems);
  } else {
    codeABC(Op::SetList, base, b, 0, /*k=*/true);
    code(encodeAx(Op::ExtraArg, nelems));
  }
  freeReg = base + 1;  // the list items are consumed
}

void FuncState::setTableSize(int pc, int ra, int arraySize, int hashSize) {
  int b = hashSize < kMaxArgB ? hashSize : kMaxArgB;
  int c = arraySize < kMaxArgC ? arraySize : kMaxArgC;
  at(pc) = encodeABC(Op::NewTable, ra, b, c);
}

// Every jump goes straight to its final destination instead of through a chain of jumps.
void FuncState::finish() {
  for (int i = 0; i < pc(); ++i) {
    if (opOf(at(i)) != Op::Jmp) continue;
    int target = i;
    for (int count = 0; count < 100 && opOf(at(target)) == Op::Jmp; ++count)
      target += argSJ(at(target)) + 1;
    fixJump(i, target);
  }
  settleExits(f_);  // the children are finished: whether a frame captures is known now
}

// ---- jumps --------------------------------------------------------------------------------------

int FuncState::jump() { return code(encodeSJ(Op::Jmp, kNoJump)); }

int FuncState::getJump(int pc) {
  int offset = argSJ(at(pc));
  return offset == kNoJump ? kNoJump : pc + 1 + offset;
}

void FuncState::fixJump(int pc, int dest) {
  int offset = dest - (pc + 1);
  if (offset < -kOffsetSJ || offset > kMaxArgAx - kOffsetSJ)
    errors_.syntaxError("control structure too long");
  setSJ(at(pc), offset);
}

void FuncState::concatJumps(int& list, int other) {
  if (other == kNoJump) return;
  if (list == kNoJump) {
    list = other;
    return;
  }
  int last = list;
  for (int next; (next = getJump(last)) != kNoJump;) last = next;
  fixJump(last, other);
}

// The instruction that controls a jump: its test, or the jump itself when unconditional.
int FuncState::jumpControl(int pc) {
  if (pc >= 1 && isTest(opOf(at(pc - 1)))) return pc - 1;
  return pc;
}

// A TESTSET whose value is wanted in `reg` keeps it (retargeted); otherwise it becomes a TEST.
bool FuncState::patchTestRegister(int node, int reg) {
  Instruction& i = at(jumpControl(node));
  if (opOf(i) != Op::TestSet) return false;
  if (reg != kNoRegister && reg != argB(i))
    setA(i, reg);
  else
    i = encodeABC(Op::Test, argB(i), 0, 0, argK(i));
  return true;
}

void FuncState::removeValues(int list) {
  for (; list != kNoJump; list = getJump(list)) patchTestRegister(list, kNoRegister);
}

// Jumps whose test produces a value go to `vtarget` with that value in `reg`; the others go to
// `dtarget`.
void FuncState::patchListAux(int list, int vtarget, int reg, int dtarget) {
  while (list != kNoJump) {
    int next = getJump(list);
    if (patchTestRegister(list, reg))
      fixJump(list, vtarget);
    else
      fixJump(list, dtarget);
    list = next;
  }
}

void FuncState::patchList(int list, int target) { patchListAux(list, target, kNoRegister, target); }

void FuncState::patchToHere(int list) { patchList(list, getLabel()); }

// Does some jump in the list need a boolean loaded (i.e. is it not a TESTSET)?
bool FuncState::needValue(int list) {
  for (; list != kNoJump; list = getJump(list))
    if (opOf(at(jumpControl(list))) != Op::TestSet) return true;
  return false;
}

int FuncState::condJump(Op op, int a, int b, int c, bool k) {
  codeABC(op, a, b, c, k);
  return jump();
}

// ---- registers ----------------------------------------------------------------------------------

void FuncState::checkStack(int n) {
  int newStack = freeReg + n;
  if (newStack > f_.maxstacksize) {
    if (newStack >= kMaxRegisters)
      errors_.syntaxError("function or expression needs too many registers");
    f_.maxstacksize = static_cast<uint8_t>(newStack);
  }
}

void FuncState::reserveRegs(int n) {
  checkStack(n);
  freeReg += n;
}

void FuncState::freeRegister(int reg) {
  if (reg >= activeRegs) {
    --freeReg;
    assert(reg == freeReg && "temporaries are released in stack order");
  }
}

void FuncState::freeExp(const ExpDesc& e) {
  if (e.kind == ExpKind::NonReloc) freeRegister(e.info);
}

// Releases two temporaries in the right order (the higher register first).
void FuncState::freeExps(const ExpDesc& e1, const ExpDesc& e2) {
  int r1 = e1.kind == ExpKind::NonReloc ? e1.info : -1;
  int r2 = e2.kind == ExpKind::NonReloc ? e2.info : -1;
  if (r1 > r2) {
    freeRegister(r1);
    if (r2 >= 0) freeRegister(r2);
  } else {
    if (r2 >= 0) freeRegister(r2);
    if (r1 >= 0) freeRegister(r1);
  }
}

// ---- constants ----------------------------------------------------------------------------------

int FuncState::addConstant(Constant value) {
  if (f_.constants.size() >= static_cast<size_t>(kMaxArgAx))
    errors_.syntaxError("too many constants");
  f_.constants.push_back(std::move(value));
  return static_cast<int>(f_.constants.size()) - 1;
}

int FuncState::stringK(std::string_view s) {
  auto [it, inserted] = stringConstants_.try_emplace(std::string(s), 0);
  if (inserted) it->second = addConstant(std::string(s));
  return it->second;
}

int FuncState::integerK(int64_t i) {
  auto [it, inserted] = integerConstants_.try_emplace(i, 0);
  if (inserted) it->second = addConstant(i);
  return it->second;
}

int FuncState::floatK(double d) {
  uint64_t bits;  // not std::bit_cast: Emscripten 3.1.6's libc++ lacks it
  std::memcpy(&bits, &d, sizeof bits);
  auto [it, inserted] = floatConstants_.try_emplace(bits, 0);
  if (inserted) it->second = addConstant(d);
  return it->second;
}

int FuncState::boolK(bool b) {
  int& slot = b ? trueConstant_ : falseConstant_;
  if (slot < 0) slot = addConstant(b);
  return slot;
}

int FuncState::nilK() {
  if (nilConstant_ < 0) nilConstant_ = addConstant(NilConstant{});
  return nilConstant_;
}

// ---- expression descriptors ---------------------------------------------------------------------

// Emits the access a variable-like descriptor stands for; its destination stays open.
void FuncState::dischargeVars(ExpDesc& e) {
  switch (e.kind) {
    case ExpKind::Local:
      e.info = e.localReg;
      e.kind = ExpKind::NonReloc;
      break;
    case ExpKind::Upval:
      e.info = codeABC(Op::GetUpval, 0, e.info, 0);
      e.kind = ExpKind::Reloc;
      break;
    case ExpKind::IndexUp:
      e.info = codeABC(Op::GetTabUp, 0, e.table, e.key);
      e.kind = ExpKind::Reloc;
      break;
    case ExpKind::IndexInt:
      freeRegister(e.table);
      e.info = codeABC(Op::GetI, 0, e.table, e.key);
      e.kind = ExpKind::Reloc;
      break;
    case ExpKind::IndexStr:
      freeRegister(e.table);
      e.info = codeABC(Op::GetField, 0, e.table, e.key);
      e.kind = ExpKind::Reloc;
      break;
    case ExpKind::Indexed:
      freeExps(ExpDesc::make(ExpKind::NonReloc, e.table), ExpDesc::make(ExpKind::NonReloc, e.key));
      e.info = codeABC(Op::GetTable, 0, e.table, e.key);
      e.kind = ExpKind::Reloc;
      break;
    case ExpKind::Vararg:
    case ExpKind::Call:
      setOneRet(e);
      break;
    default:
      break;
  }
}

void FuncState::str2K(ExpDesc& e) {
  e.info = stringK(e.str);
  e.kind = ExpKind::K;
}

void FuncState::discharge2reg(ExpDesc& e, int reg) {
  dischargeVars(e);
  switch (e.kind) {
    case ExpKind::Nil:
      loadNil(reg, 1);
      break;
    case ExpKind::False:
      codeABC(Op::LoadFalse, reg, 0, 0);
      break;
    case ExpKind::True:
      codeABC(Op::LoadTrue, reg, 0, 0);
      break;
    case ExpKind::KStr:
      str2K(e);
      [[fallthrough]];
    case ExpKind::K:
      loadConstant(reg, e.info);
      break;
    case ExpKind::KFloat:
      loadFloat(reg, e.nval);
      break;
    case ExpKind::KInt:
      loadInteger(reg, e.ival);
      break;
    case ExpKind::Reloc:
      setA(at(e.info), reg);
      break;
    case ExpKind::NonReloc:
      if (reg != e.info) codeABC(Op::Move, reg, e.info, 0);
      break;
    default:
      assert(e.kind == ExpKind::Jmp);
      return;  // a jump gets its value in exp2reg
  }
  e.info = reg;
  e.kind = ExpKind::NonReloc;
}

void FuncState::discharge2anyreg(ExpDesc& e) {
  if (e.kind != ExpKind::NonReloc) {
    reserveRegs(1);
    discharge2reg(e, freeReg - 1);
  }
}

int FuncState::codeLoadBool(int a, Op op) {
  getLabel();  // these instructions are jump targets
  return codeABC(op, a, 0, 0);
}

// Puts the final value of `e`, jumps included, in `reg`.
void FuncState::exp2reg(ExpDesc& e, int reg) {
  discharge2reg(e, reg);
  if (e.kind == ExpKind::Jmp) concatJumps(e.t, e.info);  // the comparison jumps when true
  if (e.hasJumps()) {
    int loadFalse = kNoJump;
    int loadTrue = kNoJump;
    if (needValue(e.t) || needValue(e.f)) {
      int skip = e.kind == ExpKind::Jmp ? kNoJump : jump();
      loadFalse = codeLoadBool(reg, Op::LFalseSkip);
      loadTrue = codeLoadBool(reg, Op::LoadTrue);
      patchToHere(skip);
    }
    int end = getLabel();
    patchListAux(e.f, end, reg, loadFalse);
    patchListAux(e.t, end, reg, loadTrue);
  }
  e.f = e.t = kNoJump;
  e.info = reg;
  e.kind = ExpKind::NonReloc;
}

void FuncState::exp2nextreg(ExpDesc& e) {
  dischargeVars(e);
  freeExp(e);
  reserveRegs(1);
  exp2reg(e, freeReg - 1);
}

int FuncState::exp2anyreg(ExpDesc& e) {
  dischargeVars(e);
  if (e.kind == ExpKind::NonReloc) {
    if (!e.hasJumps()) return e.info;
    // With jumps, the value can be completed in place unless the register is a local's.
    if (e.info >= activeRegs) {
      exp2reg(e, e.info);
      return e.info;
    }
  }
  exp2nextreg(e);
  return e.info;
}

// An upvalue may stay an upvalue (GETTABUP indexes it directly).
void FuncState::exp2anyregup(ExpDesc& e) {
  if (e.kind != ExpKind::Upval || e.hasJumps()) exp2anyreg(e);
}

void FuncState::exp2val(ExpDesc& e) {
  if (e.hasJumps())
    exp2anyreg(e);
  else
    dischargeVars(e);
}

// Turns a constant expression into a K operand if its index fits an RK field.
bool FuncState::exp2K(ExpDesc& e) {
  if (e.hasJumps()) return false;
  int info;
  switch (e.kind) {
    case ExpKind::True: info = boolK(true); break;
    case ExpKind::False: info = boolK(false); break;
    case ExpKind::Nil: info = nilK(); break;
    case ExpKind::KInt: info = integerK(e.ival); break;
    case ExpKind::KFloat: info = floatK(e.nval); break;
    case ExpKind::KStr: info = stringK(e.str); break;
    case ExpKind::K: info = e.info; break;
    default: return false;
  }
  if (info > kMaxIndexRK) return false;
  e.kind = ExpKind::K;
  e.info = info;
  return true;
}

bool FuncState::exp2RK(ExpDesc& e) {
  if (exp2K(e)) return true;
  exp2anyreg(e);
  return false;
}

// Is `e` a value known at compile time (for `local x <const> = e`)?
bool FuncState::exp2const(const ExpDesc& e, ExpDesc& constant) const {
  if (e.hasJumps()) return false;
  switch (e.kind) {
    case ExpKind::Nil:
    case ExpKind::True:
    case ExpKind::False:
    case ExpKind::KStr:
    case ExpKind::KInt:
    case ExpKind::KFloat:
      constant = e;
      return true;
    default:
      return false;
  }
}

void FuncState::codeABRK(Op op, int a, int b, ExpDesc& ec) {
  bool k = exp2RK(ec);
  codeABC(op, a, b, ec.info, k);
}

void FuncState::setReturns(ExpDesc& e, int nresults) {
  Instruction& i = at(e.info);
  setC(i, nresults + 1);
  if (e.kind == ExpKind::Vararg) {
    setA(i, freeReg);
    reserveRegs(1);
  }
}

void FuncState::setOneRet(ExpDesc& e) {
  if (e.kind == ExpKind::Call) {
    e.kind = ExpKind::NonReloc;  // a call leaves its first result in its base register
    e.info = argA(at(e.info));
  } else if (e.kind == ExpKind::Vararg) {
    setC(at(e.info), 2);
    e.kind = ExpKind::Reloc;
  }
}

void FuncState::storeVar(const ExpDesc& var, ExpDesc& value) {
  switch (var.kind) {
    case ExpKind::Local:
      freeExp(value);
      exp2reg(value, var.localReg);
      return;
    case ExpKind::Upval: {
      int reg = exp2anyreg(value);
      codeABC(Op::SetUpval, reg, var.info, 0);
      break;
    }
    case ExpKind::IndexUp:
      codeABRK(Op::SetTabUp, var.table, var.key, value);
      break;
    case ExpKind::IndexInt:
      codeABRK(Op::SetI, var.table, var.key, value);
      break;
    case ExpKind::IndexStr:
      codeABRK(Op::SetField, var.table, var.key, value);
      break;
    case ExpKind::Indexed:
      codeABRK(Op::SetTable, var.table, var.key, value);
      break;
    default:
      assert(false && "not an assignable expression");
  }
  freeExp(value);
}

void FuncState::self(ExpDesc& e, ExpDesc& key) {
  exp2anyreg(e);
  int object = e.info;
  freeExp(e);
  e.info = freeReg;  // SELF puts the method and the object in two fresh registers
  e.kind = ExpKind::NonReloc;
  reserveRegs(2);
  codeABRK(Op::Self, e.info, object, key);
  freeExp(key);
}

bool FuncState::isKstr(const ExpDesc& e) const {
  return e.kind == ExpKind::K && !e.hasJumps() && e.info <= kMaxArgB &&
         std::holds_alternative<std::string>(f_.constants[static_cast<size_t>(e.info)]);
}

// t[k]: picks the access form the key allows. A string key whose constant index fits 8 bits
// uses GETFIELD/GETTABUP (which the VM's error messages rely on to name fields and globals).
void FuncState::indexed(ExpDesc& t, ExpDesc& k) {
  if (k.kind == ExpKind::KStr) str2K(k);
  if (t.kind == ExpKind::Upval && !isKstr(k)) {
    // A comparison key exists only as a jump whose targets load true or false when it is
    // discharged; loading the table first would put GETUPVAL where one of the jump's paths
    // skips it (`t[1 < 2]`, fixed in 5.4.8). So the key takes its register first.
    if (k.kind == ExpKind::Jmp) exp2anyreg(k);
    exp2anyreg(t);
  }
  if (t.kind == ExpKind::Upval) {
    t.table = t.info;
    t.key = k.info;
    t.kind = ExpKind::IndexUp;
    return;
  }
  t.table = t.kind == ExpKind::Local ? t.localReg : t.info;
  if (isKstr(k)) {
    t.key = k.info;
    t.kind = ExpKind::IndexStr;
  } else if (k.kind == ExpKind::KInt && !k.hasJumps() && k.ival >= 0 && k.ival <= kMaxArgC) {
    t.key = static_cast<int>(k.ival);
    t.kind = ExpKind::IndexInt;
  } else {
    t.key = exp2anyreg(k);
    t.kind = ExpKind::Indexed;
  }
}

// ---- conditions ---------------------------------------------------------------------------------

void FuncState::negateCondition(ExpDesc& e) {
  Instruction& i = at(jumpControl(e.info));
  setK(i, !argK(i));
}

// Emits a jump taken when `e` is truthy (cond) or falsy (!cond). A NOT just before is folded
// into the test.
int FuncState::jumpOnCond(ExpDesc& e, bool cond) {
  if (e.kind == ExpKind::Reloc) {
    Instruction ie = at(e.info);
    if (opOf(ie) == Op::Not) {
      assert(e.info == pc() - 1);
      f_.code.pop_back();
      f_.lineinfo.pop_back();
      return condJump(Op::Test, argB(ie), 0, 0, !cond);
    }
  }
  discharge2anyreg(e);
  freeExp(e);
  return condJump(Op::TestSet, kNoRegister, e.info, 0, cond);
}

// Falls through when `e` is true; the false exits join e.f.
void FuncState::goIfTrue(ExpDesc& e) {
  dischargeVars(e);
  int pc;
  switch (e.kind) {
    case ExpKind::Jmp:
      negateCondition(e);
      pc = e.info;
      break;
    case ExpKind::K:
    case ExpKind::KFloat:
    case ExpKind::KInt:
    case ExpKind::KStr:
    case ExpKind::True:
      pc = kNoJump;  // always true
      break;
    default:
      pc = jumpOnCond(e, false);
      break;
  }
  concatJumps(e.f, pc);
  patchToHere(e.t);
  e.t = kNoJump;
}

// Falls through when `e` is false; the true exits join e.t.
void FuncState::goIfFalse(ExpDesc& e) {
  dischargeVars(e);
  int pc;
  switch (e.kind) {
    case ExpKind::Jmp:
      pc = e.info;
      break;
    case ExpKind::Nil:
    case ExpKind::False:
      pc = kNoJump;  // always false
      break;
    default:
      pc = jumpOnCond(e, true);
      break;
  }
  concatJumps(e.t, pc);
  patchToHere(e.f);
  e.f = kNoJump;
}

void FuncState::codeNot(ExpDesc& e) {
  switch (e.kind) {
    case ExpKind::Nil:
    case ExpKind::False:
      e.kind = ExpKind::True;
      break;
    case ExpKind::K:
    case ExpKind::KFloat:
    case ExpKind::KInt:
    case ExpKind::KStr:
    case ExpKind::True:
      e.kind = ExpKind::False;
      break;
    case ExpKind::Jmp:
      negateCondition(e);
      break;
    case ExpKind::Reloc:
    case ExpKind::NonReloc:
      discharge2anyreg(e);
      freeExp(e);
      e.info = codeABC(Op::Not, 0, e.info, 0);
      e.kind = ExpKind::Reloc;
      break;
    default:
      assert(false && "unexpected expression kind for 'not'");
  }
  std::swap(e.f, e.t);
  removeValues(e.f);  // values are not needed any more: tests become plain TESTs
  removeValues(e.t);
}

// ---- operators ----------------------------------------------------------------------------------

bool FuncState::constFolding(BinOp op, ExpDesc& e1, const ExpDesc& e2) {
  if (!isNumeral(e1) || !isNumeral(e2)) return false;
  auto result = foldArith(arithOf(op), toNumeral(e1), toNumeral(e2));
  if (!result) return false;
  if (result->isInteger) {
    e1.kind = ExpKind::KInt;
    e1.ival = result->integer;
  } else {
    // Neither NaN nor zero: -0.0 and 0.0 must not be conflated, and NaN is never a constant.
    if (std::isnan(result->number) || result->number == 0) return false;
    e1.kind = ExpKind::KFloat;
    e1.nval = result->number;
  }
  return true;
}

bool FuncState::constFoldingUnary(UnOp op, ExpDesc& e) {
  if (!isNumeral(e)) return false;
  auto result = foldArith(op == UnOp::Neg ? ArithOp::Unm : ArithOp::BNot, toNumeral(e),
                          Numeral::fromInteger(0));
  if (!result) return false;
  if (result->isInteger) {
    e.kind = ExpKind::KInt;
    e.ival = result->integer;
  } else {
    if (std::isnan(result->number) || result->number == 0) return false;
    e.kind = ExpKind::KFloat;
    e.nval = result->number;
  }
  return true;
}

void FuncState::codeUnary(Op op, ExpDesc& e, int opLine) {
  int r = exp2anyreg(e);
  freeExp(e);
  e.info = codeABC(op, 0, r, 0);
  e.kind = ExpKind::Reloc;
  fixLine(opLine);
}

void FuncState::prefix(UnOp op, ExpDesc& e, int opLine) {
  dischargeVars(e);
  switch (op) {
    case UnOp::Neg:
    case UnOp::BNot:
      if (constFoldingUnary(op, e)) break;
      codeUnary(op == UnOp::Neg ? Op::Unm : Op::BNot, e, opLine);
      break;
    case UnOp::Len:
      codeUnary(Op::Len, e, opLine);
      break;
    case UnOp::Not:
      codeNot(e);
      break;
  }
}

// Called after the left operand and the operator have been read, before the right operand.
void FuncState::infix(BinOp op, ExpDesc& e) {
  dischargeVars(e);
  switch (op) {
    case BinOp::And:
      goIfTrue(e);
      break;
    case BinOp::Or:
      goIfFalse(e);
      break;
    case BinOp::Concat:
      exp2nextreg(e);  // operands of CONCAT must be consecutive registers
      break;
    case BinOp::Eq:
    case BinOp::Ne:
      if (!isNumeral(e)) exp2RK(e);  // a numeral may become an immediate
      break;
    case BinOp::Lt:
    case BinOp::Le:
    case BinOp::Gt:
    case BinOp::Ge: {
      int immediate;
      bool isFloat;
      if (!isSmallNumberForOrder(e, immediate, isFloat)) exp2anyreg(e);
      break;
    }
    default:
      if (!isNumeral(e)) exp2anyreg(e);  // a numeral may be folded
      break;
  }
}

void FuncState::codeBinary(Op op, ExpDesc& e1, ExpDesc& e2, int opLine) {
  int r2 = exp2anyreg(e2);
  int r1 = exp2anyreg(e1);
  int pc = codeABC(op, 0, r1, r2);
  freeExps(e1, e2);
  e1.info = pc;
  e1.kind = ExpKind::Reloc;
  fixLine(opLine);
}

void FuncState::codeBinaryK(Op op, ExpDesc& e1, ExpDesc& e2, int opLine, bool flipped) {
  int r1 = exp2anyreg(e1);
  int pc = codeABC(op, 0, r1, e2.info, flipped);
  freeExp(e1);
  e1.info = pc;
  e1.kind = ExpKind::Reloc;
  fixLine(opLine);
}

// The constant forms take the constant as their C operand. A commutative operator with the
// constant on the left (`2.0 * x`) uses them too, with k set: the operands were swapped, and
// the VM swaps them back for a metamethod or an error, which see them in source order.
void FuncState::codeArith(BinOp op, ExpDesc& e1, ExpDesc& e2, int opLine) {
  auto constantOk = [&](const ExpDesc& e) {
    return isBitwise(op) ? (e.kind == ExpKind::KInt && !e.hasJumps()) : isNumeral(e);
  };
  if (constantOk(e2) && exp2K(e2)) {
    codeBinaryK(constantForm(op), e1, e2, opLine, false);
  } else if (isCommutative(op) && constantOk(e1) && !constantOk(e2) && exp2K(e1)) {
    codeBinaryK(constantForm(op), e2, e1, opLine, true);
    e1 = e2;  // the result
  } else {
    codeBinary(registerForm(op), e1, e2, opLine);
  }
}

void FuncState::codeConcat(ExpDesc& e1, ExpDesc& e2, int opLine) {
  Instruction* previous = previousInstruction();
  if (previous && opOf(*previous) == Op::Concat) {
    // e2 is itself a concatenation ending here: extend it to start at e1.
    int n = argB(*previous);
    assert(e1.info + 1 == argA(*previous));
    freeExp(e2);
    setA(*previous, e1.info);
    setB(*previous, n + 1);
  } else {
    codeABC(Op::Concat, e1.info, 2, 0);
    freeExp(e2);
    fixLine(opLine);
  }
}

void FuncState::codeEq(BinOp op, ExpDesc& e1, ExpDesc& e2) {
  if (e1.kind != ExpKind::NonReloc) std::swap(e1, e2);  // the constant goes second
  int r1 = exp2anyreg(e1);
  int r2;
  Op code;
  int immediate;
  if (isSmallNumberForEq(e2, immediate)) {
    code = Op::EqI;
    r2 = immediate + kOffsetSC;
  } else if (exp2RK(e2)) {
    code = Op::EqK;
    r2 = e2.info;
  } else {
    code = Op::Eq;
    r2 = exp2anyreg(e2);
  }
  freeExps(e1, e2);
  e1.info = condJump(code, r1, r2, 0, op == BinOp::Eq);
  e1.kind = ExpKind::Jmp;
}

// Lt or Le (Gt and Ge arrive with their operands exchanged).
void FuncState::codeOrder(BinOp op, ExpDesc& e1, ExpDesc& e2) {
  int r1, r2;
  Op code;
  int immediate;
  bool isFloat = false;
  if (isSmallNumberForOrder(e2, immediate, isFloat)) {
    r1 = exp2anyreg(e1);
    r2 = immediate + kOffsetSC;
    code = op == BinOp::Lt ? Op::LtI : Op::LeI;
  } else if (isSmallNumberForOrder(e1, immediate, isFloat)) {
    r1 = exp2anyreg(e2);  // (k < x) is (x > k)
    r2 = immediate + kOffsetSC;
    code = op == BinOp::Lt ? Op::GtI : Op::GeI;
  } else {
    r1 = exp2anyreg(e1);
    r2 = exp2anyreg(e2);
    code = op == BinOp::Lt ? Op::Lt : Op::Le;
  }
  freeExps(e1, e2);
  e1.info = condJump(code, r1, r2, isFloat ? 1 : 0, true);
  e1.kind = ExpKind::Jmp;
}

// Called after the right operand has been read; the result replaces e1.
void FuncState::posfix(BinOp op, ExpDesc& e1, ExpDesc& e2, int opLine) {
  dischargeVars(e2);
  if (isArithOrBitwise(op) && constFolding(op, e1, e2)) return;
  switch (op) {
    case BinOp::And:
      assert(e1.t == kNoJump);
      concatJumps(e2.f, e1.f);
      e1 = e2;
      break;
    case BinOp::Or:
      assert(e1.f == kNoJump);
      concatJumps(e2.t, e1.t);
      e1 = e2;
      break;
    case BinOp::Concat:
      exp2nextreg(e2);
      codeConcat(e1, e2, opLine);
      break;
    case BinOp::Eq:
    case BinOp::Ne:
      codeEq(op, e1, e2);
      break;
    case BinOp::Gt:
    case BinOp::Ge:
      // (a > b) is (b < a): the order the manual defines, so metamethods see (b, a).
      std::swap(e1, e2);
      codeOrder(op == BinOp::Gt ? BinOp::Lt : BinOp::Le, e1, e2);
      break;
    case BinOp::Lt:
    case BinOp::Le:
      codeOrder(op, e1, e2);
      break;
    default:
      codeArith(op, e1, e2, opLine);
      break;
  }
}

}  // namespace lunette
