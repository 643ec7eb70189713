// The fused passes of L-BFGS's two-loop recursion (kobai/optim/lbfgs_kernels.hpp) against the
// plain expressions they replace: every element written is the expression's, bit for bit (no FMA
// contraction), and every returned dot product is reductions::dot of the vector just written
// (8 partial sums), at lengths around the blocks of 8; and the two-loop recursion written with
// Eigen gives the direction that Lbfgs computes to rounding.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "kobai/core/parallel.hpp"
#include "kobai/core/reductions.hpp"
#include "kobai/optim/lbfgs.hpp"
#include "kobai/optim/lbfgs_kernels.hpp"
#include "kobai/optim/lbfgs_vector_free_kernels.hpp"
#include "kobai/problems/rosenbrock.hpp"

namespace {

namespace k = kobai::lbfgs_kernels;
using Vec = std::vector<double>;

Vec random_vector(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  Vec v(n);
  for (double& e : v) e = normal(rng);
  return v;
}

const std::size_t lengths[] = {1, 7, 8, 9, 16, 31, 64, 1001};

TEST(LbfgsKernels, EachPassWritesTheExpressionAndReturnsTheDotOfWhatItWrote) {
  const double alpha = 0.37, gamma = 1.9, c = -0.6;
  for (std::size_t n : lengths) {
    SCOPED_TRACE(n);
    const Vec src = random_vector(n, 1), y = random_vector(n, 2), next = random_vector(n, 3);
    Vec q(n), expected(n);

    double dot = k::subtract_then_dot<false>(q.data(), src.data(), alpha, y.data(), gamma, next.data(), n);
    for (std::size_t i = 0; i < n; ++i) expected[i] = src[i] - alpha * y[i];
    EXPECT_EQ(q, expected);
    EXPECT_EQ(dot, kobai::reductions::dot(next.data(), q.data(), n));

    dot = k::subtract_then_dot<true>(q.data(), src.data(), alpha, y.data(), gamma, next.data(), n);
    for (std::size_t i = 0; i < n; ++i) expected[i] = (src[i] - alpha * y[i]) * gamma;
    EXPECT_EQ(q, expected);
    EXPECT_EQ(dot, kobai::reductions::dot(next.data(), q.data(), n));

    Vec r = src;
    dot = k::add_then_dot(r.data(), c, y.data(), next.data(), n);
    for (std::size_t i = 0; i < n; ++i) expected[i] = src[i] + c * y[i];
    EXPECT_EQ(r, expected);
    EXPECT_EQ(dot, kobai::reductions::dot(next.data(), r.data(), n));

    r = src;
    dot = k::add_negate_then_dot(r.data(), c, y.data(), next.data(), n);
    for (std::size_t i = 0; i < n; ++i) expected[i] = -(src[i] + c * y[i]);
    EXPECT_EQ(r, expected);
    EXPECT_EQ(dot, kobai::reductions::dot(next.data(), r.data(), n));

    const Vec x_old = random_vector(n, 4), g = random_vector(n, 5), g_old = random_vector(n, 6);
    Vec s(n), yy(n);
    const auto products = k::difference_pair(s.data(), yy.data(), src.data(), x_old.data(), g.data(), g_old.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_EQ(s[i], src[i] - x_old[i]);
      EXPECT_EQ(yy[i], g[i] - g_old[i]);
    }
    EXPECT_EQ(products.ys, kobai::reductions::dot(yy.data(), s.data(), n));
    EXPECT_EQ(products.yy, kobai::reductions::dot(yy.data(), yy.data(), n));
  }
}

// The vector-free passes' sums: each block's reductions::dot, the blocks added in order.
double block_dot(const Vec& a, const Vec& b) {
  double sum = 0;
  for (std::size_t begin = 0; begin < a.size(); begin += k::block)
    sum += kobai::reductions::dot(a.data() + begin, b.data() + begin, std::min(k::block, a.size() - begin));
  return sum;
}

// Threads for the passes: `threads`, splitting any length; and the AVX2 copy on or off (where the
// build has one and the CPU runs it). Restored afterwards.
class PassThreads {
 public:
  PassThreads(int threads, bool avx2)
      : threads_(kobai::num_threads()), grain_(kobai::parallel_grain()), avx2_(kobai::simd::avx2_copy_enabled()) {
    kobai::set_num_threads(threads);
    kobai::set_parallel_grain(1);
    kobai::simd::avx2_copy_enabled() = avx2 && avx2_;
  }
  ~PassThreads() {
    kobai::set_num_threads(threads_);
    kobai::set_parallel_grain(grain_);
    kobai::simd::avx2_copy_enabled() = avx2_;
  }

 private:
  int threads_;
  std::size_t grain_;
  bool avx2_;
};

// Every (threads, AVX2 copy) setting: the sums must be the same bits in each.
std::vector<std::pair<int, bool>> settings() {
  std::vector<std::pair<int, bool>> out;
  for (int threads : {1, 2, 3})
    for (bool avx2 : {false, true}) out.emplace_back(threads, avx2);
  return out;
}

const std::size_t pass_lengths[] = {1, 9, 511, 512, 513, 1001, 2 * k::block + 5, 7 * k::block};

TEST(LbfgsKernels, GradientProductsWritesYAndAddsEachProductBlockByBlockWithAnyThreads) {
  for (std::size_t n : pass_lengths) {
    SCOPED_TRACE(n);
    const Vec g = random_vector(n, 1), g_old = random_vector(n, 2), d = random_vector(n, 3), x = random_vector(n, 4);
    std::vector<Vec> stored;
    for (unsigned j = 0; j < 7; ++j) stored.push_back(random_vector(n, 10 + j));  // 7: groups and a rest
    double g_max_abs = 0;
    for (double v : g) g_max_abs = std::max(g_max_abs, std::abs(v));
    std::vector<const double*> pointers;
    for (const Vec& v : stored) pointers.push_back(v.data());
    Vec y_expected(n);
    for (std::size_t i = 0; i < n; ++i) y_expected[i] = g[i] - g_old[i];
    for (const auto& [threads, avx2] : settings()) {
      SCOPED_TRACE(threads);
      SCOPED_TRACE(avx2);
      const PassThreads setting(threads, avx2);
      Vec y(n), out(stored.size()), scratch(k::gradient_products_scratch(n, stored.size()));
      const auto p = k::gradient_products(y.data(), x.data(), g.data(), g_old.data(), d.data(), pointers.data(),
                                          stored.size(), out.data(), scratch.data(), n);
      EXPECT_EQ(y, y_expected);
      for (std::size_t j = 0; j < stored.size(); ++j) EXPECT_EQ(out[j], block_dot(stored[j], g)) << "vector " << j;
      EXPECT_EQ(p.dg, block_dot(d, g));
      EXPECT_EQ(p.yy, block_dot(y_expected, y_expected));
      EXPECT_EQ(p.yg, block_dot(y_expected, g));
      EXPECT_TRUE(p.finite);
      EXPECT_EQ(p.g_max_abs, g_max_abs);
    }
  }
}

// The after-step check riding on gradient_products: an infinity or NaN anywhere in x or g (in a
// whole block, the last partial one, either thread's share) makes it not finite; the maximum
// passes over a NaN, as minimize's own check does.
TEST(LbfgsKernels, GradientProductsChecksXAndGForNonFiniteEntriesAndFindsTheLargestGradient) {
  const std::size_t n = 2 * k::block + 5;
  const Vec g_old = random_vector(n, 2), d = random_vector(n, 3), s = random_vector(n, 5);
  const double* pointers[] = {s.data()};
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& [threads, avx2] : settings()) {
    const PassThreads setting(threads, avx2);
    for (std::size_t at : {std::size_t{0}, std::size_t{7}, k::block + 3, n - 1})
      for (int in_x : {0, 1})
        for (double bad : {inf, -inf, nan}) {
          SCOPED_TRACE(testing::Message() << threads << " threads, avx2 " << avx2 << ", at " << at << ", in "
                                          << (in_x ? "x" : "g") << ", " << bad);
          Vec x = random_vector(n, 4), g = random_vector(n, 1);
          g[n / 2] = -75;  // the largest magnitude (random_vector's are standard normal)
          (in_x ? x : g)[at] = bad;
          Vec y(n), out(1), scratch(k::gradient_products_scratch(n, 1));
          const auto p = k::gradient_products(y.data(), x.data(), g.data(), g_old.data(), d.data(), pointers, 1,
                                              out.data(), scratch.data(), n);
          EXPECT_FALSE(p.finite);
          EXPECT_EQ(p.g_max_abs, !in_x && std::isinf(bad) ? inf : 75.0);
        }
  }
}

TEST(LbfgsKernels, CombineAddsTheTermsInOrderAndReturnsTheProductsOfWhatItWrote) {
  for (std::size_t n : pass_lengths) {
    SCOPED_TRACE(n);
    const Vec g = random_vector(n, 1);
    std::vector<Vec> stored;
    for (unsigned j = 0; j < 6; ++j) stored.push_back(random_vector(n, 20 + j));  // 6: a group of 4 and a rest
    std::vector<const double*> pointers;
    for (const Vec& v : stored) pointers.push_back(v.data());
    const Vec c = {0.3, -1.7, 2.5, 1e-3, -0.25, 4.0};
    const double c_g = -0.9;
    Vec expected(n);
    for (std::size_t i = 0; i < n; ++i) {
      double t = c_g * g[i];
      for (std::size_t j = 0; j < stored.size(); ++j) t = t + c[j] * stored[j][i];
      expected[i] = t;
    }
    for (const auto& [threads, avx2] : settings()) {
      SCOPED_TRACE(threads);
      SCOPED_TRACE(avx2);
      const PassThreads setting(threads, avx2);
      Vec d(n), scratch(2 * k::blocks(n));
      const auto p = k::combine(d.data(), c_g, g.data(), pointers.data(), c.data(), stored.size(), scratch.data(), n);
      EXPECT_EQ(d, expected);
      EXPECT_EQ(p.dd, block_dot(expected, expected));
      EXPECT_EQ(p.dg, block_dot(expected, g));
    }
  }
}

// Lbfgs's directions (seen through the line-search observer) against the textbook recursion
// (Nocedal & Wright, Algorithm 7.4) in Eigen over the same pairs, after every iteration: equal to
// rounding. Below Lbfgs::vector_free_from the fused two-loop recursion (the dot products add in
// another order), from it on the vector-free form (inner products from differences: ~1e-13 seen, 1e-11 allowed).
void expect_textbook_directions(Eigen::Index n, double tolerance) {
  const auto f = kobai::problems::rosenbrock(n);
  const int m = 5;
  kobai::Lbfgs lbfgs({.memory = m});
  kobai::Vector direction;
  lbfgs.observe_line_search([&](const kobai::LineSearchTrace& t) { direction = t.direction; });
  kobai::Vector x = f.start, g(x.size());
  double value = f.value_and_gradient(x, g);
  std::int64_t fe = 1, ge = 1;
  std::vector<kobai::Vector> s, y;
  for (int iteration = 0; iteration < 25; ++iteration) {
    kobai::Vector q = g;
    std::vector<double> a(s.size());
    for (std::size_t i = s.size(); i-- > 0;) {
      a[i] = s[i].dot(q) / y[i].dot(s[i]);
      q -= a[i] * y[i];
    }
    if (!s.empty()) q *= s.back().dot(y.back()) / y.back().dot(y.back());
    for (std::size_t i = 0; i < s.size(); ++i) q += s[i] * (a[i] - y[i].dot(q) / y[i].dot(s[i]));
    const kobai::Vector expected = -q;

    const kobai::Vector x_before = x, g_before = g;
    kobai::SearchState state{x, value, g, fe, ge};
    ASSERT_TRUE(lbfgs.iterate(f, state).ok);
    ASSERT_EQ(direction.size(), expected.size());
    EXPECT_LE((direction - expected).norm(), tolerance * expected.norm()) << "iteration " << iteration;
    s.push_back(x - x_before);
    y.push_back(g - g_before);
    if (static_cast<int>(s.size()) > m) {
      s.erase(s.begin());
      y.erase(y.begin());
    }
  }
  EXPECT_LT(value, 0.01 * f.value(f.start));  // and it descended: 1210 at the start
}

TEST(LbfgsKernels, LbfgsFollowsTheTwoLoopRecursionWrittenWithEigen) {
  static_assert(100 < kobai::Lbfgs::vector_free_from);
  expect_textbook_directions(100, 1e-12);
}

TEST(LbfgsKernels, TheVectorFreeFormFollowsTheTwoLoopRecursionWrittenWithEigen) {
  static_assert(2000 >= kobai::Lbfgs::vector_free_from);
  expect_textbook_directions(2000, 1e-11);
}

}  // namespace
