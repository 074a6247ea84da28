// Constant folding; see constfold.h for the rules.
#include "compiler/constfold.h"

#include <cmath>

#include "common/arith.h"
#include "common/numconv.h"

namespace lunette {

namespace {

std::optional<int64_t> exactInteger(Numeral n) {
  if (n.isInteger) return n.integer;
  return floatToInteger(n.number);
}

bool isBitwise(ArithOp op) {
  switch (op) {
    case ArithOp::BAnd:
    case ArithOp::BOr:
    case ArithOp::BXor:
    case ArithOp::Shl:
    case ArithOp::Shr:
    case ArithOp::BNot:
      return true;
    default:
      return false;
  }
}

std::optional<Numeral> foldBitwise(ArithOp op, Numeral a, Numeral b) {
  auto x = exactInteger(a);
  auto y = exactInteger(b);
  if (!x || !y) return std::nullopt;  // would raise "number has no integer representation"
  switch (op) {
    case ArithOp::BAnd: return Numeral::fromInteger(*x & *y);
    case ArithOp::BOr: return Numeral::fromInteger(*x | *y);
    case ArithOp::BXor: return Numeral::fromInteger(*x ^ *y);
    case ArithOp::Shl: return Numeral::fromInteger(shiftLeft(*x, *y));
    case ArithOp::Shr: return Numeral::fromInteger(shiftLeft(*x, wrapSub(0, *y)));
    default: return Numeral::fromInteger(~*x);  // BNot
  }
}

std::optional<Numeral> foldInteger(ArithOp op, int64_t x, int64_t y) {
  switch (op) {
    case ArithOp::Add: return Numeral::fromInteger(wrapAdd(x, y));
    case ArithOp::Sub: return Numeral::fromInteger(wrapSub(x, y));
    case ArithOp::Mul: return Numeral::fromInteger(wrapMul(x, y));
    case ArithOp::Unm: return Numeral::fromInteger(wrapSub(0, x));
    case ArithOp::IDiv:
      if (y == 0) return std::nullopt;  // "attempt to perform 'n//0'"
      return Numeral::fromInteger(floorDiv(x, y));
    case ArithOp::Mod:
      if (y == 0) return std::nullopt;  // "attempt to perform 'n%%0'"
      return Numeral::fromInteger(floorMod(x, y));
    default:
      return std::nullopt;
  }
}

std::optional<Numeral> foldFloat(ArithOp op, double x, double y) {
  switch (op) {
    case ArithOp::Add: return Numeral::fromFloat(x + y);
    case ArithOp::Sub: return Numeral::fromFloat(x - y);
    case ArithOp::Mul: return Numeral::fromFloat(x * y);
    case ArithOp::Div: return Numeral::fromFloat(x / y);
    case ArithOp::Pow: return Numeral::fromFloat(y == 2 ? x * x : std::pow(x, y));
    case ArithOp::IDiv: return Numeral::fromFloat(std::floor(x / y));
    case ArithOp::Mod: return Numeral::fromFloat(floatMod(x, y));
    case ArithOp::Unm: return Numeral::fromFloat(-x);
    default: return std::nullopt;
  }
}

}  // namespace

std::optional<Numeral> foldArith(ArithOp op, Numeral a, Numeral b) {
  if (isBitwise(op)) return foldBitwise(op, a, b);
  bool unary = op == ArithOp::Unm;
  // Division and modulo by zero are left for run time, whatever the operand types.
  if ((op == ArithOp::Div || op == ArithOp::IDiv || op == ArithOp::Mod) && b.toFloat() == 0)
    return std::nullopt;
  if (op != ArithOp::Div && op != ArithOp::Pow && a.isInteger && (unary || b.isInteger))
    return foldInteger(op, a.integer, b.integer);
  return foldFloat(op, a.toFloat(), b.toFloat());
}

}  // namespace lunette
