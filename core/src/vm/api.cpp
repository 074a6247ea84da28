// The native-function API (api.h) implemented over the VM's frames and operations.
#include "vm/api.h"

#include <cstdio>
#include <cstring>

#include "common/numconv.h"
#include "vm/debuginfo.h"
#include "vm/interpreter.h"
#include "vm/state.h"

namespace lunette {

namespace {

const Value kNoValue{};

const char* const kTypeNames[] = {"no value", "nil",   "boolean",  "userdata", "number",
                                  "string",   "table", "function", "userdata", "thread"};

}  // namespace

std::string_view typeName(Type type) { return kTypeNames[static_cast<int>(type) + 1]; }

// ---- index resolution -----------------------------------------------------------------------

namespace {

struct Slot {
  Value* value;  // nullptr: no such slot (beyond the top)
};

inline CallInfo& frameOf(Thread& L) { return L.calls.back(); }

Value* resolve(State& S, Thread& L, int index) {
  CallInfo& ci = frameOf(L);
  if (index > 0) {
    Value* v = L.stack + ci.func + index;
    return v < L.stack + L.top ? v : nullptr;
  }
  if (index > kRegistryIndex) return L.stack + L.top + index;
  if (index == kRegistryIndex) {
    static thread_local Value registryValue;
    registryValue = Value::table(S.registry);
    return &registryValue;
  }
  int up = kRegistryIndex - index;  // 1-based
  const Value& fn = L.stack[ci.func];
  if (fn.tag != Tag::NativeClosure) return nullptr;
  NativeClosure* c = fn.asNativeClosure();
  return up <= c->nupvalues ? &c->upvalues[up - 1] : nullptr;
}

const Value& valueAt(State& S, Thread& L, int index) {
  Value* v = resolve(S, L, index);
  return v ? *v : kNoValue;
}

}  // namespace

// ---- stack ----------------------------------------------------------------------------------

int Lua::top() const { return thread_->top - (frameOf(*thread_).func + 1); }

void Lua::setTop(int index) {
  Thread& L = *thread_;
  int base = frameOf(L).func + 1;
  int target = index >= 0 ? base + index : L.top + index + 1;
  if (target > L.top) {
    ensureStack(*state_, L, target - L.top);
    for (int i = L.top; i < target; ++i) L.stack[i] = Value();
  }
  L.top = target;
}

int Lua::absIndex(int index) const {
  return (index > 0 || index <= kRegistryIndex) ? index : top() + index + 1;
}

void Lua::checkStack(int extra, const char* what) {
  Thread& L = *thread_;
  if (L.top + extra > kMaxStackSlots) {
    if (what) raise(std::string("stack overflow (") + what + ")");
    raise("stack overflow");
  }
  ensureStack(*state_, L, extra);
  CallInfo& ci = frameOf(L);
  if (ci.top < L.top + extra) ci.top = L.top + extra;
}

void Lua::pushValue(int index) {
  Value v = valueAt(*state_, *thread_, index);
  ensureStack(*state_, *thread_, 1);
  thread_->stack[thread_->top++] = v;
}

void Lua::insert(int index) { rotate(index, 1); }

void Lua::remove(int index) {
  rotate(index, -1);
  pop(1);
}

void Lua::replace(int index) {
  copy(-1, index);
  pop(1);
}

void Lua::copy(int from, int to) {
  Value v = valueAt(*state_, *thread_, from);
  Value* target = resolve(*state_, *thread_, to);
  if (!target) return;
  *target = v;
  if (to < kRegistryIndex) {
    const Value& fn = thread_->stack[frameOf(*thread_).func];
    state_->collector.barrierForward(fn.gc, v);
  }
}

void Lua::rotate(int index, int n) {
  Thread& L = *thread_;
  Value* end = L.stack + L.top - 1;
  Value* start = resolve(*state_, L, index);
  if (!start) return;
  Value* middle = n >= 0 ? end - n : start - n - 1;
  auto reverse = [](Value* from, Value* to) {
    for (; from < to; ++from, --to) std::swap(*from, *to);
  };
  reverse(start, middle);
  reverse(middle + 1, end);
  reverse(start, end);
}

// ---- pushing --------------------------------------------------------------------------------

namespace {
inline void pushRaw(State& S, Thread& L, const Value& v) {
  ensureStack(S, L, 1);
  L.stack[L.top++] = v;
}
}  // namespace

void Lua::pushNil() { pushRaw(*state_, *thread_, Value()); }
void Lua::pushBoolean(bool b) { pushRaw(*state_, *thread_, Value::boolean(b)); }
void Lua::pushInteger(int64_t n) { pushRaw(*state_, *thread_, Value::integer(n)); }
void Lua::pushNumber(double n) { pushRaw(*state_, *thread_, Value::number(n)); }
void Lua::pushLightUserdata(void* p) { pushRaw(*state_, *thread_, Value::lightUserdata(p)); }

void Lua::pushString(std::string_view s) {
  ensureStack(*state_, *thread_, 1);
  String* str = state_->newString(s);
  thread_->stack[thread_->top++] = Value::string(str);
  state_->checkGc();
}

void Lua::pushNative(NativeFunction fn, int nupvalues) {
  if (nupvalues == 0) {
    pushRaw(*state_, *thread_, Value::lightNative(fn));
    return;
  }
  Thread& L = *thread_;
  NativeClosure* c = state_->newNativeClosure(fn, nupvalues);
  for (int i = 0; i < nupvalues; ++i) c->upvalues[i] = L.stack[L.top - nupvalues + i];
  L.top -= nupvalues;
  L.stack[L.top++] = Value::object(c, Tag::NativeClosure);
  state_->checkGc();
}

bool Lua::pushThread() {
  pushRaw(*state_, *thread_, Value::thread(thread_));
  return thread_ == state_->mainThread;
}

void Lua::pushGlobalTable() { pushRaw(*state_, *thread_, Value::table(state_->globals)); }

// ---- queries --------------------------------------------------------------------------------

Type Lua::type(int index) const {
  Value* v = resolve(*state_, *thread_, index);
  if (!v) return Type::None;
  return typeOfTag(v->tag);
}

bool Lua::isNumber(int index) const {
  double d;
  return toNumberValue(valueAt(*state_, *thread_, index), d);
}

bool Lua::isString(int index) const {
  const Value& v = valueAt(*state_, *thread_, index);
  return v.isString() || v.isNumber();
}

bool Lua::isInteger(int index) const { return valueAt(*state_, *thread_, index).isInteger(); }

bool Lua::isNative(int index) const {
  Tag t = valueAt(*state_, *thread_, index).tag;
  return t == Tag::LightNative || t == Tag::NativeClosure;
}

bool Lua::toBoolean(int index) const { return valueAt(*state_, *thread_, index).isTruthy(); }

std::optional<int64_t> Lua::toInteger(int index) const {
  int64_t i;
  if (toIntegerValue(valueAt(*state_, *thread_, index), i)) return i;
  return std::nullopt;
}

std::optional<double> Lua::toNumber(int index) const {
  double d;
  if (toNumberValue(valueAt(*state_, *thread_, index), d)) return d;
  return std::nullopt;
}

std::optional<std::string_view> Lua::toString(int index) {
  Value* v = resolve(*state_, *thread_, index);
  if (!v) return std::nullopt;
  if (v->isString()) return v->asString()->view();
  if (!v->isNumber()) return std::nullopt;
  String* s = toStringCoerced(*state_, *v);
  return s->view();
}

void* Lua::toUserdata(int index) const {
  const Value& v = valueAt(*state_, *thread_, index);
  if (v.tag == Tag::Userdata) return v.asUserdata()->data;
  if (v.tag == Tag::LightUserdata) return v.p;
  return nullptr;
}

const void* Lua::toPointer(int index) const {
  const Value& v = valueAt(*state_, *thread_, index);
  switch (v.tag) {
    case Tag::LightUserdata: return v.p;
    case Tag::LightNative: return reinterpret_cast<const void*>(v.f);
    case Tag::Userdata: return v.asUserdata()->data;
    default: return v.isCollectable() ? static_cast<const void*>(v.gc) : nullptr;
  }
}

Thread* Lua::toThread(int index) const {
  const Value& v = valueAt(*state_, *thread_, index);
  return v.tag == Tag::Thread ? v.asThread() : nullptr;
}

uint64_t Lua::rawLen(int index) const {
  const Value& v = valueAt(*state_, *thread_, index);
  switch (v.tag) {
    case Tag::String: return v.asString()->length;
    case Tag::Table: return v.asTable()->length();
    case Tag::Userdata: return v.asUserdata()->size;
    default: return 0;
  }
}

bool Lua::rawEqual(int a, int b) const {
  Value* x = resolve(*state_, *thread_, a);
  Value* y = resolve(*state_, *thread_, b);
  return x && y && rawEquals(*x, *y);
}

// ---- operations -----------------------------------------------------------------------------

bool Lua::compare(int a, int b, CompareOp op) {
  Value* px = resolve(*state_, *thread_, a);
  Value* py = resolve(*state_, *thread_, b);
  if (!px || !py) return false;
  // Two numbers of one kind (table.sort's default order): no metamethod can be involved.
  if (op != CompareOp::Eq && px->tag == py->tag) {
    if (px->tag == Tag::Integer) return op == CompareOp::Lt ? px->i < py->i : px->i <= py->i;
    if (px->tag == Tag::Float) return op == CompareOp::Lt ? px->n < py->n : px->n <= py->n;
  }
  Value x = *px, y = *py;
  switch (op) {
    case CompareOp::Eq: return equalObjects(*state_, *thread_, x, y);
    case CompareOp::Lt: return lessThan(*state_, *thread_, x, y);
    case CompareOp::Le: return lessEqual(*state_, *thread_, x, y);
  }
  return false;
}

void Lua::arith(ArithOp op) {
  Thread& L = *thread_;
  bool unary = op == ArithOp::Unm || op == ArithOp::BNot;
  if (unary) pushValue(-1);
  Value result;
  arithmetic(*state_, L, op, L.stack[L.top - 2], L.stack[L.top - 1], result);
  L.top -= 2;
  pushRaw(*state_, L, result);
}

void Lua::concat(int n) {
  Thread& L = *thread_;
  if (n == 0) {
    pushString("");
    return;
  }
  concatenate(*state_, L, L.top - n, n);
  L.top -= n - 1;
  state_->checkGc();
}

void Lua::len(int index) {
  Value v = valueAt(*state_, *thread_, index);
  Value result;
  lengthOf(*state_, *thread_, v, result);
  pushRaw(*state_, *thread_, result);
}

int64_t Lua::lenAsInteger(int index) {
  len(index);
  auto n = toInteger(-1);
  if (!n || !isNumber(-1)) raise("object length is not an integer");
  pop(1);
  return *n;
}

// ---- tables ---------------------------------------------------------------------------------

void Lua::newTable(int narray, int nhash) {
  ensureStack(*state_, *thread_, 1);
  Table* t = lunette::newTable(*state_, static_cast<uint32_t>(narray), static_cast<uint32_t>(nhash));
  thread_->stack[thread_->top++] = Value::table(t);
  state_->checkGc();
}

Type Lua::getTable(int index) {
  Value t = valueAt(*state_, *thread_, index);
  Thread& L = *thread_;
  Value key = L.stack[L.top - 1];
  Value result;
  getIndexed(*state_, L, t, key, result);
  L.stack[L.top - 1] = result;
  return typeOfTag(result.tag);
}

Type Lua::getField(int index, std::string_view key) {
  index = absIndex(index);
  pushString(key);
  return getTable(index);
}

Type Lua::getI(int index, int64_t i) {
  const Value& t = valueAt(*state_, *thread_, index);
  if (t.isTable()) {
    // Fast path: a present element, or a plain table (no __index to consult).
    Table* h = t.asTable();
    const Value* v = h->getInt(i);
    if (!v->isNil() || !h->metatable) {
      Value copy = *v;
      pushRaw(*state_, *thread_, copy);
      return typeOfTag(copy.tag);
    }
  }
  index = absIndex(index);
  pushInteger(i);
  return getTable(index);
}

Type Lua::rawGet(int index) {
  const Value& t = valueAt(*state_, *thread_, index);
  Thread& L = *thread_;
  const Value* v = t.asTable()->get(L.stack[L.top - 1]);
  L.stack[L.top - 1] = *v;
  return typeOfTag(v->tag);
}

Type Lua::rawGetI(int index, int64_t i) {
  const Value& t = valueAt(*state_, *thread_, index);
  Value v = *t.asTable()->getInt(i);
  pushRaw(*state_, *thread_, v);
  return typeOfTag(v.tag);
}

void Lua::setTable(int index) {
  Value t = valueAt(*state_, *thread_, index);
  Thread& L = *thread_;
  Value key = L.stack[L.top - 2], value = L.stack[L.top - 1];
  setIndexed(*state_, L, t, key, value);
  L.top -= 2;
}

void Lua::setField(int index, std::string_view key) {
  index = absIndex(index);
  pushString(key);
  insert(-2);
  setTable(index);
}

void Lua::setI(int index, int64_t i) {
  const Value& t = valueAt(*state_, *thread_, index);
  if (t.isTable()) {
    Table* h = t.asTable();
    Value* slot = const_cast<Value*>(h->getInt(i));
    const Value& v = thread_->stack[thread_->top - 1];
    if (!slot->isNil() || !h->metatable) {
      // Fast path: an existing element, or a plain table (no __newindex to consult).
      if (!slot->isNil()) *slot = v;
      else h->setInt(*state_, i, v);
      state_->collector.barrierBackValue(h, v);
      thread_->top -= 1;
      return;
    }
  }
  index = absIndex(index);
  pushInteger(i);
  insert(-2);
  setTable(index);
}

void Lua::rawSet(int index) {
  Value t = valueAt(*state_, *thread_, index);
  Thread& L = *thread_;
  Value key = L.stack[L.top - 2], value = L.stack[L.top - 1];
  if (key.isNil()) state_->runtimeError(L, "table index is nil");
  if (key.isFloat() && key.n != key.n) state_->runtimeError(L, "table index is NaN");
  Table* h = t.asTable();
  h->set(*state_, key, value);
  state_->collector.barrierBackValue(h, key);
  state_->collector.barrierBackValue(h, value);
  L.top -= 2;
}

void Lua::rawSetI(int index, int64_t i) {
  Value t = valueAt(*state_, *thread_, index);
  Thread& L = *thread_;
  Table* h = t.asTable();
  h->setInt(*state_, i, L.stack[L.top - 1]);
  state_->collector.barrierBackValue(h, L.stack[L.top - 1]);
  L.top -= 1;
}

bool Lua::next(int index) {
  Value t = valueAt(*state_, *thread_, index);
  Thread& L = *thread_;
  Value key = L.stack[L.top - 1], value;
  if (t.asTable()->next(*state_, key, value)) {
    L.stack[L.top - 1] = key;
    pushRaw(*state_, L, value);
    return true;
  }
  L.top -= 1;
  return false;
}

bool Lua::getMetatable(int index) {
  Table* mt = state_->metatableOf(valueAt(*state_, *thread_, index));
  if (!mt) return false;
  pushRaw(*state_, *thread_, Value::table(mt));
  return true;
}

void Lua::setMetatable(int index) {
  Value target = valueAt(*state_, *thread_, index);
  Thread& L = *thread_;
  Value mtValue = L.stack[L.top - 1];
  Table* mt = mtValue.isTable() ? mtValue.asTable() : nullptr;
  switch (target.tag) {
    case Tag::Table:
      target.asTable()->metatable = mt;
      if (mt) {
        state_->collector.barrierForward(target.gc, mtValue);
        state_->collector.checkFinalizer(*state_, target.gc, mt);
      }
      break;
    case Tag::Userdata:
      target.asUserdata()->metatable = mt;
      if (mt) {
        state_->collector.barrierForward(target.gc, mtValue);
        state_->collector.checkFinalizer(*state_, target.gc, mt);
      }
      break;
    default:
      state_->typeMetatables[static_cast<size_t>(typeOfTag(target.tag))] = mt;
      break;
  }
  L.top -= 1;
}

Type Lua::getGlobal(std::string_view name) {
  pushGlobalTable();
  Type t = getField(-1, name);
  remove(-2);
  return t;
}

void Lua::setGlobal(std::string_view name) {
  pushGlobalTable();
  insert(-2);
  setField(-2, name);
  pop(1);
}

void Lua::setFunctions(std::initializer_list<LibraryFunction> functions) {
  for (const LibraryFunction& f : functions) {
    if (f.function) pushNative(f.function);
    else pushBoolean(false);
    setField(-2, f.name);
  }
}

// ---- userdata -------------------------------------------------------------------------------

void* Lua::newUserdata(size_t size) {
  ensureStack(*state_, *thread_, 1);
  Userdata* u = state_->newUserdata(size);
  thread_->stack[thread_->top++] = Value::object(u, Tag::Userdata);
  state_->checkGc();
  return u->data;
}

bool Lua::newMetatable(std::string_view tname) {
  if (getMetatableByName(tname) != Type::Nil) return false;
  pop(1);
  newTable(0, 2);
  pushString(tname);
  setField(-2, "__name");
  pushValue(-1);
  setField(kRegistryIndex, tname);
  return true;
}

Type Lua::getMetatableByName(std::string_view tname) { return getField(kRegistryIndex, tname); }

void Lua::setMetatableByName(std::string_view tname) {
  getMetatableByName(tname);
  setMetatable(-2);
}

void* Lua::testUserdata(int index, std::string_view tname) {
  void* p = toUserdata(index);
  if (!p || type(index) != Type::Userdata) return nullptr;
  if (!getMetatable(index)) return nullptr;
  getMetatableByName(tname);
  bool same = rawEqual(-1, -2);
  pop(2);
  return same ? p : nullptr;
}

void* Lua::checkUserdata(int index, std::string_view tname) {
  void* p = testUserdata(index, tname);
  if (!p) typeError(index, tname);
  return p;
}

// ---- calls ----------------------------------------------------------------------------------

void Lua::call(int nargs, int nresults) {
  Thread& L = *thread_;
  int func = L.top - nargs - 1;
  callFromNative(*state_, L, func, nresults);
}

int Lua::tailCall(int nargs) {
  state_->nativeTailCall = true;  // read by the interpreter as soon as the native returns
  return nargs + 1;
}

bool Lua::pcall(int nargs, int nresults, int handler) {
  Thread& L = *thread_;
  State& S = *state_;
  int func = L.top - nargs - 1;
  if (handler == 0) {
    if (callProtected(S, L, func, nresults)) return true;
    Value error = L.errorValue;
    L.errorValue = Value();
    pushRaw(S, L, error);
    return false;
  }
  // With a message handler: it must see the failing frames, so it runs before they are
  // dropped; the nested loop's Xpcall frame does exactly that.
  Value handlerValue = valueAt(S, L, handler);
  ensureStack(S, L, 1);
  for (int i = L.top; i > func; --i) L.stack[i] = L.stack[i - 1];
  L.stack[func] = handlerValue;
  ++L.top;
  // [handler, f, args...] -> xpcall(f, handler, args...) through the special native.
  ensureStack(S, L, 1);
  for (int i = L.top; i > func; --i) L.stack[i] = L.stack[i - 1];
  L.stack[func] = Value::lightNative(nativeXpcall);
  ++L.top;
  std::swap(L.stack[func + 1], L.stack[func + 2]);  // xpcall, f, handler, args
  callFromNative(S, L, func, kMultRet);
  bool ok = L.stack[func].isTruthy();
  int n = L.top - func - 1;
  for (int i = 0; i < n; ++i) L.stack[func + i] = L.stack[func + 1 + i];
  L.top = func + n;
  if (ok) {
    if (nresults != kMultRet) {
      ensureStack(S, L, nresults);
      for (int i = n; i < nresults; ++i) L.stack[func + i] = Value();
      L.top = func + nresults;
    }
    return true;
  }
  L.top = func + 1;  // the handled error object
  return false;
}

// ---- errors ---------------------------------------------------------------------------------

void Lua::error() {
  Thread& L = *thread_;
  state_->throwValue(L, L.stack[L.top - 1]);
}

void Lua::raise(std::string_view message) {
  std::string text = where(1);
  text += message;
  state_->throwValue(*thread_, Value::string(state_->newString(text)), ErrorKind::Runtime,
                     state_->positionAt(*thread_, 1));
}

void Lua::errorAt(int level) {
  Thread& L = *thread_;
  state_->throwValue(L, L.stack[L.top - 1], ErrorKind::Runtime, state_->positionAt(L, level));
}

std::string Lua::where(int level) { return state_->where(*thread_, level); }

void Lua::argError(int arg, std::string_view extra) {
  Thread& L = *thread_;
  int frameIndex = static_cast<int>(L.calls.size()) - 1;
  FunctionName name = calledName(*state_, L, frameIndex);
  if (name.kind == "method") {
    --arg;
    if (arg == 0) raise("calling '" + name.name + "' on bad self (" + std::string(extra) + ")");
  }
  std::string fname = name.name;
  if (fname.empty()) {
    // Not called from Lua code with a name: look the function up among the loaded modules.
    fname = globalFunctionName(*state_, L.stack[frameOf(L).func]);
    if (fname.empty()) fname = "?";
  }
  raise("bad argument #" + std::to_string(arg) + " to '" + fname + "' (" + std::string(extra) + ")");
}

void Lua::typeError(int arg, std::string_view expected) {
  std::string actual;
  if (getMetaField(arg, "__name") == Type::String) {
    actual = std::string(*toString(-1));
    pop(1);
  } else if (type(arg) == Type::LightUserdata) {
    actual = "light userdata";
  } else {
    actual = std::string(typeNameAt(arg));
  }
  argError(arg, std::string(expected) + " expected, got " + actual);
}

int64_t Lua::checkInteger(int arg) {
  const Value& v = valueAt(*state_, *thread_, arg);
  if (v.isInteger()) return v.i;
  int64_t i;
  if (toIntegerValue(v, i)) return i;
  if (isNumber(arg)) argError(arg, "number has no integer representation");
  typeError(arg, "number");
}

double Lua::checkNumber(int arg) {
  const Value& v = valueAt(*state_, *thread_, arg);
  if (v.isFloat()) return v.n;
  double d;
  if (toNumberValue(v, d)) return d;
  typeError(arg, "number");
}

std::string_view Lua::checkString(int arg) {
  auto s = toString(arg);
  if (!s) typeError(arg, "string");
  return *s;
}

void Lua::checkType(int arg, Type t) {
  if (type(arg) != t) typeError(arg, typeName(t));
}

void Lua::checkAny(int arg) {
  if (type(arg) == Type::None) argError(arg, "value expected");
}

int64_t Lua::optInteger(int arg, int64_t fallback) {
  return isNoneOrNil(arg) ? fallback : checkInteger(arg);
}

double Lua::optNumber(int arg, double fallback) {
  return isNoneOrNil(arg) ? fallback : checkNumber(arg);
}

std::string_view Lua::optString(int arg, std::string_view fallback) {
  return isNoneOrNil(arg) ? fallback : checkString(arg);
}

int Lua::checkOption(int arg, std::optional<std::string_view> fallback,
                     std::initializer_list<std::string_view> options) {
  std::string_view name = fallback && isNoneOrNil(arg) ? *fallback : checkString(arg);
  int i = 0;
  for (std::string_view option : options) {
    if (option == name) return i;
    ++i;
  }
  argError(arg, "invalid option '" + std::string(name) + "'");
}

// ---- display --------------------------------------------------------------------------------

std::string_view Lua::toDisplayString(int index) {
  index = absIndex(index);
  if (callMeta(index, "__tostring")) {
    if (!isString(-1)) raise("'__tostring' must return a string");
    return *toString(-1);
  }
  const Value& v = valueAt(*state_, *thread_, index);
  switch (v.tag) {
    case Tag::Integer:
    case Tag::Float: pushString(numberToString(v)); break;
    case Tag::String: pushValue(index); break;
    case Tag::True: pushString("true"); break;
    case Tag::False: pushString("false"); break;
    case Tag::Nil: pushString("nil"); break;
    default: {
      std::string kind;
      if (getMetaField(index, "__name") == Type::String) {
        kind = std::string(*toString(-1));
        pop(1);
      } else {
        kind = std::string(typeNameAt(index));
      }
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, ": %p", toPointer(index));
      pushString(kind + buffer);
      break;
    }
  }
  return *toString(-1);
}

Type Lua::getMetaField(int index, std::string_view event) {
  Table* mt = state_->metatableOf(valueAt(*state_, *thread_, index));
  if (!mt) return Type::Nil;
  const Value* v = mt->getString(state_->newString(event));
  if (v->isNil()) return Type::Nil;
  pushRaw(*state_, *thread_, *v);
  return typeOfTag(v->tag);
}

bool Lua::callMeta(int index, std::string_view event) {
  index = absIndex(index);
  if (getMetaField(index, event) == Type::Nil) return false;
  pushValue(index);
  call(1, 1);
  return true;
}

// ---- sinks ----------------------------------------------------------------------------------

void Lua::writeOutput(std::string_view text) {
  if (state_->outputSink) state_->outputSink(text);
}

void Lua::writeError(std::string_view text) {
  if (state_->errorSink) state_->errorSink(text);
}

void Lua::warn(std::string_view message, bool toBeContinued) {
  State& S = *state_;
  // Control messages "@on"/"@off" switch warnings, as in the reference.
  if (!S.warningContinued && !message.empty() && message.front() == '@') {
    if (message == "@on") S.warningsOn = true;
    else if (message == "@off") S.warningsOn = false;
    return;
  }
  if (S.warningsOn) {
    if (!S.warningContinued) writeError("Lua warning: ");
    writeError(message);
    if (!toBeContinued) writeError("\n");
  }
  S.warningContinued = toBeContinued;
}

}  // namespace lunette
