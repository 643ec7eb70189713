// Newton, BFGS, L-BFGS, conjugate gradient and line-search gradient descent, run through
// `minimize`; and the runtime registry the command line uses.
//
// Eigen's runtime allocation check is switched on for this file (EIGEN_RUNTIME_NO_MALLOC), with
// eigen_assert redirected to a counter, so a test can prove that an L-BFGS iteration allocates
// nothing.
#define EIGEN_RUNTIME_NO_MALLOC
#include <atomic>
namespace eigen_check {
inline std::atomic<int> failed_assertions{0};
}
#define eigen_assert(x) ((x) ? (void)0 : (void)++eigen_check::failed_assertions)

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>

#include "kobai/kobai.hpp"
#include "kobai/optim/line_search_registry.hpp"
#include "kobai/problems/registry.hpp"

namespace {

using kobai::Matrix;
using kobai::Vector;

// f(x) = x₀², seed 004's example, with its Hessian.
struct Square {
  double value(const Vector& x) const { return x[0] * x[0]; }
  double value_and_gradient(const Vector& x, Vector& g) const {
    g[0] = 2 * x[0];
    return value(x);
  }
  void hessian(const Vector&, Matrix& h) const { h(0, 0) = 2; }
};

// Extended Rosenbrock as a plain struct (no std::function), for the allocation test.
struct Rosenbrock {
  double value(const Vector& x) const {
    double f = 0;
    for (Eigen::Index i = 0; i + 1 < x.size(); i += 2) {
      const double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
      f += 100 * a * a + b * b;
    }
    return f;
  }
  double value_and_gradient(const Vector& x, Vector& g) const {
    double f = 0;
    for (Eigen::Index i = 0; i + 1 < x.size(); i += 2) {
      const double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
      f += 100 * a * a + b * b;
      g[i] = -400 * a * x[i] - 2 * b;
      g[i + 1] = 200 * a;
    }
    return f;
  }
};

// Wraps an objective and counts the calls, to check the counts minimize reports.
template <class F>
struct Counting {
  const F& f;
  mutable std::int64_t value_calls = 0;
  mutable std::int64_t value_and_gradient_calls = 0;
  double value(const Vector& x) const {
    ++value_calls;
    return f.value(x);
  }
  double value_and_gradient(const Vector& x, Vector& g) const {
    ++value_and_gradient_calls;
    return f.value_and_gradient(x, g);
  }
};

// An objective whose "gradient" is −∇f: every search direction it suggests goes uphill.
struct WrongGradient {
  const kobai::problems::Problem& p;
  double value(const Vector& x) const { return p.value(x); }
  double value_and_gradient(const Vector& x, Vector& g) const {
    const double f = p.value_and_gradient(x, g);
    g = -g;
    return f;
  }
  void hessian(const Vector& x, Matrix& h) const { p.hessian(x, h); }
};

struct MethodCase {
  std::string label;
  std::string name;
  kobai::LineSearchSettings settings;
};

std::vector<MethodCase> all_methods() {
  return {{"newton", "newton", {}},
          {"newton (numerical Hessian)", "newton", {.hessian = "numerical"}},
          {"newton (wolfe)", "newton", {.line_search = "wolfe"}},
          {"bfgs", "bfgs", {}},
          {"lbfgs", "lbfgs", {}},
          {"lbfgs (armijo)", "lbfgs", {.line_search = "armijo"}},
          {"cg", "cg", {}},
          {"gd (armijo)", "gd", {.line_search = "armijo"}},
          {"gd (wolfe)", "gd", {.line_search = "wolfe"}}};
}

// The distance from x to the nearest listed minimizer (global or local), and that minimizer.
std::pair<double, Vector> nearest_minimizer(const kobai::problems::Problem& p, const Vector& x) {
  double best = std::numeric_limits<double>::infinity();
  Vector where;
  for (const auto* list : {&p.global_minimizers, &p.local_minimizers})
    for (const Vector& m : *list)
      if ((x - m).norm() < best) {
        best = (x - m).norm();
        where = m;
      }
  return {best, where};
}

TEST(SecondOrder, EveryMethodReachesAKnownMinimumOfEverySmoothBuiltInProblem) {
  // Rastrigin and Ackley are excluded: they are multimodal with no listed local minima (and
  // Ackley is not differentiable at its minimum), so a local method's end point is not listed.
  const std::set<std::string> multimodal = {"rastrigin", "ackley"};
  std::vector<kobai::problems::Problem> problems;
  for (const auto& info : kobai::problems::catalog())
    if (!multimodal.count(info.name)) problems.push_back(kobai::problems::make(info.name));
  problems.push_back(kobai::problems::make("rosenbrock", 10));
  problems.push_back(kobai::problems::make("sphere", 7));
  ASSERT_GE(problems.size(), 13u);

  for (const auto& p : problems) {
    for (const auto& m : all_methods()) {
      SCOPED_TRACE(p.name + " (n = " + std::to_string(p.dimension()) + ") with " + m.label);
      auto method = kobai::make_line_search_method(m.name, m.settings);
      // Steepest descent needs ~15,000 iterations on Rosenbrock; the others need < 100.
      auto r = kobai::minimize(p, p.start, method,
                               {.max_iterations = 100'000, .gradient_tolerance = 1e-9});
      ASSERT_EQ(r.status, kobai::Status::converged) << r.message;
      // max |g| < 1e-9 and the smallest Hessian eigenvalue at these minimizers is ≥ 0.04
      // (Matyas), so |x − x*| ≲ 1e-9 / 0.04 = 2.5e-8; 1e-6 leaves room for curvature changes.
      const auto [distance, minimizer] = nearest_minimizer(p, r.x);
      EXPECT_LT(distance, 1e-6) << "ended at " << r.x.transpose();
      // f − f* ≤ ½ λmax |x − x*|² is far below this; the tolerance covers rounding of f itself.
      EXPECT_NEAR(r.value, p.value(minimizer), 1e-9 * std::max(1.0, std::abs(r.value)));
    }
  }
}

TEST(SecondOrder, LocalMethodsEndAtAStationaryPointOfTheMultimodalProblems) {
  for (const std::string name : {"rastrigin", "ackley"}) {
    const auto p = kobai::problems::make(name);
    for (const auto& m : all_methods()) {
      SCOPED_TRACE(name + " with " + m.label);
      auto method = kobai::make_line_search_method(m.name, m.settings);
      auto r = kobai::minimize(p, p.start, method, {.max_iterations = 10'000, .gradient_tolerance = 1e-8});
      EXPECT_EQ(r.status, kobai::Status::converged) << r.message;
      EXPECT_LT(r.value, p.value(p.start));
    }
  }
}

TEST(SecondOrder, NewtonLandsOnTheMinimumOfXSquaredInOneStep) {
  // Seed 004: x₁ = x₀ − f'(x₀)/f''(x₀) = 0.7 − 1.4/2 = 0.
  kobai::Newton newton;
  auto r = kobai::minimize(Square{}, Vector{{0.7}}, newton, {.gradient_tolerance = 1e-12});
  EXPECT_EQ(r.status, kobai::Status::converged);
  EXPECT_EQ(r.iterations, 1);
  EXPECT_EQ(r.x[0], 0.0);  // exact: the LDLᵀ solve divides 1.4 by 2
  EXPECT_EQ(newton.last_step(), 1.0);
  EXPECT_FALSE(newton.last_step_modified());
  EXPECT_EQ(r.function_evaluations, 2);  // the start point and the one accepted trial
  EXPECT_EQ(r.gradient_evaluations, 2);
}

TEST(SecondOrder, NewtonConvergesQuadraticallyNearTheMinimum) {
  const auto p = kobai::problems::rosenbrock(2);
  const Vector minimizer = p.global_minimizers.front();
  kobai::Newton newton;
  auto r = kobai::minimize(p, p.start, newton,
                           {.max_iterations = 100, .gradient_tolerance = 1e-14,
                            .record_history = true, .history_stride = 1});
  ASSERT_EQ(r.status, kobai::Status::converged) << r.message;
  std::vector<double> errors;
  for (const Vector& x : r.history.points) errors.push_back((x - minimizer).norm());
  // In the region of quadratic convergence e_{k+1} ≤ C e_k² with C ≈ ‖∇³f‖ / (2 λmin(∇²f(x*)))
  // ≈ 2400 / (2·0.4) = 3000 for Rosenbrock at (1, 1). Linear convergence at any rate r would
  // break this bound once e_k < r / 3000.
  int quadratic_steps = 0;
  for (std::size_t k = 0; k + 1 < errors.size(); ++k) {
    const double e = errors[k], next = errors[k + 1];
    if (e > 1e-2 || next < 1e-14) continue;  // outside the region, or at rounding level
    EXPECT_LT(next / (e * e), 3000.0) << "iteration " << k << ": " << e << " → " << next;
    ++quadratic_steps;
  }
  EXPECT_GE(quadratic_steps, 2);
  // The unit step is accepted throughout that region (no backtracking near the minimum), and the
  // history's learning-rate column records each accepted step α.
  EXPECT_EQ(newton.last_step(), 1.0);
  EXPECT_EQ(r.history.learning_rates.back(), 1.0);
  EXPECT_LT(*std::min_element(r.history.learning_rates.begin(), r.history.learning_rates.end()), 1.0)
      << "far from the minimum Armijo must have cut some Newton steps";
}

TEST(SecondOrder, NewtonErrorSquaresWithTheTheoreticalConstant) {
  // f(x) = eˣ − x, minimum at 0: the Newton map x ↦ x − 1 + e⁻ˣ = x²/2 − x³/6 + …, so
  // e_{k+1} / e_k² → 1/2 exactly, and the measured order log(e_{k+1}/e_k) / log(e_k/e_{k−1}) → 2.
  struct ExpMinusX {
    double value(const Vector& x) const { return std::exp(x[0]) - x[0]; }
    double value_and_gradient(const Vector& x, Vector& g) const {
      g[0] = std::exp(x[0]) - 1;
      return value(x);
    }
    void hessian(const Vector& x, Matrix& h) const { h(0, 0) = std::exp(x[0]); }
  };
  kobai::Newton newton;
  auto r = kobai::minimize(ExpMinusX{}, Vector{{1.0}}, newton,
                           {.gradient_tolerance = 1e-15, .record_history = true, .history_stride = 1});
  ASSERT_TRUE(r.converged()) << r.message;
  std::vector<double> e;
  for (const Vector& x : r.history.points) e.push_back(std::abs(x[0]));
  int measured = 0;
  for (std::size_t k = 1; k + 1 < e.size(); ++k) {
    if (e[k] > 0.1 || e[k + 1] < 1e-14) continue;  // e_{k+1} is computed with cancellation below
    // e_{k+1}/e_k² = 1/2 − e_k/6 + …; e_k ≤ 0.1 keeps it within 0.04 of 1/2.
    EXPECT_NEAR(e[k + 1] / (e[k] * e[k]), 0.5, 0.04) << "iteration " << k;
    EXPECT_NEAR(std::log(e[k + 1] / e[k]) / std::log(e[k] / e[k - 1]), 2.0, 0.15) << "iteration " << k;
    ++measured;
  }
  EXPECT_GE(measured, 2);
}

TEST(SecondOrder, ModifiedNewtonDescendsFromAnIndefiniteHessian) {
  const auto rosenbrock = kobai::problems::rosenbrock(2);
  const auto himmelblau = kobai::problems::himmelblau();
  struct Start {
    const kobai::problems::Problem& p;
    Vector x;
  };
  // Rosenbrock at (0, 1): ∇²f = diag(−398, 200), a saddle-shaped model. Himmelblau at its
  // standard start (0, 0): ∇²f = diag(−42, −26), a local maximum's model: the plain Newton step
  // −H⁻¹g would go uphill.
  for (const Start& s : {Start{rosenbrock, Vector{{0.0, 1.0}}}, Start{himmelblau, Vector{{0.0, 0.0}}}}) {
    const Matrix h = s.p.hessian(s.x);
    const double determinant = h(0, 0) * h(1, 1) - h(0, 1) * h(1, 0);
    ASSERT_TRUE(determinant < 0 || (determinant > 0 && h.trace() < 0))
        << "the start must have an indefinite or negative definite Hessian:\n" << h;
    for (auto modification : {kobai::HessianModification::eigenvalue, kobai::HessianModification::levenberg}) {
      SCOPED_TRACE(s.p.name + (modification == kobai::HessianModification::eigenvalue ? " eigenvalue" : " levenberg"));
      kobai::Newton newton({.modification = modification});
      auto r = kobai::minimize(s.p, s.x, newton,
                               {.max_iterations = 200, .gradient_tolerance = 1e-10,
                                .record_history = true, .history_stride = 1});
      ASSERT_EQ(r.status, kobai::Status::converged) << r.message;
      EXPECT_GE(newton.modified_steps(), 1);
      for (std::size_t k = 1; k < r.history.values.size(); ++k)
        EXPECT_LT(r.history.values[k], r.history.values[k - 1]) << "iteration " << k;
      EXPECT_LT(nearest_minimizer(s.p, r.x).first, 1e-8);
    }
  }
}

TEST(SecondOrder, NewtonWithANumericalHessianFollowsTheAnalyticOne) {
  const auto p = kobai::problems::beale();
  kobai::Newton analytic;
  kobai::Newton numerical({.hessian = kobai::HessianSource::numerical});
  auto a = kobai::minimize(p, p.start, analytic, {.gradient_tolerance = 1e-10});
  auto n = kobai::minimize(p, p.start, numerical, {.gradient_tolerance = 1e-10});
  ASSERT_TRUE(a.converged() && n.converged()) << a.message << " / " << n.message;
  EXPECT_EQ(a.iterations, n.iterations);
  EXPECT_LT((a.x - n.x).norm(), 1e-9);
  // Each iteration adds 2n gradient evaluations for the differences.
  EXPECT_EQ(n.function_evaluations - a.function_evaluations, 4 * n.iterations);
  // A user Hessian function overrides the source.
  int calls = 0;
  kobai::Newton user({.hessian_function = [&](const Vector& x, Matrix& h) {
    ++calls;
    p.hessian(x, h);
  }});
  auto u = kobai::minimize(p, p.start, user, {.gradient_tolerance = 1e-10});
  EXPECT_EQ(u.iterations, a.iterations);
  EXPECT_EQ(calls, u.iterations);
}

TEST(SecondOrder, NewtonRefusesAMissingHessianWhenAskedForTheObjectives) {
  auto p = kobai::problems::beale();
  p.hessian_fn = nullptr;
  kobai::Newton automatic;  // falls back to differences
  EXPECT_TRUE(kobai::minimize(p, p.start, automatic, {.gradient_tolerance = 1e-8}).converged());
  auto method = kobai::make_line_search_method("newton", {.hessian = "problem"});
  try {
    kobai::minimize(p, p.start, method);
    FAIL() << "expected InvalidArgument";
  } catch (const kobai::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("numerical"), std::string::npos) << e.what();
  }
}

TEST(SecondOrder, ReportedEvaluationCountsAreExact) {
  const auto p = kobai::problems::rosenbrock(4);
  for (const auto& m : all_methods()) {
    SCOPED_TRACE(m.label);
    Counting<kobai::problems::Problem> counted{p};
    auto method = kobai::make_line_search_method(m.name, m.settings);
    auto r = kobai::minimize(counted, p.start, method, {.max_iterations = 300});
    EXPECT_GT(r.iterations, 0);
    EXPECT_EQ(r.function_evaluations, counted.value_calls + counted.value_and_gradient_calls);
    EXPECT_EQ(r.gradient_evaluations, counted.value_and_gradient_calls);
  }
}

TEST(SecondOrder, AWrongGradientEndsWithLineSearchFailedAndAMessage) {
  const auto p = kobai::problems::rosenbrock(2);
  const WrongGradient wrong{p};
  for (const auto& m : all_methods()) {
    if (m.settings.hessian == "numerical") continue;  // differences of −∇f: a negated Hessian
    SCOPED_TRACE(m.label);
    auto method = kobai::make_line_search_method(m.name, m.settings);
    kobai::MinimizeResult r;
    ASSERT_NO_THROW(r = kobai::minimize(wrong, p.start, method));
    EXPECT_EQ(r.status, kobai::Status::line_search_failed);
    EXPECT_EQ(r.iterations, 0);
    EXPECT_EQ(r.x, p.start);  // the last accepted iterate
    EXPECT_NE(r.message.find("at iteration 1 of " + m.name), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("kobai check"), std::string::npos) << r.message;
    EXPECT_NE(r.message.find("--line-search"), std::string::npos) << r.message;
  }
}

TEST(SecondOrder, StrongWolfeReportsAFunctionUnboundedBelow) {
  // f(x) = −x: every step decreases f and the slope never flattens.
  auto linear = kobai::make_objective([](const Vector& x) { return -x[0]; },
                                      [](const Vector&, Vector& g) { g[0] = -1; });
  kobai::Lbfgs lbfgs;
  auto r = kobai::minimize(linear, Vector{{0.0}}, lbfgs);
  EXPECT_EQ(r.status, kobai::Status::line_search_failed);
  EXPECT_NE(r.message.find("unbounded below"), std::string::npos) << r.message;
}

TEST(SecondOrder, BfgsSkipsTheUpdateWithoutPositiveCurvature) {
  // On f(x) = −x the gradient never changes: yᵀs = 0 at every Armijo step, so no update.
  auto linear = kobai::make_objective([](const Vector& x) { return -x[0]; },
                                      [](const Vector&, Vector& g) { g[0] = -1; });
  kobai::Bfgs bfgs({.line_search = {.kind = kobai::LineSearchKind::armijo}});
  auto r = kobai::minimize(linear, Vector{{0.0}}, bfgs, {.max_iterations = 5});
  EXPECT_EQ(r.status, kobai::Status::iteration_limit);
  EXPECT_EQ(bfgs.updates(), 0);
  EXPECT_DOUBLE_EQ(r.x[0], 5.0);  // five unit steps along −∇f = +1
}

TEST(SecondOrder, BfgsScalesTheInitialMatrixByTheObservedCurvature) {
  // f = ½ c ‖x‖²: after the first step y = c s, so H0 = (yᵀs / yᵀy) I = I / c, and the BFGS
  // update of I/c with y = c s leaves it unchanged (it already maps y to s).
  static constexpr double c = 4.0;
  auto bowl = kobai::make_objective([](const Vector& x) { return 0.5 * c * x.squaredNorm(); },
                                    [](const Vector& x, Vector& g) { g = c * x; });
  kobai::Bfgs bfgs;
  kobai::minimize(bowl, Vector{{3.0, -1.0, 2.0}}, bfgs, {.max_iterations = 1});
  ASSERT_EQ(bfgs.updates(), 1);
  EXPECT_TRUE(bfgs.inverse_hessian().isApprox(Matrix::Identity(3, 3) / c, 1e-12))
      << bfgs.inverse_hessian();
}

TEST(SecondOrder, LbfgsKeepsAtMostMemoryPairsAndAllocatesNothingAfterTheFirstIteration) {
  const Rosenbrock f;
  const int n = 50;
  Vector x(n), g(n);
  for (int i = 0; i < n; i += 2) x.segment(i, 2) << -1.2, 1.0;
  double value = f.value_and_gradient(x, g);
  std::int64_t fe = 1, ge = 1;
  kobai::SearchState state{x, value, g, fe, ge};
  kobai::Lbfgs lbfgs({.memory = 3});
  kobai::Bfgs bfgs;
  kobai::ConjugateGradient cg;
  ASSERT_TRUE(lbfgs.iterate(f, state).ok);  // sizes the buffers
  eigen_check::failed_assertions = 0;
  Eigen::internal::set_is_malloc_allowed(false);
  for (int k = 0; k < 20; ++k) ASSERT_TRUE(lbfgs.iterate(f, state).ok);
  Eigen::internal::set_is_malloc_allowed(true);
  EXPECT_EQ(eigen_check::failed_assertions, 0) << "L-BFGS allocated during an iteration";
  EXPECT_EQ(lbfgs.stored_pairs(), 3);
  EXPECT_LT(value, 24.2 * n / 2);  // it made progress from f(x₀) = 24.2 per pair

  // The same holds for BFGS and CG once sized (they are given a fresh start: x changed hands).
  for (auto* method : {static_cast<void*>(&bfgs), static_cast<void*>(&cg)}) {
    auto step = [&] {
      return method == &bfgs ? bfgs.iterate(f, state).ok : cg.iterate(f, state).ok;
    };
    ASSERT_TRUE(step());
    eigen_check::failed_assertions = 0;
    Eigen::internal::set_is_malloc_allowed(false);
    for (int k = 0; k < 10; ++k) ASSERT_TRUE(step());
    Eigen::internal::set_is_malloc_allowed(true);
    EXPECT_EQ(eigen_check::failed_assertions, 0);
  }
}

TEST(SecondOrder, ReusingAMethodObjectStartsEachRunFresh) {
  const auto small = kobai::problems::rosenbrock(2);
  const auto large = kobai::problems::rosenbrock(6);
  kobai::Lbfgs reused;
  kobai::minimize(small, small.start, reused);
  auto again = kobai::minimize(large, large.start, reused);
  kobai::Lbfgs fresh;
  auto reference = kobai::minimize(large, large.start, fresh);
  EXPECT_EQ(again.iterations, reference.iterations);
  EXPECT_EQ(again.function_evaluations, reference.function_evaluations);
  EXPECT_EQ(again.x, reference.x);
}

TEST(SecondOrder, ARunFromTheLastRunsEndPointStillStartsFresh) {
  // minimize counts its iterations in SearchState, so a method object never carries quasi-Newton
  // memory into another run — not even one that starts where the last one stopped.
  const auto f = kobai::problems::rosenbrock(6);
  kobai::Lbfgs reused;
  const auto first = kobai::minimize(f, f.start, reused, {.max_iterations = 5});
  ASSERT_EQ(first.iterations, 5);
  const auto again = kobai::minimize(f, first.x, reused);
  kobai::Lbfgs fresh;
  const auto reference = kobai::minimize(f, first.x, fresh);
  EXPECT_EQ(again.iterations, reference.iterations);
  EXPECT_EQ(again.function_evaluations, reference.function_evaluations);
  EXPECT_EQ(again.x, reference.x);
}

TEST(SecondOrder, ALineSearchStepToANonFiniteGradientEndsAtTheLastFiniteIterate) {
  // f(x) = (x − 3)² decreases towards 3, but its "gradient" is NaN beyond x = 2: the Armijo search
  // (values only) accepts the step, and the loop must put back the iterate the step started from
  // with its own gradient (the method updates minimize's x and gradient in place).
  auto f = kobai::make_objective([](const Vector& x) { return (x[0] - 3) * (x[0] - 3); },
                                 [](const Vector& x, Vector& g) {
                                   g[0] = x[0] > 2 ? std::numeric_limits<double>::quiet_NaN() : 2 * (x[0] - 3);
                                 });
  for (const char* name : {"bfgs", "lbfgs", "cg", "gd"}) {
    SCOPED_TRACE(name);
    auto method = kobai::make_line_search_method(name, {.line_search = "armijo"});
    const auto r = kobai::minimize(f, Vector{{0.0}}, method, {.max_iterations = 50});
    ASSERT_EQ(r.status, kobai::Status::diverged) << r.message;
    ASSERT_TRUE(r.diverged_at.has_value());
    EXPECT_LE(r.x[0], 2.0);
    EXPECT_EQ(r.gradient[0], 2 * (r.x[0] - 3));  // the gradient of the point it ended at
    EXPECT_EQ(r.value, (r.x[0] - 3) * (r.x[0] - 3));
  }
}

TEST(SecondOrder, StepToleranceMeasuresTheLineSearchStep) {
  // The step tolerance compares x with the iterate the method's step started from.
  const auto f = kobai::problems::rosenbrock(2);
  const double tolerance = 1e-3;
  kobai::Lbfgs lbfgs;
  const auto r = kobai::minimize(f, f.start, lbfgs, {.max_iterations = 1000, .gradient_tolerance = 0,
                                                     .step_tolerance = tolerance});
  ASSERT_EQ(r.status, kobai::Status::converged) << r.message;
  EXPECT_NE(r.message.find("step_tolerance"), std::string::npos) << r.message;
  // the same run one iteration shorter took a longer last step
  kobai::Lbfgs shorter;
  const auto before = kobai::minimize(f, f.start, shorter, {.max_iterations = r.iterations - 1,
                                                            .gradient_tolerance = 0});
  EXPECT_LE((r.x - before.x).cwiseAbs().maxCoeff(), tolerance);
}

TEST(SecondOrder, ConjugateGradientSolvesAnIllConditionedQuadratic) {
  // f = ½ xᵀAx with eigenvalues 1 … 100: steepest descent needs hundreds of steps, CG a few n.
  const int n = 8;
  Vector diagonal = Vector::LinSpaced(n, 1.0, 100.0);
  auto quadratic = kobai::make_objective(
      [diagonal](const Vector& x) { return 0.5 * x.dot(diagonal.cwiseProduct(x)); },
      [diagonal](const Vector& x, Vector& g) { g = diagonal.cwiseProduct(x); });
  kobai::ConjugateGradient cg;
  auto r = kobai::minimize(quadratic, Vector::Ones(n), cg, {.max_iterations = 1000, .gradient_tolerance = 1e-10});
  ASSERT_TRUE(r.converged()) << r.message;
  EXPECT_LE(r.iterations, 4 * n);
  kobai::LineSearchGradientDescent gd({.line_search = {.kind = kobai::LineSearchKind::strong_wolfe}});
  auto slow = kobai::minimize(quadratic, Vector::Ones(n), gd, {.max_iterations = 10'000, .gradient_tolerance = 1e-10});
  EXPECT_GT(slow.iterations, 5 * r.iterations);
}

// ---- the registry the command line uses -------------------------------------------------------

TEST(LineSearchRegistry, KnowsItsMethodsAndWhenGdIsOne) {
  EXPECT_EQ(kobai::line_search_method_names(),
            (std::vector<std::string>{"newton", "bfgs", "lbfgs", "cg", "gd"}));
  for (const char* name : {"newton", "bfgs", "lbfgs", "cg"})
    EXPECT_TRUE(kobai::is_line_search_method(name, {})) << name;
  EXPECT_FALSE(kobai::is_line_search_method("gd", {}));
  EXPECT_TRUE(kobai::is_line_search_method("gd", {.line_search = "armijo"}));
  EXPECT_FALSE(kobai::is_line_search_method("adam", {.line_search = "wolfe"}));
}

TEST(LineSearchRegistry, RejectsBadSettingsNamingTheValue) {
  struct Bad {
    std::string name;
    kobai::LineSearchSettings settings;
    std::string expected;  // a fragment of the message
  };
  const std::vector<Bad> cases = {
      {"sgd", {}, "'sgd'"},
      {"gd", {}, "set it to armijo or wolfe"},
      {"lbfgs", {.line_search = "goldstein"}, "'goldstein'"},
      {"lbfgs", {.memory = 0}, "memory must be > 0, got 0"},
      {"bfgs", {.memory = 5}, "memory applies only to lbfgs"},
      {"lbfgs", {.lr = 0.1}, "lr applies only to gd"},
      {"gd", {.line_search = "armijo", .lr = -1.0}, "got -1"},
      {"newton", {.hessian = "exact"}, "'exact'"},
      {"cg", {.hessian = "numerical"}, "hessian applies only to newton"},
  };
  for (const auto& c : cases) {
    try {
      kobai::make_line_search_method(c.name, c.settings);
      ADD_FAILURE() << c.name << " should have been rejected";
    } catch (const kobai::InvalidArgument& e) {
      EXPECT_NE(std::string(e.what()).find(c.expected), std::string::npos) << e.what();
    }
  }
}

TEST(LineSearchRegistry, ReportsNamesSearchesAndHyperparameters) {
  auto lbfgs = kobai::make_line_search_method("lbfgs", {.memory = 5});
  EXPECT_EQ(lbfgs.name(), "lbfgs");
  EXPECT_EQ(lbfgs.line_search(), "wolfe");
  using Pairs = std::vector<std::pair<std::string, double>>;
  EXPECT_EQ(lbfgs.hyperparameters(), (Pairs{{"memory", 5}, {"c1", 1e-4}, {"c2", 0.9}}));
  EXPECT_EQ(kobai::make_line_search_method("cg", {}).hyperparameters(),
            (Pairs{{"restart_threshold", 0.1}, {"c1", 1e-4}, {"c2", 0.1}}));
  auto newton = kobai::make_line_search_method("newton", {});
  EXPECT_EQ(newton.line_search(), "armijo");
  EXPECT_EQ(newton.hyperparameters(), (Pairs{{"min_curvature", 1e-8}, {"c1", 1e-4}}));
  auto gd = kobai::make_line_search_method("gd", {.line_search = "wolfe", .lr = 0.5});
  EXPECT_EQ(gd.hyperparameters(), (Pairs{{"lr", 0.5}, {"c1", 1e-4}, {"c2", 0.9}}));
}

TEST(LineSearchRegistry, AnyMethodRunsExactlyLikeTheConcreteOne) {
  const auto p = kobai::problems::rosenbrock(4);
  auto any = kobai::make_line_search_method("lbfgs", {.memory = 4});
  static_assert(kobai::LineSearchOptimizer<kobai::AnyLineSearchMethod, kobai::problems::Problem>);
  kobai::Lbfgs concrete({.memory = 4});
  auto a = kobai::minimize(p, p.start, any);
  auto c = kobai::minimize(p, p.start, concrete);
  EXPECT_EQ(a.iterations, c.iterations);
  EXPECT_EQ(a.function_evaluations, c.function_evaluations);
  EXPECT_EQ(a.x, c.x);
  any.reset();
  auto again = kobai::minimize(p, p.start, any);
  EXPECT_EQ(again.x, a.x);
}

}  // namespace
