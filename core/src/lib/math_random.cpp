// xoshiro256** and Lua 5.4's seeding, integer projection and float conversion; see
// math_random.h.
#include "lib/math_random.h"

namespace lunette {

namespace {

constexpr uint64_t rotateLeft(uint64_t x, int n) { return (x << n) | (x >> (64 - n)); }

// Number of discarded outputs after seeding: enough to mix a small seed into every state bit.
constexpr int kSeedDiscards = 16;

// Doubles carry 53 significant bits; the float conversion keeps that many from each output.
constexpr int kFloatBits = 53;

}  // namespace

void RandomGenerator::seed(uint64_t n1, uint64_t n2) {
  state_ = {n1, 0xff, n2, 0};
  for (int i = 0; i < kSeedDiscards; ++i) next();
}

uint64_t RandomGenerator::next() {
  uint64_t* s = state_.data();
  const uint64_t result = rotateLeft(s[1] * 5, 7) * 9;
  const uint64_t shifted = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= shifted;
  s[3] = rotateLeft(s[3], 45);
  return result;
}

double RandomGenerator::toUnitFloat(uint64_t raw) {
  constexpr double kScale = 1.0 / static_cast<double>(uint64_t{1} << kFloatBits);
  return static_cast<double>(raw >> (64 - kFloatBits)) * kScale;
}

uint64_t RandomGenerator::project(uint64_t raw, uint64_t n) {
  if ((n & (n + 1)) == 0) return raw & n;  // n + 1 is a power of two: masking is unbiased
  // Smallest 2^b - 1 that is >= n: smear the highest set bit into every lower position.
  uint64_t mask = n;
  for (int shift = 1; shift < 64; shift <<= 1) mask |= mask >> shift;
  while ((raw &= mask) > n) raw = next();
  return raw;
}

}  // namespace lunette
