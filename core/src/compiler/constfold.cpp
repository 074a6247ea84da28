// Constant folding; see constfold.h for the rules.
#include "compiler/constfold.h"

#include <cmath>

#include "common/numconv.h"

namespace lunette {

namespace {

uint64_t asUnsigned(int64_t v) { return static_cast<uint64_t>(v); }
int64_t asSigned(uint64_t v) { return static_cast<int64_t>(v); }

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
    case ArithOp::Shr: return Numeral::fromInteger(shiftLeft(*x, asSigned(0 - asUnsigned(*y))));
    default: return Numeral::fromInteger(~*x);  // BNot
  }
}

std::optional<Numeral> foldInteger(ArithOp op, int64_t x, int64_t y) {
  switch (op) {
    case ArithOp::Add: return Numeral::fromInteger(asSigned(asUnsigned(x) + asUnsigned(y)));
    case ArithOp::Sub: return Numeral::fromInteger(asSigned(asUnsigned(x) - asUnsigned(y)));
    case ArithOp::Mul: return Numeral::fromInteger(asSigned(asUnsigned(x) * asUnsigned(y)));
    case ArithOp::Unm: return Numeral::fromInteger(asSigned(0 - asUnsigned(x)));
    case ArithOp::IDiv:
      if (y == 0) return std::nullopt;  // "attempt to perform 'n//0'"
      return Numeral::fromInteger(integerFloorDiv(x, y));
    case ArithOp::Mod:
      if (y == 0) return std::nullopt;  // "attempt to perform 'n%%0'"
      return Numeral::fromInteger(integerMod(x, y));
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

int64_t integerFloorDiv(int64_t a, int64_t b) {
  if (b == -1) return asSigned(0 - asUnsigned(a));  // avoids the overflow of INT64_MIN // -1
  int64_t q = a / b;
  if ((a % b != 0) && ((a ^ b) < 0)) q -= 1;  // C truncates; Lua floors
  return q;
}

int64_t integerMod(int64_t a, int64_t b) {
  if (b == -1) return 0;
  int64_t r = a % b;
  if (r != 0 && (r ^ b) < 0) r += b;  // the result takes the divisor's sign
  return r;
}

double floatMod(double a, double b) {
  double m = std::fmod(a, b);
  if ((m > 0) ? b < 0 : (m < 0 && b != m)) m += b;
  return m;
}

int64_t shiftLeft(int64_t value, int64_t shift) {
  if (shift <= -64 || shift >= 64) return 0;
  if (shift < 0) return asSigned(asUnsigned(value) >> (-shift));
  return asSigned(asUnsigned(value) << shift);
}

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
