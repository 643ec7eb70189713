// kobai/problems/quadratics.hpp — quadratic bowls: constant Hessian, one minimizer.
//
//   sphere(n)   Σ x_i²                    seed 000's function_2 (n = 2), start (−3, 4)
//   elliptic()  x²/16 + 9y²               seed 003 §2.5: condition number 144, start (−2.4, 0.2)
//   booth()     (x + 2y − 7)² + (2x + y − 5)²   min 0 at (1, 3), Hessian [[10, 8], [8, 10]]
//   matyas()    0.26(x² + y²) − 0.48xy          min 0 at (0, 0), Hessian eigenvalues 0.04 and 1
//
// On a quadratic, gradient descent with learning rate η contracts the component along a Hessian
// eigenvector with eigenvalue λ by |1 − ηλ| per step: these are the problems on which the
// learning-rate pictures (oscillation, divergence, slow valleys) are exact and easy to explain.
#pragma once

#include "kobai/core/types.hpp"
#include "kobai/problems/dimension_rule.hpp"
#include "kobai/problems/problem.hpp"

namespace kobai::problems {

// Σ x_i², any n ≥ 1. Start (−3, 4, −3, 4, …), box [−5, 5]ⁿ.
inline Problem sphere(int n = 2) {
  detail::require_positive_dimension("sphere", n);
  Problem p;
  p.name = "sphere";
  p.formula = "sum_i x_i^2";
  p.description = "Seed 000's x0^2 + x1^2: the round bowl, minimum 0 at the origin.";
  p.dimension_ = n;
  p.value_fn = [](const Vector& x) { return x.squaredNorm(); };
  p.value_and_gradient_fn = [](const Vector& x, Vector& g) {
    g = 2 * x;
    return x.squaredNorm();
  };
  p.hessian_fn = [](const Vector& x, Matrix& h) {
    h.setZero(x.size(), x.size());
    h.diagonal().setConstant(2);
  };
  p.global_minimizers = {Vector::Zero(n)};
  p.minimum_value = 0;
  p.start.resize(n);
  for (int i = 0; i < n; ++i) p.start[i] = i % 2 == 0 ? -3.0 : 4.0;
  p.box_lower = Vector::Constant(n, -5.0);
  p.box_upper = Vector::Constant(n, 5.0);
  return p;
}

// x²/16 + 9y². Start (−2.4, 0.2), box [−3, 3] × [−1, 1].
inline Problem elliptic() {
  Problem p;
  p.name = "elliptic";
  p.formula = "x^2/16 + 9y^2";
  p.description =
      "Seed 003's elongated bowl (curvatures 1/8 and 18): plain descent crawls along x, "
      "momentum helps.";
  p.dimension_ = 2;
  p.value_fn = [](const Vector& x) { return x[0] * x[0] / 16 + 9 * x[1] * x[1]; };
  p.value_and_gradient_fn = [](const Vector& x, Vector& g) {
    g[0] = x[0] / 8;
    g[1] = 18 * x[1];
    return x[0] * x[0] / 16 + 9 * x[1] * x[1];
  };
  p.hessian_fn = [](const Vector&, Matrix& h) { h << 1.0 / 8, 0, 0, 18; };
  p.global_minimizers = {Vector::Zero(2)};
  p.minimum_value = 0;
  p.start = Vector{{-2.4, 0.2}};
  p.box_lower = Vector{{-3.0, -1.0}};
  p.box_upper = Vector{{3.0, 1.0}};
  return p;
}

// (x + 2y − 7)² + (2x + y − 5)². Start (−5, −5), box [−10, 10]².
inline Problem booth() {
  Problem p;
  p.name = "booth";
  p.formula = "(x + 2y - 7)^2 + (2x + y - 5)^2";
  p.description = "Booth's function: a tilted quadratic bowl, minimum 0 at (1, 3).";
  p.dimension_ = 2;
  p.value_fn = [](const Vector& x) {
    const double a = x[0] + 2 * x[1] - 7, b = 2 * x[0] + x[1] - 5;
    return a * a + b * b;
  };
  p.value_and_gradient_fn = [](const Vector& x, Vector& g) {
    const double a = x[0] + 2 * x[1] - 7, b = 2 * x[0] + x[1] - 5;
    g[0] = 2 * a + 4 * b;
    g[1] = 4 * a + 2 * b;
    return a * a + b * b;
  };
  p.hessian_fn = [](const Vector&, Matrix& h) { h << 10, 8, 8, 10; };
  p.global_minimizers = {Vector{{1.0, 3.0}}};
  p.minimum_value = 0;
  p.start = Vector{{-5.0, -5.0}};
  p.box_lower = Vector::Constant(2, -10.0);
  p.box_upper = Vector::Constant(2, 10.0);
  return p;
}

// 0.26(x² + y²) − 0.48xy. Start (8, 6), box [−10, 10]².
inline Problem matyas() {
  Problem p;
  p.name = "matyas";
  p.formula = "0.26(x^2 + y^2) - 0.48xy";
  p.description =
      "Matyas' function: a nearly flat valley along x = y (curvature 0.04 vs 1), minimum 0 at "
      "the origin.";
  p.dimension_ = 2;
  p.value_fn = [](const Vector& x) {
    return 0.26 * (x[0] * x[0] + x[1] * x[1]) - 0.48 * x[0] * x[1];
  };
  p.value_and_gradient_fn = [](const Vector& x, Vector& g) {
    g[0] = 0.52 * x[0] - 0.48 * x[1];
    g[1] = 0.52 * x[1] - 0.48 * x[0];
    return 0.26 * (x[0] * x[0] + x[1] * x[1]) - 0.48 * x[0] * x[1];
  };
  p.hessian_fn = [](const Vector&, Matrix& h) { h << 0.52, -0.48, -0.48, 0.52; };
  p.global_minimizers = {Vector::Zero(2)};
  p.minimum_value = 0;
  p.start = Vector{{8.0, 6.0}};
  p.box_lower = Vector::Constant(2, -10.0);
  p.box_upper = Vector::Constant(2, 10.0);
  return p;
}

}  // namespace kobai::problems
