// kobai/problems/rosenbrock.hpp — Rosenbrock's banana valley, extended (paired) form.
//
//   f(x) = Σ_{i = 0, 2, 4, …, n−2}  100 (x_{i+1} − x_i²)² + (1 − x_i)²       n even
//
// Each pair (x_i, x_{i+1}) is an independent copy of the 2-D function, so the Hessian is block
// diagonal with 2×2 blocks
//   [[1200 x_i² − 400 x_{i+1} + 2, −400 x_i], [−400 x_i, 200]].
// Minimum 0 at (1, …, 1); the classic start is (−1.2, 1, −1.2, 1, …). Note SciPy's `rosen` is
// the *chained* form Σ_{i=0}^{n−2} 100(x_{i+1} − x_i²)² + (1 − x_i)²; the two agree for n = 2.
#pragma once

#include "kobai/core/types.hpp"
#include "kobai/problems/dimension_rule.hpp"
#include "kobai/problems/problem.hpp"

namespace kobai::problems {

// Any even n ≥ 2. Start (−1.2, 1, …), box [−2, 2] × [−1, 3] for each pair.
inline Problem rosenbrock(int n = 2) {
  detail::require_even_dimension("rosenbrock", n);
  Problem p;
  p.name = "rosenbrock";
  p.formula = "sum_{i even} 100(x_{i+1} - x_i^2)^2 + (1 - x_i)^2";
  p.description =
      "Rosenbrock's banana valley (extended form, independent pairs): easy to find, slow to "
      "follow; minimum 0 at (1, ..., 1).";
  p.dimension_ = n;
  p.value_fn = [](const Vector& x) {
    double f = 0;
    for (Eigen::Index i = 0; i + 1 < x.size(); i += 2) {
      const double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
      f += 100 * a * a + b * b;
    }
    return f;
  };
  p.value_and_gradient_fn = [](const Vector& x, Vector& g) {
    double f = 0;
    for (Eigen::Index i = 0; i + 1 < x.size(); i += 2) {
      const double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
      f += 100 * a * a + b * b;
      g[i] = -400 * x[i] * a - 2 * b;
      g[i + 1] = 200 * a;
    }
    return f;
  };
  p.hessian_fn = [](const Vector& x, Matrix& h) {
    h.setZero(x.size(), x.size());
    for (Eigen::Index i = 0; i + 1 < x.size(); i += 2) {
      h(i, i) = 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
      h(i, i + 1) = h(i + 1, i) = -400 * x[i];
      h(i + 1, i + 1) = 200;
    }
  };
  p.global_minimizers = {Vector::Ones(n)};
  p.minimum_value = 0;
  p.start.resize(n);
  p.box_lower.resize(n);
  p.box_upper.resize(n);
  for (int i = 0; i < n; i += 2) {
    p.start.segment(i, 2) << -1.2, 1.0;
    p.box_lower.segment(i, 2) << -2.0, -1.0;
    p.box_upper.segment(i, 2) << 2.0, 3.0;
  }
  return p;
}

}  // namespace kobai::problems
