// The pseudo-random generator behind math.random and math.randomseed: xoshiro256** (Blackman and
// Vigna), seeded the way Lua 5.4 seeds it so that a given math.randomseed(n) reproduces the
// reference interpreter's sequence exactly.
//
// Invariants: the four state words are never all zero (seeding puts 0xff in the second word);
// every result is a pure function of the state, so two generators seeded alike agree forever.
#pragma once

#include <array>
#include <cstdint>

namespace lunette {

class RandomGenerator {
 public:
  // Seeds from two 64-bit words, as math.randomseed(n1, n2) does: the state becomes
  // {n1, 0xff, n2, 0} and the first 16 outputs are discarded to spread the seed's bits.
  void seed(uint64_t n1, uint64_t n2);

  // The next raw 64-bit output.
  uint64_t next();

  // A float uniformly spread over [0, 1): the top 53 bits of a raw output, scaled.
  static double toUnitFloat(uint64_t raw);

  // A value uniformly chosen from [0, n]. Takes `raw` first; when n + 1 is not a power of two
  // it masks to the smallest enclosing power of two and draws again until the value fits, so
  // no value is favoured (this consumes outputs exactly as the reference does).
  uint64_t project(uint64_t raw, uint64_t n);

  const std::array<uint64_t, 4>& state() const { return state_; }

 private:
  std::array<uint64_t, 4> state_{};
};

}  // namespace lunette
