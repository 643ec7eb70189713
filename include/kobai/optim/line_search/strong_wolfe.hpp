// kobai/optim/line_search/strong_wolfe.hpp — line search for the strong Wolfe conditions.
//
// Accepts a step α with
//   φ(α) ≤ φ(0) + c1 · α · φ'(0)          sufficient decrease (Armijo)       N&W eq. 3.7a
//   |φ'(α)| ≤ c2 · |φ'(0)|                 curvature: the slope has flattened  N&W eq. 3.7b
// with 0 < c1 < c2 < 1. The curvature condition guarantees yᵀs > 0 for the accepted step
// (s = α d, y = ∇f(x + s) − ∇f(x)), which keeps the BFGS and L-BFGS matrices positive definite.
// Defaults: c1 = 1e-4; c2 = 0.9 for Newton and quasi-Newton methods (a loose search, their unit
// step is usually good), c2 = 0.1 for conjugate gradient (which needs nearly exact searches).
//
// The algorithm is Nocedal & Wright's Algorithm 3.5 (bracketing) and 3.6 (zoom):
//   bracketing, from α₀ = initial_step: evaluate φ(αᵢ), φ'(αᵢ);
//     if φ(αᵢ) breaks sufficient decrease or φ(αᵢ) ≥ φ(αᵢ₋₁): zoom(αᵢ₋₁, αᵢ)
//     if |φ'(αᵢ)| ≤ c2|φ'(0)|: accept αᵢ
//     if φ'(αᵢ) ≥ 0: zoom(αᵢ, αᵢ₋₁)
//     otherwise expand: αᵢ₊₁ = αᵢ + 3(αᵢ − αᵢ₋₁) (×4 from the first trial), at most max_step
//   zoom(lo, hi), where lo is the best point so far with sufficient decrease and φ'(lo)(hi − lo) < 0:
//     αc = minimizer of the cubic through lo and hi (value and slope at both, N&W eq. 3.59),
//     αq = minimizer of the quadratic through φ(lo), φ'(lo) and φ(hi);
//     if φ(hi) > φ(lo): trial = αc if it is nearer lo than αq, else (αc + αq)/2 (Moré–Thuente's
//       rule for a bracket closed by a higher value: trust the cubic when it is cautious);
//     otherwise trial = αc if in the middle 80% of the interval, else αq;
//     a trial outside the middle 90% of the interval is replaced by the midpoint, so the
//     interval shrinks by at least 5% per trial
//     if φ(αⱼ) breaks sufficient decrease or φ(αⱼ) ≥ φ(lo): hi = αⱼ
//     else if |φ'(αⱼ)| ≤ c2|φ'(0)|: accept αⱼ
//     else: if φ'(αⱼ)(hi − lo) ≥ 0 then hi = lo; lo = αⱼ
// A non-finite φ(α) counts as breaking sufficient decrease, so the search backs off from a
// step that left the function's domain. Both phases share max_trials evaluations. Any trial whose
// value is within rounding (value_noise) of φ(0) and that meets the curvature condition is
// accepted at once: near a minimizer values cannot show the decrease (line_search.hpp). For the
// same reason, a trial within rounding of φ(0) is placed in the bracket by the sign of its slope
// alone (the slope stays accurate where the values are noise).
#pragma once

#include <cmath>
#include <limits>
#include <string>

#include "kobai/core/validate.hpp"
#include "kobai/optim/line_search/line_search.hpp"

namespace kobai {

struct StrongWolfeOptions {
  // Sufficient-decrease constant c1 in φ(α) ≤ φ(0) + c1 α φ'(0).
  double c1 = 1e-4;
  // Curvature constant c2 in |φ'(α)| ≤ c2 |φ'(0)|, c1 < c2 < 1 (0.9 quasi-Newton, 0.1 CG).
  double c2 = 0.9;
  // Give up after this many evaluations of φ (bracketing and zoom together).
  int max_trials = 20;
  // Bracketing never tries a step longer than this.
  double max_step = 1e10;
  // Relative rounding level of f: a trial with |φ(α) − φ(0)| ≤ value_noise·|φ(0)| that meets the
  // curvature condition is accepted (approximate Wolfe test, see line_search.hpp). 0 disables.
  double value_noise = 1e-12;

  void validate() const {
    if (!(c1 > 0 && c1 < 1)) validate::fail("wolfe c1", "in (0, 1)", c1);
    if (!(c2 > c1 && c2 < 1)) validate::fail("wolfe c2", "in (c1, 1)", c2);
    validate::positive_count("wolfe max_trials", max_trials);
    validate::positive("wolfe max_step", max_step);
    validate::non_negative("wolfe value_noise", value_noise);
  }
};

// Searches from α = initial_step along the ray; value0 = φ(0), slope0 = φ'(0) < 0.
template <Objective F>
LineSearchResult strong_wolfe_search(Ray<F>& ray, double value0, double slope0,
                                     double initial_step, const StrongWolfeOptions& options) {
  using line_search_detail::cubic_minimizer;
  using line_search_detail::inside;
  using line_search_detail::quadratic_minimizer;
  LineSearchResult r;
  if (!(slope0 < 0)) {
    r.message = "was given a direction that is not a descent direction (slope " +
                validate::format_number(slope0) + ")";
    return r;
  }
  const double c1 = options.c1;
  const double curvature_bound = -options.c2 * slope0;  // accept when |φ'(α)| ≤ this
  auto sufficient = [&](double alpha, double value) {
    return std::isfinite(value) && value <= value0 + c1 * alpha * slope0;
  };
  auto within_noise = [&](double value) {
    return std::abs(value - value0) <= options.value_noise * std::abs(value0);
  };
  auto approximate = [&](double value, double slope) {
    return line_search_detail::approximately_acceptable(value, slope, value0, slope0,
                                                        options.value_noise, options.c2);
  };
  auto accept = [&](double alpha, double value, double slope) {
    r.ok = true;
    r.step = alpha;
    r.value = value;
    r.slope = slope;
    return r;
  };

  // The zoom phase; lo/hi carry their values and slopes.
  auto zoom = [&](double lo, double f_lo, double d_lo, double hi, double f_hi, double d_hi) {
    double width_one_ago = std::numeric_limits<double>::infinity(), width_two_ago = width_one_ago;
    while (r.trials < options.max_trials) {
      const double width = std::abs(hi - lo);
      if (width <= 1e-15 * std::max(std::abs(lo), std::abs(hi))) {
        r.step = lo;
        r.message = "narrowed its interval to [" + validate::format_number(std::min(lo, hi)) +
                    ", " + validate::format_number(std::max(lo, hi)) +
                    "], below double precision, after " + std::to_string(r.trials) +
                    " trials without a step satisfying the " +
                    (lo > 0 ? "curvature condition" : "sufficient-decrease condition");
        return r;
      }
      double alpha = cubic_minimizer(lo, f_lo, d_lo, hi, f_hi, d_hi);
      if (f_hi > f_lo) {
        // The minimizer is bracketed by a higher value at hi (Moré–Thuente's case 1): take the
        // cubic step if it is nearer lo than the quadratic one, else the mean of the two.
        const double quadratic = quadratic_minimizer(lo, f_lo, d_lo, hi, f_hi);
        if (std::isfinite(alpha) && std::isfinite(quadratic)) {
          if (std::abs(alpha - lo) >= std::abs(quadratic - lo)) alpha += 0.5 * (quadratic - alpha);
        } else if (!std::isfinite(alpha)) {
          alpha = quadratic;
        }
      } else if (!inside(alpha, lo, hi, 0)) {
        alpha = quadratic_minimizer(lo, f_lo, d_lo, hi, f_hi);
      }
      // Bisect when the interpolant is useless, or when the interval has not shrunk to 2/3 in
      // the last two trials (Moré–Thuente's safeguard: at least linear convergence).
      if (!inside(alpha, lo, hi, 0) || width > 0.66 * width_two_ago) alpha = lo + 0.5 * (hi - lo);
      width_two_ago = width_one_ago;
      width_one_ago = width;
      double slope = 0;
      const double value = ray.evaluate(alpha, slope);
      ++r.trials;
      if (approximate(value, slope)) return accept(alpha, value, slope);
      if (within_noise(value) ? slope * d_lo < 0 : (!sufficient(alpha, value) || value >= f_lo)) {
        hi = alpha;
        f_hi = value;
        d_hi = slope;
      } else {
        if (std::abs(slope) <= curvature_bound) return accept(alpha, value, slope);
        if (slope * (hi - lo) >= 0) {
          hi = lo;
          f_hi = f_lo;
          d_hi = d_lo;
        }
        lo = alpha;
        f_lo = value;
        d_lo = slope;
      }
    }
    r.step = lo;
    r.message = "found no step satisfying the " +
                std::string(lo > 0 ? "curvature condition" : "sufficient-decrease condition") +
                " after " + std::to_string(r.trials) + " trials (interval [" +
                validate::format_number(std::min(lo, hi)) + ", " +
                validate::format_number(std::max(lo, hi)) + "])";
    return r;
  };

  double previous = 0, f_previous = value0, d_previous = slope0;
  double alpha = std::min(initial_step, options.max_step);
  while (r.trials < options.max_trials) {
    double slope = 0;
    const double value = ray.evaluate(alpha, slope);
    ++r.trials;
    if (approximate(value, slope)) return accept(alpha, value, slope);
    if (within_noise(value) ? slope >= 0
                            : (!sufficient(alpha, value) || (r.trials > 1 && value >= f_previous)))
      return zoom(previous, f_previous, d_previous, alpha, value, slope);
    if (std::abs(slope) <= curvature_bound) return accept(alpha, value, slope);
    if (slope >= 0) return zoom(alpha, value, slope, previous, f_previous, d_previous);
    if (alpha >= options.max_step) {
      r.step = alpha;
      r.message = "reached max_step " + validate::format_number(options.max_step) +
                  " with the function still decreasing (f = " + validate::format_number(value) +
                  "); the function may be unbounded below";
      return r;
    }
    const double next = alpha + 3 * (alpha - previous);
    previous = alpha;
    f_previous = value;
    d_previous = slope;
    alpha = std::min(next, options.max_step);
  }
  r.step = previous;
  r.message = "found no step satisfying the curvature condition after " +
              std::to_string(r.trials) + " trials: f kept decreasing up to step " +
              validate::format_number(previous) + " (f = " + validate::format_number(f_previous) +
              "); the function may be unbounded below";
  return r;
}

}  // namespace kobai
