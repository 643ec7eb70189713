// kobai/report/run_classification.hpp — a run's verdict with its problem's minimum value.
//
// The verdict itself (converged / descending / oscillating / stalled / diverged, with the numbers
// that decided) is kobai::judge in kobai/minimize/verdict.hpp. A report, the command line's
// tables and its --json all judge a run the same way: with f* from the problem where the problem
// knows it. Seeds 000 and 002 tell the learning-rate story with these words — on (5 − x)² lr 0.9
// oscillates (x jumps across the minimum), 1.1 diverges — and a sweep labels each panel with them.
#pragma once

#include <optional>
#include <string>

#include "kobai/minimize/result.hpp"
#include "kobai/minimize/verdict.hpp"
#include "kobai/problems/problem.hpp"

namespace kobai::report {

// f* for the verdict: the problem's minimum value when it lists a minimizer (every built-in
// problem; for one unbounded below, such as the cubic, the lowest local minimum), none for a
// function typed as text, about whose minima nothing is known.
inline std::optional<double> known_minimum(const problems::Problem& problem) {
  if (problem.global_minimizers.empty() && problem.local_minimizers.empty()) return std::nullopt;
  return problem.minimum_value;
}

inline RunVerdict judge(const MinimizeResult& result, const problems::Problem& problem) {
  return kobai::judge(result, {.minimum_value = known_minimum(problem)});
}

// The sentence a one-run report opens with (kobai run --report, kobai.report.run in Python):
// how the loop ended and the verdict, e.g. "One run: iteration_limit after 200 iterations, descending."
inline std::string one_run_sentence(const MinimizeResult& result, const problems::Problem& problem) {
  return "One run: " + std::string(to_string(result.status)) + " after " + std::to_string(result.iterations) +
         " iterations, " + std::string(to_string(judge(result, problem).verdict)) + ".";
}

}  // namespace kobai::report
