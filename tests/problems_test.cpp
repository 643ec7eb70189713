// Built-in test problems: analytic gradients and Hessians against finite differences at the start,
// the known minimizers and random points of each problem's box; known minima; the registry.
// Eigen's runtime malloc guard, with its assertion turned into an exception so it also works in
// Release builds: lets a test prove that evaluations allocate nothing.
#include <stdexcept>
#define EIGEN_RUNTIME_NO_MALLOC
#define eigen_assert(x) \
  do {                  \
    if (!(x)) throw std::logic_error("Eigen assertion failed: " #x); \
  } while (false)

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "kobai/diff/check_gradient.hpp"
#include "kobai/diff/numerical_hessian.hpp"
#include "kobai/problems/check.hpp"
#include "kobai/problems/registry.hpp"

namespace {

using kobai::Matrix;
using kobai::Vector;
namespace problems = kobai::problems;

struct Case {
  std::string name;
  int dimension;  // 0 = default
};

// Every problem at its default dimension, and the n-dimensional ones at other sizes as well.
std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const auto& info : problems::catalog()) {
    cases.push_back({info.name, 0});
    if (info.dimension_rule == "any") {
      cases.push_back({info.name, 1});
      cases.push_back({info.name, 3});
      cases.push_back({info.name, 5});
    } else if (info.dimension_rule == "any even") {
      cases.push_back({info.name, 4});
      cases.push_back({info.name, 6});
    }
  }
  return cases;
}

// The start, every known minimizer and 25 uniform random points of the box (fixed seed).
std::vector<Vector> sample_points(const problems::Problem& p, unsigned seed) {
  std::vector<Vector> points{p.start};
  for (const auto& m : p.global_minimizers) points.push_back(m);
  for (const auto& m : p.local_minimizers) points.push_back(m);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int k = 0; k < 25; ++k) {
    Vector x(p.dimension());
    for (int i = 0; i < p.dimension(); ++i)
      x[i] = p.box_lower[i] + unit(rng) * (p.box_upper[i] - p.box_lower[i]);
    points.push_back(x);
  }
  return points;
}

std::string describe(const Case& c, const Vector& x) {
  std::ostringstream out;
  out.precision(17);
  out << c.name << " (n = " << x.size() << ") at [" << x.transpose() << "]";
  return out.str();
}

class EveryProblem : public ::testing::TestWithParam<Case> {};

TEST_P(EveryProblem, DescribesItselfConsistently) {
  const Case c = GetParam();
  const problems::Problem p = problems::make(c.name, c.dimension);
  EXPECT_EQ(p.name, c.name);
  EXPECT_FALSE(p.formula.empty());
  EXPECT_FALSE(p.description.empty());
  const int n = p.dimension();
  if (c.dimension != 0) {
    EXPECT_EQ(n, c.dimension);
  }
  ASSERT_EQ(p.start.size(), n);
  ASSERT_EQ(p.box_lower.size(), n);
  ASSERT_EQ(p.box_upper.size(), n);
  EXPECT_TRUE(p.has_hessian());
  EXPECT_TRUE((p.box_lower.array() < p.box_upper.array()).all());
  // The start and every known minimizer lie inside the plotting box, so pictures show them.
  auto inside = [&](const Vector& x) {
    return x.size() == n && (x.array() >= p.box_lower.array()).all() &&
           (x.array() <= p.box_upper.array()).all();
  };
  EXPECT_TRUE(inside(p.start));
  for (const auto& m : p.global_minimizers) EXPECT_TRUE(inside(m)) << describe(c, m);
  for (const auto& m : p.local_minimizers) EXPECT_TRUE(inside(m)) << describe(c, m);
  EXPECT_TRUE(!p.global_minimizers.empty() || !p.bounded_below || p.name == "cubic");
}

// Central differences with the default step ∛ε·max(1,|x_i|) have error ≈ h²|f'''|/6 + ε|f|/h.
// Over these boxes the worst cases are Rastrigin (|f'''| ≈ 1.6e3, h ≈ 3e-5: 2.4e-7 absolute) and
// Goldstein–Price (|f| up to 1e6: ≈ 4e-5 absolute on gradients of order 1e5–1e6), both below
// the 1e-6 relative error (absolute below magnitude 1) that check_gradient uses by default.
TEST_P(EveryProblem, AnalyticGradientMatchesCentralDifferences) {
  const Case c = GetParam();
  const problems::Problem p = problems::make(c.name, c.dimension);
  for (const Vector& x : sample_points(p, 2024)) {
    if (p.name == "ackley" && x.isZero(0)) continue;  // not differentiable at the origin
    const auto check = problems::check_gradient(p, x);
    EXPECT_TRUE(check.passed) << describe(c, x) << ": " << check.summary();
    // value_and_gradient returns the same value as value (same formula, same rounding).
    Vector g(p.dimension());
    EXPECT_DOUBLE_EQ(p.value_and_gradient(x, g), p.value(x)) << describe(c, x);
  }
}

// The Hessian against central differences of the analytic gradient (step ∛ε·max(1,|x_j|)): the
// error is ≈ h²|∇f'''|/6 + ε|∇f|/h per entry; relative to the Hessian's largest entry this stays
// below 1e-7 on every box here (Rastrigin's 4th derivative 3.1e4 against entries of 400 is the
// worst), so 1e-6 of max(1, max|H|) is a safe bound that still catches any wrong term.
TEST_P(EveryProblem, AnalyticHessianMatchesDifferencesOfTheGradient) {
  const Case c = GetParam();
  const problems::Problem p = problems::make(c.name, c.dimension);
  for (const Vector& x : sample_points(p, 7)) {
    if (p.name == "ackley" && x.isZero(0)) continue;
    const Matrix h = p.hessian(x);
    ASSERT_EQ(h.rows(), p.dimension());
    ASSERT_EQ(h.cols(), p.dimension());
    EXPECT_EQ(h, h.transpose()) << describe(c, x);
    const Matrix numeric =
        kobai::numerical_hessian_from_gradient([&](const Vector& v) { return p.gradient(v); }, x);
    const double scale = std::max(1.0, h.cwiseAbs().maxCoeff());
    EXPECT_LE((h - numeric).cwiseAbs().maxCoeff(), 1e-6 * scale)
        << describe(c, x) << "\nanalytic\n" << h << "\nnumerical\n" << numeric;
  }
}

// Second differences of values (numerical_hessian) are the cruder estimate: rounding ≈ ε|f|/h²
// with h ≈ 1.2e-4·max(1,|x|) is ~1.5e-8·|f|, truncation ~h²·|f⁗|. Over 300 random points per
// box the worst error is 5.3e-6 of max(1, max|H|, |f|) (Ackley); 1e-4 leaves a 20× margin.
TEST_P(EveryProblem, HessianFromValuesAgreesWithTheAnalyticOne) {
  const Case c = GetParam();
  const problems::Problem p = problems::make(c.name, c.dimension);
  for (const Vector& x : sample_points(p, 13)) {
    if (p.name == "ackley" && x.isZero(0)) continue;
    const Matrix h = p.hessian(x);
    const Matrix numeric = kobai::numerical_hessian([&](const Vector& v) { return p.value(v); }, x);
    EXPECT_EQ(numeric, numeric.transpose());
    const double scale = std::max({1.0, h.cwiseAbs().maxCoeff(), std::abs(p.value(x))});
    EXPECT_LE((h - numeric).cwiseAbs().maxCoeff(), 1e-4 * scale)
        << describe(c, x) << "\nanalytic\n" << h << "\nnumerical\n" << numeric;
  }
}

// Minimizers are hard-coded as the double nearest the exact point (mpmath, 50 digits) or are
// exact; f there is within a few ulps of the stated minimum (values are O(1–100), so 1e-12 is
// hundreds of ulps of slack), and the gradient, H·δ with |δ| ≤ 1 ulp and |H| ≲ 100 plus rounding
// in its evaluation, is below 1e-11.
TEST_P(EveryProblem, KnownMinimizersAreStationaryAtTheStatedValue) {
  const Case c = GetParam();
  const problems::Problem p = problems::make(c.name, c.dimension);
  for (const Vector& m : p.global_minimizers) {
    EXPECT_NEAR(p.value(m), p.minimum_value, 1e-12 * std::max(1.0, std::abs(p.minimum_value)))
        << describe(c, m);
    EXPECT_LE(p.gradient(m).cwiseAbs().maxCoeff(), 1e-11) << describe(c, m);
  }
  for (const Vector& m : p.local_minimizers) {
    EXPECT_LE(p.gradient(m).cwiseAbs().maxCoeff(), 1e-11) << describe(c, m);
    // A local minimizer: the Hessian is positive definite there.
    Eigen::SelfAdjointEigenSolver<Matrix> eigen(p.hessian(m));
    EXPECT_GT(eigen.eigenvalues().minCoeff(), 0) << describe(c, m);
    if (p.bounded_below && !p.global_minimizers.empty()) {
      EXPECT_GT(p.value(m), p.minimum_value) << describe(c, m);
    } else {
      EXPECT_GE(p.value(m), p.minimum_value - 1e-12) << describe(c, m);
    }
  }
  for (const Vector& m : p.global_minimizers) {
    if (p.name == "ackley") continue;  // a cone tip: no Hessian, but f > 0 everywhere else
    Eigen::SelfAdjointEigenSolver<Matrix> eigen(p.hessian(m));
    EXPECT_GT(eigen.eigenvalues().minCoeff(), 0) << describe(c, m);
  }
}

INSTANTIATE_TEST_SUITE_P(Problems, EveryProblem, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.name + "_n" + std::to_string(info.param.dimension);
                         });

// ---- independent references: the textbook formulas, written out literally ------------------

TEST(Beale, GradientMatchesSeed003Formulas) {
  // Seed 003's df_x and df_y, transcribed as printed.
  auto df_x = [](double x, double y) {
    return 2 * (1.5 - x + x * y) * (y - 1) + 2 * (2.25 - x + x * y * y) * (y * y - 1) +
           2 * (2.625 - x + x * y * y * y) * (y * y * y - 1);
  };
  auto df_y = [](double x, double y) {
    return 2 * (1.5 - x + x * y) * x + 2 * (2.25 - x + x * y * y) * (2 * y * x) +
           2 * (2.625 - x + x * y * y * y) * (3 * y * y * x);
  };
  const auto p = problems::beale();
  for (const Vector& x : sample_points(p, 99)) {
    const Vector g = p.gradient(x);
    EXPECT_NEAR(g[0], df_x(x[0], x[1]), 1e-12 * std::max(1.0, std::abs(g[0])));
    EXPECT_NEAR(g[1], df_y(x[0], x[1]), 1e-12 * std::max(1.0, std::abs(g[1])));
  }
  // At the start (3, 4): t_k = c_k + 3(4^k − 1) = 10.5, 47.25, 191.625; f = Σ t_k².
  EXPECT_DOUBLE_EQ(p.value(p.start), 110.25 + 2232.5625 + 36720.140625);
  EXPECT_EQ(p.value(Vector{{3.0, 0.5}}), 0.0);  // every residual vanishes exactly in binary
}

TEST(GoldsteinPrice, FactoredFormAgreesWithTheLiteralFormula) {
  auto literal = [](double x, double y) {
    return (1 + (x + y + 1) * (x + y + 1) *
                    (19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y)) *
           (30 + (2 * x - 3 * y) * (2 * x - 3 * y) *
                     (18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y));
  };
  const auto p = problems::goldstein_price();
  for (const Vector& x : sample_points(p, 5)) {
    const double expected = literal(x[0], x[1]);
    EXPECT_NEAR(p.value(x), expected, 1e-13 * expected) << x.transpose();
  }
  EXPECT_EQ(p.value(Vector{{0.0, -1.0}}), 3.0);
  EXPECT_NEAR(p.value(Vector{{-0.6, -0.4}}), 30.0, 1e-12);
  EXPECT_NEAR(p.value(Vector{{1.8, 0.2}}), 84.0, 1e-12);
  EXPECT_NEAR(p.value(Vector{{1.2, 0.8}}), 840.0, 1e-11);
}

TEST(Rosenbrock, ExtendedFormIsASumOfIndependentPairs) {
  const auto p4 = problems::rosenbrock(4);
  const auto p2 = problems::rosenbrock(2);
  const Vector x{{-1.2, 1.0, 0.5, -0.3}};
  EXPECT_DOUBLE_EQ(p4.value(x), p2.value(x.head(2)) + p2.value(x.tail(2)));
  // 100(1 − 1.44)² + (2.2)² = 19.36 + 4.84 = 24.2 at the classic start.
  EXPECT_NEAR(p2.value(p2.start), 24.2, 1e-13);
  EXPECT_EQ(p4.start, (Vector{{-1.2, 1.0, -1.2, 1.0}}));
  // The Hessian is block diagonal: no coupling between pairs.
  const Matrix h = p4.hessian(x);
  EXPECT_EQ(h.block(0, 2, 2, 2), Matrix::Zero(2, 2));
}

TEST(Ackley, OriginIsTheMinimumAndGivesNoNaN) {
  for (int n : {1, 2, 7}) {
    const auto p = problems::ackley(n);
    const Vector zero = Vector::Zero(n);
    EXPECT_EQ(p.value(zero), 0.0);  // 20(1 − 1) + (e − e)
    const Vector g = p.gradient(zero);
    EXPECT_TRUE(g.isZero(0)) << g.transpose();  // the minimum-norm subgradient of the cone
    EXPECT_TRUE(p.hessian(zero).allFinite());
    // Near the origin the cone's gradient has norm 4e^{−0.2r}/√n, whatever the scale of x:
    // computing r must not underflow even at 1e-200.
    for (double scale : {1e-100, 1e-200, 1e-310}) {
      const Vector x = Vector::Constant(n, scale);
      const Vector gx = p.gradient(x);
      ASSERT_TRUE(gx.allFinite()) << scale;
      EXPECT_NEAR(gx.norm(), 4 / std::sqrt(n), 1e-12) << scale;  // the ripple term is ~1e-98
      EXPECT_TRUE(p.hessian(x).allFinite()) << scale;
      EXPECT_GT(p.value(x), 0.0);
    }
  }
  // A textbook value: f(1, 1) = −20e^{−0.2} − e + 20 + e = 20(1 − e^{−0.2}).
  EXPECT_NEAR(problems::ackley(2).value(Vector{{1.0, 1.0}}), 20 * (1 - std::exp(-0.2)), 1e-12);
}

TEST(StyblinskiTang, MinimumIsMinus39Point166PerCoordinate) {
  for (int n : {1, 2, 3, 10}) {
    const auto p = problems::styblinski_tang(n);
    // The commonly quoted value −39.16616570377142·n (mpmath: −39.166165703771415464…).
    EXPECT_NEAR(p.minimum_value, -39.16616570377142 * n, 1e-13 * n);
    EXPECT_NEAR(p.global_minimizers[0][0], -2.903534027771178, 2e-15);
    EXPECT_NEAR(p.value(p.global_minimizers[0]), p.minimum_value, 1e-12 * n);
  }
  EXPECT_EQ(problems::styblinski_tang(2).local_minimizers.size(), 3u);  // 2² − 1 sign patterns
  EXPECT_EQ(problems::styblinski_tang(4).local_minimizers.size(), 15u);
  EXPECT_TRUE(problems::styblinski_tang(5).local_minimizers.empty());  // 31: not listed
}

TEST(Himmelblau, HasFourGlobalMinimaOfValueZero) {
  const auto p = problems::himmelblau();
  ASSERT_EQ(p.global_minimizers.size(), 4u);
  EXPECT_EQ(p.value(Vector{{3.0, 2.0}}), 0.0);
  for (const Vector& m : p.global_minimizers) EXPECT_LT(p.value(m), 1e-25);
}

TEST(ThreeHumpCamel, SideMinimaFollowTheClosedForm) {
  const auto p = problems::three_hump_camel();
  // y = −x/2, x² = (4.2 + √3.64)/2.
  const double x = std::sqrt((4.2 + std::sqrt(3.64)) / 2);
  ASSERT_EQ(p.local_minimizers.size(), 2u);
  EXPECT_NEAR(p.local_minimizers[0][0], x, 1e-15);
  EXPECT_NEAR(p.local_minimizers[0][1], -x / 2, 1e-15);
  EXPECT_NEAR(p.value(p.local_minimizers[0]), 0.2986384422368598, 1e-15);
}

TEST(Cubic, IsUnboundedBelowWithALocalMinimumAtThree) {
  const auto p = problems::cubic();
  EXPECT_FALSE(p.bounded_below);
  EXPECT_TRUE(p.global_minimizers.empty());
  ASSERT_EQ(p.local_minimizers.size(), 1u);
  EXPECT_EQ(p.local_minimizers[0][0], 3.0);
  EXPECT_EQ(p.value(p.local_minimizers[0]), -25.0);
  EXPECT_EQ(p.minimum_value, -25.0);
  EXPECT_EQ(p.value(Vector::Constant(1, -1.0)), 7.0);        // the local maximum
  EXPECT_EQ(p.gradient(Vector::Constant(1, -1.0))[0], 0.0);
  EXPECT_LT(p.hessian(Vector::Constant(1, -1.0))(0, 0), 0.0);
  EXPECT_LT(p.value(Vector::Constant(1, -10.0)), -1000.0);   // unbounded below
  EXPECT_EQ(p.start[0], 1.0);
}

TEST(SineBowl, GlobalMinimumIsTheLowestOfItsThreeMinima) {
  const auto p = problems::sine_bowl();
  ASSERT_EQ(p.global_minimizers.size(), 1u);
  ASSERT_EQ(p.local_minimizers.size(), 2u);
  for (const auto& m : p.local_minimizers) EXPECT_GT(p.value(m), p.minimum_value + 0.5);
  // f' changes sign exactly once around each minimizer: bracket it one ulp-scale step away.
  for (const Vector& m : {p.global_minimizers[0], p.local_minimizers[0], p.local_minimizers[1]}) {
    EXPECT_LT(p.gradient(Vector::Constant(1, m[0] - 1e-9))[0], 0) << m[0];
    EXPECT_GT(p.gradient(Vector::Constant(1, m[0] + 1e-9))[0], 0) << m[0];
  }
  // Seed 002's box and start.
  EXPECT_EQ(p.box_lower[0], -12.0);
  EXPECT_EQ(p.box_upper[0], 22.0);
  EXPECT_EQ(p.start[0], -10.0);
}

TEST(SeedProblems, UseTheSeedsStartsAndBoxes) {
  EXPECT_EQ(problems::quadratic1d().start[0], -5.0);
  EXPECT_EQ(problems::quadratic1d().global_minimizers[0][0], 5.0);
  EXPECT_EQ(problems::quadratic1d(2.5).value(Vector::Constant(1, 0.5)), 4.0);
  EXPECT_EQ(problems::quadratic1d().box_lower[0], -10.0);
  EXPECT_EQ(problems::quadratic1d().box_upper[0], 20.0);
  EXPECT_EQ(problems::sphere().start, (Vector{{-3.0, 4.0}}));
  EXPECT_EQ(problems::elliptic().start, (Vector{{-2.4, 0.2}}));
  EXPECT_EQ(problems::beale().start, (Vector{{3.0, 4.0}}));
  EXPECT_EQ(problems::beale().box_lower, Vector::Constant(2, -4.5));
  EXPECT_EQ(problems::beale().box_upper, Vector::Constant(2, 4.5));
  // Seed 003 §2.4.1: the elliptic bowl's gradient at (2, 3) is (0.25, 54).
  EXPECT_EQ(problems::elliptic().gradient(Vector{{2.0, 3.0}}), (Vector{{0.25, 54.0}}));
}

// Descent loops call value_and_gradient millions of times: for every built-in function it must
// not touch the heap (Eigen's malloc guard throws if it does).
TEST(EveryProblemEvaluation, ValueAndGradientAllocateNothing) {
  for (const auto& info : problems::catalog()) {
    for (int n : {0, 4}) {
      if (n != 0 && info.dimension_rule != "any" && info.dimension_rule != "any even") continue;
      const auto p = problems::make(info.name, n);
      Vector g(p.dimension());
      const Vector x = p.start;
      Eigen::internal::set_is_malloc_allowed(false);
      try {
        double f = p.value(x) + p.value_and_gradient(x, g);
        Eigen::internal::set_is_malloc_allowed(true);
        EXPECT_TRUE(std::isfinite(f)) << info.name;
      } catch (const std::logic_error& e) {
        Eigen::internal::set_is_malloc_allowed(true);
        ADD_FAILURE() << info.name << " (n = " << p.dimension() << ") allocates: " << e.what();
      }
    }
  }
  // The guard works: a fresh vector allocates.
  Eigen::internal::set_is_malloc_allowed(false);
  EXPECT_THROW(Vector(3).setZero(), std::logic_error);
  Eigen::internal::set_is_malloc_allowed(true);
}

// PyTorch autograd (float64) on the textbook formulas, written independently of kobai's
// rearranged ones (tests/reference/problems_torch.py): values, gradients and Hessians at each
// problem's start and 4 random points of its box, for 20 problem/dimension pairs. Different
// arrangements of the same formula round differently, by a few ulps of the largest intermediate
// term; 1e-12 of max(1, |reference|) allows for that (cancellation costs at most ~3 digits here:
// terms of Goldstein–Price reach 1e6 when f is ~1e3).
TEST(EveryProblemReference, MatchesPyTorchAutograd) {
  std::ifstream in(KOBAI_SOURCE_DIR "/tests/reference/problems_torch.json");
  ASSERT_TRUE(in) << "missing tests/reference/problems_torch.json";
  const auto reference = nlohmann::json::parse(in);
  int compared = 0;
  for (const auto& row : reference.at("cases")) {
    const auto xs = row.at("x").get<std::vector<double>>();
    const Vector x = Eigen::Map<const Vector>(xs.data(), static_cast<Eigen::Index>(xs.size()));
    const auto name = row.at("name").get<std::string>();
    const auto p = problems::make(name, static_cast<int>(xs.size()));
    const std::string where = describe({name, 0}, x);
    const double value = row.at("value").get<double>();
    EXPECT_NEAR(p.value(x), value, 1e-12 * std::max(1.0, std::abs(value))) << where;
    const auto gs = row.at("gradient").get<std::vector<double>>();
    const Vector g_ref = Eigen::Map<const Vector>(gs.data(), x.size());
    const double g_scale = std::max(1.0, g_ref.cwiseAbs().maxCoeff());
    EXPECT_LE((p.gradient(x) - g_ref).cwiseAbs().maxCoeff(), 1e-12 * g_scale) << where;
    Matrix h_ref(x.size(), x.size());
    const auto& rows = row.at("hessian");
    for (Eigen::Index i = 0; i < x.size(); ++i)
      for (Eigen::Index j = 0; j < x.size(); ++j)
        h_ref(i, j) = rows.at(static_cast<std::size_t>(i)).at(static_cast<std::size_t>(j)).get<double>();
    const double h_scale = std::max(1.0, h_ref.cwiseAbs().maxCoeff());
    EXPECT_LE((p.hessian(x) - h_ref).cwiseAbs().maxCoeff(), 1e-12 * h_scale) << where;
    ++compared;
  }
  EXPECT_EQ(compared, 100);
  // Every registered problem is covered.
  std::set<std::string> covered;
  for (const auto& row : reference.at("cases")) covered.insert(row.at("name").get<std::string>());
  for (const auto& name : problems::names()) EXPECT_TRUE(covered.count(name)) << name;
}

// ---- the registry -----------------------------------------------------------------------------

TEST(Registry, ListsEveryProblemOnceInCatalogOrder) {
  const auto names = problems::names();
  const std::vector<std::string> expected = {
      "quadratic1d", "sphere",          "elliptic",  "cubic",  "sine_bowl",
      "beale",       "rosenbrock",      "himmelblau", "booth", "matyas",
      "three_hump_camel", "goldstein_price", "rastrigin", "ackley", "styblinski_tang"};
  EXPECT_EQ(names, expected);
  const auto catalog = problems::catalog();
  ASSERT_EQ(catalog.size(), names.size());
  for (std::size_t i = 0; i < catalog.size(); ++i) {
    EXPECT_EQ(catalog[i].name, names[i]);
    const auto p = problems::make(names[i]);
    EXPECT_EQ(catalog[i].default_dimension, p.dimension());
    EXPECT_EQ(catalog[i].formula, p.formula);
    const std::set<std::string> rules = {"1", "2", "any", "any even"};
    EXPECT_TRUE(rules.count(catalog[i].dimension_rule)) << catalog[i].dimension_rule;
  }
}

template <class F>
std::string thrown_message(F&& f) {
  try {
    f();
  } catch (const kobai::InvalidArgument& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

TEST(Registry, RejectsUnknownNamesAndImpossibleDimensions) {
  const std::string unknown = thrown_message([] { problems::make("bael"); });
  EXPECT_NE(unknown.find("unknown problem 'bael'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("beale"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("styblinski_tang"), std::string::npos) << unknown;
  EXPECT_EQ(thrown_message([] { problems::make("rosenbrock", 3); }),
            "rosenbrock needs an even dimension, got 3");
  EXPECT_EQ(thrown_message([] { problems::make("beale", 3); }), "beale has dimension 2, got 3");
  EXPECT_EQ(thrown_message([] { problems::make("cubic", 2); }), "cubic has dimension 1, got 2");
  EXPECT_EQ(thrown_message([] { problems::make("sphere", -1); }),
            "sphere needs a dimension >= 1, got -1");
  EXPECT_EQ(thrown_message([] { problems::rosenbrock(0); }),
            "rosenbrock needs an even dimension >= 2, got 0");
  EXPECT_EQ(problems::make("beale", 2).dimension(), 2);
  EXPECT_EQ(problems::make("sphere", 5).dimension(), 5);
  EXPECT_EQ(problems::make("rosenbrock", 8).dimension(), 8);
  EXPECT_EQ(problems::make("rastrigin").dimension(), 2);
}

TEST(ProblemCheck, RejectsAPointOfTheWrongDimension) {
  const std::string message =
      thrown_message([] { problems::check_gradient(problems::beale(), Vector::Zero(3)); });
  EXPECT_EQ(message, "x must have dimension 2, got 3");
}

}  // namespace
