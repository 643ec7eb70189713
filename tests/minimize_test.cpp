// The descent loop: stopping rules, divergence detection, history stride, callbacks.
#include <gtest/gtest.h>

#include <cmath>

#include "kobai/kobai.hpp"

namespace {

using kobai::Vector;

// f(x) = Σ x_i², ∇f = 2x (seed 000's function_2).
auto sphere() {
  return kobai::make_objective([](const Vector& x) { return x.squaredNorm(); },
                               [](const Vector& x, Vector& g) { g = 2 * x; });
}

// Seed 003's cubic x³ − 3x² − 9x + 2 with f' = 3x² − 6x − 9, run from x = 1 with α = 0.01.
auto cubic() {
  return kobai::make_objective(
      [](const Vector& x) { return std::pow(x[0], 3) - 3 * x[0] * x[0] - 9 * x[0] + 2; },
      [](const Vector& x, Vector& g) { g[0] = 3 * x[0] * x[0] - 6 * x[0] - 9; });
}

TEST(Minimize, ReproducesSeed000SphereRunWithLearningRatePointOne) {
  kobai::GradientDescent gd({.lr = 0.1});
  auto r = kobai::minimize(sphere(), Vector{{-3.0, 4.0}}, gd,
                           {.max_iterations = 100, .gradient_tolerance = 0});
  EXPECT_EQ(r.status, kobai::Status::iteration_limit);
  EXPECT_EQ(r.iterations, 100);
  // Seed 000 prints [-6.11110793e-10, 8.14814391e-10] with a numerical gradient; the exact
  // iteration is x_k = 0.8^k x_0.
  EXPECT_NEAR(r.x[0], -3.0 * std::pow(0.8, 100), 1e-22);
  EXPECT_NEAR(r.x[1], 4.0 * std::pow(0.8, 100), 1e-22);
}

TEST(Minimize, StopsWhenMaxAbsGradientFallsBelowTolerance) {
  kobai::GradientDescent gd({.lr = 0.01});
  auto r = kobai::minimize(cubic(), Vector{{1.0}}, gd, {.max_iterations = 200, .gradient_tolerance = 1e-8});
  EXPECT_EQ(r.status, kobai::Status::converged);
  EXPECT_LT(r.iterations, 200);
  EXPECT_LT(std::abs(r.gradient[0]), 1e-8);
  EXPECT_NEAR(r.x[0], 3.0, 1e-9);  // seed 003 prints 2.999999999256501
}

TEST(Minimize, LargeLearningRateEndsAsDivergedWithLastFiniteIterate) {
  kobai::GradientDescent gd({.lr = 10.0});
  auto r = kobai::minimize(sphere(), Vector{{-3.0, 4.0}}, gd, {.max_iterations = 100, .divergence_bound = 1e20});
  ASSERT_EQ(r.status, kobai::Status::diverged);
  ASSERT_TRUE(r.diverged_at.has_value());
  // x_k = (−19)^k x_0, f_k = 25·361^k passes 1e20 at k = 8.
  EXPECT_EQ(*r.diverged_at, 8);
  EXPECT_EQ(r.iterations, 8);
  EXPECT_TRUE(r.x.allFinite());
  EXPECT_NEAR(r.value, 25.0 * std::pow(361.0, 7), 1e-6 * 25.0 * std::pow(361.0, 7));
  EXPECT_NE(r.message.find("iteration 8"), std::string::npos) << r.message;
}

TEST(Minimize, NonFiniteValueIsDivergence) {
  auto log_objective = kobai::make_objective([](const Vector& x) { return std::log(x[0]); },
                                             [](const Vector& x, Vector& g) { g[0] = 1 / x[0]; });
  kobai::GradientDescent gd({.lr = 4.0});  // from x = 2: x_1 = 2 − 4·0.5 = 0 → log 0 = −inf
  auto r = kobai::minimize(log_objective, Vector{{2.0}}, gd, {.max_iterations = 10});
  EXPECT_EQ(r.status, kobai::Status::diverged);
  EXPECT_EQ(*r.diverged_at, 1);
  EXPECT_DOUBLE_EQ(r.x[0], 2.0);
}

TEST(Minimize, HistoryKeepsStrideRowsPlusFirstAndLast) {
  kobai::GradientDescent gd({.lr = 0.001});
  auto r = kobai::minimize(sphere(), Vector{{-3.0, 4.0}}, gd,
                           {.max_iterations = 1005, .gradient_tolerance = 0, .record_history = true,
                            .history_stride = 10});
  ASSERT_EQ(r.history.size(), 1u + 100u + 1u);  // 0, 10, …, 1000, and the final 1005
  EXPECT_EQ(r.history.iterations.front(), 0);
  EXPECT_EQ(r.history.iterations[1], 10);
  EXPECT_EQ(r.history.iterations.back(), 1005);
  EXPECT_DOUBLE_EQ(r.history.values.back(), r.value);
}

TEST(Minimize, AutomaticStrideBoundsTheRowCount) {
  kobai::GradientDescent gd({.lr = 1e-6});
  auto r = kobai::minimize(sphere(), Vector{{-3.0, 4.0}}, gd,
                           {.max_iterations = 1'000'000, .gradient_tolerance = 0, .record_history = true,
                            .history_max_rows = 1000});
  EXPECT_LE(r.history.size(), 1001u);
  EXPECT_GE(r.history.size(), 900u);
  EXPECT_EQ(r.history.iterations.back(), 1'000'000);
}

TEST(Minimize, ValueAndStepTolerancesStopTheRun) {
  kobai::GradientDescent gd({.lr = 0.1});
  auto by_value = kobai::minimize(sphere(), Vector{{-3.0, 4.0}}, gd,
                                  {.max_iterations = 10'000, .gradient_tolerance = 0, .value_tolerance = 1e-6});
  EXPECT_EQ(by_value.status, kobai::Status::converged);
  EXPECT_NE(by_value.message.find("value_tolerance"), std::string::npos);
  gd.reset();
  auto by_step = kobai::minimize(sphere(), Vector{{-3.0, 4.0}}, gd,
                                 {.max_iterations = 10'000, .gradient_tolerance = 0, .step_tolerance = 1e-6});
  EXPECT_EQ(by_step.status, kobai::Status::converged);
  EXPECT_LE(by_step.x.cwiseAbs().maxCoeff(), 1e-5);  // the step 0.2|x| fell to 1e-6
}

TEST(Minimize, CallbackCanStopEarly) {
  kobai::GradientDescent gd({.lr = 0.001});
  int calls = 0;
  auto r = kobai::minimize(sphere(), Vector{{-3.0, 4.0}}, gd, {.max_iterations = 1000, .gradient_tolerance = 0},
                           [&](const kobai::IterationInfo&) { ++calls; },
                           kobai::stop_when([](const kobai::IterationInfo& i) { return i.iteration == 42; }));
  EXPECT_EQ(r.status, kobai::Status::stopped);
  EXPECT_EQ(r.iterations, 42);
  EXPECT_EQ(calls, 42);
}

TEST(Minimize, RejectsStartPointWithNaN) {
  kobai::GradientDescent gd({.lr = 0.1});
  try {
    kobai::minimize(sphere(), Vector{{1.0, std::nan("")}}, gd);
    FAIL() << "expected InvalidArgument";
  } catch (const kobai::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("start point[1]"), std::string::npos) << e.what();
  }
}

TEST(Minimize, ScheduleChangesTheLearningRate) {
  kobai::GradientDescent gd({.lr = 0.1});
  auto r = kobai::minimize(sphere(), Vector{{1.0, 0.0}}, gd,
                           {.max_iterations = 3, .gradient_tolerance = 0,
                            .schedule = kobai::Schedule::exponential(0.5)});
  // lr 0.1, 0.05, 0.025: x ← x(1 − 2 lr)
  EXPECT_NEAR(r.x[0], 0.8 * 0.9 * 0.95, 1e-15);
}

}  // namespace
