// Lua 5.4's integer and float arithmetic rules, shared by the constant folder and the VM so
// that folding at compile time and computing at run time can never disagree.
#pragma once

#include <cmath>
#include <cstdint>

namespace lunette {

// The arithmetic and bitwise operators (the API's lua_arith codes, and the constant folder's).
enum class ArithOp { Add, Sub, Mul, Mod, Pow, Div, IDiv, BAnd, BOr, BXor, Shl, Shr, Unm, BNot };

inline int64_t wrapAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
inline int64_t wrapSub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}
inline int64_t wrapMul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}

// Floor division and modulo of integers; the divisor must not be zero.
inline int64_t floorDiv(int64_t a, int64_t b) {
  if (b == -1) return wrapSub(0, a);  // avoids INT64_MIN / -1
  int64_t q = a / b;
  if ((a % b != 0) && ((a ^ b) < 0)) --q;  // C truncates; Lua floors
  return q;
}
inline int64_t floorMod(int64_t a, int64_t b) {
  if (b == -1) return 0;
  int64_t r = a % b;
  if (r != 0 && ((r ^ b) < 0)) r += b;  // the result takes the divisor's sign
  return r;
}
inline double floatMod(double a, double b) {
  double m = std::fmod(a, b);
  if (m != 0 && ((m > 0) != (b > 0))) m += b;  // the result takes the divisor's sign
  return m;
}
// x << y for any y: negative shifts go right, |y| >= 64 gives 0 (logical shifts).
inline int64_t shiftLeft(int64_t x, int64_t y) {
  if (y <= -64 || y >= 64) return 0;
  if (y < 0) return static_cast<int64_t>(static_cast<uint64_t>(x) >> static_cast<unsigned>(-y));
  return static_cast<int64_t>(static_cast<uint64_t>(x) << static_cast<unsigned>(y));
}

}  // namespace lunette
