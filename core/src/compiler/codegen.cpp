// The code generator: scopes, names, labels, functions and statements. Expressions are in
// codegen_expr.cpp. See codegen.h and codegen_internal.h.
#include "compiler/codegen.h"

#include <cassert>

#include "common/numconv.h"
#include "compiler/codegen_internal.h"
#include "compiler/compile.h"
#include "compiler/lexer.h"

namespace lunette {

using namespace ast;

namespace {

constexpr std::string_view kEnvName = "_ENV";
constexpr std::string_view kForState = "(for state)";
constexpr std::string_view kBreakLabel = "break";  // a reserved word: no user label has it

VarKind kindOf(Attrib attrib) {
  switch (attrib) {
    case Attrib::Const: return VarKind::Const;
    case Attrib::Close: return VarKind::Close;
    default: return VarKind::Regular;
  }
}

void setOpcode(Instruction& i, Op op) { i = (i & ~0x7Fu) | static_cast<Instruction>(op); }

}  // namespace

std::unique_ptr<FunctionData> generateCode(const Chunk& chunk, std::string_view source,
                                           std::string_view chunkname) {
  return Generator(source, chunkname).run(chunk);
}

Generator::Generator(std::string_view source, std::string_view chunkname)
    : source_(source), chunkname_(chunkname), chunkId_(chunkId(chunkname)) {}

// ---- errors -------------------------------------------------------------------------------------

void Generator::syntaxError(std::string_view message) {
  Token token = Lexer::tokenAt(source_, near_.offset, near_.line);
  size_t lineStart = source_.rfind('\n', near_.offset == 0 ? 0 : near_.offset - 1);
  size_t columnStart = lineStart == std::string_view::npos ? 0 : lineStart + 1;
  int column = static_cast<int>(near_.offset - columnStart) + 1;
  std::string text = chunkId_ + ":" + std::to_string(near_.line) + ": " + std::string(message) +
                     " near " + describeToken(token);
  throw SyntaxError(std::move(text), near_.line, column);
}

void Generator::semanticError(std::string_view message, int line) {
  throw SyntaxError(chunkId_ + ":" + std::to_string(line) + ": " + std::string(message), line, 0);
}

// ---- variables ----------------------------------------------------------------------------------

int Generator::newLocal(std::string_view name, VarKind kind) {
  VarDesc var;
  var.name = name;
  var.kind = kind;
  if (varCount_ < vars_.size())
    vars_[varCount_] = var;
  else
    vars_.push_back(var);
  ++varCount_;
  return static_cast<int>(varCount_) - 1 - fn_->firstLocal;
}

// The number of registers the first `activeVars` variables occupy.
int Generator::registerLevel(int activeVars) {
  for (int i = activeVars - 1; i >= 0; --i) {
    const VarDesc& var = localVar(i);
    if (var.kind != VarKind::CompileTimeConst) return var.reg + 1;
  }
  return 0;
}

// Brings the next `count` declared variables into scope, in consecutive registers.
void Generator::adjustLocals(int count) {
  int reg = varStack();
  FunctionData& data = fs().data();
  for (int i = 0; i < count; ++i) {
    VarDesc& var = localVar(fn_->activeVars++);
    var.reg = reg++;
    var.debugIndex = static_cast<int>(data.locvars.size());
    data.locvars.push_back({std::string(var.name), fs().pc(), 0});
  }
  syncActiveRegs();
}

// Ends the scope of the variables above `toLevel`. Their descriptors stay readable (until new
// variables reuse the slots): pending gotos still compare register levels against them.
void Generator::removeVars(int toLevel) {
  FunctionData& data = fs().data();
  while (fn_->activeVars > toLevel) {
    const VarDesc& var = localVar(--fn_->activeVars);
    if (var.debugIndex >= 0) data.locvars[static_cast<size_t>(var.debugIndex)].endpc = fs().pc();
  }
  varCount_ = static_cast<size_t>(fn_->firstLocal + toLevel);
  syncActiveRegs();
}

void Generator::markUpvalue(FunctionContext& fn, int varIndex) {
  BlockScope* block = fn.block;
  while (block->activeVars > varIndex) block = block->previous;
  block->upval = true;
}

void Generator::markToBeClosed() {
  fn_->block->upval = true;
  fn_->block->insideTbc = true;
}

// Looks `name` up from function `fn` outwards. Locals of enclosing functions become upvalues
// of every function in between; `base` is true for the function where the name is used.
void Generator::resolve(FunctionContext* fn, std::string_view name, ExpDesc& e, bool base) {
  if (fn == nullptr) {
    e = ExpDesc::make(ExpKind::Void);  // a global
    return;
  }
  for (int i = fn->activeVars - 1; i >= 0; --i) {
    const VarDesc& var = vars_[static_cast<size_t>(fn->firstLocal + i)];
    if (var.name != name) continue;
    if (var.kind == VarKind::CompileTimeConst) {
      e = ExpDesc::make(ExpKind::Const);
      e.localIndex = fn->firstLocal + i;
    } else {
      e = ExpDesc::make(ExpKind::Local);
      e.localReg = var.reg;
      e.localIndex = i;
      if (!base) markUpvalue(*fn, i);
    }
    return;
  }
  int index = searchUpvalue(*fn, name);
  if (index < 0) {
    resolve(fn->previous, name, e, false);
    if (e.kind != ExpKind::Local && e.kind != ExpKind::Upval) return;  // global or constant
    index = newUpvalue(*fn, name, e);
  }
  e = ExpDesc::make(ExpKind::Upval, index);
}

int Generator::searchUpvalue(FunctionContext& fn, std::string_view name) {
  const auto& upvalues = fn.fs.data().upvalues;
  for (size_t i = 0; i < upvalues.size(); ++i)
    if (upvalues[i].name == name) return static_cast<int>(i);
  return -1;
}

int Generator::newUpvalue(FunctionContext& fn, std::string_view name, const ExpDesc& e) {
  FunctionData& data = fn.fs.data();
  if (data.upvalues.size() + 1 > static_cast<size_t>(kMaxUpvalues)) {
    std::string where = data.linedefined == 0
                            ? std::string("main function")
                            : "function at line " + std::to_string(data.linedefined);
    syntaxError("too many upvalues (limit is " + std::to_string(kMaxUpvalues) + ") in " + where);
  }
  FunctionContext& enclosing = *fn.previous;
  UpvalueInfo up;
  up.name = std::string(name);
  if (e.kind == ExpKind::Local) {
    up.instack = true;
    up.index = static_cast<uint8_t>(e.localReg);
    up.kind = vars_[static_cast<size_t>(enclosing.firstLocal + e.localIndex)].kind;
  } else {
    up.instack = false;
    up.index = static_cast<uint8_t>(e.info);
    up.kind = enclosing.fs.data().upvalues[static_cast<size_t>(e.info)].kind;
  }
  data.upvalues.push_back(std::move(up));
  return static_cast<int>(data.upvalues.size()) - 1;
}

// A name as a variable: local, upvalue, constant, or global (_ENV.name). Constants are left
// as Const so that assignments can be rejected; readConstant() turns them into values.
void Generator::singleVar(const NameExpr& name, ExpDesc& e) {
  near_ = name.follow;
  setLine(name.endLine);
  resolve(fn_, name.name, e, true);
  if (e.kind != ExpKind::Void) return;
  resolve(fn_, kEnvName, e, true);
  assert(e.kind != ExpKind::Void && "_ENV is always visible");
  readConstant(e);
  fs().exp2anyregup(e);
  ExpDesc key = ExpDesc::make(ExpKind::KStr);
  key.str = name.name;
  fs().indexed(e, key);
}

void Generator::readConstant(ExpDesc& e) {
  if (e.kind == ExpKind::Const) e = vars_[static_cast<size_t>(e.localIndex)].constant;
}

void Generator::checkReadonly(const ExpDesc& e, int line) {
  std::string_view name;
  switch (e.kind) {
    case ExpKind::Const:
      name = vars_[static_cast<size_t>(e.localIndex)].name;
      break;
    case ExpKind::Local: {
      const VarDesc& var = localVar(e.localIndex);
      if (var.kind != VarKind::Regular) name = var.name;
      break;
    }
    case ExpKind::Upval: {
      const UpvalueInfo& up = fs().data().upvalues[static_cast<size_t>(e.info)];
      if (up.kind != VarKind::Regular) name = up.name;
      break;
    }
    default:
      return;
  }
  if (!name.empty())
    semanticError("attempt to assign to const variable '" + std::string(name) + "'", line);
}

// ---- blocks -------------------------------------------------------------------------------------

void Generator::enterBlock(BlockScope& block, bool isLoop) {
  block.isLoop = isLoop;
  block.activeVars = fn_->activeVars;
  block.firstLabel = static_cast<int>(labels_.size());
  block.firstGoto = static_cast<int>(gotos_.size());
  block.upval = false;
  block.insideTbc = fn_->block != nullptr && fn_->block->insideTbc;
  block.previous = fn_->block;
  fn_->block = &block;
  assert(fs().freeReg == varStack());
}

// `errorLine` is where an unresolved goto is reported when this is a function's outer block.
void Generator::leaveBlock(int errorLine) {
  BlockScope& block = *fn_->block;
  bool hasClose = false;
  int stackLevel = registerLevel(block.activeVars);
  removeVars(block.activeVars);
  if (block.isLoop) hasClose = createLabel(kBreakLabel, 0, false, errorLine);
  // Leaving the block must close its captured locals (a fresh local per loop iteration)
  // unless the break label already did.
  if (!hasClose && block.previous != nullptr && block.upval)
    fs().codeABC(Op::Close, stackLevel, 0, 0);
  fs().freeReg = stackLevel;
  labels_.resize(static_cast<size_t>(block.firstLabel));
  fn_->block = block.previous;
  if (block.previous != nullptr)
    moveGotosOut(block);
  else if (static_cast<size_t>(block.firstGoto) < gotos_.size())
    undefinedGoto(gotos_[static_cast<size_t>(block.firstGoto)], errorLine);
}

// ---- labels and gotos ---------------------------------------------------------------------------

const Generator::LabelDesc* Generator::findLabel(std::string_view name) {
  for (size_t i = static_cast<size_t>(fn_->firstLabel); i < labels_.size(); ++i)
    if (labels_[i].name == name) return &labels_[i];
  return nullptr;
}

void Generator::newGoto(std::string_view name, int line, int pc) {
  gotos_.push_back({name, pc, line, fn_->activeVars, false});
}

// Defines a label here and resolves the pending gotos to it. Returns whether a CLOSE was
// emitted for gotos that leave scopes with captured or to-be-closed variables.
bool Generator::createLabel(std::string_view name, int line, bool last, int errorLine) {
  LabelDesc label{name, fs().getLabel(), line, fn_->activeVars, false};
  // A label that only void statements follow is outside the scope of the block's locals.
  if (last) label.activeVars = fn_->block->activeVars;
  labels_.push_back(label);
  if (solveGotos(label, errorLine)) {
    fs().codeABC(Op::Close, varStack(), 0, 0);
    return true;
  }
  return false;
}

bool Generator::solveGotos(const LabelDesc& label, int errorLine) {
  bool needsClose = false;
  size_t i = static_cast<size_t>(fn_->block->firstGoto);
  while (i < gotos_.size()) {
    if (gotos_[i].name != label.name) {
      ++i;
      continue;
    }
    const LabelDesc& gt = gotos_[i];
    needsClose |= gt.close;
    if (gt.activeVars < label.activeVars) {
      std::string var(localVar(gt.activeVars).name);
      semanticError("<goto " + std::string(gt.name) + "> at line " + std::to_string(gt.line) +
                        " jumps into the scope of local '" + var + "'",
                    errorLine);
    }
    fs().patchList(gt.pc, label.pc);
    gotos_.erase(gotos_.begin() + static_cast<std::ptrdiff_t>(i));
  }
  return needsClose;
}

// The block's pending gotos now belong to the enclosing block; those that leave variables with
// registers behind must close them if the block had captured or to-be-closed ones.
void Generator::moveGotosOut(const BlockScope& block) {
  int blockLevel = registerLevel(block.activeVars);
  for (size_t i = static_cast<size_t>(block.firstGoto); i < gotos_.size(); ++i) {
    LabelDesc& gt = gotos_[i];
    if (registerLevel(gt.activeVars) > blockLevel) gt.close = gt.close || block.upval;
    gt.activeVars = block.activeVars;
  }
}

void Generator::undefinedGoto(const LabelDesc& gt, int line) {
  if (gt.name == kBreakLabel)
    semanticError("break outside loop at line " + std::to_string(gt.line), line);
  semanticError("no visible label '" + std::string(gt.name) + "' for <goto> at line " +
                    std::to_string(gt.line),
                line);
}

// ---- functions ----------------------------------------------------------------------------------

void Generator::openFunction(FunctionContext& fn, BlockScope& block) {
  fn.previous = fn_;
  fn.firstLocal = static_cast<int>(varCount_);
  fn.firstLabel = static_cast<int>(labels_.size());
  fn_ = &fn;
  fn.fs.data().source = std::string(chunkname_);
  enterBlock(block, false);
}

void Generator::closeFunction(int returnLine, int errorLine) {
  setLine(returnLine);
  fs().ret(varStack(), 0);
  leaveBlock(errorLine);
  fs().finish();
  fn_ = fn_->previous;
}

std::unique_ptr<FunctionData> Generator::run(const Chunk& chunk) {
  auto main = std::make_unique<FunctionData>();
  FunctionContext fn(*main, *this);
  BlockScope block;
  openFunction(fn, block);
  main->isVararg = true;
  setLine(chunk.main->paramsEndLine);
  fs().setVarargPrep(0);
  main->upvalues.push_back({std::string(kEnvName), true, 0, VarKind::Regular});
  statementList(*chunk.main->body);
  closeFunction(chunk.main->body->endLine, chunk.eofLine);
  return main;
}

// Compiles a function body as a child of the current function and leaves its closure in the
// next register.
void Generator::functionBody(const FunctionBody& body, ExpDesc& e) {
  FunctionData& parent = fs().data();
  int index = static_cast<int>(parent.children.size());
  parent.children.push_back(std::make_unique<FunctionData>());
  FunctionData& data = *parent.children.back();
  {
    FunctionContext fn(data, *this);
    BlockScope block;
    openFunction(fn, block);
    data.linedefined = body.lineDefined;
    data.lastlinedefined = body.lastLineDefined;
    if (body.isMethod) {
      newLocal("self");
      adjustLocals(1);
    }
    for (const LocalName& param : body.params) newLocal(param.name);
    adjustLocals(static_cast<int>(body.params.size()));
    data.numparams = static_cast<uint8_t>(fn_->activeVars);
    if (body.isVararg) {
      data.isVararg = true;
      setLine(body.paramsEndLine);
      fs().setVarargPrep(data.numparams);
    }
    fs().reserveRegs(fn_->activeVars);
    statementList(*body.body);
    closeFunction(body.lastLineDefined, body.afterEndLine);
  }
  if (index > kMaxArgBx) syntaxError("too many functions");
  setLine(body.lastLineDefined);
  e = ExpDesc::make(ExpKind::Reloc, fs().codeABx(Op::Closure, 0, index));
  fs().exp2nextreg(e);
}

// ---- statements ---------------------------------------------------------------------------------

void Generator::block(const Block& block) {
  BlockScope scope;
  enterBlock(scope, false);
  statementList(block);
  setLine(block.endLine);
  leaveBlock(0);
}

void Generator::statementList(const Block& block, size_t first) {
  for (size_t i = first; i < block.stats.size(); ++i) statement(*block.stats[i]);
}

void Generator::statement(const Stat& stat) {
  switch (stat.kind) {
    case StatKind::Local:
      localStatement(stat.as<LocalStat>());
      break;
    case StatKind::Assign:
      assignStatement(stat.as<AssignStat>());
      break;
    case StatKind::Call:
      callStatement(stat.as<CallStat>());
      break;
    case StatKind::Do:
      block(*stat.as<DoStat>().body);
      break;
    case StatKind::While:
      whileStatement(stat.as<WhileStat>());
      break;
    case StatKind::Repeat:
      repeatStatement(stat.as<RepeatStat>());
      break;
    case StatKind::If:
      ifStatement(stat.as<IfStat>());
      break;
    case StatKind::NumericFor:
      numericFor(stat.as<NumericForStat>());
      break;
    case StatKind::GenericFor:
      genericFor(stat.as<GenericForStat>());
      break;
    case StatKind::Function:
      functionStatement(stat.as<FunctionStat>());
      break;
    case StatKind::LocalFunction:
      localFunction(stat.as<LocalFunctionStat>());
      break;
    case StatKind::Return:
      returnStatement(stat.as<ReturnStat>());
      break;
    case StatKind::Break:
      setLine(stat.endLine);
      newGoto(kBreakLabel, stat.pos.line, fs().jump());
      break;
    case StatKind::Goto:
      gotoStatement(stat.as<GotoStat>());
      break;
    case StatKind::Label:
      labelStatement(stat.as<LabelStat>());
      break;
  }
  assert(fs().data().maxstacksize >= fs().freeReg && fs().freeReg >= varStack());
  fs().freeReg = varStack();  // temporaries die with their statement
}

void Generator::localStatement(const LocalStat& stat) {
  int toClose = -1;
  int nvars = static_cast<int>(stat.names.size());
  int lastVar = 0;
  for (int i = 0; i < nvars; ++i) {
    const LocalName& name = stat.names[static_cast<size_t>(i)];
    lastVar = newLocal(name.name, kindOf(name.attrib));
    if (name.attrib == Attrib::Close) toClose = fn_->activeVars + i;
  }
  ExpDesc e;
  int nexps = stat.values.items.empty() ? 0 : exprList(stat.values, e);
  setLine(stat.endLine);
  VarDesc& last = localVar(lastVar);
  ExpDesc constant;
  // Only the last variable can become a compile-time constant (it needs no register).
  if (nvars == nexps && last.kind == VarKind::Const && fs().exp2const(e, constant)) {
    last.kind = VarKind::CompileTimeConst;
    last.constant = constant;
    adjustLocals(nvars - 1);
    ++fn_->activeVars;
  } else {
    adjustAssign(nvars, nexps, e);
    adjustLocals(nvars);
  }
  checkToClose(toClose);
}

// Makes `nexps` values (the last one `e`, not yet placed) fill exactly `nvars` registers.
void Generator::adjustAssign(int nvars, int nexps, ExpDesc& e) {
  int needed = nvars - nexps;
  if (e.hasMultRet()) {
    int extra = needed + 1 > 0 ? needed + 1 : 0;
    fs().setReturns(e, extra);
  } else {
    if (e.kind != ExpKind::Void) fs().exp2nextreg(e);
    if (needed > 0) fs().loadNil(fs().freeReg, needed);
  }
  if (needed > 0)
    fs().reserveRegs(needed);
  else
    fs().freeReg += needed;  // drop the extra values
}

void Generator::checkToClose(int level) {
  if (level < 0) return;
  markToBeClosed();
  fs().codeABC(Op::Tbc, registerLevel(level), 0, 0);
}

void Generator::assignTarget(const Expr& target, ExpDesc& v) {
  if (target.kind == ExprKind::Name)
    singleVar(target.as<NameExpr>(), v);
  else
    suffixedExpr(target, v);
}

// In `a[i], i = ...` (or `t.x, t = ...`) the earlier target must use the old value of the
// later one: copy it to a fresh register before the assignments happen.
void Generator::checkConflict(std::vector<ExpDesc>& previous, const ExpDesc& v) {
  int extra = fs().freeReg;
  bool conflict = false;
  for (ExpDesc& lh : previous) {
    if (!lh.isIndexed()) continue;
    if (lh.kind == ExpKind::IndexUp) {
      if (v.kind == ExpKind::Upval && lh.table == v.info) {
        conflict = true;
        lh.kind = ExpKind::IndexStr;
        lh.table = extra;
      }
      continue;
    }
    if (v.kind == ExpKind::Local && lh.table == v.localReg) {
      conflict = true;
      lh.table = extra;
    }
    if (lh.kind == ExpKind::Indexed && v.kind == ExpKind::Local && lh.key == v.localReg) {
      conflict = true;
      lh.key = extra;
    }
  }
  if (!conflict) return;
  if (v.kind == ExpKind::Local)
    fs().codeABC(Op::Move, extra, v.localReg, 0);
  else
    fs().codeABC(Op::GetUpval, extra, v.info, 0);
  fs().reserveRegs(1);
}

void Generator::assignStatement(const AssignStat& stat) {
  std::vector<ExpDesc> targets;
  for (size_t i = 0; i < stat.targets.size(); ++i) {
    const Expr& target = *stat.targets[i];
    ExpDesc v;
    assignTarget(target, v);
    setLine(target.endLine);
    if (i > 0 && !v.isIndexed()) checkConflict(targets, v);
    checkReadonly(v, stat.targetCheckLines[i]);
    targets.push_back(v);
  }
  ExpDesc e;
  int nexps = exprList(stat.values, e);
  setLine(stat.endLine);
  int nvars = static_cast<int>(targets.size());
  int remaining = nvars;
  if (nexps == nvars) {
    fs().setOneRet(e);
    fs().storeVar(targets.back(), e);  // the last value goes straight to its target
    --remaining;
  } else {
    adjustAssign(nvars, nexps, e);
  }
  // The other values are on the stack top, last first.
  while (remaining-- > 0) {
    ExpDesc top = ExpDesc::make(ExpKind::NonReloc, fs().freeReg - 1);
    fs().storeVar(targets[static_cast<size_t>(remaining)], top);
  }
}

void Generator::callStatement(const CallStat& stat) {
  ExpDesc v;
  expr(*stat.call, v);
  assert(v.kind == ExpKind::Call);
  Instruction& call = fs().at(v.info);
  call = encodeABC(opOf(call), argA(call), argB(call), 1, argK(call));  // no results wanted
}

// Compiles a loop or if condition; returns the jumps taken when it is false.
int Generator::condition(const Expr& cond) {
  ExpDesc v;
  expr(cond, v);
  if (v.kind == ExpKind::Nil) v.kind = ExpKind::False;  // 'falses' are all equal here
  fs().goIfTrue(v);
  return v.f;
}

void Generator::whileStatement(const WhileStat& stat) {
  int whileInit = fs().getLabel();
  int condExit = condition(*stat.condition);
  BlockScope loop;
  enterBlock(loop, true);
  block(*stat.body);
  setLine(stat.body->endLine);
  fs().jumpTo(whileInit);
  setLine(stat.endLine);
  leaveBlock(0);
  fs().patchToHere(condExit);
}

void Generator::repeatStatement(const RepeatStat& stat) {
  int repeatInit = fs().getLabel();
  BlockScope loop, scope;
  enterBlock(loop, true);
  enterBlock(scope, false);
  statementList(*stat.body);
  int condExit = condition(*stat.condition);  // inside the body's scope
  leaveBlock(0);
  if (scope.upval) {
    // Going around again must close the body's captured locals first.
    int exit = fs().jump();
    fs().patchToHere(condExit);
    fs().codeABC(Op::Close, registerLevel(scope.activeVars), 0, 0);
    condExit = fs().jump();
    fs().patchToHere(exit);
  }
  fs().patchList(condExit, repeatInit);
  leaveBlock(0);
}

void Generator::ifStatement(const IfStat& stat) {
  int escapeList = kNoJump;  // jumps from the end of each taken branch to the end
  for (size_t i = 0; i < stat.clauses.size(); ++i) {
    bool moreFollows = i + 1 < stat.clauses.size() || stat.elseBody != nullptr;
    testThenBlock(stat.clauses[i], escapeList, moreFollows);
  }
  if (stat.elseBody != nullptr) block(*stat.elseBody);
  setLine(stat.endLine);
  fs().patchToHere(escapeList);
}

void Generator::testThenBlock(const IfClause& clause, int& escapeList, bool moreFollows) {
  ExpDesc v;
  expr(*clause.condition, v);
  setLine(clause.thenLine);
  BlockScope scope;
  int skipThen;  // taken when the condition is false
  if (clause.startsWithBreak) {
    // 'if c then break': jump out of the loop when c is true, no jump over the body.
    fs().goIfFalse(v);
    enterBlock(scope, false);
    newGoto(kBreakLabel, clause.breakLine, v.t);
    setLine(clause.afterBreakLine);
    if (clause.body->stats.size() == 1) {
      leaveBlock(0);
      return;
    }
    skipThen = fs().jump();
    statementList(*clause.body, 1);
  } else {
    fs().goIfTrue(v);
    enterBlock(scope, false);
    skipThen = v.f;
    statementList(*clause.body);
  }
  setLine(clause.body->endLine);
  leaveBlock(0);
  if (moreFollows) fs().concatJumps(escapeList, fs().jump());
  fs().patchToHere(skipThen);
}

// Sets the Bx of a loop instruction at `pc` so that it reaches `dest` (see opcodes.h: FORPREP
// and TFORPREP count forward from the next instruction, FORLOOP and TFORLOOP backward).
void Generator::fixForJump(int pc, int dest) {
  Instruction& i = fs().at(pc);
  int offset;
  switch (opOf(i)) {
    case Op::ForLoop: offset = pc - dest; break;        // pc -= Bx + 1 (pc is the next one)
    case Op::TForLoop: offset = pc + 1 - dest; break;   // pc -= Bx
    default: offset = dest - (pc + 1); break;           // pc += Bx (+ 1 when FORPREP skips)
  }
  if (offset < 0 || offset > kMaxArgBx) syntaxError("control structure too long");
  i = encodeABx(opOf(i), argA(i), offset);
}

void Generator::forBody(int base, int line, int nvars, bool isGeneric, int doLine,
                        const Block& body) {
  setLine(doLine);
  int prep = fs().codeABx(isGeneric ? Op::TForPrep : Op::ForPrep, base, 0);
  BlockScope scope;  // the declared loop variables, fresh for every iteration
  enterBlock(scope, false);
  adjustLocals(nvars);
  fs().reserveRegs(nvars);
  block(body);
  setLine(body.endLine);
  leaveBlock(0);
  fixForJump(prep, fs().getLabel());
  if (isGeneric) {
    fs().codeABC(Op::TForCall, base, 0, nvars);
    fs().fixLine(line);
  }
  int endFor = fs().codeABx(isGeneric ? Op::TForLoop : Op::ForLoop, base, 0);
  fixForJump(endFor, prep + 1);
  fs().fixLine(line);
}

void Generator::numericFor(const NumericForStat& stat) {
  BlockScope loop;
  enterBlock(loop, true);
  int base = fs().freeReg;
  for (int i = 0; i < 3; ++i) newLocal(kForState);
  newLocal(stat.var.name);
  for (const Expr* e : {stat.start, stat.limit, stat.step}) {
    if (e == nullptr) continue;
    ExpDesc v;
    expr(*e, v);
    fs().exp2nextreg(v);
  }
  if (stat.step == nullptr) {
    fs().loadInteger(fs().freeReg, 1);
    fs().reserveRegs(1);
  }
  adjustLocals(3);
  forBody(base, stat.pos.line, 1, false, stat.doLine, *stat.body);
  setLine(stat.endLine);
  leaveBlock(0);
}

void Generator::genericFor(const GenericForStat& stat) {
  BlockScope loop;
  enterBlock(loop, true);
  int base = fs().freeReg;
  for (int i = 0; i < 4; ++i) newLocal(kForState);
  for (const LocalName& name : stat.names) newLocal(name.name);
  ExpDesc e;
  int nexps = exprList(stat.values, e);
  adjustAssign(4, nexps, e);
  adjustLocals(4);
  markToBeClosed();  // the closing value (4th hidden slot)
  fs().checkStack(3);  // TFORCALL copies the iterator, state and control above them
  forBody(base, stat.inLine, static_cast<int>(stat.names.size()), true, stat.doLine, *stat.body);
  setLine(stat.endLine);
  leaveBlock(0);
}

void Generator::functionStatement(const FunctionStat& stat) {
  ExpDesc target;
  assignTarget(*stat.target, target);
  ExpDesc closure;
  functionBody(*stat.body, closure);
  checkReadonly(target, stat.body->afterEndLine);
  fs().storeVar(target, closure);
  fs().fixLine(stat.pos.line);  // the definition "happens" on the 'function' line
}

void Generator::localFunction(const LocalFunctionStat& stat) {
  int var = fn_->activeVars;
  newLocal(stat.name.name);
  adjustLocals(1);  // in scope inside its own body, for recursion
  ExpDesc closure;
  functionBody(*stat.body, closure);
  // The debug information sees the variable only once it holds the closure.
  int debugIndex = localVar(var).debugIndex;
  fs().data().locvars[static_cast<size_t>(debugIndex)].startpc = fs().pc();
}

void Generator::returnStatement(const ReturnStat& stat) {
  int first = varStack();
  int nret = 0;
  if (!stat.values.items.empty()) {
    ExpDesc e;
    nret = exprList(stat.values, e);
    setLine(stat.endLine);
    if (e.hasMultRet()) {
      fs().setMultRet(e);
      // A proper tail call, unless a to-be-closed variable must be closed after the call.
      if (e.kind == ExpKind::Call && nret == 1 && !fn_->block->insideTbc)
        setOpcode(fs().at(e.info), Op::TailCall);
      nret = kMultRet;
    } else if (nret == 1) {
      first = fs().exp2anyreg(e);
    } else {
      fs().exp2nextreg(e);
      first = varStack();
    }
  }
  setLine(stat.endLine);
  fs().ret(first, nret);
}

void Generator::gotoStatement(const GotoStat& stat) {
  setLine(stat.labelLine);
  const LabelDesc* label = findLabel(stat.label);
  if (label == nullptr) {
    newGoto(stat.label, stat.labelLine, fs().jump());  // forward: resolved at the label
    return;
  }
  // Backward: the label is visible, so it is in this or an enclosing block.
  int labelLevel = registerLevel(label->activeVars);
  int labelPc = label->pc;
  if (varStack() > labelLevel) fs().codeABC(Op::Close, labelLevel, 0, 0);
  fs().patchList(fs().jump(), labelPc);
}

void Generator::labelStatement(const LabelStat& stat) {
  if (const LabelDesc* existing = findLabel(stat.name)) {
    semanticError("label '" + stat.name + "' already defined on line " +
                      std::to_string(existing->line),
                  stat.errorLine);
  }
  setLine(stat.endLine);
  createLabel(stat.name, stat.pos.line, stat.lastInBlock, stat.errorLine);
}

}  // namespace lunette
