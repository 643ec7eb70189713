// kobai/optim/line_search/line_search.hpp — what every line search shares: the ray φ(α), the
// result, and the safeguarded interpolation formulas.
//
// A line-search method moves from x along a descent direction d (∇f(x)ᵀd < 0) by a step α > 0:
//   x_{t+1} = x_t + α_t d_t                                   (seed 004)
// The search looks at the one-dimensional function
//   φ(α) = f(x + α d),   φ'(α) = ∇f(x + α d)ᵀ d,   φ(0) = f(x), φ'(0) = ∇f(x)ᵀ d < 0
// and accepts a step that decreases f enough (Armijo) and, for the Wolfe search, flattens the slope
// enough (curvature). `Ray` evaluates φ and φ' into buffers the method owns, so a search allocates
// nothing, and it counts each evaluation in the run's counters. Every trial evaluates f and ∇f
// together: the accepted point's gradient is then at hand for the next direction, and the first
// trial is accepted in most iterations of Newton and quasi-Newton methods.
//
// A failed search is an ordinary outcome (a wrong gradient, a function too flat or too noisy for
// double precision): it returns ok = false and a message, never an exception.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "kobai/core/objective.hpp"
#include "kobai/core/reductions.hpp"
#include "kobai/core/simd_avx2_copy.hpp"
#include "kobai/core/types.hpp"

KOBAI_AVX2_COPY_BEGIN

namespace kobai {

namespace line_search_detail {

// out = x + α·d, in packs of P; no FMA contraction (KOBAI_KERNEL): Eigen's x + α·d's bits.
template <class P>
KOBAI_SIMD_INLINE void trial_point_lanes(double* out, const double* x, double alpha, const double* d, std::size_t n) {
  simd::for_each_lanes<P>(n, [&]<class V>(std::size_t i) {
    simd::store_lanes(out + i, V(simd::load_lanes<V>(x + i) + alpha * simd::load_lanes<V>(d + i)));
  });
}

#if KOBAI_AVX2_COPY
__attribute__((target("avx2"))) inline void trial_point_avx2(double* out, const double* x, double alpha, const double* d,
                                                             std::size_t n) {
  trial_point_lanes<simd::Avx2Pack>(out, x, alpha, d, n);
}
#endif

KOBAI_KERNEL inline void trial_point(double* out, const double* x, double alpha, const double* d, std::size_t n) {
  KOBAI_KERNEL_BODY
#if KOBAI_AVX2_COPY
  if (simd::avx2_copy_enabled()) return trial_point_avx2(out, x, alpha, d, n);
#endif
  trial_point_lanes<simd::Pack<double>>(out, x, alpha, d, n);
}

}  // namespace line_search_detail

enum class LineSearchKind { armijo, strong_wolfe };

constexpr const char* to_string(LineSearchKind kind) {
  return kind == LineSearchKind::armijo ? "armijo" : "wolfe";
}

struct LineSearchResult {
  bool ok = false;
  double step = 0;      // the accepted α
  double value = 0;     // φ(α) = f(x + α d)
  double slope = 0;     // φ'(α) = ∇f(x + α d)ᵀ d
  int trials = 0;       // evaluations of φ this search made
  std::string message;  // on failure: what the search could not find (the method adds the advice)
};

// One evaluation of φ made by a search, for an observer (LineSearchWorkspace::observe): the step,
// φ and φ' there, and the two tests of the Wolfe conditions at it. The Ray fills the first three
// only when it records (record_into); the workspace adds the tests from the search's constants.
struct LineSearchTrial {
  double step = 0;                   // α
  double value = 0;                  // φ(α)
  double slope = 0;                  // φ'(α)
  bool sufficient_decrease = false;  // φ(α) ≤ φ(0) + c1·α·φ'(0) (Armijo)
  bool curvature = false;            // |φ'(α)| ≤ c2·|φ'(0)| (strong Wolfe; false for Armijo)
};

// φ(α) = f(x + α d). Writes the trial point into x_trial and its gradient into g_trial (both sized
// like x), so after a successful search they hold the accepted point: every search returns the
// last point it evaluated.
template <Objective F>
class Ray {
 public:
  Ray(const F& f, const Vector& x, const Vector& d, Vector& x_trial, Vector& g_trial,
      std::int64_t& function_evaluations, std::int64_t& gradient_evaluations)
      : f_(f), x_(x), d_(d), x_trial_(x_trial), g_trial_(g_trial),
        function_evaluations_(function_evaluations), gradient_evaluations_(gradient_evaluations) {}

  // Evaluates φ(α) and φ'(α); returns φ(α) and writes φ'(α) into slope.
  double evaluate(double alpha, double& slope) {
    // Long rays by kobai's kernels, which have an AVX2 copy in a baseline build (at n = 10⁴ the
    // point and the slope were ~8% of an L-BFGS iteration in Eigen's SSE2); short ones by Eigen.
    const auto n = static_cast<std::size_t>(x_.size());
    const bool long_ray = n >= reductions::long_vector;
    if (long_ray) line_search_detail::trial_point(x_trial_.data(), x_.data(), alpha, d_.data(), n);
    else x_trial_.noalias() = x_ + alpha * d_;
    const double value = f_.value_and_gradient(x_trial_, g_trial_);
    ++function_evaluations_;
    ++gradient_evaluations_;
    slope = long_ray ? reductions::dot(g_trial_.data(), d_.data(), n) : g_trial_.dot(d_);
    // a pointer test per trial, next to an evaluation of f and ∇f: nothing when not recording
    if (trials_ != nullptr)
      trials_->push_back({.step = alpha, .value = value, .slope = slope, .sufficient_decrease = false, .curvature = false});
    return value;
  }

  // Appends every later evaluation to `trials` (nullptr: stop recording).
  void record_into(std::vector<LineSearchTrial>* trials) { trials_ = trials; }

 private:
  const F& f_;
  const Vector& x_;
  const Vector& d_;
  Vector& x_trial_;
  Vector& g_trial_;
  std::int64_t& function_evaluations_;
  std::int64_t& gradient_evaluations_;
  std::vector<LineSearchTrial>* trials_ = nullptr;
};

namespace line_search_detail {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Minimizer of the cubic through (a, fa) and (b, fb) with slopes da and db (Nocedal & Wright
// eq. 3.59): d1 = da + db − 3(fa − fb)/(a − b), d2 = sign(b − a)·√(d1² − da·db),
//   α = b − (b − a)(db + d2 − d1)/(db − da + 2 d2).
// NaN when the cubic has no minimizer (d1² < da·db) or the data are not finite.
inline double cubic_minimizer(double a, double fa, double da, double b, double fb, double db) {
  if (!(std::isfinite(fa) && std::isfinite(fb) && std::isfinite(da) && std::isfinite(db)) || a == b)
    return nan;
  const double d1 = da + db - 3 * (fa - fb) / (a - b);
  const double radicand = d1 * d1 - da * db;
  if (radicand < 0) return nan;
  const double d2 = std::copysign(std::sqrt(radicand), b - a);
  const double denominator = db - da + 2 * d2;
  if (denominator == 0) return nan;
  return b - (b - a) * (db + d2 - d1) / denominator;
}

// Minimizer of the quadratic through (a, fa) with slope da and through (b, fb):
//   α = a − da (b − a)² / (2 (fb − fa − da (b − a))).   NaN when it opens downwards.
inline double quadratic_minimizer(double a, double fa, double da, double b, double fb) {
  if (!(std::isfinite(fa) && std::isfinite(fb) && std::isfinite(da)) || a == b) return nan;
  const double width = b - a;
  const double curvature = fb - fa - da * width;
  if (!(curvature > 0)) return nan;
  return a - da * width * width / (2 * curvature);
}

// The approximate Wolfe test (Hager & Zhang 2005, "CG_DESCENT"): near a minimizer the decrease
// c1·α·|φ'(0)| the Armijo test asks for falls below the rounding error of f itself, so comparing
// values says nothing. A trial whose value is within value_noise·|φ(0)| of φ(0) is then accepted
// when its slope shows progress, |φ'(α)| ≤ c2·|φ'(0)|. A wrong gradient does not pass it: its
// "slope" does not flatten along the ray.
inline bool approximately_acceptable(double value, double slope, double value0, double slope0,
                                     double value_noise, double c2) {
  return std::isfinite(value) && std::abs(value - value0) <= value_noise * std::abs(value0) &&
         std::abs(slope) <= c2 * std::abs(slope0);
}

// True when t lies inside [lo + margin·w, hi − margin·w] of the interval between a and b.
inline bool inside(double t, double a, double b, double margin) {
  const double lo = std::min(a, b), hi = std::max(a, b), w = hi - lo;
  return std::isfinite(t) && t >= lo + margin * w && t <= hi - margin * w;
}

}  // namespace line_search_detail

}  // namespace kobai

KOBAI_AVX2_COPY_END
