// kobai/minimize/options.hpp — stopping rules, divergence bound and history settings of the loop.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>

#include "kobai/core/validate.hpp"
#include "kobai/optim/schedule.hpp"

namespace kobai {

struct MinimizeOptions {
  // Stop after this many steps (status iteration_limit).
  std::int64_t max_iterations = 1000;
  // Converged when max_i |∂f/∂x_i| < gradient_tolerance: the seeds' rule (seed 003). 0 disables.
  double gradient_tolerance = 1e-8;
  // Converged when |f_k − f_{k−1}| ≤ value_tolerance · max(1, |f_k|). 0 disables.
  double value_tolerance = 0.0;
  // Converged when max_i |x_k,i − x_{k−1},i| ≤ step_tolerance. 0 disables.
  double step_tolerance = 0.0;
  // Diverged when f(x_k) > divergence_bound (or f or x_k is not finite).
  double divergence_bound = 1e20;
  // Learning-rate schedule applied to the optimizer's base lr before each step (first-order only),
  // at t = the optimizer's steps() before that step: 0, 1, … for a fresh optimizer; an optimizer
  // restored with load_state() continues the schedule where the saved run was.
  std::optional<Schedule> schedule{};

  // Record iterates, values and gradient norms.
  bool record_history = false;
  // Keep every history_stride-th iteration (plus the first and the last). 0 picks a stride that
  // keeps at most history_max_rows rows, so a 10⁶-step run does not keep 10⁶ rows unless asked.
  std::int64_t history_stride = 0;
  std::int64_t history_max_rows = 10'000;

  void validate() const {
    if (max_iterations < 0) validate::fail("max_iterations", ">= 0", static_cast<double>(max_iterations));
    validate::non_negative("gradient_tolerance", gradient_tolerance);
    validate::non_negative("value_tolerance", value_tolerance);
    validate::non_negative("step_tolerance", step_tolerance);
    if (!(divergence_bound > 0)) validate::fail("divergence_bound", "> 0", divergence_bound);
    if (history_stride < 0) validate::fail("history_stride", ">= 0", static_cast<double>(history_stride));
    validate::positive_count("history_max_rows", history_max_rows);
    if (schedule) schedule->validate();
  }

  std::int64_t effective_history_stride() const {
    if (history_stride > 0) return history_stride;
    const std::int64_t rows = std::max<std::int64_t>(history_max_rows - 1, 1);
    return std::max<std::int64_t>(1, (max_iterations + rows - 1) / rows);
  }
};

}  // namespace kobai
