// kobai/problems/two_dimensional.hpp — classic 2-D test functions with curved valleys and
// several minima.
//
//   beale()             (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²   min 0 at (3, 0.5)
//   himmelblau()        (x² + y − 11)² + (x + y² − 7)²                              four minima, all 0
//   three_hump_camel()  2x² − 1.05x⁴ + x⁶/6 + xy + y²                               min 0 at (0, 0)
//   goldstein_price()   [1 + (x+y+1)²(19 − 14x + 3x² − 14y + 6xy + 3y²)]
//                       · [30 + (2x−3y)²(18 − 32x + 12x² + 48y − 36xy + 27y²)]        min 3 at (0, −1)
//
// Beale is seed 003's showcase (every optimizer from (3, 4), box [−4.5, 4.5]²), so its gradient is
// written for speed: with t_k = c_k − x + xy^k (c = 1.5, 2.25, 2.625),
//   ∂f/∂x = 2 Σ t_k (y^k − 1),   ∂f/∂y = 2x (t_1 + 2y t_2 + 3y² t_3),
// about 25 flops, no allocation, arranged for a short dependency chain (a gradient-descent
// iteration waits on it): ~16 ns per dependent value-and-gradient + update on this machine,
// through std::function, versus ~17 ns for the textbook arrangement.
//
// Goldstein–Price looks fearsome but factors: 19 − 14x + 3x² − 14y + 6xy + 3y² depends on x + y
// only and 18 − 32x + … + 27y² on u = 2x − 3y only, so f = P(s)·Q(u) with s = x + y + 1 and
//   P(s) = 1 + s²(19 − 14(s − 1) + 3(s − 1)²),   Q(u) = 30 + u²(18 − 16u + 3u²).
// Its gradient and Hessian follow from P', P'', Q', Q'' and the chain rule (∂s = (1, 1),
// ∂u = (2, −3)). Its other local minima, (−0.6, −0.4) = 30, (1.8, 0.2) = 84 and (1.2, 0.8) = 840,
// are exact (Newton in mpmath at 50 digits lands on these decimals).
//
// Himmelblau's three irrational minima and the camel's two side minima were computed with mpmath
// (findroot on the gradient, 50 digits; the camel's in closed form: y = −x/2 and
// x² = (4.2 + √3.64)/2) and rounded to double.
#pragma once

#include "kobai/core/types.hpp"
#include "kobai/problems/problem.hpp"

namespace kobai::problems {

// Beale's function. Start (3, 4), box [−4.5, 4.5]² (seed 003).
inline Problem beale() {
  Problem p;
  p.name = "beale";
  p.formula = "(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2";
  p.description =
      "Beale's function (seed 003): a flat, curved valley and steep walls; minimum 0 at (3, 0.5).";
  p.dimension_ = 2;
  p.value_fn = [](const Vector& v) {
    const double x = v[0], y = v[1], y2 = y * y, y3 = y2 * y;
    const double t1 = (1.5 - x) + x * y, t2 = (2.25 - x) + x * y2, t3 = (2.625 - x) + x * y3;
    return (t1 * t1 + t2 * t2) + t3 * t3;
  };
  p.value_and_gradient_fn = [](const Vector& v, Vector& g) {
    // Written for latency (the next iterate waits on it): the factors 2(y^k − 1) and 2kxy^{k−1}
    // are computed alongside t_k, and t_3, the longest chain, is added last.
    const double x = v[0], y = v[1], y2 = y * y, y3 = y2 * y;
    const double t1 = (1.5 - x) + x * y, t2 = (2.25 - x) + x * y2, t3 = (2.625 - x) + x * y3;
    const double a1 = 2 * (y - 1), a2 = 2 * (y2 - 1), a3 = 2 * y3 - 2;  // 2 ∂t_k/∂x
    const double b1 = 2 * x, b2 = 4 * x * y, b3 = 6 * x * y2;            // 2 ∂t_k/∂y
    g[0] = (t1 * a1 + t2 * a2) + t3 * a3;
    g[1] = (t1 * b1 + t2 * b2) + t3 * b3;
    return (t1 * t1 + t2 * t2) + t3 * t3;
  };
  p.hessian_fn = [](const Vector& v, Matrix& h) {
    const double x = v[0], y = v[1], y2 = y * y, y3 = y2 * y;
    const double t1 = (1.5 - x) + x * y, t2 = (2.25 - x) + x * y2, t3 = (2.625 - x) + x * y3;
    const double a1 = y - 1, a2 = y2 - 1, a3 = y3 - 1;      // ∂t_k/∂x
    const double b1 = x, b2 = 2 * x * y, b3 = 3 * x * y2;   // ∂t_k/∂y
    const double xx = 2 * (a1 * a1 + a2 * a2 + a3 * a3);
    const double xy = 2 * (a1 * b1 + a2 * b2 + a3 * b3 + t1 + 2 * y * t2 + 3 * y2 * t3);
    const double yy = 2 * (b1 * b1 + b2 * b2 + b3 * b3 + 2 * x * t2 + 6 * x * y * t3);
    h << xx, xy, xy, yy;
  };
  p.global_minimizers = {Vector{{3.0, 0.5}}};
  p.minimum_value = 0;
  p.start = Vector{{3.0, 4.0}};
  p.box_lower = Vector::Constant(2, -4.5);
  p.box_upper = Vector::Constant(2, 4.5);
  return p;
}

// Himmelblau's function: four global minima with value 0. Start (0, 0), box [−5, 5]².
inline Problem himmelblau() {
  Problem p;
  p.name = "himmelblau";
  p.formula = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2";
  p.description =
      "Himmelblau's function: four equal minima (value 0), so the start decides where a run ends.";
  p.dimension_ = 2;
  p.value_fn = [](const Vector& v) {
    const double a = v[0] * v[0] + v[1] - 11, b = v[0] + v[1] * v[1] - 7;
    return a * a + b * b;
  };
  p.value_and_gradient_fn = [](const Vector& v, Vector& g) {
    const double x = v[0], y = v[1];
    const double a = x * x + y - 11, b = x + y * y - 7;
    g[0] = 4 * x * a + 2 * b;
    g[1] = 2 * a + 4 * y * b;
    return a * a + b * b;
  };
  p.hessian_fn = [](const Vector& v, Matrix& h) {
    const double x = v[0], y = v[1];
    const double a = x * x + y - 11, b = x + y * y - 7;
    const double xy = 4 * (x + y);
    h << 4 * a + 8 * x * x + 2, xy, xy, 4 * b + 8 * y * y + 2;
  };
  p.global_minimizers = {Vector{{3.0, 2.0}},
                         Vector{{-2.805118086952745, 3.131312518250573}},
                         Vector{{-3.779310253377747, -3.2831859912861696}},
                         Vector{{3.5844283403304917, -1.8481265269644036}}};
  p.minimum_value = 0;
  p.start = Vector{{0.0, 0.0}};
  p.box_lower = Vector::Constant(2, -5.0);
  p.box_upper = Vector::Constant(2, 5.0);
  return p;
}

// Three-hump camel: global min 0 at (0, 0), two side minima ±(1.7475523458302888,
// −0.8737761729151444) with value 0.2986384422368598. Start (−2, 2), box [−3, 3]².
inline Problem three_hump_camel() {
  Problem p;
  p.name = "three_hump_camel";
  p.formula = "2x^2 - 1.05x^4 + x^6/6 + xy + y^2";
  p.description = "Three-hump camel: a global minimum at the origin flanked by two local minima.";
  p.dimension_ = 2;
  p.value_fn = [](const Vector& v) {
    const double x = v[0], y = v[1], x2 = x * x;
    return x2 * (2 + x2 * (-1.05 + x2 / 6)) + x * y + y * y;
  };
  p.value_and_gradient_fn = [](const Vector& v, Vector& g) {
    const double x = v[0], y = v[1], x2 = x * x;
    g[0] = x * (4 + x2 * (-4.2 + x2)) + y;
    g[1] = x + 2 * y;
    return x2 * (2 + x2 * (-1.05 + x2 / 6)) + x * y + y * y;
  };
  p.hessian_fn = [](const Vector& v, Matrix& h) {
    const double x2 = v[0] * v[0];
    h << 4 + x2 * (-12.6 + 5 * x2), 1, 1, 2;
  };
  p.global_minimizers = {Vector::Zero(2)};
  p.local_minimizers = {Vector{{1.7475523458302888, -0.8737761729151444}},
                        Vector{{-1.7475523458302888, 0.8737761729151444}}};
  p.minimum_value = 0;
  p.start = Vector{{-2.0, 2.0}};
  p.box_lower = Vector::Constant(2, -3.0);
  p.box_upper = Vector::Constant(2, 3.0);
  return p;
}

namespace detail {
// Goldstein–Price factors: P(s) with s = x + y + 1 and Q(u) with u = 2x − 3y, and derivatives.
struct GoldsteinPriceFactors {
  double p, dp, ddp, q, dq, ddq;
};
inline GoldsteinPriceFactors goldstein_price_factors(double x, double y, bool second) {
  const double s = x + y + 1, v = x + y, u = 2 * x - 3 * y;
  const double a = 19 + v * (-14 + 3 * v), da = -14 + 6 * v;  // P = 1 + s²a(s)
  const double b = 18 + u * (-16 + 3 * u), db = -16 + 6 * u;  // Q = 30 + u²b(u)
  GoldsteinPriceFactors f{};
  f.p = 1 + s * s * a;
  f.dp = s * (2 * a + s * da);
  f.q = 30 + u * u * b;
  f.dq = u * (2 * b + u * db);
  if (second) {
    f.ddp = 2 * a + s * (4 * da + 6 * s);
    f.ddq = 2 * b + u * (4 * db + 6 * u);
  }
  return f;
}
}  // namespace detail

// Goldstein–Price: global min 3 at (0, −1); local minima 30, 84, 840. Start (−0.5, 0.5),
// box [−2, 2]².
inline Problem goldstein_price() {
  Problem p;
  p.name = "goldstein_price";
  p.formula =
      "[1 + (x+y+1)^2 (19 - 14x + 3x^2 - 14y + 6xy + 3y^2)] * "
      "[30 + (2x-3y)^2 (18 - 32x + 12x^2 + 48y - 36xy + 27y^2)]";
  p.description =
      "Goldstein-Price: values spanning five decades and three local minima around the global "
      "minimum 3 at (0, -1).";
  p.dimension_ = 2;
  p.value_fn = [](const Vector& v) {
    const auto f = detail::goldstein_price_factors(v[0], v[1], false);
    return f.p * f.q;
  };
  p.value_and_gradient_fn = [](const Vector& v, Vector& g) {
    const auto f = detail::goldstein_price_factors(v[0], v[1], false);
    const double pq = f.dp * f.q, pdq = f.p * f.dq;
    g[0] = pq + 2 * pdq;
    g[1] = pq - 3 * pdq;
    return f.p * f.q;
  };
  p.hessian_fn = [](const Vector& v, Matrix& h) {
    const auto f = detail::goldstein_price_factors(v[0], v[1], true);
    const double ss = f.ddp * f.q, su = f.dp * f.dq, uu = f.p * f.ddq;
    const double xy = ss - su - 6 * uu;
    h << ss + 4 * su + 4 * uu, xy, xy, ss - 6 * su + 9 * uu;
  };
  p.global_minimizers = {Vector{{0.0, -1.0}}};
  p.local_minimizers = {Vector{{-0.6, -0.4}}, Vector{{1.8, 0.2}}, Vector{{1.2, 0.8}}};
  p.minimum_value = 3;
  p.start = Vector{{-0.5, 0.5}};
  p.box_lower = Vector::Constant(2, -2.0);
  p.box_upper = Vector::Constant(2, 2.0);
  return p;
}

}  // namespace kobai::problems
