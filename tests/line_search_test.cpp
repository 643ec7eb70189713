// The line searches: Armijo backtracking and the strong Wolfe search (N&W Algorithms 3.5/3.6).
// Each accepted step is checked against the conditions by re-evaluating f and ∇f independently.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "kobai/core/objective.hpp"
#include "kobai/optim/line_search/search.hpp"

namespace {

using kobai::Vector;

// Extended Rosenbrock with its analytic gradient.
auto rosenbrock() {
  return kobai::make_objective(
      [](const Vector& x) {
        double f = 0;
        for (Eigen::Index i = 0; i + 1 < x.size(); i += 2)
          f += 100 * std::pow(x[i + 1] - x[i] * x[i], 2) + std::pow(1 - x[i], 2);
        return f;
      },
      [](const Vector& x, Vector& g) {
        for (Eigen::Index i = 0; i + 1 < x.size(); i += 2) {
          const double a = x[i + 1] - x[i] * x[i];
          g[i] = -400 * a * x[i] - 2 * (1 - x[i]);
          g[i + 1] = 200 * a;
        }
      });
}

// −log(1 − x) + x²: defined only for x < 1 (NaN beyond), minimum where 1/(1 − x) + 2x = 0.
auto barrier() {
  return kobai::make_objective(
      [](const Vector& x) {
        return x[0] < 1 ? -std::log(1 - x[0]) + x[0] * x[0] : std::numeric_limits<double>::quiet_NaN();
      },
      [](const Vector& x, Vector& g) { g[0] = 1 / (1 - x[0]) + 2 * x[0]; });
}

struct RaySetup {
  Vector x, g, d, x_trial, g_trial;
  double f0 = 0;
  std::int64_t fe = 0, ge = 0;
};

template <class F>
RaySetup steepest_descent_setup(const F& f, Vector x) {
  RaySetup s;
  s.x = std::move(x);
  s.g.resize(s.x.size());
  s.f0 = f.value_and_gradient(s.x, s.g);
  s.d = -s.g;
  s.x_trial.resize(s.x.size());
  s.g_trial.resize(s.x.size());
  return s;
}

// Checks the strong Wolfe conditions at the accepted step from a fresh evaluation.
template <class F>
void expect_strong_wolfe(const F& f, const RaySetup& s, const kobai::LineSearchResult& r, double c1, double c2) {
  ASSERT_TRUE(r.ok) << r.message;
  const Vector x = s.x + r.step * s.d;
  Vector g(x.size());
  const double value = f.value_and_gradient(x, g);
  const double slope0 = s.g.dot(s.d);
  EXPECT_GT(r.step, 0);
  EXPECT_LE(value, s.f0 + c1 * r.step * slope0) << "sufficient decrease, step " << r.step;
  EXPECT_LE(std::abs(g.dot(s.d)), c2 * std::abs(slope0)) << "curvature, step " << r.step;
  // The search leaves the accepted point and its gradient in the trial buffers.
  EXPECT_DOUBLE_EQ(r.value, value);
  EXPECT_TRUE(s.x_trial.isApprox(x, 1e-15));
  EXPECT_TRUE(s.g_trial.isApprox(g, 1e-12));
  EXPECT_EQ(s.fe, r.trials);
  EXPECT_EQ(s.ge, r.trials);
}

TEST(LineSearch, CubicMinimizerIsExactOnACubic) {
  // p(t) = t³ − 3t + 1: minimum at t = 1. Values and slopes at a = −0.5 and b = 2.
  auto p = [](double t) { return t * t * t - 3 * t + 1; };
  auto dp = [](double t) { return 3 * t * t - 3; };
  const double t = kobai::line_search_detail::cubic_minimizer(-0.5, p(-0.5), dp(-0.5), 2, p(2), dp(2));
  EXPECT_NEAR(t, 1.0, 1e-14);
}

TEST(LineSearch, QuadraticMinimizerIsExactOnAParabola) {
  auto q = [](double t) { return 3 * (t - 0.7) * (t - 0.7) + 2; };
  const double t = kobai::line_search_detail::quadratic_minimizer(0, q(0), 6 * (0 - 0.7), 2, q(2));
  EXPECT_NEAR(t, 0.7, 1e-14);
  // A concave quadratic has no minimizer.
  EXPECT_TRUE(std::isnan(kobai::line_search_detail::quadratic_minimizer(0, 0, -1, 1, -2)));
}

TEST(LineSearch, ArmijoAcceptsTheFirstTrialWhenItDecreasesEnough) {
  auto f = rosenbrock();
  RaySetup s = steepest_descent_setup(f, Vector{{-1.2, 1.0}});
  kobai::Ray ray(f, s.x, s.d, s.x_trial, s.g_trial, s.fe, s.ge);
  const double tiny = 1e-5;  // f(x − 1e-5 g) ≈ f − 1e-5‖g‖²: Armijo holds at once
  auto r = kobai::armijo_search(ray, s.f0, s.g.dot(s.d), tiny, {});
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.trials, 1);
  EXPECT_EQ(r.step, tiny);
  EXPECT_EQ(s.fe, 1);
}

TEST(LineSearch, ArmijoBacktracksToSufficientDecrease) {
  auto f = rosenbrock();
  for (double c1 : {1e-4, 0.3}) {
    RaySetup s = steepest_descent_setup(f, Vector{{-1.2, 1.0}});
    kobai::Ray ray(f, s.x, s.d, s.x_trial, s.g_trial, s.fe, s.ge);
    // ‖g‖ ≈ 232: a unit step goes far past the valley and must be cut back many times.
    auto r = kobai::armijo_search(ray, s.f0, s.g.dot(s.d), 1.0, {.c1 = c1});
    ASSERT_TRUE(r.ok) << r.message;
    EXPECT_GT(r.trials, 1);
    const double value = f.value(s.x + r.step * s.d);
    EXPECT_LE(value, s.f0 + c1 * r.step * s.g.dot(s.d));
    EXPECT_DOUBLE_EQ(r.value, value);
    EXPECT_EQ(s.fe, r.trials);
  }
}

TEST(LineSearch, ArmijoBacksOffFromOutsideTheDomain) {
  auto f = barrier();
  RaySetup s = steepest_descent_setup(f, Vector{{-2.0}});  // f' = 1/3 − 4 < 0: d points right
  kobai::Ray ray(f, s.x, s.d, s.x_trial, s.g_trial, s.fe, s.ge);
  auto r = kobai::armijo_search(ray, s.f0, s.g.dot(s.d), 10.0, {});  // x + 10d is far past x = 1
  ASSERT_TRUE(r.ok) << r.message;
  EXPECT_LT(s.x[0] + r.step * s.d[0], 1.0);
  EXPECT_LE(r.value, s.f0 + 1e-4 * r.step * s.g.dot(s.d));
}

TEST(LineSearch, StrongWolfeHoldsOnReturnFromShortAndLongFirstTrials) {
  auto f = rosenbrock();
  // 1e-6 needs the bracketing phase to expand; 1 and 100 need zoom to cut back.
  for (double initial : {1e-6, 1e-3, 1.0, 100.0}) {
    for (double c2 : {0.9, 0.1}) {
      RaySetup s = steepest_descent_setup(f, Vector{{-1.2, 1.0, 0.5, -0.3}});
      kobai::Ray ray(f, s.x, s.d, s.x_trial, s.g_trial, s.fe, s.ge);
      auto r = kobai::strong_wolfe_search(ray, s.f0, s.g.dot(s.d), initial, {.c2 = c2});
      SCOPED_TRACE("initial step " + std::to_string(initial) + ", c2 " + std::to_string(c2));
      expect_strong_wolfe(f, s, r, 1e-4, c2);
    }
  }
}

TEST(LineSearch, StrongWolfeHoldsAlongAQuasiNewtonLikeDirection) {
  // A direction that is not −g (rotated 60° from it, still descent) from several points.
  auto f = rosenbrock();
  for (Vector x0 : {Vector{{0.0, 0.0}}, Vector{{2.0, 2.0}}, Vector{{-0.5, 1.5}}}) {
    RaySetup s = steepest_descent_setup(f, x0);
    const double c = std::cos(1.0), sn = std::sin(1.0);
    s.d = Vector{{c * s.d[0] - sn * s.d[1], sn * s.d[0] + c * s.d[1]}} / s.d.norm();
    ASSERT_LT(s.g.dot(s.d), 0);
    kobai::Ray ray(f, s.x, s.d, s.x_trial, s.g_trial, s.fe, s.ge);
    auto r = kobai::strong_wolfe_search(ray, s.f0, s.g.dot(s.d), 1.0, {});
    expect_strong_wolfe(f, s, r, 1e-4, 0.9);
  }
}

TEST(LineSearch, StrongWolfeTreatsNonFiniteValuesAsTooLong) {
  auto f = barrier();
  RaySetup s = steepest_descent_setup(f, Vector{{-2.0}});
  kobai::Ray ray(f, s.x, s.d, s.x_trial, s.g_trial, s.fe, s.ge);
  auto r = kobai::strong_wolfe_search(ray, s.f0, s.g.dot(s.d), 10.0, {});
  expect_strong_wolfe(f, s, r, 1e-4, 0.9);
  EXPECT_LT(s.x_trial[0], 1.0);
}

TEST(LineSearch, RejectsADirectionThatIsNotDescent) {
  auto f = rosenbrock();
  RaySetup s = steepest_descent_setup(f, Vector{{-1.2, 1.0}});
  s.d = s.g;  // uphill
  kobai::Ray ray(f, s.x, s.d, s.x_trial, s.g_trial, s.fe, s.ge);
  for (bool wolfe : {false, true}) {
    auto r = wolfe ? kobai::strong_wolfe_search(ray, s.f0, s.g.dot(s.d), 1.0, {})
                   : kobai::armijo_search(ray, s.f0, s.g.dot(s.d), 1.0, {});
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.message.find("not a descent direction"), std::string::npos) << r.message;
  }
  EXPECT_EQ(s.fe, 0);  // refused before evaluating anything
}

TEST(LineSearch, FailsWithAMessageWhenTheSlopeLies) {
  // The claimed slope says "downhill" but f rises along d: no step has sufficient decrease.
  auto f = rosenbrock();
  RaySetup s = steepest_descent_setup(f, Vector{{-1.2, 1.0}});
  s.d = s.g;  // truly uphill…
  kobai::Ray ray(f, s.x, s.d, s.x_trial, s.g_trial, s.fe, s.ge);
  const double claimed_slope = -s.g.squaredNorm();  // …but claimed to be downhill
  auto wolfe = kobai::strong_wolfe_search(ray, s.f0, claimed_slope, 1.0, {});
  EXPECT_FALSE(wolfe.ok);
  EXPECT_NE(wolfe.message.find("sufficient-decrease"), std::string::npos) << wolfe.message;
  EXPECT_LE(wolfe.trials, 20);
  auto armijo = kobai::armijo_search(ray, s.f0, claimed_slope, 1.0, {});
  EXPECT_FALSE(armijo.ok);
  EXPECT_NE(armijo.message.find("after 40 trials"), std::string::npos) << armijo.message;
}

TEST(LineSearch, OptionsRejectBadConstantsNamingThem) {
  EXPECT_THROW((kobai::StrongWolfeOptions{.c1 = 0.5, .c2 = 0.4}.validate()), kobai::InvalidArgument);
  try {
    kobai::StrongWolfeOptions{.c2 = 1.5}.validate();
    FAIL();
  } catch (const kobai::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("wolfe c2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("1.5"), std::string::npos) << e.what();
  }
  EXPECT_THROW((kobai::ArmijoOptions{.c1 = 0}.validate()), kobai::InvalidArgument);
  EXPECT_THROW((kobai::ArmijoOptions{.shrink_min = 0.6, .shrink_max = 0.5}.validate()),
               kobai::InvalidArgument);
  EXPECT_EQ(kobai::parse_line_search_kind("armijo"), kobai::LineSearchKind::armijo);
  EXPECT_EQ(kobai::parse_line_search_kind("wolfe"), kobai::LineSearchKind::strong_wolfe);
  EXPECT_THROW(kobai::parse_line_search_kind("goldstein"), kobai::InvalidArgument);
}

}  // namespace
