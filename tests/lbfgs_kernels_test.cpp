// The fused passes of L-BFGS's two-loop recursion (kobai/optim/lbfgs_kernels.hpp) against the
// plain expressions they replace: every element written is the expression's, bit for bit (no FMA
// contraction), and every returned dot product is reductions::dot of the vector just written
// (8 partial sums), at lengths around the blocks of 8; and the two-loop recursion written with
// Eigen gives the direction that Lbfgs computes to rounding.
#include <gtest/gtest.h>

#include <cstddef>
#include <random>
#include <vector>

#include "kobai/core/reductions.hpp"
#include "kobai/optim/lbfgs.hpp"
#include "kobai/optim/lbfgs_kernels.hpp"
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

TEST(LbfgsKernels, LbfgsFollowsTheTwoLoopRecursionWrittenWithEigen) {
  // Lbfgs's directions (seen through the line-search observer) against the textbook recursion
  // (Nocedal & Wright, Algorithm 7.4) in Eigen over the same pairs, after every iteration: equal
  // to rounding (the dot products add in another order).
  const auto f = kobai::problems::rosenbrock(100);
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
    EXPECT_LE((direction - expected).norm(), 1e-12 * expected.norm()) << "iteration " << iteration;
    s.push_back(x - x_before);
    y.push_back(g - g_before);
    if (static_cast<int>(s.size()) > m) {
      s.erase(s.begin());
      y.erase(y.begin());
    }
  }
  EXPECT_LT(value, 0.01 * f.value(f.start));  // and it descended: 1210 at the start
}

}  // namespace
