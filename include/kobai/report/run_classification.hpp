// kobai/report/run_classification.hpp — converged, oscillating, diverged or slow, read off the iterates.
//
// Seeds 000 and 002 tell the learning-rate story with words: on L = (5 − x)², lr 0.1 converges,
// 0.9 oscillates around the minimum ("x が 5 の前後で振動"), 1.0 and above never settles; on
// x0² + x1², lr 10 diverges and 0.001 barely moves. A sweep report labels each panel the same way,
// and the label has to be measured, not guessed from the learning rate. The rules, in order:
//
//   diverged     the loop said so (status diverged: a non-finite value or one past the bound), or
//                the value ended higher than it started: f(x_last) > f(x_0) (a run that lost ground
//                is heading out, even if it has not yet overflowed within the iteration cap)
//   oscillating  the step reverses direction in at least half of the recorded step pairs:
//                s_k = x_{k+1} − x_k, a reversal is s_k · s_{k−1} < 0 (in 1-D: the sign flips).
//                This is the seeds' 振動: x jumps from one side of the minimum to the other. It
//                covers lr 0.9 on (5 − x)² (reverses every step while the value falls by 0.64×) and
//                lr 1.0 (reverses every step and the value does not fall at all: x ↔ 10 − x).
//   converged    the loop met a tolerance (status converged), or the gradient norm fell to ≤ 1% of
//                its value at the start without oscillating (lr 0.1 for 30 steps on (5 − x)²: the
//                gradient shrinks by 0.8³⁰ ≈ 1.2e-3)
//   slow         otherwise: still descending, no reversals, the gradient still ≥ 1% of where it
//                began (lr 0.001 on x0² + x1² for 100 steps: the gradient keeps 82% of its size)
//
// The rules read the recorded history. For long runs the loop keeps every stride-th iterate, and
// then a "step" is the displacement over a stride; reversals faster than the stride are invisible.
// Without a history (record_history off) only the status and the end point are known: diverged if
// the status says so, converged if it says so, otherwise slow.
#pragma once

#include <cmath>
#include <cstddef>
#include <string_view>

#include "kobai/minimize/result.hpp"
#include "kobai/report/report.hpp"

namespace kobai::report {

inline std::string_view to_string(RunShape shape) {
  switch (shape) {
    case RunShape::converged: return "converged";
    case RunShape::oscillating: return "oscillating";
    case RunShape::diverged: return "diverged";
    case RunShape::slow: return "slow";
  }
  return "unknown";
}

inline RunShape classify(const MinimizeResult& result) {
  if (result.status == Status::diverged) return RunShape::diverged;
  const History& h = result.history;
  if (h.size() < 2) return result.converged() ? RunShape::converged : RunShape::slow;

  const double first_value = h.values.front();
  const double last_value = h.values.back();
  if (!std::isfinite(last_value) || last_value > first_value) return RunShape::diverged;

  std::size_t pairs = 0, reversals = 0;
  for (std::size_t k = 2; k < h.size(); ++k) {
    const Vector previous = h.points[k - 1] - h.points[k - 2];
    const Vector step = h.points[k] - h.points[k - 1];
    if (previous.squaredNorm() == 0 || step.squaredNorm() == 0) continue;  // no move, no direction
    ++pairs;
    if (step.dot(previous) < 0) ++reversals;
  }
  if (pairs > 0 && 2 * reversals >= pairs) return RunShape::oscillating;

  if (result.converged()) return RunShape::converged;
  const double first_gradient = h.gradient_norm.front();
  const double last_gradient = h.gradient_norm.back();
  if (last_gradient <= 0.01 * first_gradient) return RunShape::converged;
  return RunShape::slow;
}

}  // namespace kobai::report
