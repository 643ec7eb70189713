// kobai/data/random.hpp — the random numbers of training: a small generator with a state that can be
// saved and restored exactly, and the few distributions kobai needs, defined here bit for bit.
//
// std::mt19937 is portable but its distributions are not: std::uniform_int_distribution and
// std::normal_distribution differ between libstdc++ and libc++, so a run shuffled with them would
// not be reproducible across compilers. Here every draw is specified: xoshiro256** (Blackman &
// Vigna 2018) seeded through SplitMix64, an unbiased bounded integer by Lemire's multiply-and-reject
// (2019), a uniform double from the top 53 bits, a normal by Box–Muller. The state is four 64-bit
// words, which a checkpoint stores so that a resumed run draws the same numbers.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

namespace kobai::data {

namespace detail {
__extension__ typedef unsigned __int128 uint128;  // __extension__: no -Wpedantic warning
}

class Random {
 public:
  using State = std::array<std::uint64_t, 4>;

  explicit Random(std::uint64_t seed = 0) { reseed(seed); }

  void reseed(std::uint64_t seed) {
    std::uint64_t s = seed;
    for (std::uint64_t& word : state_) word = splitmix64(s);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, bound), unbiased (bound > 0).
  std::uint64_t below(std::uint64_t bound) {
    detail::uint128 m = static_cast<detail::uint128>(next()) * bound;
    std::uint64_t low = static_cast<std::uint64_t>(m);
    if (low < bound) {
      const std::uint64_t threshold = (0 - bound) % bound;
      while (low < threshold) {
        m = static_cast<detail::uint128>(next()) * bound;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Standard normal (Box–Muller, one value per call: the second is dropped so the state alone
  // determines the next draw).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]: log is finite
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

  const State& state() const { return state_; }
  void set_state(const State& state) { state_ = state; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix64(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  State state_{};
};

// Fisher–Yates with Random::below: the same permutation on every platform for the same state.
template <class Index>
void shuffle(std::vector<Index>& items, Random& random) {
  for (std::size_t i = items.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(random.below(i));
    std::swap(items[i - 1], items[j]);
  }
}

}  // namespace kobai::data
