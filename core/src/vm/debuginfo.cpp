// Debug information: lines, variable names by symbolic execution, function names, tracebacks.
#include "vm/debuginfo.h"

#include <cstring>

#include "common/numconv.h"

namespace lunette {

namespace {

bool setsRegisterA(Op op) {
  switch (op) {
    case Op::SetUpval: case Op::SetTabUp: case Op::SetTable: case Op::SetI: case Op::SetField:
    case Op::Close: case Op::Tbc: case Op::Jmp: case Op::Eq: case Op::Lt: case Op::Le:
    case Op::EqK: case Op::EqI: case Op::LtI: case Op::LeI: case Op::GtI: case Op::GeI:
    case Op::Test: case Op::Return: case Op::Return0: case Op::Return1: case Op::TForLoop:
    case Op::SetList: case Op::VarargPrep: case Op::ExtraArg: case Op::TForPrep:
      return false;
    default: return true;
  }
}

// The last pc before `lastpc` that certainly set register `reg`, or -1.
int findSetRegister(const Proto* p, int lastpc, int reg) {
  int setreg = -1;
  int jumpTarget = 0;
  for (int pc = 0; pc < lastpc; ++pc) {
    Instruction i = p->code[pc];
    Op op = opOf(i);
    int a = argA(i);
    bool change = false;
    switch (op) {
      case Op::LoadNil: change = a <= reg && reg <= a + argB(i); break;
      case Op::TForCall: change = reg >= a + 2; break;
      case Op::Call:
      case Op::TailCall: change = reg >= a; break;
      case Op::Jmp: {
        int dest = pc + 1 + argSJ(i);
        if (dest <= lastpc && dest > jumpTarget) jumpTarget = dest;
        break;
      }
      default: change = setsRegisterA(op) && reg == a; break;
    }
    if (change) setreg = pc < jumpTarget ? -1 : pc;
  }
  return setreg;
}

std::string upvalueName(const Proto* p, int index) {
  if (index < static_cast<int>(p->upvalues.size()) && p->upvalues[index].name)
    return std::string(p->upvalues[index].name->view());
  return "?";
}

const char* objectName(const Proto* p, int lastpc, int reg, std::string& name);

// The name of the key in register/constant `c` (for GETTABLE-like instructions).
void keyName(const Proto* p, int pc, int c, bool isConstant, std::string& name) {
  if (isConstant) {
    const Value& k = p->constants[c];
    name = k.isString() ? std::string(k.asString()->view()) : "?";
    return;
  }
  const char* what = objectName(p, pc, c, name);
  if (!what || std::strcmp(what, "constant") != 0) name = "?";
}

// "global" when the table in register/upvalue is the variable _ENV, else "field". A register
// counts only when it holds a local or an upvalue of that name: a field or key called "_ENV"
// (`a._ENV.y`) is not the environment (as 5.4.8 words it; 5.4.4 said "global").
const char* globalOrField(const Proto* p, int pc, Instruction i, bool tableIsUpvalue) {
  std::string tableName;
  if (tableIsUpvalue) {
    tableName = upvalueName(p, argB(i));
  } else {
    const char* kind = objectName(p, pc, argB(i), tableName);
    if (!kind || (std::strcmp(kind, "local") != 0 && std::strcmp(kind, "upvalue") != 0))
      tableName.clear();
  }
  return tableName == "_ENV" ? "global" : "field";
}

const char* objectName(const Proto* p, int lastpc, int reg, std::string& name) {
  if (const char* local = localName(p, reg + 1, lastpc)) {
    name = local;
    return "local";
  }
  int pc = findSetRegister(p, lastpc, reg);
  if (pc == -1) return nullptr;
  Instruction i = p->code[pc];
  switch (opOf(i)) {
    case Op::Move: {
      int b = argB(i);
      if (b < argA(i)) return objectName(p, pc, b, name);
      return nullptr;
    }
    case Op::GetTabUp:
      keyName(p, pc, argC(i), true, name);
      return globalOrField(p, pc, i, true);
    case Op::GetTable:
      keyName(p, pc, argC(i), false, name);
      return globalOrField(p, pc, i, false);
    case Op::GetI:
      name = "integer index";
      return "field";
    case Op::GetField:
      keyName(p, pc, argC(i), true, name);
      return globalOrField(p, pc, i, false);
    case Op::GetUpval:
      name = upvalueName(p, argB(i));
      return "upvalue";
    case Op::LoadK:
    case Op::LoadKX: {
      int index = opOf(i) == Op::LoadK ? argBx(i) : argAx(p->code[pc + 1]);
      const Value& k = p->constants[index];
      if (k.isString()) {
        name = std::string(k.asString()->view());
        return "constant";
      }
      return nullptr;
    }
    case Op::Self:
      keyName(p, pc, argC(i), argK(i), name);
      return "method";
    default: return nullptr;
  }
}

const LuaClosure* luaFunctionOf(Thread& L, const CallInfo& ci) {
  if (ci.kind != FrameKind::Lua) return nullptr;
  return L.stack[ci.func].asLuaClosure();
}

// Name of the function called by instruction at `pc` of `p`.
FunctionName nameFromCall(const Proto* p, int pc) {
  Instruction i = p->code[pc];
  std::string name;
  switch (opOf(i)) {
    case Op::Call:
    case Op::TailCall: {
      const char* kind = objectName(p, pc, argA(i), name);
      if (!kind) return {};
      return {kind, name};
    }
    case Op::TForCall: return {"for iterator", "for iterator"};
    case Op::Self: case Op::GetTabUp: case Op::GetTable: case Op::GetI: case Op::GetField:
      return {"metamethod", "index"};
    case Op::SetTabUp: case Op::SetTable: case Op::SetI: case Op::SetField:
      return {"metamethod", "newindex"};
    case Op::AddK: case Op::Add: return {"metamethod", "add"};
    case Op::SubK: case Op::Sub: return {"metamethod", "sub"};
    case Op::MulK: case Op::Mul: return {"metamethod", "mul"};
    case Op::ModK: case Op::Mod: return {"metamethod", "mod"};
    case Op::PowK: case Op::Pow: return {"metamethod", "pow"};
    case Op::DivK: case Op::Div: return {"metamethod", "div"};
    case Op::IDivK: case Op::IDiv: return {"metamethod", "idiv"};
    case Op::BAndK: case Op::BAnd: return {"metamethod", "band"};
    case Op::BOrK: case Op::BOr: return {"metamethod", "bor"};
    case Op::BXorK: case Op::BXor: return {"metamethod", "bxor"};
    case Op::ShlK: case Op::Shl: return {"metamethod", "shl"};
    case Op::ShrK: case Op::Shr: return {"metamethod", "shr"};
    case Op::Unm: return {"metamethod", "unm"};
    case Op::BNot: return {"metamethod", "bnot"};
    case Op::Len: return {"metamethod", "len"};
    case Op::Concat: return {"metamethod", "concat"};
    case Op::Eq: case Op::EqK: case Op::EqI: return {"metamethod", "eq"};
    case Op::Lt: case Op::LtI: case Op::GtI: return {"metamethod", "lt"};
    case Op::Le: case Op::LeI: case Op::GeI: return {"metamethod", "le"};
    case Op::Close: case Op::Return: return {"metamethod", "close"};
    default: return {};
  }
}

}  // namespace

// A global name for a function value, searching package.loaded ("print", "string.format").
std::string globalFunctionName(State& S, const Value& fn) {
  const Value* loaded = S.registry->getShortString(S.newString("_LOADED"));
  if (!loaded->isTable()) return {};
  Value moduleName, module;
  while (loaded->asTable()->next(S, moduleName, module)) {
    if (!module.isTable() || !moduleName.isString()) continue;
    Value key, value;
    while (module.asTable()->next(S, key, value)) {
      if (value.tag == fn.tag && value.p == fn.p && key.isString()) {
        std::string prefix(moduleName.asString()->view());
        std::string name(key.asString()->view());
        if (prefix == "_G") return name;
        return prefix + "." + name;
      }
    }
  }
  return {};
}

const char* localName(const Proto* p, int n, int pc) {
  for (const LocVar& v : p->locvars) {
    if (v.startpc > pc) break;
    if (pc < v.endpc) {
      if (--n == 0) return v.name->chars();
    }
  }
  return nullptr;
}

int currentPc(const CallInfo& ci, const Proto* p) {
  return static_cast<int>(ci.savedpc - p->code.data()) - 1;
}

int currentLine(const CallInfo& ci, const Proto* p) {
  int pc = currentPc(ci, p);
  if (pc < 0) pc = 0;
  if (p->lineinfo.empty()) return -1;
  if (pc >= static_cast<int>(p->lineinfo.size())) pc = static_cast<int>(p->lineinfo.size()) - 1;
  return p->lineinfo[pc];
}

namespace {

// A name as the reference's messages print it: through C's "%s", which ends at a NUL byte (a
// constant or field name may hold one: `("\0x") & 1` names the constant '').
std::string_view asCString(std::string_view name) { return name.substr(0, name.find('\0')); }

}  // namespace

std::string describeValue(State& S, Thread& L, const Value* v) {
  if (L.calls.empty()) return {};
  const CallInfo& ci = L.calls.back();
  const LuaClosure* cl = luaFunctionOf(L, ci);
  if (!cl) return {};
  const Proto* p = cl->proto;
  std::string name;
  const char* kind = nullptr;
  for (int u = 0; u < cl->nupvalues; ++u) {
    if (cl->upvals[u] && cl->upvals[u]->value == v) {
      name = upvalueName(p, u);
      kind = "upvalue";
      break;
    }
  }
  if (!kind) {
    const Value* base = L.stack + ci.base;
    if (v >= base && v < L.stack + ci.top) {
      kind = objectName(p, currentPc(ci, p), static_cast<int>(v - base), name);
    }
  }
  if (!kind) return {};
  return std::string(" (") + kind + " '" + std::string(asCString(name)) + "')";
}

void callError(State& S, Thread& L, const Value* v) {
  const CallInfo& ci = L.calls.back();
  if (const LuaClosure* cl = luaFunctionOf(L, ci)) {
    FunctionName name = nameFromCall(cl->proto, currentPc(ci, cl->proto));
    if (!name.kind.empty()) {
      std::string typeName_ = std::string(typeName(typeOfTag(v->tag)));
      S.runtimeError(L, "attempt to call a " + typeName_ + " value (" + name.kind + " '" +
                            std::string(asCString(name.name)) + "')");
    }
  }
  typeError(S, L, v, "call");
}

void typeError(State& S, Thread& L, const Value* v, const char* operation) {
  std::string typeName_;
  Table* mt = (v->tag == Tag::Table || v->tag == Tag::Userdata) ? S.metatableOf(*v) : nullptr;
  const Value* custom = mt ? mt->getShortString(S.newString("__name")) : nullptr;
  if (custom && custom->isString()) typeName_ = std::string(custom->asString()->view());
  else typeName_ = std::string(typeName(typeOfTag(v->tag)));
  S.runtimeError(L, std::string("attempt to ") + operation + " a " + typeName_ + " value" +
                        describeValue(S, L, v));
}

FunctionName calledName(State& S, Thread& L, int frameIndex) {
  if (frameIndex <= 0 || frameIndex >= static_cast<int>(L.calls.size())) return {};
  const CallInfo& ci = L.calls[frameIndex];
  if (ci.tailcall) return {};
  const CallInfo& caller = L.calls[frameIndex - 1];
  if (caller.runningHook) return {"hook", "?"};  // called by the VM as a debug.sethook hook
  const LuaClosure* cl = luaFunctionOf(L, caller);
  if (!cl) return {};
  return nameFromCall(cl->proto, currentPc(caller, cl->proto));
}

bool callSite(State& S, Thread& L, int level, int argument, std::string& chunk, int& line,
              std::string& argumentName) {
  int index = static_cast<int>(L.calls.size()) - 1 - level;
  if (index < 0) return false;
  const CallInfo& ci = L.calls[index];
  const LuaClosure* cl = luaFunctionOf(L, ci);
  if (!cl) return false;
  const Proto* p = cl->proto;
  chunk = chunkId(p->source->view());
  line = currentLine(ci, p);
  int pc = currentPc(ci, p);
  argumentName.clear();
  if (pc >= 0 && pc < static_cast<int>(p->code.size()) && opOf(p->code[pc]) == Op::Call) {
    std::string name;
    const char* kind = objectName(p, pc, argA(p->code[pc]) + argument, name);
    if (kind && std::string_view(kind) != "constant") argumentName = name;
  }
  return true;
}

std::string buildTraceback(State& S, Thread& L, int level) {
  std::string out = "stack traceback:";
  int top = static_cast<int>(L.calls.size()) - 1 - level;
  // The main thread's bottom frame stands for the host's C function (lua.c's pmain) and is
  // listed as "[C]: in ?"; a coroutine's bottom frame is not a level at all.
  int bottom = &L == S.mainThread ? 0 : 1;
  int total = top + 1 - bottom;
  for (int index = top; index >= bottom; --index) {
    int depthFromTop = top - index;
    if (total > 22 && depthFromTop == 10) {
      int skip = total - 21;
      // The reference's luaL_traceback counts one level fewer than it skips (its level counter
      // has moved past the level that triggered the message); its text is the oracle's.
      out += "\n\t...\t(skipping " + std::to_string(skip - 1) + " levels)";
      index -= skip - 1;
      continue;
    }
    const CallInfo& ci = L.calls[index];
    const Value& fn = L.stack[ci.func];
    out += "\n\t";
    const LuaClosure* cl = luaFunctionOf(L, ci);
    if (cl) {
      int line = currentLine(ci, cl->proto);  // none in a stripped function
      out += chunkId(cl->proto->source->view()) + ":" + (line > 0 ? std::to_string(line) + ":" : "");
    } else {
      out += "[C]:";
    }
    out += " in ";
    std::string global = index > 0 ? globalFunctionName(S, fn) : std::string();
    FunctionName called = calledName(S, L, index);
    if (!global.empty()) {
      out += "function '" + global + "'";
    } else if (!called.kind.empty()) {
      out += called.kind + " '" + called.name + "'";
    } else if (cl && cl->proto->linedefined == 0) {
      out += "main chunk";
    } else if (cl) {
      out += "function <" + chunkId(cl->proto->source->view()) + ":" +
             std::to_string(cl->proto->linedefined) + ">";
    } else {
      out += "?";
    }
    if (ci.tailcall) out += "\n\t(...tail calls...)";
  }
  return out;
}

}  // namespace lunette
