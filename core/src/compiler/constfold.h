// Compile-time arithmetic on numeric constants, with exactly the results the VM computes at run
// time, since both use common/arith.h (Lua 5.4 section 3.4.1): integer + - * wrap around, // and
// % floor, / and ^ are always float, bitwise operators need operands with an exact integer
// value, shifts of 64 or more give 0 and negative shifts go the other way.
//
// foldArith() refuses (returns nullopt) whatever must be left to run time because it would
// raise an error there: integer or float division and modulo by zero, and bitwise operations on
// floats without an exact integer value. The code generator further refuses float results that
// are NaN or zero (it cannot tell -0.0 from 0.0 in its constant table without help, and NaN is
// never a constant), as the reference does.
#pragma once

#include <cstdint>
#include <optional>

#include "common/arith.h"

namespace lunette {

struct Numeral {
  bool isInteger = true;
  int64_t integer = 0;
  double number = 0.0;

  static Numeral fromInteger(int64_t i) { return {true, i, 0.0}; }
  static Numeral fromFloat(double d) { return {false, 0, d}; }
  double toFloat() const { return isInteger ? static_cast<double>(integer) : number; }
};

// For the unary operators `b` is ignored.
std::optional<Numeral> foldArith(ArithOp op, Numeral a, Numeral b);

}  // namespace lunette
