// The line-search observer (LineSearchWorkspace::observe, observe_line_search on every method):
// what the playground's state panel shows as "the trial steps and the tests each passed". Checked
// against independent re-evaluations of f along the ray, and against the run's own history; an
// observed run must give the same numbers as an unobserved one.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "kobai/minimize/minimize.hpp"
#include "kobai/optim/line_search_registry.hpp"
#include "kobai/problems/registry.hpp"

namespace {

using kobai::Vector;

struct Observed {
  kobai::MinimizeResult result;
  std::vector<kobai::LineSearchTrace> traces;
};

Observed run(const std::string& name, const kobai::LineSearchSettings& settings, const std::string& problem_name,
             const Vector& start, bool observe) {
  const auto problem = kobai::problems::make(problem_name);
  auto method = kobai::make_line_search_method(name, settings);
  Observed out;
  if (observe) method.observe_line_search([&](const kobai::LineSearchTrace& t) { out.traces.push_back(t); });
  out.result = kobai::minimize(problem, start, method, {.max_iterations = 500, .record_history = true});
  return out;
}

// Every trial of every trace: its value is f(x + α d) evaluated here, and its tests agree with
// the conditions computed here from φ(0), φ'(0), c1 and c2.
void expect_trials_are_what_they_say(const kobai::problems::Problem& problem, const kobai::LineSearchTrace& t) {
  ASSERT_FALSE(t.trials.empty());
  Vector g(problem.dimension());
  for (const kobai::LineSearchTrial& trial : t.trials) {
    const Vector at = t.x + trial.step * t.direction;
    const double value = problem.value_and_gradient(at, g);
    EXPECT_EQ(trial.value, value) << "iteration " << t.iteration << " step " << trial.step;
    EXPECT_EQ(trial.slope, g.dot(t.direction));
    EXPECT_EQ(trial.sufficient_decrease, value <= t.value0 + t.c1 * trial.step * t.slope0);
    if (t.kind == kobai::LineSearchKind::strong_wolfe)
      EXPECT_EQ(trial.curvature, std::abs(trial.slope) <= t.c2 * std::abs(t.slope0));
    else
      EXPECT_FALSE(trial.curvature);
  }
}

TEST(LineSearchObserver, LbfgsWolfeTracesEveryIterationWithoutChangingTheRun) {
  const Vector start{{-1.2, 1.0}};
  const Observed plain = run("lbfgs", {}, "rosenbrock", start, false);
  const Observed seen = run("lbfgs", {}, "rosenbrock", start, true);
  ASSERT_EQ(plain.result.status, kobai::Status::converged);
  // the observer changes nothing: same iterates bit for bit, same counts
  EXPECT_EQ(seen.result.iterations, plain.result.iterations);
  EXPECT_EQ(seen.result.x, plain.result.x);
  EXPECT_EQ(seen.result.function_evaluations, plain.result.function_evaluations);

  const auto problem = kobai::problems::make("rosenbrock");
  ASSERT_EQ(static_cast<std::int64_t>(seen.traces.size()), seen.result.iterations);
  std::int64_t trials = 0;
  for (std::size_t k = 0; k < seen.traces.size(); ++k) {
    const kobai::LineSearchTrace& t = seen.traces[k];
    EXPECT_EQ(t.iteration, static_cast<std::int64_t>(k) + 1);
    EXPECT_EQ(t.kind, kobai::LineSearchKind::strong_wolfe);
    EXPECT_EQ(t.c1, 1e-4);
    EXPECT_EQ(t.c2, 0.9);
    EXPECT_TRUE(t.ok);
    // the search starts at iterate k and its accepted trial is iterate k + 1
    EXPECT_EQ(t.x, seen.result.history.points[k]);
    EXPECT_EQ(t.value0, seen.result.history.values[k]);
    EXPECT_LT(t.slope0, 0);
    EXPECT_EQ(t.trials.back().step, t.step);
    EXPECT_EQ(seen.result.history.points[k + 1], Vector(t.x + t.step * t.direction));
    EXPECT_EQ(t.trials.front().step, t.initial_step);
    expect_trials_are_what_they_say(problem, t);
    trials += static_cast<std::int64_t>(t.trials.size());
  }
  // every evaluation of f the run made was a trial of some search (L-BFGS evaluates nothing else
  // but the start)
  EXPECT_EQ(trials + 1, seen.result.function_evaluations);
}

TEST(LineSearchObserver, NewtonArmijoRecordsTheRejectedTrials) {
  // Newton on Beale from (1, 1.5): its first unit steps overshoot, Armijo backtracks
  const Vector start{{1.0, 1.5}};
  const Observed seen = run("newton", {}, "beale", start, true);
  const Observed plain = run("newton", {}, "beale", start, false);
  EXPECT_EQ(seen.result.x, plain.result.x);
  const auto problem = kobai::problems::make("beale");
  int backtracked = 0;
  for (const kobai::LineSearchTrace& t : seen.traces) {
    EXPECT_EQ(t.kind, kobai::LineSearchKind::armijo);
    EXPECT_TRUE(std::isnan(t.c2));
    EXPECT_EQ(t.initial_step, 1.0);
    expect_trials_are_what_they_say(problem, t);
    if (t.trials.size() > 1) {
      ++backtracked;
      // Armijo shrinks α only after a trial that failed sufficient decrease (or lowered nothing)
      for (std::size_t j = 0; j + 1 < t.trials.size(); ++j) {
        EXPECT_LT(t.trials[j + 1].step, t.trials[j].step);
        EXPECT_TRUE(!t.trials[j].sufficient_decrease || t.trials[j].value >= t.value0);
      }
    }
  }
  EXPECT_GT(backtracked, 0) << "Newton on Beale from (1, 1.5) should backtrack at least once";
}

TEST(LineSearchObserver, AnEmptyObserverStopsTheCalls) {
  const auto problem = kobai::problems::make("rosenbrock");
  auto method = kobai::make_line_search_method("bfgs", {});
  int calls = 0;
  method.observe_line_search([&](const kobai::LineSearchTrace&) { ++calls; });
  const auto first = kobai::minimize(problem, problem.start, method, {.max_iterations = 5});
  EXPECT_EQ(calls, 5);
  method.observe_line_search({});
  kobai::minimize(problem, problem.start, method, {.max_iterations = 5});
  EXPECT_EQ(calls, 5);
  EXPECT_EQ(first.iterations, 5);
}

}  // namespace
