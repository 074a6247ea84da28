// Fast paths of arithmetic and numeric for loops, inlined into the dispatch loop. The slow
// paths (coercions, metamethods, errors) live in operations.cpp.
#pragma once

#include <cmath>
#include <cstdint>

#include "common/arith.h"
#include "vm/state.h"

namespace lunette {

// Arithmetic on two numbers without coercion or metamethods; false when the slow path must
// decide (non-numbers, integer division by zero, bitwise on floats).
inline bool fastArith(ArithOp op, const Value& a, const Value& b, Value& out) {
  if (a.tag == Tag::Integer && b.tag == Tag::Integer) {
    int64_t x = a.i, y = b.i;
    switch (op) {
      case ArithOp::Add: out = Value::integer(wrapAdd(x, y)); return true;
      case ArithOp::Sub: out = Value::integer(wrapSub(x, y)); return true;
      case ArithOp::Mul: out = Value::integer(wrapMul(x, y)); return true;
      case ArithOp::Mod:
        if (y == 0) return false;
        out = Value::integer(floorMod(x, y));
        return true;
      case ArithOp::IDiv:
        if (y == 0) return false;
        out = Value::integer(floorDiv(x, y));
        return true;
      case ArithOp::Div: out = Value::number(static_cast<double>(x) / static_cast<double>(y)); return true;
      case ArithOp::Pow: out = Value::number(std::pow(static_cast<double>(x), static_cast<double>(y))); return true;
      case ArithOp::BAnd: out = Value::integer(x & y); return true;
      case ArithOp::BOr: out = Value::integer(x | y); return true;
      case ArithOp::BXor: out = Value::integer(x ^ y); return true;
      case ArithOp::Shl: out = Value::integer(shiftLeft(x, y)); return true;
      case ArithOp::Shr: out = Value::integer(shiftLeft(x, wrapSub(0, y))); return true;
      default: return false;
    }
  }
  double x, y;
  if (a.tag == Tag::Float && b.tag == Tag::Float) {  // float code mixes in integers rarely
    x = a.n;
    y = b.n;
  } else if (a.isNumber() && b.isNumber()) {
    x = a.toDouble();
    y = b.toDouble();
  } else {
    return false;
  }
  switch (op) {
    case ArithOp::Add: out = Value::number(x + y); return true;
    case ArithOp::Sub: out = Value::number(x - y); return true;
    case ArithOp::Mul: out = Value::number(x * y); return true;
    case ArithOp::Div: out = Value::number(x / y); return true;
    case ArithOp::Mod: out = Value::number(floatMod(x, y)); return true;
    case ArithOp::IDiv: out = Value::number(std::floor(x / y)); return true;
    case ArithOp::Pow:
      out = Value::number(y == 2 ? x * x : std::pow(x, y));
      return true;
    default: return false;  // bitwise on floats: the slow path converts or raises
  }
}

// FORPREP leaves R[A..A+2] all integers or all floats and compiled code never writes them, but
// a crafted binary chunk can (or can jump to FORLOOP directly): FORLOOP writes their payloads
// without their tags, so it checks this first.
inline bool forLoopStateIntact(const Value* ra) {
  Tag kind = ra[2].tag;
  return (kind == Tag::Integer || kind == Tag::Float) && ra[0].tag == kind && ra[1].tag == kind;
}

// Numeric for with float control values: advances R[A], returns true if the loop goes on.
inline bool floatForLoop(Value* ra) {
  double step = ra[2].n;
  double index = ra[0].n + step;
  double limit = ra[1].n;
  if (step > 0 ? index <= limit : limit <= index) {
    ra[0].n = index;
    ra[3] = Value::number(index);
    return true;
  }
  return false;
}

// Prepares a numeric for loop at R[A]; returns true when the loop must be skipped.
bool forPrep(State& S, Thread& L, Value* ra);

}  // namespace lunette
