// Operations with Lua semantics beyond the fast paths: coercions, arithmetic and comparison
// with metamethods, concatenation, length, indexing chains, numeric for preparation.
#include <cmath>
#include <cstring>
#include <string>

#include "common/numconv.h"
#include "vm/debuginfo.h"
#include "vm/interpreter.h"
#include "vm/operations.h"

namespace lunette {

namespace {

constexpr int kMaxMetaChain = 2000;  // __index / __newindex chains longer than this are loops

std::string objectTypeName(State& S, const Value& v) {
  if (Table* mt = (v.tag == Tag::Table || v.tag == Tag::Userdata) ? S.metatableOf(v) : nullptr) {
    const Value* name = mt->getShortString(S.newString("__name"));
    if (name->isString()) return std::string(name->asString()->view());
  }
  return std::string(typeName(typeOfTag(v.tag)));
}

// Calls `tm(a, b)` (or `tm(a, b, c)`) from inside an operation; returns its first result.
Value callMetamethod(State& S, Thread& L, const Value& tm, const Value& a, const Value& b,
                     const Value* c = nullptr, int nresults = 1) {
  if (S.deferLuaMetamethods && tm.tag == Tag::LuaClosure) {
    // The interpreter loop will make the call as a frame of its own; the result is a placeholder.
    State::DeferredCall& d = S.deferredCall;
    d.pending = true;
    d.negate = false;
    d.function = tm;
    d.args[0] = a;
    d.args[1] = b;
    d.nargs = 2;
    if (c) d.args[d.nargs++] = *c;
    d.nresults = nresults;
    return Value();
  }
  int func = L.top;
  ensureStack(S, L, 5);
  L.stack[func] = tm;
  L.stack[func + 1] = a;
  L.stack[func + 2] = b;
  L.top = func + 3;
  if (c) L.stack[L.top++] = *c;
  callFromNative(S, L, func, nresults);
  Value result = nresults > 0 ? L.stack[func] : Value();
  L.top = func;
  return result;
}

Event eventOf(ArithOp op) {
  switch (op) {
    case ArithOp::Add: return Event::Add;
    case ArithOp::Sub: return Event::Sub;
    case ArithOp::Mul: return Event::Mul;
    case ArithOp::Mod: return Event::Mod;
    case ArithOp::Pow: return Event::Pow;
    case ArithOp::Div: return Event::Div;
    case ArithOp::IDiv: return Event::IDiv;
    case ArithOp::BAnd: return Event::BAnd;
    case ArithOp::BOr: return Event::BOr;
    case ArithOp::BXor: return Event::BXor;
    case ArithOp::Shl: return Event::Shl;
    case ArithOp::Shr: return Event::Shr;
    case ArithOp::Unm: return Event::Unm;
    case ArithOp::BNot: return Event::BNot;
  }
  return Event::Add;
}

bool isBitwise(ArithOp op) {
  return op == ArithOp::BAnd || op == ArithOp::BOr || op == ArithOp::BXor ||
         op == ArithOp::Shl || op == ArithOp::Shr || op == ArithOp::BNot;
}

// Converts strings to numbers for arithmetic ("10" + 1 == 11).
bool coerceToNumber(const Value& v, Value& out) {
  if (v.isNumber()) {
    out = v;
    return true;
  }
  if (v.isString()) return stringToNumberValue(v.asString(), out);
  return false;
}

int compareStrings(const String* a, const String* b) {
  // Like strcoll in the C locale, but embedded zeros are allowed.
  size_t n = a->length < b->length ? a->length : b->length;
  int c = std::memcmp(a->chars(), b->chars(), n);
  if (c != 0) return c;
  return a->length < b->length ? -1 : (a->length > b->length ? 1 : 0);
}

// Exact comparisons between an integer and a float.
bool ltIntFloat(int64_t i, double f) {
  if (std::isnan(f)) return false;
  if (f >= 0x1p63) return true;
  if (f >= -0x1p63) return i < static_cast<int64_t>(std::ceil(f));
  return false;
}
bool leIntFloat(int64_t i, double f) {
  if (std::isnan(f)) return false;
  if (f >= 0x1p63) return true;
  if (f >= -0x1p63) return i <= static_cast<int64_t>(std::floor(f));
  return false;
}
bool ltFloatInt(double f, int64_t i) {
  if (std::isnan(f)) return false;
  if (f >= 0x1p63) return false;
  if (f >= -0x1p63) return static_cast<int64_t>(std::floor(f)) < i;
  return true;
}
bool leFloatInt(double f, int64_t i) {
  if (std::isnan(f)) return false;
  if (f >= 0x1p63) return false;
  if (f >= -0x1p63) return static_cast<int64_t>(std::ceil(f)) <= i;
  return true;
}

bool numberLess(const Value& a, const Value& b) {
  if (a.isInteger()) return b.isInteger() ? a.i < b.i : ltIntFloat(a.i, b.n);
  return b.isFloat() ? a.n < b.n : ltFloatInt(a.n, b.i);
}
bool numberLessEqual(const Value& a, const Value& b) {
  if (a.isInteger()) return b.isInteger() ? a.i <= b.i : leIntFloat(a.i, b.n);
  return b.isFloat() ? a.n <= b.n : leFloatInt(a.n, b.i);
}

[[noreturn]] void orderError(State& S, Thread& L, const Value& a, const Value& b) {
  std::string t1 = objectTypeName(S, a), t2 = objectTypeName(S, b);
  if (t1 == t2) S.runtimeError(L, "attempt to compare two " + t1 + " values");
  S.runtimeError(L, "attempt to compare " + t1 + " with " + t2);
}

bool orderedCompare(State& S, Thread& L, const Value& a, const Value& b, Event event) {
  const Value* tm = S.metamethod(a, event);
  if (!tm) tm = S.metamethod(b, event);
  if (!tm) orderError(S, L, a, b);
  Value tmCopy = *tm, x = a, y = b;
  return callMetamethod(S, L, tmCopy, x, y).isTruthy();
}

}  // namespace

// ---- coercions ------------------------------------------------------------------------------

bool stringToNumberValue(const String* s, Value& out) {
  auto parsed = parseNumber(s->view());
  if (!parsed) return false;
  out = parsed->isInteger ? Value::integer(parsed->integer) : Value::number(parsed->number);
  return true;
}

bool toNumberValue(const Value& v, double& out) {
  Value n;
  if (!coerceToNumber(v, n)) return false;
  out = n.toDouble();
  return true;
}

bool toIntegerValue(const Value& v, int64_t& out) {
  Value n;
  if (!coerceToNumber(v, n)) return false;
  if (n.isInteger()) {
    out = n.i;
    return true;
  }
  auto i = floatToInteger(n.n);
  if (!i) return false;
  out = *i;
  return true;
}

std::string numberToString(const Value& v) {
  return v.isInteger() ? integerToString(v.i) : floatToString(v.n);
}

String* toStringCoerced(State& S, Value& v) {
  if (v.isString()) return v.asString();
  if (!v.isNumber()) return nullptr;
  String* s = S.newString(numberToString(v));
  v = Value::string(s);
  return s;
}

// ---- arithmetic -----------------------------------------------------------------------------

void arithmetic(State& S, Thread& L, ArithOp op, const Value& a, const Value& b, Value& out) {
  // Like the reference VM: arithmetic takes numbers only (strings go through the string
  // metatable's metamethods); bitwise operators also convert numeric strings.
  Value x, y;
  bool numeric = a.isNumber() && b.isNumber() && (x = a, y = b, true);
  if (numeric) {
    if (isBitwise(op)) {
      int64_t i, j;
      if (toIntegerValue(x, i) && toIntegerValue(y, j)) {
        fastArith(op == ArithOp::BNot ? ArithOp::BXor : op, Value::integer(i),
                  Value::integer(op == ArithOp::BNot ? -1 : j), out);
        return;
      }
    } else if (op == ArithOp::Unm) {
      out = x.isInteger() ? Value::integer(wrapSub(0, x.i)) : Value::number(-x.n);
      return;
    } else if (x.isInteger() && y.isInteger() && y.i == 0 &&
               (op == ArithOp::IDiv || op == ArithOp::Mod)) {
      S.runtimeError(L, op == ArithOp::IDiv ? "attempt to divide by zero" : "attempt to perform 'n%0'");
    } else if (fastArith(op, x, y, out)) {
      return;
    }
  }
  const Value* tm = S.metamethod(a, eventOf(op));
  if (!tm) tm = S.metamethod(b, eventOf(op));
  if (tm) {
    Value tmCopy = *tm, p = a, q = b;
    out = callMetamethod(S, L, tmCopy, p, q);
    return;
  }
  // No string metamethods (no string library): coerce numeric strings directly.
  if (!isBitwise(op) && coerceToNumber(a, x) && coerceToNumber(b, y) && (a.isString() || b.isString())) {
    arithmetic(S, L, op, x, y, out);
    return;
  }
  // No metamethod: blame an operand the way the reference does.
  if (isBitwise(op) && a.isNumber() && b.isNumber()) {
    int64_t ignored;
    const Value* culprit = toIntegerValue(a, ignored) ? &b : &a;
    S.runtimeError(L, "number" + describeValue(S, L, culprit) + " has no integer representation");
  }
  const Value* culprit = a.isNumber() ? &b : &a;
  typeError(S, L, culprit, isBitwise(op) ? "perform bitwise operation on" : "perform arithmetic on");
}

// ---- comparison -----------------------------------------------------------------------------

bool rawEquals(const Value& a, const Value& b) {
  if (a.tag != b.tag) {
    if (a.isNumber() && b.isNumber()) {
      if (a.isInteger()) {
        auto i = floatToInteger(b.n);
        return i && *i == a.i;
      }
      auto i = floatToInteger(a.n);
      return i && *i == b.i;
    }
    return false;
  }
  switch (a.tag) {
    case Tag::Nil:
    case Tag::False:
    case Tag::True: return true;
    case Tag::Integer: return a.i == b.i;
    case Tag::Float: return a.n == b.n;
    case Tag::String: {
      const String* x = a.asString();
      const String* y = b.asString();
      if (x == y) return true;
      if (x->isShort() && y->isShort()) return false;
      return x->length == y->length && std::memcmp(x->chars(), y->chars(), x->length) == 0;
    }
    default: return a.p == b.p;
  }
}

bool equalObjects(State& S, Thread& L, const Value& a, const Value& b) {
  if (a.tag != b.tag || (a.tag != Tag::Table && a.tag != Tag::Userdata)) return rawEquals(a, b);
  if (a.gc == b.gc) return true;
  const Value* tm = S.metamethod(a, Event::Eq);
  if (!tm) tm = S.metamethod(b, Event::Eq);
  if (!tm) return false;
  Value tmCopy = *tm, x = a, y = b;
  return callMetamethod(S, L, tmCopy, x, y).isTruthy();
}

bool lessThan(State& S, Thread& L, const Value& a, const Value& b) {
  if (a.isNumber() && b.isNumber()) return numberLess(a, b);
  if (a.isString() && b.isString()) return compareStrings(a.asString(), b.asString()) < 0;
  return orderedCompare(S, L, a, b, Event::Lt);
}

bool lessEqual(State& S, Thread& L, const Value& a, const Value& b) {
  if (a.isNumber() && b.isNumber()) return numberLessEqual(a, b);
  if (a.isString() && b.isString()) return compareStrings(a.asString(), b.asString()) <= 0;
  if (S.metamethod(a, Event::Le) || S.metamethod(b, Event::Le))
    return orderedCompare(S, L, a, b, Event::Le);
  // Without __le, the reference build (LUA_COMPAT_LT_LE) uses not (b < a).
  if (S.metamethod(a, Event::Lt) || S.metamethod(b, Event::Lt)) {
    bool result = !orderedCompare(S, L, b, a, Event::Lt);
    if (S.deferredCall.pending) S.deferredCall.negate = true;
    return result;
  }
  orderError(S, L, a, b);
}

// ---- concatenation and length ---------------------------------------------------------------

// The n strings from stack slot `first` up (total bytes in all) as one string. A long result is
// written in place, in its own object: building it in a buffer and copying that into the string
// doubled the bytes moved, which is most of the cost of a loop that grows a string with `..`.
static String* joinStrings(State& S, Thread& L, int first, int n, size_t total) {
  auto copyInto = [&](char* out) {
    for (int j = first; j < first + n; ++j) {
      const String* piece = L.stack[j].asString();
      if (piece->length) std::memcpy(out, piece->chars(), piece->length);
      out += piece->length;
    }
  };
  if (total > kMaxShortString) {
    String* joined = S.newLongString(total);  // may collect: the pieces stay on the stack
    copyInto(joined->chars());
    return joined;
  }
  char buffer[kMaxShortString];
  copyInto(buffer);
  return S.newString(std::string_view(buffer, total));
}

void concatenate(State& S, Thread& L, int first, int count) {
  auto isStringLike = [](const Value& v) { return v.isString() || v.isNumber(); };
  while (count > 1) {
    int top = first + count;
    Value& a = L.stack[top - 2];
    Value& b = L.stack[top - 1];
    if (!isStringLike(a) || !isStringLike(b)) {
      const Value* tm = S.metamethod(a, Event::Concat);
      if (!tm) tm = S.metamethod(b, Event::Concat);
      if (!tm) typeError(S, L, isStringLike(a) ? &b : &a, "concatenate");
      Value tmCopy = *tm, x = a, y = b;
      Value result = callMetamethod(S, L, tmCopy, x, y);  // called above L.top, past the operands
      if (S.deferredCall.pending) {
        // The interpreter calls it as a frame; it resumes this concatenation afterwards.
        S.deferredCall.concatCount = count;
        return;
      }
      L.stack[top - 2] = result;
      --count;
      continue;
    }
    // Gather the longest run of strings/numbers ending at the top and build it once.
    int n = 2;
    while (n < count && isStringLike(L.stack[top - n - 1])) ++n;
    size_t total = 0;
    for (int j = top - n; j < top; ++j) {
      toStringCoerced(S, L.stack[j]);
      total += L.stack[j].asString()->length;
    }
    L.stack[top - n] = Value::string(joinStrings(S, L, top - n, n, total));
    count -= n - 1;
  }
  if (count == 1 && L.stack[first].isNumber()) toStringCoerced(S, L.stack[first]);
}

void lengthOf(State& S, Thread& L, const Value& v, Value& out) {
  if (v.isString()) {
    out = Value::integer(static_cast<int64_t>(v.asString()->length));
    return;
  }
  const Value* tm = S.metamethod(v, Event::Len);
  if (tm) {
    Value tmCopy = *tm, x = v;
    out = callMetamethod(S, L, tmCopy, x, x);
    return;
  }
  if (v.isTable()) {
    out = Value::integer(static_cast<int64_t>(v.asTable()->length()));
    return;
  }
  typeError(S, L, &v, "get length of");
}

// ---- indexing -------------------------------------------------------------------------------

void getIndexed(State& S, Thread& L, const Value& t, const Value& key, Value& out) {
  Value current = t;
  Value k = key;
  for (int loop = 0; loop < kMaxMetaChain; ++loop) {
    const Value* tm;
    if (current.isTable()) {
      Table* h = current.asTable();
      const Value* v = h->get(k);
      if (!v->isNil()) {
        out = *v;
        return;
      }
      tm = S.fastMetamethod(h->metatable, Event::Index);
      if (!tm) {
        out = Value();
        return;
      }
    } else {
      tm = S.metamethod(current, Event::Index);
      if (!tm) typeError(S, L, loop == 0 ? &t : &current, "index");
    }
    if (tm->isFunction()) {
      Value tmCopy = *tm;
      out = callMetamethod(S, L, tmCopy, current, k);
      return;
    }
    current = *tm;
  }
  S.runtimeError(L, "'__index' chain too long; possible loop");
}

void setIndexed(State& S, Thread& L, const Value& t, const Value& key, const Value& value) {
  Value current = t;
  Value k = key, v = value;
  for (int loop = 0; loop < kMaxMetaChain; ++loop) {
    const Value* tm;
    if (current.isTable()) {
      Table* h = current.asTable();
      const Value* slot = h->get(k);
      if (!slot->isNil()) {
        *const_cast<Value*>(slot) = v;
        h->absentMetamethods = 0;
        S.collector.barrierBackValue(h, v);
        return;
      }
      tm = S.fastMetamethod(h->metatable, Event::NewIndex);
      if (!tm) {
        if (k.isNil()) S.runtimeError(L, "table index is nil");
        if (k.isFloat() && std::isnan(k.n)) S.runtimeError(L, "table index is NaN");
        h->set(S, k, v);
        S.collector.barrierBackValue(h, v);
        S.collector.barrierBackValue(h, k);
        return;
      }
    } else {
      tm = S.metamethod(current, Event::NewIndex);
      if (!tm) typeError(S, L, loop == 0 ? &t : &current, "index");
    }
    if (tm->isFunction()) {
      Value tmCopy = *tm;
      callMetamethod(S, L, tmCopy, current, k, &v, 0);
      return;
    }
    current = *tm;
  }
  S.runtimeError(L, "'__newindex' chain too long; possible loop");
}

// ---- numeric for ----------------------------------------------------------------------------

namespace {

[[noreturn]] void forError(State& S, Thread& L, const Value& v, const char* what) {
  S.runtimeError(L, std::string("bad 'for' ") + what + " (number expected, got " + objectTypeName(S, v) + ")");
}

// The integer limit of an integer loop; true when the loop must not run at all.
bool forLimit(State& S, Thread& L, const Value& limit, int64_t init, int64_t step, int64_t& out) {
  if (limit.isInteger()) {
    out = limit.i;
  } else {
    double f;
    if (!toNumberValue(limit, f)) forError(S, L, limit, "limit");
    if (std::isnan(f)) return true;
    double rounded = step < 0 ? std::ceil(f) : std::floor(f);
    if (rounded >= -0x1p63 && rounded < 0x1p63) {
      out = static_cast<int64_t>(rounded);
    } else if (f > 0) {
      if (step < 0) return true;
      out = INT64_MAX;
    } else {
      if (step > 0) return true;
      out = INT64_MIN;
    }
  }
  return step > 0 ? init > out : init < out;
}

}  // namespace

bool forPrep(State& S, Thread& L, Value* ra) {
  Value init = ra[0], limit = ra[1], step = ra[2];
  if (init.isInteger() && step.isInteger()) {
    if (step.i == 0) S.runtimeError(L, "'for' step is zero");
    int64_t ilimit;
    if (forLimit(S, L, limit, init.i, step.i, ilimit)) return true;
    uint64_t count;
    if (step.i > 0) {
      count = (static_cast<uint64_t>(ilimit) - static_cast<uint64_t>(init.i)) / static_cast<uint64_t>(step.i);
    } else {
      count = (static_cast<uint64_t>(init.i) - static_cast<uint64_t>(ilimit)) /
              (static_cast<uint64_t>(-(step.i + 1)) + 1u);
    }
    ra[1] = Value::integer(static_cast<int64_t>(count));
    ra[3] = init;
    return false;
  }
  double flimit, fstep, finit;
  if (!toNumberValue(limit, flimit)) forError(S, L, limit, "limit");
  if (!toNumberValue(step, fstep)) forError(S, L, step, "step");
  if (!toNumberValue(init, finit)) forError(S, L, init, "initial value");
  if (fstep == 0) S.runtimeError(L, "'for' step is zero");
  if (fstep > 0 ? flimit < finit : finit < flimit) return true;
  ra[0] = Value::number(finit);
  ra[1] = Value::number(flimit);
  ra[2] = Value::number(fstep);
  ra[3] = Value::number(finit);
  return false;
}

}  // namespace lunette
