// The code generator: expressions. Each function leaves its result as an ExpDesc (emitter.h)
// without placing it anywhere its consumer does not need; see codegen_internal.h.
#include <cassert>

#include "compiler/codegen_internal.h"

namespace lunette {

using namespace ast;

// Compiles `e` into `v`. Afterwards the emitter's line is the line of e's last token, as it is
// for the reference once it has read the expression.
void Generator::expr(const Expr& e, ExpDesc& v) {
  near_ = e.follow;
  switch (e.kind) {
    case ExprKind::Nil:
      v = ExpDesc::make(ExpKind::Nil);
      break;
    case ExprKind::True:
      v = ExpDesc::make(ExpKind::True);
      break;
    case ExprKind::False:
      v = ExpDesc::make(ExpKind::False);
      break;
    case ExprKind::Integer:
      v = ExpDesc::make(ExpKind::KInt);
      v.ival = e.as<IntegerExpr>().value;
      break;
    case ExprKind::Float:
      v = ExpDesc::make(ExpKind::KFloat);
      v.nval = e.as<FloatExpr>().value;
      break;
    case ExprKind::String:
      v = ExpDesc::make(ExpKind::KStr);
      v.str = e.as<StringExpr>().value;
      break;
    case ExprKind::Vararg:
      setLine(e.as<VarargExpr>().emitLine);
      v = ExpDesc::make(ExpKind::Vararg, fs().codeABC(Op::Vararg, 0, 0, 1));
      break;
    case ExprKind::Function:
      functionBody(*e.as<FunctionExpr>().body, v);
      break;
    case ExprKind::Table:
      tableConstructor(e.as<TableExpr>(), v);
      break;
    case ExprKind::Binary:
      binaryExpr(e.as<BinaryExpr>(), v);
      break;
    case ExprKind::Unary:
      unaryExpr(e.as<UnaryExpr>(), v);
      break;
    case ExprKind::Name:
    case ExprKind::Index:
    case ExprKind::Call:
    case ExprKind::MethodCall:
    case ExprKind::Paren:
      suffixedExpr(e, v);
      break;
  }
  near_ = e.follow;
  setLine(e.endLine);
}

// Compiles a list, leaving all but the last value in consecutive registers; returns its length.
int Generator::exprList(const ExprList& list, ExpDesc& v) {
  size_t n = list.items.size();
  for (size_t i = 0; i < n; ++i) {
    expr(*list.items[i], v);
    if (i + 1 < n) {
      setLine(list.commaLines[i]);
      const SourcePos& next = list.items[i + 1]->pos;
      near_ = {next.offset, next.line};  // the reference has read the ',' already
      fs().exp2nextreg(v);
    }
  }
  return static_cast<int>(n);
}

// A chain of left-associative operators (a + b - c ...) is a left spine in the tree; it is
// walked with a loop so that its length costs no stack.
void Generator::binaryExpr(const BinaryExpr& root, ExpDesc& v) {
  std::vector<const BinaryExpr*> spine;
  const Expr* node = &root;
  while (node->kind == ExprKind::Binary) {
    spine.push_back(&node->as<BinaryExpr>());
    node = spine.back()->lhs;
  }
  expr(*node, v);
  for (auto it = spine.rbegin(); it != spine.rend(); ++it) {
    const BinaryExpr& b = **it;
    setLine(b.opLine);  // the left operand is placed once the operator has been read
    fs().infix(b.op, v);
    ExpDesc v2;
    expr(*b.rhs, v2);
    fs().posfix(b.op, v, v2, b.opLine);
    near_ = b.follow;
    setLine(b.endLine);
  }
}

void Generator::unaryExpr(const UnaryExpr& e, ExpDesc& v) {
  expr(*e.operand, v);
  fs().prefix(e.op, v, e.opLine);
}

// prefix { '.' name | '[' exp ']' | ':' name args | args }, walked from the prefix outwards.
void Generator::suffixedExpr(const Expr& e, ExpDesc& v) {
  std::vector<const Expr*> chain;
  const Expr* node = &e;
  for (;;) {
    if (node->kind == ExprKind::Index) {
      chain.push_back(node);
      node = node->as<IndexExpr>().object;
    } else if (node->kind == ExprKind::Call) {
      chain.push_back(node);
      node = node->as<CallExpr>().function;
    } else if (node->kind == ExprKind::MethodCall) {
      chain.push_back(node);
      node = node->as<MethodCallExpr>().object;
    } else {
      break;
    }
  }
  primaryExpr(*node, v);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const Expr& step = **it;
    if (step.kind == ExprKind::Index)
      indexStep(step.as<IndexExpr>(), v);
    else
      callStep(step, v);
    near_ = step.follow;
  }
}

void Generator::primaryExpr(const Expr& e, ExpDesc& v) {
  if (e.kind == ExprKind::Name) {
    singleVar(e.as<NameExpr>(), v);
    readConstant(v);
    return;
  }
  assert(e.kind == ExprKind::Paren && "a suffixed expression starts with a name or '('");
  const ParenExpr& paren = e.as<ParenExpr>();
  expr(*paren.inner, v);
  setLine(paren.closeLine);
  fs().dischargeVars(v);  // parentheses keep one value and make it a non-variable
}

void Generator::indexStep(const IndexExpr& e, ExpDesc& v) {
  setLine(e.object->endLine);
  fs().exp2anyregup(v);
  ExpDesc key;
  if (e.dot) {
    key = ExpDesc::make(ExpKind::KStr);
    key.str = e.key->as<StringExpr>().value;
  } else {
    expr(*e.key, key);
    fs().exp2val(key);
  }
  setLine(e.keyLine);
  fs().indexed(v, key);
}

void Generator::callStep(const Expr& e, ExpDesc& v) {
  if (e.kind == ExprKind::Call) {
    const CallExpr& call = e.as<CallExpr>();
    setLine(call.function->endLine);
    fs().exp2nextreg(v);
    callArguments(call.args, call.argsKind, call.callLine, call.closeLine, v);
    return;
  }
  const MethodCallExpr& call = e.as<MethodCallExpr>();
  setLine(call.nameLine);
  ExpDesc key = ExpDesc::make(ExpKind::KStr);
  key.str = call.method;
  fs().self(v, key);
  callArguments(call.args, call.argsKind, call.callLine, call.closeLine, v);
}

// `f` is the function, already in its register with the arguments to follow it.
void Generator::callArguments(const ExprList& args, ArgsKind kind, int callLine, int closeLine,
                              ExpDesc& f) {
  ExpDesc a;
  if (args.items.empty()) {
    a = ExpDesc::make(ExpKind::Void);
  } else {
    exprList(args, a);
    if (kind == ArgsKind::Parens && a.hasMultRet()) fs().setMultRet(a);
  }
  setLine(closeLine);
  int base = f.info;
  int nparams;
  if (a.hasMultRet()) {
    nparams = kMultRet;  // up to the top the last argument leaves
  } else {
    if (a.kind != ExpKind::Void) fs().exp2nextreg(a);
    nparams = fs().freeReg - (base + 1);
  }
  f = ExpDesc::make(ExpKind::Call, fs().codeABC(Op::Call, base, nparams + 1, 2));
  fs().fixLine(callLine);
  fs().freeReg = base + 1;  // the call leaves one result (unless told otherwise later)
}

// NEWTABLE, then the fields: named and keyed ones stored one by one, positional ones gathered
// in registers and stored by SETLIST every kFieldsPerFlush items.
void Generator::tableConstructor(const TableExpr& t, ExpDesc& v) {
  setLine(t.openLine);
  int pc = fs().codeABC(Op::NewTable, 0, 0, 0);
  v = ExpDesc::make(ExpKind::NonReloc, fs().freeReg);
  fs().reserveRegs(1);
  int arrayCount = 0;  // positional items already stored
  int hashCount = 0;
  int toStore = 0;     // positional items waiting in registers
  ExpDesc pending;     // the last positional item, not yet in a register
  for (size_t i = 0; i < t.fields.size(); ++i) {
    const TableField& field = t.fields[i];
    if (pending.kind != ExpKind::Void) {
      setLine(t.fields[i - 1].sepLine);
      near_ = {field.pos.offset, field.pos.line};  // the reference has read the separator
      fs().exp2nextreg(pending);
      pending = ExpDesc();
      if (toStore == kFieldsPerFlush) {
        fs().setList(v.info, arrayCount, toStore);
        arrayCount += toStore;
        toStore = 0;
      }
    }
    if (field.kind == FieldKind::Positional) {
      expr(*field.value, pending);
      ++toStore;
      continue;
    }
    int reg = fs().freeReg;
    ExpDesc key;
    if (field.kind == FieldKind::Named) {
      key = ExpDesc::make(ExpKind::KStr);
      key.str = field.key->as<StringExpr>().value;
    } else {
      expr(*field.key, key);
      fs().exp2val(key);
    }
    ++hashCount;
    setLine(field.assignLine);
    ExpDesc slot = v;
    fs().indexed(slot, key);
    ExpDesc value;
    expr(*field.value, value);
    fs().storeVar(slot, value);
    fs().freeReg = reg;
  }
  setLine(t.closeLine);
  if (toStore > 0) {
    if (pending.hasMultRet()) {
      fs().setMultRet(pending);
      fs().setList(v.info, arrayCount, kMultRet);
      // The size hint counts the open item as one value when other positional items come
      // before it: such a list ({f(x), f(y)}, binary_trees' nodes) is mostly calls returning
      // one value each, and without the slot SETLIST grew every new table's array a second
      // time (an allocation, a copy and a free per table). Alone ({...}, {f()}) it is a
      // spread of any length, and is left out as the reference does (no array until SETLIST).
      if (arrayCount + toStore == 1) --arrayCount;
    } else {
      if (pending.kind != ExpKind::Void) fs().exp2nextreg(pending);
      fs().setList(v.info, arrayCount, toStore);
    }
    arrayCount += toStore;
  }
  fs().setTableSize(pc, v.info, arrayCount, hashCount);
}

}  // namespace lunette
