// The verdict of a run (kobai/minimize/verdict.hpp), one test per verdict, on runs whose numbers
// are known in closed form: gradient descent on a quadratic multiplies x − x* by (1 − 2·lr) per
// step (per coordinate), so f − f* and |f'| after k steps, and what the last quarter removed, are
// powers of that factor.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "kobai/minimize/minimize.hpp"
#include "kobai/minimize/verdict.hpp"
#include "kobai/optim/gradient_descent.hpp"
#include "kobai/problems/registry.hpp"
#include "kobai/report/run_classification.hpp"

namespace {

using kobai::MinimizeResult;
using kobai::Status;
using kobai::Vector;
using kobai::Verdict;

MinimizeResult gd_run(const kobai::problems::Problem& p, const Vector& start, double lr, std::int64_t iterations,
                      double tolerance = 0) {
  kobai::GradientDescent gd({.lr = lr});
  return kobai::minimize(p, start, gd,
                         {.max_iterations = iterations, .gradient_tolerance = tolerance, .record_history = true});
}

bool mentions(const kobai::RunVerdict& v, const std::string& text) {
  return v.reason.find(text) != std::string::npos;
}

const kobai::problems::Problem quadratic = kobai::problems::quadratic1d();  // (5 − x)², f* = 0
const Vector minus_five = Vector::Constant(1, -5.0);

TEST(Verdict, ToleranceMetIsConverged) {
  const auto p = kobai::problems::make("sphere", 2);
  const MinimizeResult r = gd_run(p, Vector{{-3.0, 4.0}}, 0.1, 1000, 1e-8);
  ASSERT_EQ(r.status, Status::converged);
  const auto v = kobai::report::judge(r, p);
  EXPECT_EQ(v.verdict, Verdict::converged);
  EXPECT_EQ(v.reason, r.message);
  EXPECT_EQ(kobai::to_string(v.verdict), "converged");
}

// Seed 000, lr 0.1 for 100 steps with no tolerance: x = 0.8^100 (−3, 4), so max |∂f/∂xᵢ| =
// 8·0.8^100 = 1.6e-9 ≤ 1e-5 and f − f* = 25·0.64^100 = 1.0e-18: at the limit, but converged.
TEST(Verdict, SmallNumbersAtTheLimitAreConverged) {
  const auto p = kobai::problems::make("sphere", 2);
  const MinimizeResult r = gd_run(p, Vector{{-3.0, 4.0}}, 0.1, 100);
  ASSERT_EQ(r.status, Status::iteration_limit);
  const auto v = kobai::report::judge(r, p);
  EXPECT_EQ(v.verdict, Verdict::converged) << v.reason;
  EXPECT_TRUE(mentions(v, "no stopping tolerance was met")) << v.reason;
}

// lr 0.1 on (5 − x)² for 30 steps: f − f* = 100·0.64^30 = 1.5e-4 and |f'| = 20·0.8^30 = 0.025,
// neither small, and the last quarter (steps 23 → 30) removed 1 − 0.64^7 = 95.6% of what was
// left: still descending, never "converged", however far the gradient fell from its start.
TEST(Verdict, StillFallingAtTheLimitIsDescendingNotConverged) {
  const MinimizeResult r = gd_run(quadratic, minus_five, 0.1, 30);
  ASSERT_EQ(r.status, Status::iteration_limit);
  EXPECT_NEAR(r.value, 100 * std::pow(0.64, 30), 1e-15);
  const auto v = kobai::report::judge(r, quadratic);
  EXPECT_EQ(v.verdict, Verdict::descending) << v.reason;
  EXPECT_TRUE(mentions(v, "over the last 7 iterations (95.6% of f − f*)")) << v.reason;
  EXPECT_TRUE(mentions(v, "still falling at the iteration limit")) << v.reason;
}

// lr 0.9: x − 5 = (−0.8)^k (−10): the step flips sign every time (29 pairs of 29).
TEST(Verdict, AlternatingStepsAreOscillating) {
  const MinimizeResult r = gd_run(quadratic, minus_five, 0.9, 30);
  const auto v = kobai::report::judge(r, quadratic);
  EXPECT_EQ(v.verdict, Verdict::oscillating) << v.reason;
  EXPECT_TRUE(mentions(v, "29 of 29")) << v.reason;
  // lr 1.0: x ↔ 10 − x, f stays 100: oscillating too.
  EXPECT_EQ(kobai::report::judge(gd_run(quadratic, minus_five, 1.0, 30), quadratic).verdict, Verdict::oscillating);
}

// Seed 002: sin x + 0.05(5 − x)² from −10 with lr 1.0 settles in the local minimum at −0.935
// (f' = 0 there) while the global one is at 3.79: stalled, and the reason says why.
TEST(Verdict, StuckAtALocalMinimumIsStalled) {
  const auto p = kobai::problems::sine_bowl();
  const MinimizeResult r = gd_run(p, p.start, 1.0, 30);
  const auto v = kobai::report::judge(r, p);
  EXPECT_EQ(v.verdict, Verdict::stalled) << v.reason;
  EXPECT_TRUE(mentions(v, "local minimum")) << v.reason;
}

// lr 1e-7 on the sphere: each step keeps (1 − 2e-7) of x, so the last 25 of 100 steps remove
// 1 − (1 − 2e-7)^50 = 1e-5 of f − f* (< 0.1%) while the gradient is still 10: stalled.
TEST(Verdict, NoProgressAwayFromTheMinimumIsStalled) {
  const auto p = kobai::problems::make("sphere", 2);
  const MinimizeResult r = gd_run(p, Vector{{-3.0, 4.0}}, 1e-7, 100);
  const auto v = kobai::report::judge(r, p);
  EXPECT_EQ(v.verdict, Verdict::stalled) << v.reason;
  EXPECT_TRUE(mentions(v, "over the last 25 iterations")) << v.reason;
  // lr 0.001 (seed 000's "too small"): the last 25 steps remove 1 − 0.998^50 = 9.5%: descending.
  const auto slow = kobai::report::judge(gd_run(p, Vector{{-3.0, 4.0}}, 0.001, 100), p);
  EXPECT_EQ(slow.verdict, Verdict::descending) << slow.reason;
  EXPECT_TRUE(mentions(slow, "(9.53% of f − f*)")) << slow.reason;
}

TEST(Verdict, BlowingUpOrLosingGroundIsDiverged) {
  // lr 1.1: |x − 5| grows by 1.2 a step; f = 100·1.44^30 passes no bound but ends above f(x0).
  const MinimizeResult grew = gd_run(quadratic, minus_five, 1.1, 30);
  ASSERT_EQ(grew.status, Status::iteration_limit);
  const auto v = kobai::report::judge(grew, quadratic);
  EXPECT_EQ(v.verdict, Verdict::diverged) << v.reason;
  EXPECT_TRUE(mentions(v, "higher than it started")) << v.reason;
  // lr 10 on the sphere: the loop itself stops it (f passes 1e20 at step 8).
  const auto p = kobai::problems::make("sphere", 2);
  const MinimizeResult blew = gd_run(p, Vector{{-3.0, 4.0}}, 10.0, 100);
  ASSERT_EQ(blew.status, Status::diverged);
  EXPECT_EQ(kobai::report::judge(blew, p).verdict, Verdict::diverged);
}

// A function typed as text has no known f*: the gradient alone decides "small", and progress is
// measured against |f|.
TEST(Verdict, WithoutAKnownMinimumTheGradientDecides) {
  kobai::problems::Problem unknown = quadratic;
  unknown.global_minimizers.clear();
  EXPECT_EQ(kobai::report::known_minimum(unknown), std::nullopt);
  EXPECT_EQ(kobai::report::known_minimum(quadratic), 0.0);
  const auto v = kobai::report::judge(gd_run(unknown, minus_five, 0.1, 30), unknown);
  EXPECT_EQ(v.verdict, Verdict::descending) << v.reason;
  EXPECT_TRUE(mentions(v, "of |f|")) << v.reason;
  EXPECT_EQ(kobai::report::judge(gd_run(unknown, minus_five, 0.1, 100), unknown).verdict, Verdict::converged);
}

TEST(Verdict, WithoutAHistoryOnlyTheEndIsKnown) {
  MinimizeResult r;
  r.value = 0.5;
  r.gradient_max_abs = 1;
  r.status = Status::iteration_limit;
  auto v = kobai::judge(r, {.minimum_value = 0.0});
  EXPECT_EQ(v.verdict, Verdict::descending);
  EXPECT_TRUE(mentions(v, "no history was recorded")) << v.reason;
  r.gradient_max_abs = 1e-9;
  r.value = 1e-12;
  EXPECT_EQ(kobai::judge(r, {.minimum_value = 0.0}).verdict, Verdict::converged);
  r.status = Status::diverged;
  EXPECT_EQ(kobai::judge(r).verdict, Verdict::diverged);
}

// The verdict of an interrupted run reads its numbers like one at the limit, and says how it ended.
TEST(Verdict, InterruptedRunIsJudgedByItsNumbers) {
  MinimizeResult r = gd_run(quadratic, minus_five, 0.1, 30);
  r.status = Status::interrupted;
  const auto v = kobai::report::judge(r, quadratic);
  EXPECT_EQ(v.verdict, Verdict::descending);
  EXPECT_TRUE(mentions(v, "when interrupted (iteration 30)")) << v.reason;
}

}  // namespace
