// The descent loop: stopping rules, divergence detection, history stride, callbacks.
#include <gtest/gtest.h>

#include <atomic>
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

TEST(Minimize, NonFiniteGradientAtAFiniteValueIsDivergence) {
  // f = x² with a gradient that is infinite below 0.6: from x = 1 with lr 0.25, x₁ = 0.5.
  auto broken = kobai::make_objective(
      [](const Vector& x) { return x[0] * x[0]; },
      [](const Vector& x, Vector& g) { g[0] = x[0] < 0.6 ? INFINITY : 2 * x[0]; });
  kobai::GradientDescent gd({.lr = 0.25});
  auto r = kobai::minimize(broken, Vector{{1.0}}, gd, {.max_iterations = 10});
  EXPECT_EQ(r.status, kobai::Status::diverged);
  EXPECT_EQ(*r.diverged_at, 1);
  EXPECT_EQ(r.iterations, 1);
  EXPECT_EQ(r.x[0], 1.0);      // the last finite iterate, its value and gradient
  EXPECT_EQ(r.value, 1.0);
  EXPECT_EQ(r.gradient[0], 2.0);
  EXPECT_NE(r.message.find("with a non-finite iterate or gradient at iteration 1"), std::string::npos)
      << r.message;
}

// The loop adds nothing to the optimizer's arithmetic: its iterates are those of a hand-written
// loop of step + evaluation, bit for bit, with or without a schedule (Adam keeps its step's
// coefficients between steps; a schedule's set_lr must invalidate them).
TEST(Minimize, FirstOrderRunRetracesAHandWrittenLoopBitForBit) {
  const auto beale = kobai::problems::beale();
  for (const bool scheduled : {false, true}) {
    const kobai::MinimizeOptions options{
        .max_iterations = 3000,
        .gradient_tolerance = 0,
        .schedule = scheduled ? std::optional(kobai::Schedule::step(500, 0.5)) : std::nullopt};
    kobai::Adam adam({.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.8});
    const auto r = kobai::minimize(beale, Vector{{3.0, 4.0}}, adam, options);

    kobai::Adam by_hand({.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.8});
    Vector x{{3.0, 4.0}}, g(2);
    double value = beale.value_and_gradient(x, g);
    for (std::int64_t k = 0; k < 3000; ++k) {
      if (scheduled) by_hand.set_lr(options.schedule->lr_at(1e-3, k));
      by_hand.step(x, g);
      value = beale.value_and_gradient(x, g);
    }
    EXPECT_EQ(r.status, kobai::Status::iteration_limit);
    EXPECT_EQ(r.iterations, 3000);
    EXPECT_EQ(r.function_evaluations, 3001);
    EXPECT_EQ(r.gradient_evaluations, 3001);
    EXPECT_EQ(r.x, x) << "scheduled " << scheduled;
    EXPECT_EQ(r.gradient, g);
    EXPECT_EQ(r.value, value);
    EXPECT_EQ(r.gradient_max_abs, g.cwiseAbs().maxCoeff());
  }
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

// Ctrl-C in the command line: a flag raised from outside ends the run at its current iterate.
TEST(Minimize, RaisedInterruptEndsTheRunAtItsCurrentIterate) {
  std::atomic<bool> interrupt{false};
  kobai::GradientDescent gd({.lr = 0.1});
  const kobai::MinimizeOptions options{.max_iterations = 1000, .gradient_tolerance = 0, .interrupt = &interrupt,
                                       .record_history = true, .history_stride = 100};
  // Raised during iteration 7 (as a signal would be): the loop sees it before the 8th step.
  auto r = kobai::minimize(sphere(), Vector{{-3.0, 4.0}}, gd, options, [&](const kobai::IterationInfo& i) {
    if (i.iteration == 7) interrupt.store(true);
  });
  EXPECT_EQ(r.status, kobai::Status::interrupted);
  EXPECT_EQ(kobai::to_string(r.status), "interrupted");
  EXPECT_EQ(r.iterations, 7);
  EXPECT_NE(r.message.find("interrupted at iteration 7"), std::string::npos) << r.message;
  // x_7 = 0.8^7 (−3, 4), and the history ends with it (stride 100 kept only the start before).
  EXPECT_NEAR(r.x[0], -3 * std::pow(0.8, 7), 1e-15);
  ASSERT_EQ(r.history.size(), 2u);
  EXPECT_EQ(r.history.iterations.back(), 7);
  EXPECT_EQ(r.history.points.back(), r.x);
  EXPECT_EQ(r.function_evaluations, 8);

  // Raised before the run: no step is taken.
  kobai::GradientDescent again({.lr = 0.1});
  const auto none = kobai::minimize(sphere(), Vector{{-3.0, 4.0}}, again, options);
  EXPECT_EQ(none.status, kobai::Status::interrupted);
  EXPECT_EQ(none.iterations, 0);
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
