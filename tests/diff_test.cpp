// Numerical derivatives and the gradient check (seeds 000, 001, 003 §2.4).
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include "kobai/diff/check_gradient.hpp"
#include "kobai/diff/numerical_gradient.hpp"
#include "kobai/diff/numerical_hessian.hpp"

namespace {

using kobai::DifferenceScheme;
using kobai::Matrix;
using kobai::Vector;

// A fixed, non-symmetric-looking quadratic f(x) = ½ xᵀAx + bᵀx + c with A symmetric.
struct Quadratic {
  Matrix a{{4.0, 1.0, -0.5}, {1.0, 3.0, 0.25}, {-0.5, 0.25, 2.0}};
  Vector b{{1.0, -2.0, 0.5}};
  double operator()(const Vector& x) const { return 0.5 * x.dot(a * x) + b.dot(x) + 7.0; }
  Vector gradient(const Vector& x) const { return a * x + b; }
};

TEST(NumericalGradient, Seed000SphereGradientAtThreeFour) {
  // The book's numerical_gradient(function_2, [3, 4]) = [6, 8] (and [0, 4] at (0, 2)).
  auto f = [](const Vector& x) { return x[0] * x[0] + x[1] * x[1]; };
  const Vector g = kobai::numerical_gradient(f, Vector{{3.0, 4.0}}, {.step = 1e-4});
  EXPECT_NEAR(g[0], 6.0, 1e-10);
  EXPECT_NEAR(g[1], 8.0, 1e-10);
  const Vector g2 = kobai::numerical_gradient(f, Vector{{0.0, 2.0}});
  EXPECT_NEAR(g2[0], 0.0, 1e-12);
  EXPECT_NEAR(g2[1], 4.0, 1e-10);
}

// Central differences are exact for quadratics in exact arithmetic (the h² term is f'''/6 = 0),
// whatever the step; what remains is rounding, ≈ ε|f|/h per component.
TEST(NumericalGradient, CentralDifferencesAreExactOnQuadraticsUpToRounding) {
  const Quadratic q;
  const Vector x{{0.3, -1.7, 2.9}};
  const Vector exact = q.gradient(x);
  for (double step : {1.0, 0.1, 1e-3}) {
    const Vector g = kobai::numerical_gradient(q, x, {.step = step});
    // |f| ≈ 20 here: rounding error ≲ 4ε·20/h ≈ 2e-14/h.
    EXPECT_LE((g - exact).cwiseAbs().maxCoeff(), 1e-13 / step) << "step " << step;
  }
  const Vector automatic = kobai::numerical_gradient(q, x);
  EXPECT_LE((automatic - exact).cwiseAbs().maxCoeff(), 1e-9);
}

// Error order on a smooth non-polynomial function: halving the error per decade of h shows the
// slope. Central: error ≈ h²|f'''|/6 (slope 2 in log–log); forward: ≈ h|f''|/2 (slope 1). Steps
// 1e-2…1e-4 are small enough for the leading term to dominate the next one (at h = 0.1 the
// forward slope is still 1.27) and large enough that rounding (ε|f|/h ≤ 1e-11) stays far below
// truncation (≥ 1e-9), so the slopes are clean to ±0.05.
TEST(NumericalGradient, CentralErrorScalesAsHSquaredAndForwardAsH) {
  auto f = [](const Vector& x) { return std::exp(std::sin(x[0])); };
  const double x0 = 0.7;
  const double exact = std::cos(x0) * std::exp(std::sin(x0));
  auto error = [&](DifferenceScheme scheme, double h) {
    const Vector g = kobai::numerical_gradient(f, Vector::Constant(1, x0),
                                               {.scheme = scheme, .step = h});
    return std::abs(g[0] - exact);
  };
  for (double h : {1e-2, 1e-3}) {
    const double central_slope =
        std::log10(error(DifferenceScheme::central, h) / error(DifferenceScheme::central, h / 10));
    const double forward_slope =
        std::log10(error(DifferenceScheme::forward, h) / error(DifferenceScheme::forward, h / 10));
    EXPECT_NEAR(central_slope, 2.0, 0.05) << "h = " << h;
    EXPECT_NEAR(forward_slope, 1.0, 0.05) << "h = " << h;
  }
}

TEST(NumericalGradient, DefaultStepsReachTheirExpectedAccuracy) {
  // Central: ~ε^(2/3) ≈ 4e-11 relative; forward: ~ε^(1/2) ≈ 1.5e-8 relative, also far from 0
  // where the step scales with |x| (x = 123, f = x³ ≈ 1.9e6).
  struct Case {
    double (*f)(double);
    double x, derivative;
  };
  const Case cases[] = {
      {[](double t) { return std::exp(std::sin(t)); }, 0.7, std::cos(0.7) * std::exp(std::sin(0.7))},
      {[](double t) { return t * t * t; }, 123.0, 3 * 123.0 * 123.0},
      {[](double t) { return std::log(t); }, 5.0, 0.2},
  };
  for (const Case& c : cases) {
    auto f = [&](const Vector& v) { return c.f(v[0]); };
    const Vector x = Vector::Constant(1, c.x);
    const double central = kobai::numerical_gradient(f, x)[0];
    const double forward =
        kobai::numerical_gradient(f, x, {.scheme = DifferenceScheme::forward})[0];
    const double scale = std::abs(c.derivative);
    EXPECT_LT(std::abs(central - c.derivative), 1e-9 * scale) << c.x;
    EXPECT_LT(std::abs(forward - c.derivative), 1e-6 * scale) << c.x;
  }
}

TEST(NumericalGradient, AcceptsFixedSizeVectorsAndExpressions) {
  auto f = [](const Vector& x) { return x.squaredNorm(); };
  const Eigen::Vector2d x(1.0, -2.0);
  const Vector g = kobai::numerical_gradient(f, x);
  EXPECT_NEAR(g[0], 2.0, 1e-9);
  EXPECT_NEAR(g[1], -4.0, 1e-9);
  const Vector g2 = kobai::numerical_gradient(f, 2 * x);
  EXPECT_NEAR(g2[1], -8.0, 1e-9);
  // A generic lambda is called with a kobai::Vector.
  const Vector g3 = kobai::numerical_gradient([](const auto& v) { return v.sum(); }, x);
  EXPECT_NEAR(g3[0], 1.0, 1e-10);
}

TEST(NumericalGradient, MatrixArgumentGivesAGradientOfTheSameShape) {
  // f(W) = Σ_ij c_ij W_ij² with ∂f/∂W_ij = 2 c_ij W_ij.
  const Matrix c{{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}};
  const Matrix w{{0.1, -0.2, 0.3}, {-0.4, 0.5, -0.6}};
  auto f = [&](const Matrix& m) { return (c.array() * m.array().square()).sum(); };
  const Matrix g = kobai::numerical_gradient(f, w);
  ASSERT_EQ(g.rows(), 2);
  ASSERT_EQ(g.cols(), 3);
  EXPECT_LE((g - 2 * c.cwiseProduct(w)).cwiseAbs().maxCoeff(), 1e-9);
}

bool bitwise_equal(const Matrix& a, const Matrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (Eigen::Index i = 0; i < a.size(); ++i)
    if (std::bit_cast<std::uint64_t>(a.data()[i]) != std::bit_cast<std::uint64_t>(b.data()[i]))
      return false;
  return true;
}

// Seed 003 §2.4.2: numerical_gradient(f, params) perturbs the model's own arrays and must put
// every entry back exactly, or later partial derivatives and the caller's model are corrupted.
TEST(NumericalGradient, SeveralParameterArraysAreRestoredBitForBit) {
  // Values whose x + h − h ≠ x in floating point, and a negative zero.
  Matrix w{{0.1, 1.0 / 3.0, -0.0}, {2.7 + 1e-15, -7.0 / 9.0, 1e-300}};
  Matrix b{{std::sqrt(2.0)}, {-std::numbers::pi}};
  const Matrix w_before = w, b_before = b;
  // loss = Σ sin(W_ij) + Σ b_i³, reading the arrays directly.
  auto loss = [&] { return w.array().sin().sum() + b.array().cube().sum(); };
  std::array<Matrix*, 2> params{&w, &b};
  for (auto scheme : {DifferenceScheme::central, DifferenceScheme::forward}) {
    const std::vector<Matrix> grads = kobai::numerical_gradient(loss, params, {.scheme = scheme});
    EXPECT_TRUE(bitwise_equal(w, w_before));
    EXPECT_TRUE(bitwise_equal(b, b_before));
    ASSERT_EQ(grads.size(), 2u);
    ASSERT_EQ(grads[0].rows(), 2);
    ASSERT_EQ(grads[0].cols(), 3);
    ASSERT_EQ(grads[1].rows(), 2);
    const double tolerance = scheme == DifferenceScheme::central ? 1e-9 : 1e-6;
    EXPECT_LE((grads[0] - w_before.array().cos().matrix()).cwiseAbs().maxCoeff(), tolerance);
    EXPECT_LE((grads[1] - 3 * b_before.array().square().matrix()).cwiseAbs().maxCoeff(),
              tolerance * 10);
  }
  // Braced-list form, and vectors as parameter arrays.
  Vector v{{0.1, 0.2}};
  const Vector v_before = v;
  auto grads = kobai::numerical_gradient([&] { return v.squaredNorm(); }, {&v});
  EXPECT_TRUE(bitwise_equal(v, v_before));
  EXPECT_NEAR(grads[0][1], 0.4, 1e-10);
  auto both = kobai::numerical_gradient([&] { return w.sum() * b.sum(); }, {&w, &b});
  EXPECT_EQ(both.size(), 2u);
}

TEST(NumericalGradient, Seed003GeneralNumericalGradientExample) {
  // x = [2, 3], numerical_gradient(lambda: f(param), [param], 1e-6) prints [0.25, 54.00000001].
  Vector param{{2.0, 3.0}};
  auto f = [&] { return param[0] * param[0] / 16 + 9 * param[1] * param[1]; };
  const auto grads = kobai::numerical_gradient(f, {&param}, {.step = 1e-6});
  EXPECT_NEAR(grads[0][0], 0.25, 1e-9);
  EXPECT_NEAR(grads[0][1], 54.0, 2e-8);
}

TEST(NumericalGradient, RejectsStepsThatCannotMoveX) {
  auto f = [](const Vector& x) { return x.sum(); };
  try {
    kobai::numerical_gradient(f, Vector::Ones(2), {.step = 0.0});
    FAIL() << "no exception";
  } catch (const kobai::InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "step must be > 0, got 0");
  }
  EXPECT_THROW(kobai::numerical_gradient(f, Vector::Ones(2), {.step = -1e-4}),
               kobai::InvalidArgument);
  try {
    kobai::numerical_gradient(f, Vector::Constant(1, 1e20), {.step = 1e-4});
    FAIL() << "no exception";
  } catch (const kobai::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("x + step rounds to x"), std::string::npos) << e.what();
  }
}

// ---- Hessians ----------------------------------------------------------------------------------

TEST(NumericalHessian, FromValuesRecoversAQuadraticsMatrix) {
  const Quadratic q;
  const Matrix h = kobai::numerical_hessian(q, Vector{{0.3, -1.7, 2.9}});
  EXPECT_EQ(h, h.transpose());
  // Second differences: rounding ≈ 4ε|f|/h² with h ≈ 1.2e-4·|x| and |f| ≈ 20 → ≈ 1e-6.
  EXPECT_LE((h - q.a).cwiseAbs().maxCoeff(), 1e-5);
}

// f = x²y + sin(x)·e^y + y⁴: H = [[2y − sin x·e^y, 2x + cos x·e^y], [·, sin x·e^y + 12y²]].
double smooth(const Vector& v) {
  return v[0] * v[0] * v[1] + std::sin(v[0]) * std::exp(v[1]) + std::pow(v[1], 4);
}
Vector smooth_gradient(const Vector& v) {
  const double x = v[0], y = v[1];
  return Vector{{2 * x * y + std::cos(x) * std::exp(y),
                 x * x + std::sin(x) * std::exp(y) + 4 * y * y * y}};
}
Matrix smooth_hessian(const Vector& v) {
  const double x = v[0], y = v[1], e = std::exp(y);
  const double xy = 2 * x + std::cos(x) * e;
  return Matrix{{2 * y - std::sin(x) * e, xy}, {xy, std::sin(x) * e + 12 * y * y}};
}

TEST(NumericalHessian, FromValuesAndFromGradientMatchTheAnalyticHessian) {
  const Vector x{{0.8, -0.6}};
  const Matrix exact = smooth_hessian(x);
  const Matrix from_values = kobai::numerical_hessian(smooth, x);
  const Matrix from_gradient = kobai::numerical_hessian_from_gradient(smooth_gradient, x);
  EXPECT_EQ(from_values, from_values.transpose());
  EXPECT_EQ(from_gradient, from_gradient.transpose());
  // Values: O(h²) + ε|f|/h² with h ≈ 1.2e-4 → ~1e-8. Gradient: ~ε^(2/3) ≈ 1e-10.
  EXPECT_LE((from_values - exact).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_LE((from_gradient - exact).cwiseAbs().maxCoeff(), 1e-8);
  // The in-place gradient form and forward differences.
  auto in_place = [](const Vector& v, Vector& g) { g = smooth_gradient(v); };
  EXPECT_EQ(kobai::numerical_hessian_from_gradient(in_place, x), from_gradient);
  const Matrix forward = kobai::numerical_hessian_from_gradient(
      smooth_gradient, x, {.scheme = DifferenceScheme::forward});
  EXPECT_LE((forward - exact).cwiseAbs().maxCoeff(), 1e-6);
  EXPECT_GT((forward - exact).cwiseAbs().maxCoeff(), (from_gradient - exact).cwiseAbs().maxCoeff());
}

// ---- gradient check ----------------------------------------------------------------------------

TEST(CheckGradient, Seed003EllipticExampleAtTwoThree) {
  // f = x²/16 + 9y², analytic gradient (x/8, 18y) = (0.25, 54) at (2, 3).
  auto f = [](const Vector& x) { return x[0] * x[0] / 16 + 9 * x[1] * x[1]; };
  auto df = [](const Vector& x) { return Vector{{x[0] / 8, 18 * x[1]}}; };
  const auto check = kobai::check_gradient(f, df, Vector{{2.0, 3.0}});
  EXPECT_TRUE(check.passed) << check.summary();
  EXPECT_EQ(check.analytic, (Vector{{0.25, 54.0}}));
  EXPECT_LT(check.max_absolute_error, 1e-8);
  EXPECT_EQ(check.tolerance, 1e-6);
  // With the seed's eps = 1e-8 rounding dominates: it printed errors of 1.98e-7 and 2.05e-7.
  const auto seed = kobai::check_gradient(f, df, Vector{{2.0, 3.0}}, {.numerical = {.step = 1e-8}});
  EXPECT_GT(seed.max_absolute_error, 1e-8);
  EXPECT_LT(seed.max_absolute_error, 1e-6);
  EXPECT_GT(seed.max_absolute_error, 10 * check.max_absolute_error);
}

TEST(CheckGradient, CatchesAWrongGradientAndNamesTheWorstComponent) {
  // Rosenbrock with a classic slip: ∂f/∂x written with +400 instead of −400.
  auto f = [](const Vector& v) {
    return 100 * std::pow(v[1] - v[0] * v[0], 2) + std::pow(1 - v[0], 2) + v[2] * v[2];
  };
  auto right = [](const Vector& v) {
    return Vector{{-400 * v[0] * (v[1] - v[0] * v[0]) - 2 * (1 - v[0]),
                   200 * (v[1] - v[0] * v[0]), 2 * v[2]}};
  };
  auto wrong = [&](const Vector& v) {
    Vector g = right(v);
    g[0] = 400 * v[0] * (v[1] - v[0] * v[0]) - 2 * (1 - v[0]);
    return g;
  };
  const Vector x{{-1.2, 1.0, 0.5}};
  const auto good = kobai::check_gradient(f, right, x);
  EXPECT_TRUE(good.passed) << good.summary();
  EXPECT_LT(good.max_relative_error, 1e-9);
  const auto bad = kobai::check_gradient(f, wrong, x);
  EXPECT_FALSE(bad.passed);
  EXPECT_EQ(bad.worst_component, 0);
  EXPECT_GT(bad.relative_error[0], 0.5);
  EXPECT_LT(bad.relative_error[1], 1e-9);
  EXPECT_EQ(bad.max_relative_error, bad.relative_error[0]);
  EXPECT_NE(bad.summary().find("FAILED: worst component 0"), std::string::npos) << bad.summary();
  // A scale error in the last component is caught too, and named.
  auto scaled = [&](const Vector& v) {
    Vector g = right(v);
    g[2] *= 1.001;
    return g;
  };
  const auto off = kobai::check_gradient(f, scaled, x);
  EXPECT_FALSE(off.passed);
  EXPECT_EQ(off.worst_component, 2);
}

TEST(CheckGradient, SmallComponentsAreJudgedByAbsoluteError) {
  // At the minimizer every component is ~0: the numerical one is ~1e-11, not exactly 0.
  auto f = [](const Vector& x) { return std::cosh(x[0]) + std::cosh(x[1] - 1); };
  auto g = [](const Vector& x, Vector& out) {
    out[0] = std::sinh(x[0]);
    out[1] = std::sinh(x[1] - 1);
  };
  const Vector x{{0.0, 1.0}};
  EXPECT_TRUE(kobai::check_gradient(f, g, x).passed);
  // A purely relative criterion (floor 0) cannot judge zeros: still fine where both are exactly 0
  // (central differences of an even function cancel exactly), reported as zero error.
  const auto pure = kobai::check_gradient(f, g, x, {.absolute_floor = 0});
  EXPECT_TRUE(pure.passed) << pure.summary();
}

TEST(CheckGradient, NonFiniteAnalyticGradientFails) {
  auto f = [](const Vector& x) { return x.squaredNorm(); };
  auto g = [](const Vector& x) {
    Vector out = 2 * x;
    out[1] = std::numeric_limits<double>::quiet_NaN();
    return out;
  };
  const auto check = kobai::check_gradient(f, g, Vector{{1.0, 2.0, 3.0}});
  EXPECT_FALSE(check.passed);
  EXPECT_EQ(check.worst_component, 1);
  EXPECT_TRUE(std::isinf(check.max_relative_error));
}

TEST(CheckGradient, RejectsBadOptionsAndWrongGradientSize) {
  auto f = [](const Vector& x) { return x.squaredNorm(); };
  auto g = [](const Vector& x) { return Vector(2 * x); };
  EXPECT_THROW(kobai::check_gradient(f, g, Vector::Ones(2), {.tolerance = 0}),
               kobai::InvalidArgument);
  EXPECT_THROW(kobai::check_gradient(f, g, Vector::Ones(2), {.absolute_floor = -1}),
               kobai::InvalidArgument);
  auto short_g = [](const Vector&) { return Vector::Zero(1).eval(); };
  EXPECT_THROW(kobai::check_gradient(f, short_g, Vector::Ones(2)), kobai::InvalidArgument);
}

}  // namespace
