// kobai/optim/line_search/armijo.hpp — backtracking line search with the Armijo condition.
//
// Starting from a trial step α₀ (1 for Newton's method), the search accepts the first α with
// sufficient decrease
//   φ(α) ≤ φ(0) + c1 · α · φ'(0)                      (Armijo condition, N&W eq. 3.4)
// and otherwise shrinks α. The new trial is the minimizer of the quadratic through φ(0), φ'(0)
// and φ(α),
//   α⁺ = −φ'(0) α² / (2 (φ(α) − φ(0) − φ'(0) α)),
// kept inside [shrink_min · α, shrink_max · α] so that it neither collapses nor stalls; with
// shrink_min = shrink_max = ρ it is the classic α ← ρα. A non-finite φ(α) (the trial left the
// function's domain) counts as too long a step, and so does one that does not lower f at all
// (φ(α) ≥ φ(0), possible when c1·α·φ'(0) is lost in rounding) — unless its value is within
// the rounding of φ(0) and its slope has flattened (the approximate Wolfe test of
// line_search.hpp), which lets Newton's method take its last steps into a minimizer. While the
// values are within rounding of φ(0) the next trial comes from the slopes instead (the secant
// of φ', which may also lengthen a step whose slope is still steep).
//
// Armijo alone does not rule out tiny steps (that is the Wolfe curvature condition's job), but
// backtracking from a good first trial avoids them in practice (N&W §3.1), and it never evaluates
// more than needed — the natural search for Newton's method, whose unit step is usually accepted.
#pragma once

#include <string>

#include "kobai/core/validate.hpp"
#include "kobai/optim/line_search/line_search.hpp"

namespace kobai {

struct ArmijoOptions {
  // Sufficient-decrease constant c1 in φ(α) ≤ φ(0) + c1 α φ'(0), 0 < c1 < 1.
  double c1 = 1e-4;
  // Safeguards on the interpolated shrink α⁺/α: it is kept in [shrink_min, shrink_max].
  double shrink_min = 0.1;
  double shrink_max = 0.5;
  // Give up after this many evaluations of φ (each halves α at least: 2⁻⁴⁰ ≈ 1e-12).
  int max_trials = 40;
  // Relative rounding level of f: a trial with |φ(α) − φ(0)| ≤ value_noise·|φ(0)| and
  // |φ'(α)| ≤ 0.9|φ'(0)| is accepted (approximate Wolfe test, see line_search.hpp). 0 disables.
  double value_noise = 1e-12;

  void validate() const {
    validate::in_half_open("armijo c1", c1, 0.0, 1.0);
    if (!(c1 > 0)) validate::fail("armijo c1", "in (0, 1)", c1);
    validate::in_half_open("armijo shrink_min", shrink_min, 0.0, 1.0);
    if (!(shrink_min > 0)) validate::fail("armijo shrink_min", "in (0, 1)", shrink_min);
    if (!(shrink_max >= shrink_min && shrink_max < 1))
      validate::fail("armijo shrink_max", "in [shrink_min, 1)", shrink_max);
    validate::positive_count("armijo max_trials", max_trials);
    validate::non_negative("armijo value_noise", value_noise);
  }
};

// Searches from α = initial_step along the ray; value0 = φ(0), slope0 = φ'(0) < 0.
template <Objective F>
LineSearchResult armijo_search(Ray<F>& ray, double value0, double slope0, double initial_step,
                               const ArmijoOptions& options) {
  LineSearchResult r;
  if (!(slope0 < 0)) {
    r.message = "was given a direction that is not a descent direction (slope " +
                validate::format_number(slope0) + ")";
    return r;
  }
  double alpha = initial_step;
  for (r.trials = 1; r.trials <= options.max_trials; ++r.trials) {
    double slope = 0;
    const double value = ray.evaluate(alpha, slope);
    // `value < value0` as well: once c1·α·φ'(0) is below the rounding of φ(0), the Armijo test
    // alone would accept a step that changes nothing.
    if ((std::isfinite(value) && value <= value0 + options.c1 * alpha * slope0 && value < value0) ||
        line_search_detail::approximately_acceptable(value, slope, value0, slope0,
                                                     options.value_noise, 0.9)) {
      r.ok = true;
      r.step = alpha;
      r.value = value;
      r.slope = slope;
      return r;
    }
    r.step = alpha;
    if (std::isfinite(value) && std::abs(value - value0) <= options.value_noise * std::abs(value0) &&
        std::isfinite(slope)) {
      // φ(α) is lost in the rounding of φ(0): steer by the slope, which is still accurate. The
      // secant of φ' through (0, φ'(0)) and (α, φ'(α)) estimates the 1-D minimizer.
      const double secant = slope > slope0 ? alpha * slope0 / (slope0 - slope) : 4 * alpha;
      alpha = slope < 0 ? std::clamp(secant, 1.1 * alpha, 100 * alpha)  // not far enough yet
                        : std::clamp(secant, options.shrink_min * alpha, 0.9 * alpha);
      continue;
    }
    double next = line_search_detail::quadratic_minimizer(0, value0, slope0, alpha, value);
    if (!std::isfinite(next)) next = options.shrink_max * alpha;
    alpha = std::clamp(next, options.shrink_min * alpha, options.shrink_max * alpha);
  }
  r.trials = options.max_trials;
  r.message = "found no step satisfying the sufficient-decrease (Armijo) condition after " +
              std::to_string(options.max_trials) + " trials (last step " +
              validate::format_number(r.step) + ")";
  return r;
}

}  // namespace kobai
