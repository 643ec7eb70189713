// kobai/problems/one_dimensional.hpp — the seeds' functions of one variable.
//
//   quadratic1d(a)  (a − x)²                   seed 002: learning rates 0.1 / 0.9 / ≥ 1.0
//   cubic()         x³ − 3x² − 9x + 2          seed 003: stationary points, descent from x = 1
//   sine_bowl()     sin x + 0.05(5 − x)²       seed 002: local minima, learning rates 1.0 / 3.0
//
// The cubic is unbounded below (f → −∞ as x → −∞): it has a local minimum at x = 3 (f = −25) and
// a local maximum at x = −1 (f = 7), and no global minimum. It says so honestly: no global
// minimizer, local_minimizers = {3}, bounded_below = false, and minimum_value = −25, the value a
// descent run that converges reaches (see Problem::minimum_value).
//
// sine_bowl's stationary points solve cos x + 0.1(x − 5) = 0; for |x − 5| > 10 the linear term
// wins, so all of them lie in [−5, 15]. There are three minima there (and two maxima, at
// 1.1786957408109093 and 8.177317999094566); their locations were computed with mpmath at 50
// digits (findroot from a 0.01-spaced sign scan of f' over [−12, 22]) and rounded to double.
#pragma once

#include <cmath>

#include "kobai/core/types.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/problems/problem.hpp"

namespace kobai::problems {

// (a − x)², minimum 0 at x = a. Start −5, box [−10, 20] (seed 002's plots).
inline Problem quadratic1d(double a = 5.0) {
  Problem p;
  p.name = "quadratic1d";
  p.formula = "(" + validate::format_number(a) + " - x)^2";
  p.description = "Seed 002's loss L = (5 - x)^2: the simplest bowl, for learning-rate demos.";
  p.dimension_ = 1;
  p.value_fn = [a](const Vector& x) {
    const double r = a - x[0];
    return r * r;
  };
  p.value_and_gradient_fn = [a](const Vector& x, Vector& g) {
    const double r = a - x[0];
    g[0] = -2 * r;
    return r * r;
  };
  p.hessian_fn = [](const Vector&, Matrix& h) { h(0, 0) = 2; };
  p.global_minimizers = {Vector::Constant(1, a)};
  p.minimum_value = 0;
  p.start = Vector::Constant(1, -5.0);
  p.box_lower = Vector::Constant(1, -10.0);
  p.box_upper = Vector::Constant(1, 20.0);
  return p;
}

// x³ − 3x² − 9x + 2: local min at 3 (−25), local max at −1 (7), unbounded below. Box [−3, 4].
inline Problem cubic() {
  Problem p;
  p.name = "cubic";
  p.formula = "x^3 - 3x^2 - 9x + 2";
  p.description =
      "Seed 003's cubic: local minimum -25 at x = 3, local maximum 7 at x = -1, unbounded below.";
  p.dimension_ = 1;
  p.value_fn = [](const Vector& x) {
    const double t = x[0];
    return ((t - 3) * t - 9) * t + 2;
  };
  p.value_and_gradient_fn = [](const Vector& x, Vector& g) {
    const double t = x[0];
    g[0] = (3 * t - 6) * t - 9;
    return ((t - 3) * t - 9) * t + 2;
  };
  p.hessian_fn = [](const Vector& x, Matrix& h) { h(0, 0) = 6 * x[0] - 6; };
  p.local_minimizers = {Vector::Constant(1, 3.0)};
  p.minimum_value = -25;
  p.bounded_below = false;
  p.start = Vector::Constant(1, 1.0);
  p.box_lower = Vector::Constant(1, -3.0);
  p.box_upper = Vector::Constant(1, 4.0);
  return p;
}

// sin x + 0.05(5 − x)²: global min near 4.74, local minima near −0.94 and 10.42. Box [−12, 22].
inline Problem sine_bowl() {
  Problem p;
  p.name = "sine_bowl";
  p.formula = "sin(x) + 0.05(5 - x)^2";
  p.description =
      "Seed 002's wavy bowl: three minima, so a small learning rate from -10 is trapped at -0.94.";
  p.dimension_ = 1;
  p.value_fn = [](const Vector& x) {
    const double r = 5 - x[0];
    return std::sin(x[0]) + 0.05 * r * r;
  };
  p.value_and_gradient_fn = [](const Vector& x, Vector& g) {
    const double r = 5 - x[0];
    g[0] = std::cos(x[0]) - 0.1 * r;
    return std::sin(x[0]) + 0.05 * r * r;
  };
  p.hessian_fn = [](const Vector& x, Matrix& h) { h(0, 0) = 0.1 - std::sin(x[0]); };
  // mpmath, 50 digits: 4.7385381457489460509..., f = −0.99624001499490884134...
  p.global_minimizers = {Vector::Constant(1, 4.738538145748946)};
  p.minimum_value = -0.9962400149949089;
  // −0.93535196763532126077 (f = 0.95661211584798487928), 10.422465689475986923 (f = 0.62993729677...)
  p.local_minimizers = {Vector::Constant(1, -0.9353519676353212),
                        Vector::Constant(1, 10.422465689475986)};
  p.start = Vector::Constant(1, -10.0);
  p.box_lower = Vector::Constant(1, -12.0);
  p.box_upper = Vector::Constant(1, 22.0);
  return p;
}

}  // namespace kobai::problems
