// kobai/diff/numerical_hessian.hpp — Hessians by finite differences, for checks and for Newton.
//
//   Matrix H1 = kobai::numerical_hessian(f, x);                       // from values only
//   Matrix H2 = kobai::numerical_hessian_from_gradient(grad, x);      // from an analytic gradient
//
// From values (second differences), with h_i the step of component i:
//   H_ii ≈ (f(x + h_i e_i) − 2 f(x) + f(x − h_i e_i)) / h_i²
//   H_ij ≈ (f(x + h_i e_i + h_j e_j) − f(x + h_i e_i − h_j e_j)
//           − f(x − h_i e_i + h_j e_j) + f(x − h_i e_i − h_j e_j)) / (4 h_i h_j)     (i ≠ j)
// Truncation error is O(h²) and rounding error about ε|f|/h², balanced at h ≈ ε^(1/4) ≈ 1.2e-4,
// scaled by max(1, |x_i|); so expect about 8 correct digits relative to |f|/max(1,x²), not 16.
// The matrix is symmetric by construction (H_ij is computed once and mirrored). Cost: 2n² + 1
// evaluations.
//
// From a gradient (central differences of ∇f, column by column):
//   H_{·j} ≈ (∇f(x + h_j e_j) − ∇f(x − h_j e_j)) / 2h_j,   then  H ← (H + Hᵀ)/2
// with the same steps as numerical_gradient (∛ε·max(1,|x_j|)), so about 10 correct digits. The
// symmetrization averages the two estimates of each mixed partial. Cost: 2n gradient calls. This
// is the form to check an analytic Hessian against an analytic gradient.
//
// As in numerical_gradient, quotients divide by the distance between the points actually
// evaluated (x + h and x − h are rounded).
#pragma once

#include <cmath>
#include <concepts>
#include <limits>
#include <optional>
#include <utility>

#include "kobai/core/types.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/diff/numerical_gradient.hpp"

namespace kobai {

struct NumericalHessianOptions {
  // Fixed step h for every component. Unset: h_i = ε^(1/4)·max(1,|x_i|).
  std::optional<double> step{};

  void validate() const {
    if (step) validate::positive("step", *step);
  }
};

// Hessian of f(const Vector&) -> double at x, from function values only.
template <class F>
  requires std::invocable<F&, const Vector&>
Matrix numerical_hessian(F&& f, const Vector& x, NumericalHessianOptions options = {}) {
  options.validate();
  const Eigen::Index n = x.size();
  static const double base = std::sqrt(std::sqrt(std::numeric_limits<double>::epsilon()));
  Vector point = x;
  auto evaluate = [&f, &point]() -> double {
    return static_cast<double>(f(std::as_const(point)));
  };
  // Rounded points x_i ± h_i and the distance between them, per component.
  Vector plus(n), minus(n), width(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double h = options.step ? *options.step : base * std::fmax(1.0, std::abs(x[i]));
    plus[i] = x[i] + h;
    minus[i] = x[i] - h;
    width[i] = plus[i] - minus[i];
    if (width[i] == 0) detail::step_vanishes(x[i], h);
  }
  const double f0 = evaluate();
  Matrix hessian(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double h_plus = plus[i] - x[i];
    const double h_minus = x[i] - minus[i];
    point[i] = plus[i];
    const double f_plus = evaluate();
    point[i] = minus[i];
    const double f_minus = evaluate();
    point[i] = x[i];
    // Second difference on a possibly uneven stencil (h_plus and h_minus differ by rounding).
    hessian(i, i) = 2 * ((f_plus - f0) / h_plus - (f0 - f_minus) / h_minus) / width[i];
    for (Eigen::Index j = i + 1; j < n; ++j) {
      auto corner = [&](double xi, double xj) {
        point[i] = xi;
        point[j] = xj;
        return evaluate();
      };
      const double f_pp = corner(plus[i], plus[j]);
      const double f_pm = corner(plus[i], minus[j]);
      const double f_mp = corner(minus[i], plus[j]);
      const double f_mm = corner(minus[i], minus[j]);
      point[i] = x[i];
      point[j] = x[j];
      hessian(i, j) = hessian(j, i) = ((f_pp - f_pm) - (f_mp - f_mm)) / (width[i] * width[j]);
    }
  }
  return hessian;
}

namespace detail {
// Calls grad(x) -> Vector or grad(x, out) (out already sized), whichever the callable offers.
template <class G>
void evaluate_gradient(G& grad, const Vector& x, Vector& out) {
  if constexpr (std::invocable<G&, const Vector&, Vector&>) {
    grad(x, out);
  } else {
    out = grad(x);
  }
}
}  // namespace detail

// Hessian from an analytic gradient: grad(const Vector&) -> Vector, or grad(const Vector&, Vector&)
// writing into an already sized vector. Central (default) or forward differences per column,
// then symmetrized.
template <class G>
  requires std::invocable<G&, const Vector&> || std::invocable<G&, const Vector&, Vector&>
Matrix numerical_hessian_from_gradient(G&& grad, const Vector& x,
                                       NumericalGradientOptions options = {}) {
  options.validate();
  const Eigen::Index n = x.size();
  Vector point = x;
  Vector g_plus(n), g_minus(n);
  Matrix hessian(n, n);
  if (options.scheme == DifferenceScheme::forward) detail::evaluate_gradient(grad, point, g_minus);
  for (Eigen::Index j = 0; j < n; ++j) {
    const double h = detail::difference_step(x[j], options);
    const double plus = x[j] + h;
    const double minus = options.scheme == DifferenceScheme::central ? x[j] - h : x[j];
    if (plus == minus) detail::step_vanishes(x[j], h);
    point[j] = plus;
    detail::evaluate_gradient(grad, std::as_const(point), g_plus);
    if (options.scheme == DifferenceScheme::central) {
      point[j] = minus;
      detail::evaluate_gradient(grad, std::as_const(point), g_minus);
    }
    point[j] = x[j];
    hessian.col(j) = (g_plus - g_minus) / (plus - minus);
  }
  return (hessian + hessian.transpose()) / 2;
}

}  // namespace kobai
