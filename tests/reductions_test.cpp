// The SIMD reductions (kobai/core/reductions.hpp) against plain loops: every length around the
// pack and block boundaries, NaN and infinities anywhere, and the dot product's fixed order of
// summation (element i in partial sum i mod 8, the partials added in a fixed tree).
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <vector>

#include "kobai/core/reductions.hpp"
#include "kobai/core/simd_avx2_copy.hpp"

namespace {

namespace r = kobai::reductions;

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Lengths below, at and above the blocks of 8 elements and the 4-pack chains of the maxima.
const std::size_t lengths[] = {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 1000, 1003};

std::vector<double> random_vector(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<double> v(n);
  for (double& e : v) e = normal(rng) * std::exp(3 * normal(rng));  // magnitudes over decades
  return v;
}

TEST(Reductions, MaxAbsIsThePlainLoopsAnswerAtEveryLength) {
  for (std::size_t n : lengths) {
    const std::vector<double> v = random_vector(n, 1 + static_cast<unsigned>(n));
    double expected = 0;
    for (double e : v) expected = std::max(expected, std::abs(e));
    EXPECT_EQ(r::max_abs(v.data(), n), expected) << "n = " << n;
  }
}

TEST(Reductions, MaxAbsPassesOverNaNAndSeesInfinityAnywhere) {
  for (std::size_t n : lengths) {
    if (n == 0) continue;
    for (std::size_t at : {std::size_t{0}, n / 2, n - 1}) {
      std::vector<double> v(n, -1.5);
      v[at] = nan;
      EXPECT_EQ(r::max_abs(v.data(), n), n == 1 ? 0.0 : 1.5) << "n = " << n << ", NaN at " << at;
      v[at] = -inf;
      EXPECT_EQ(r::max_abs(v.data(), n), inf) << "n = " << n << ", -inf at " << at;
    }
  }
}

TEST(Reductions, AllFiniteFindsAnyInfinityOrNaNInEitherVector) {
  for (std::size_t n : lengths) {
    const std::vector<double> a = random_vector(n, 7), b = random_vector(n, 8);
    EXPECT_TRUE(r::all_finite(a.data(), b.data(), n)) << "n = " << n;
    if (n == 0) continue;
    for (std::size_t at : {std::size_t{0}, n / 2, n - 1}) {
      for (double bad : {inf, -inf, nan}) {
        std::vector<double> a_bad = a, b_bad = b;
        a_bad[at] = bad;
        b_bad[at] = bad;
        EXPECT_FALSE(r::all_finite(a_bad.data(), b.data(), n)) << "n = " << n << ", at " << at;
        EXPECT_FALSE(r::all_finite(a.data(), b_bad.data(), n)) << "n = " << n << ", at " << at;
      }
    }
  }
}

TEST(Reductions, ScanStepIsAllFiniteAndMaxAbsInOnePassAtBothWidths) {
  const bool saved = kobai::simd::avx2_copy_enabled();
  for (bool avx2 : {false, true}) {
    kobai::simd::avx2_copy_enabled() = avx2 && saved;
    for (std::size_t n : lengths) {
      const std::vector<double> x = random_vector(n, 21), g = random_vector(n, 22);
      auto scan = r::scan_step(x.data(), g.data(), n);
      EXPECT_TRUE(scan.finite) << "n = " << n;
      EXPECT_EQ(scan.max_abs, r::max_abs(g.data(), n)) << "n = " << n;
      if (n == 0) continue;
      for (std::size_t at : {std::size_t{0}, n / 2, n - 1})
        for (double bad : {inf, -inf, nan}) {
          std::vector<double> x_bad = x, g_bad = g;
          x_bad[at] = bad;
          g_bad[at] = bad;
          EXPECT_FALSE(r::scan_step(x_bad.data(), g.data(), n).finite) << "n = " << n << ", at " << at;
          scan = r::scan_step(x.data(), g_bad.data(), n);
          EXPECT_FALSE(scan.finite) << "n = " << n << ", at " << at;
          EXPECT_EQ(scan.max_abs, r::max_abs(g_bad.data(), n)) << "n = " << n << ", at " << at;
        }
    }
  }
  kobai::simd::avx2_copy_enabled() = saved;
}

TEST(Reductions, DotAddsEachPartialSumInOrderThenTheFixedTree) {
  for (std::size_t n : lengths) {
    const std::vector<double> a = random_vector(n, 11), b = random_vector(n, 12);
    double p[8] = {};
    for (std::size_t i = 0; i < n; ++i) p[i % 8] += a[i] * b[i];
    const double expected = ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
    EXPECT_EQ(r::dot(a.data(), b.data(), n), expected) << "n = " << n;  // the same bits
    long double exact = 0;
    for (std::size_t i = 0; i < n; ++i) exact += static_cast<long double>(a[i]) * b[i];
    long double magnitude = 0;
    for (std::size_t i = 0; i < n; ++i) magnitude += std::abs(static_cast<long double>(a[i]) * b[i]);
    // the usual bound for a sum of n products: n·ε relative to Σ|a_i b_i|
    EXPECT_LE(std::abs(static_cast<double>(exact - expected)),
              static_cast<double>(n) * std::numeric_limits<double>::epsilon() * static_cast<double>(magnitude))
        << "n = " << n;
  }
}

}  // namespace
