// kobai/diff/check_gradient.hpp — is my analytic gradient right? (seed 003 §2.4.1)
//
//   auto check = kobai::check_gradient(f, grad, x);
//   if (!check.passed) std::cerr << check.summary() << '\n';
//   // check.worst_component, check.max_relative_error, check.analytic, check.numerical, ...
//
// Compares grad(x) with numerical_gradient(f, x) component by component:
//   absolute_error_i = |a_i − n_i|
//   relative_error_i = |a_i − n_i| / max(|a_i|, |n_i|, absolute_floor)      (absolute_floor = 1)
//   passed           = every error is finite and max_i relative_error_i ≤ tolerance
// Why the floor: a numerical derivative carries an absolute error (rounding ε|f|/h plus
// truncation h²|f'''|/6), not a relative one, so a component that is truly 0 comes back as
// ~1e-11 and a pure relative error |a − n|/max(|a|,|n|) would call it 100% wrong. With the floor,
// components of magnitude ≥ 1 are judged relatively and smaller ones absolutely; set
// `absolute_floor` to the gradient's natural scale when that is far from 1.
// Why 1e-6: with the default central step (∛ε·max(1,|x_i|)) the numerical gradient is good to
// about 1e-10 relative on well-scaled functions, so a correct gradient passes with a wide margin,
// while a typical mistake (a wrong sign, a missing factor, a swapped index) is off by O(1).
#pragma once

#include <cmath>
#include <concepts>
#include <cstdio>
#include <limits>
#include <string>

#include "kobai/core/types.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/diff/numerical_gradient.hpp"
#include "kobai/diff/numerical_hessian.hpp"

namespace kobai {

struct GradientCheckOptions {
  double tolerance = 1e-6;      // on max relative error (see the essay above)
  double absolute_floor = 1.0;  // denominators never go below this; 0 = purely relative
  NumericalGradientOptions numerical{};

  void validate() const {
    validate::positive("tolerance", tolerance);
    validate::non_negative("absolute_floor", absolute_floor);
    numerical.validate();
  }
};

struct GradientCheck {
  Vector analytic, numerical, absolute_error, relative_error;
  Eigen::Index worst_component = 0;  // argmax of relative_error (a non-finite one wins)
  double max_absolute_error = 0, max_relative_error = 0;
  double tolerance = 0;
  bool passed = false;
  // What `numerical` holds: the central/forward difference, or the exact gradient when a
  // hand-derived one is checked against automatic differentiation (compare_gradients).
  std::string reference_name = "numerical";

  // One line: "gradient check passed: worst component 1 (analytic 54, numerical 54.0000000001,
  // absolute error 1e-10, relative error 1.9e-12, tolerance 1e-06)".
  std::string summary() const {
    if (analytic.size() == 0) return std::string("gradient check ") + (passed ? "passed" : "failed") +
                                     ": no components";
    char buffer[256];
    const auto i = worst_component;
    std::snprintf(buffer, sizeof buffer,
                  "gradient check %s: worst component %lld (analytic %.12g, %s %.12g, "
                  "absolute error %.3g, relative error %.3g, tolerance %.3g)",
                  passed ? "passed" : "FAILED", static_cast<long long>(i), analytic[i],
                  reference_name.c_str(), numerical[i], absolute_error[i], relative_error[i],
                  tolerance);
    return buffer;
  }
};

// Compares `gradient` with `reference` component by component, with the errors and the pass rule
// described at the top. check_gradient's reference is the numerical gradient; `kobai check
// --grad` compares a hand-derived gradient with the exact one (the reference is then named
// "exact", and a tolerance near rounding, e.g. 1e-9, is the right one).
inline GradientCheck compare_gradients(const Vector& gradient, const Vector& reference,
                                       double tolerance, double absolute_floor = 1.0) {
  validate::positive("tolerance", tolerance);
  validate::non_negative("absolute_floor", absolute_floor);
  const Eigen::Index n = reference.size();
  if (gradient.size() != n)
    throw InvalidArgument("grad must return a vector of dimension " + std::to_string(n) +
                          ", got " + std::to_string(gradient.size()));
  GradientCheck check;
  check.tolerance = tolerance;
  check.analytic = gradient;
  check.numerical = reference;
  check.absolute_error = (check.analytic - check.numerical).cwiseAbs();
  check.relative_error.resize(n);
  bool all_finite = true;
  double worst = -1;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double a = check.analytic[i], m = check.numerical[i];
    const double scale = std::fmax(std::fmax(std::abs(a), std::abs(m)), absolute_floor);
    double relative = check.absolute_error[i] / scale;
    if (!std::isfinite(relative)) {
      // 0/0 (floor 0, both zero) is agreement; anything else non-finite is a failure.
      if (check.absolute_error[i] == 0) {
        relative = 0;
      } else {
        relative = std::numeric_limits<double>::infinity();
        if (all_finite) check.worst_component = i;
        all_finite = false;
      }
    }
    check.relative_error[i] = relative;
    if (all_finite && relative > worst) {
      worst = relative;
      check.worst_component = i;
    }
  }
  if (n > 0) {
    const double inf = std::numeric_limits<double>::infinity();
    check.max_relative_error = all_finite ? worst : inf;
    check.max_absolute_error = all_finite ? check.absolute_error.maxCoeff() : inf;
  }
  check.passed = all_finite && check.max_relative_error <= tolerance;
  return check;
}

// f(const Vector&) -> double; grad(const Vector&) -> Vector or grad(const Vector&, Vector&).
template <class F, class G>
  requires std::invocable<F&, const Vector&> &&
           (std::invocable<G&, const Vector&> || std::invocable<G&, const Vector&, Vector&>)
GradientCheck check_gradient(F&& f, G&& grad, const Vector& x, GradientCheckOptions options = {}) {
  options.validate();
  Vector analytic(x.size());
  detail::evaluate_gradient(grad, x, analytic);  // its dimension is checked by compare_gradients
  return compare_gradients(analytic, numerical_gradient(f, x, options.numerical), options.tolerance,
                           options.absolute_floor);
}

}  // namespace kobai
