// The `math` library (manual section 6.7), including the functions Debian's lua5.4 keeps for
// compatibility (atan2, cosh, sinh, tanh, pow, frexp, ldexp, log10), so that scripts see the
// same table as under the reference.
//
// Integer-ness is preserved the way 5.4 does it: abs/floor/ceil/fmod/max/min return integers for
// integer arguments, floor/ceil/modf turn float results into integers when they fit, and
// everything else works in floats. The random generator's state lives in a userdata that is the
// first upvalue of `random` and `randomseed`, so each State has its own stream.
#include <cmath>
#include <limits>
#include <ctime>
#include <new>
#include <numbers>

#include "common/numconv.h"
#include "lib/libs.h"
#include "lib/math_random.h"
#include "vm/thread.h"

namespace lunette {

namespace {

// Pushes a float result as an integer when it has an exact integer value in range.
void pushNumberAsIntegerIfExact(Lua& L, double d) {
  if (auto n = floatToInteger(d)) {
    L.pushInteger(*n);
  } else {
    L.pushNumber(d);
  }
}

// The first argument as a number. A float is read straight from the frame: through the API
// (checkNumber's index resolution) the read was a call of its own in WebAssembly, 3% of
// nbody's profile for its math.sqrt. Anything else (an integer, a string, no argument) goes
// through checkNumber, which converts or raises.
double firstNumber(Lua& L) {
  const Thread& T = L.thread();
  const int slot = T.calls.back().func + 1;
  if (slot < T.top && T.stack[slot].isFloat()) return T.stack[slot].n;
  return L.checkNumber(1);
}

// Applies `fn` to a numeric argument and pushes the float result.
template <double (*fn)(double)>
int unaryFloat(Lua& L) {
  L.pushNumber(fn(firstNumber(L)));
  return 1;
}

double sinOf(double x) { return std::sin(x); }
double cosOf(double x) { return std::cos(x); }
double tanOf(double x) { return std::tan(x); }
// Outside [-1, 1] both C libraries return a NaN, but musl's is negative (prints "-nan") where
// glibc's is positive: return the positive one so every build prints what lua5.4 prints.
double asinOf(double x) { return std::fabs(x) > 1 ? std::numeric_limits<double>::quiet_NaN() : std::asin(x); }
double acosOf(double x) { return std::fabs(x) > 1 ? std::numeric_limits<double>::quiet_NaN() : std::acos(x); }
double sqrtOf(double x) { return std::sqrt(x); }
double expOf(double x) { return std::exp(x); }
double coshOf(double x) { return std::cosh(x); }
double sinhOf(double x) { return std::sinh(x); }
double tanhOf(double x) { return std::tanh(x); }
double log10Of(double x) { return std::log10(x); }
double degreesOf(double x) { return x * (180.0 / std::numbers::pi); }
double radiansOf(double x) { return x * (std::numbers::pi / 180.0); }

// ---- integer-preserving functions -------------------------------------------------------

int mathAbs(Lua& L) {
  if (L.isInteger(1)) {
    int64_t n = *L.toInteger(1);
    // Negating in unsigned arithmetic makes abs(mininteger) wrap to itself, as in 5.4.
    if (n < 0) n = static_cast<int64_t>(0u - static_cast<uint64_t>(n));
    L.pushInteger(n);
  } else {
    L.pushNumber(std::fabs(L.checkNumber(1)));
  }
  return 1;
}

int mathFloor(Lua& L) {
  if (L.isInteger(1)) {
    L.setTop(1);  // an integer is its own floor
  } else {
    pushNumberAsIntegerIfExact(L, std::floor(L.checkNumber(1)));
  }
  return 1;
}

int mathCeil(Lua& L) {
  if (L.isInteger(1)) {
    L.setTop(1);
  } else {
    pushNumberAsIntegerIfExact(L, std::ceil(L.checkNumber(1)));
  }
  return 1;
}

int mathFmod(Lua& L) {
  if (L.isInteger(1) && L.isInteger(2)) {
    const int64_t d = *L.toInteger(2);
    // d is 0 or -1: 0 is an error, and m % -1 is 0 but would trap for mininteger in C++.
    if (static_cast<uint64_t>(d) + 1u <= 1u) {
      L.argCheck(d != 0, 2, "zero");
      L.pushInteger(0);
    } else {
      L.pushInteger(*L.toInteger(1) % d);  // C++ % truncates, which is what fmod means
    }
  } else {
    L.pushNumber(std::fmod(L.checkNumber(1), L.checkNumber(2)));
  }
  return 1;
}

int mathModf(Lua& L) {
  if (L.isInteger(1)) {
    L.setTop(1);  // its own integer part
    L.pushNumber(0.0);
    return 2;
  }
  const double n = L.checkNumber(1);
  const double integral = n < 0 ? std::ceil(n) : std::floor(n);  // rounds toward zero
  pushNumberAsIntegerIfExact(L, integral);
  // inf - inf would be nan: an infinite number has no fractional part.
  L.pushNumber(n == integral ? 0.0 : n - integral);
  return 2;
}

int mathToInteger(Lua& L) {
  if (auto n = L.toInteger(1)) {
    L.pushInteger(*n);
  } else {
    L.checkAny(1);
    L.pushNil();
  }
  return 1;
}

int mathType(Lua& L) {
  if (L.type(1) == Type::Number) {
    L.pushString(L.isInteger(1) ? "integer" : "float");
  } else {
    L.checkAny(1);
    L.pushNil();
  }
  return 1;
}

int mathUlt(Lua& L) {
  const auto a = static_cast<uint64_t>(L.checkInteger(1));
  const auto b = static_cast<uint64_t>(L.checkInteger(2));
  L.pushBoolean(a < b);
  return 1;
}

// min and max compare with `<` (metamethods and all) and return the winning argument itself,
// so its subtype survives: math.max(1, 2.0) is 2.0 and math.max(2, 2.0) is 2.
int mathMin(Lua& L) {
  const int n = L.top();
  L.argCheck(n >= 1, 1, "value expected");
  int best = 1;
  for (int i = 2; i <= n; ++i) {
    if (L.compare(i, best, CompareOp::Lt)) best = i;
  }
  L.pushValue(best);
  return 1;
}

int mathMax(Lua& L) {
  const int n = L.top();
  L.argCheck(n >= 1, 1, "value expected");
  int best = 1;
  for (int i = 2; i <= n; ++i) {
    if (L.compare(best, i, CompareOp::Lt)) best = i;
  }
  L.pushValue(best);
  return 1;
}

// ---- floating-point functions -----------------------------------------------------------

int mathAtan(Lua& L) {
  const double y = L.checkNumber(1);
  const double x = L.optNumber(2, 1.0);
  L.pushNumber(std::atan2(y, x));
  return 1;
}

// Bases 2 and 10 use the dedicated functions: log(8, 2) must be exactly 3.0.
int mathLog(Lua& L) {
  const double x = L.checkNumber(1);
  double result;
  if (L.isNoneOrNil(2)) {
    result = std::log(x);
  } else {
    const double base = L.checkNumber(2);
    if (base == 2.0) {
      result = std::log2(x);
    } else if (base == 10.0) {
      result = std::log10(x);
    } else {
      result = std::log(x) / std::log(base);
    }
  }
  L.pushNumber(result);
  return 1;
}

// A separate function rather than a second name for atan: an error message names a function
// by searching the loaded libraries, and one function under two names would make that search
// depend on table order.
int mathAtan2(Lua& L) { return mathAtan(L); }

int mathPow(Lua& L) {
  const double x = L.checkNumber(1);
  const double y = L.checkNumber(2);
  L.pushNumber(std::pow(x, y));
  return 1;
}

int mathFrexp(Lua& L) {
  int exponent = 0;
  L.pushNumber(std::frexp(L.checkNumber(1), &exponent));
  L.pushInteger(exponent);
  return 2;
}

int mathLdexp(Lua& L) {
  const double x = L.checkNumber(1);
  const int exponent = static_cast<int>(L.checkInteger(2));  // truncated like the reference
  L.pushNumber(std::ldexp(x, exponent));
  return 1;
}

// ---- pseudo-random numbers --------------------------------------------------------------

RandomGenerator& generatorOf(Lua& L) {
  return *static_cast<RandomGenerator*>(L.toUserdata(upvalueIndex(1)));
}

int mathRandom(Lua& L) {
  RandomGenerator& generator = generatorOf(L);
  const uint64_t raw = generator.next();
  int64_t low, up;
  switch (L.top()) {
    case 0:
      L.pushNumber(RandomGenerator::toUnitFloat(raw));
      return 1;
    case 1:
      low = 1;
      up = L.checkInteger(1);
      if (up == 0) {  // random(0): all 64 bits
        L.pushInteger(static_cast<int64_t>(raw));
        return 1;
      }
      break;
    case 2:
      low = L.checkInteger(1);
      up = L.checkInteger(2);
      break;
    default:
      L.raise("wrong number of arguments");
  }
  L.argCheck(low <= up, 1, "interval is empty");
  // Work in unsigned arithmetic so that [mininteger, maxinteger] does not overflow.
  const uint64_t span = static_cast<uint64_t>(up) - static_cast<uint64_t>(low);
  L.pushInteger(static_cast<int64_t>(generator.project(raw, span) + static_cast<uint64_t>(low)));
  return 1;
}

// Seeds and pushes the two seed words (randomseed returns them, as 5.4.4 does).
void seedAndPush(Lua& L, RandomGenerator& generator, uint64_t n1, uint64_t n2) {
  generator.seed(n1, n2);
  L.pushInteger(static_cast<int64_t>(n1));
  L.pushInteger(static_cast<int64_t>(n2));
}

// Without arguments the seed mixes the clock with an address, like the reference (the time and
// the state's address).
void seedFromEnvironment(Lua& L, RandomGenerator& generator) {
  const auto n1 = static_cast<uint64_t>(std::time(nullptr));
  const auto n2 = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(&L.state()));
  seedAndPush(L, generator, n1, n2);
}

int mathRandomseed(Lua& L) {
  RandomGenerator& generator = generatorOf(L);
  if (L.isNone(1)) {
    seedFromEnvironment(L, generator);
  } else {
    const int64_t n1 = L.checkInteger(1);
    const int64_t n2 = L.optInteger(2, 0);
    seedAndPush(L, generator, static_cast<uint64_t>(n1), static_cast<uint64_t>(n2));
  }
  return 2;
}

// Creates the generator userdata and installs random/randomseed as closures over it.
void installRandom(Lua& L) {
  auto* generator = new (L.newUserdata(sizeof(RandomGenerator))) RandomGenerator();
  seedFromEnvironment(L, *generator);
  L.pop(2);  // the seed words
  L.pushValue(-1);
  L.pushNative(mathRandom, 1);
  L.setField(-3, "random");
  L.pushNative(mathRandomseed, 1);
  L.setField(-2, "randomseed");
}

}  // namespace

int openMath(Lua& L) {
  L.newTable(0, 40);
  L.setFunctions({
      {"abs", mathAbs},
      {"acos", unaryFloat<acosOf>},
      {"asin", unaryFloat<asinOf>},
      {"atan", mathAtan},
      {"ceil", mathCeil},
      {"cos", unaryFloat<cosOf>},
      {"deg", unaryFloat<degreesOf>},
      {"exp", unaryFloat<expOf>},
      {"tointeger", mathToInteger},
      {"floor", mathFloor},
      {"fmod", mathFmod},
      {"ult", mathUlt},
      {"log", mathLog},
      {"max", mathMax},
      {"min", mathMin},
      {"modf", mathModf},
      {"rad", unaryFloat<radiansOf>},
      {"sin", unaryFloat<sinOf>},
      {"sqrt", unaryFloat<sqrtOf>},
      {"tan", unaryFloat<tanOf>},
      {"type", mathType},
      // Compatibility functions, present in Debian's lua5.4.
      {"atan2", mathAtan2},
      {"cosh", unaryFloat<coshOf>},
      {"sinh", unaryFloat<sinhOf>},
      {"tanh", unaryFloat<tanhOf>},
      {"pow", mathPow},
      {"frexp", mathFrexp},
      {"ldexp", mathLdexp},
      {"log10", unaryFloat<log10Of>},
  });
  L.pushNumber(std::numbers::pi);
  L.setField(-2, "pi");
  L.pushNumber(HUGE_VAL);
  L.setField(-2, "huge");
  L.pushInteger(INT64_MAX);
  L.setField(-2, "maxinteger");
  L.pushInteger(INT64_MIN);
  L.setField(-2, "mininteger");
  installRandom(L);
  return 1;
}

}  // namespace lunette
