// kobai/problems/multimodal.hpp — many local minima, any dimension.
//
//   rastrigin(n)        10n + Σ (x_i² − 10 cos 2πx_i)                   min 0 at 0
//   ackley(n)           −20 exp(−0.2 √(Σx_i²/n)) − exp(Σ cos(2πx_i)/n) + 20 + e   min 0 at 0
//   styblinski_tang(n)  ½ Σ (x_i⁴ − 16x_i² + 5x_i)                      min −39.166165703771415·n
//
// These show what gradient methods cannot do: a descent run ends in the basin it starts in.
// Rastrigin has a local minimum near every integer lattice point, too many to list; Styblinski–
// Tang has 2ⁿ (each coordinate at −2.903534… or 2.746802…), listed for n ≤ 4.
//
// Ackley at the origin. With r = √(Σx²/n), the first term is −20e^{−0.2r} ≈ −20 + 4r near 0: a
// cone. Its gradient 4e^{−0.2r}·x/(n r) has norm 4e^{−0.2r}/√n for every x ≠ 0, so at x = 0 f is
// not differentiable (the limit depends on the direction); 0 is the minimum-norm subgradient
// there, and it is what the gradient returns, so no NaN reaches an optimizer and a run that lands
// exactly on the minimizer stops. The cone's Hessian, (4e^{−0.2r}/r)(I/n − ∇r∇rᵀ) − 0.8e^{−0.2r}
// ∇r∇rᵀ, grows like 1/r; at r = 0 (or where 1/r overflows) the Hessian returns the smooth cosine
// part alone. r is computed without underflow (Eigen's stableNorm when Σx² underflows).
// The value is evaluated as −20·expm1(−0.2r) − e·expm1(−(2/n)Σ sin²πx_i) (using
// cos 2πx = 1 − 2 sin²πx), which is the same function but keeps full relative accuracy near the
// origin: f(0) is exactly 0 and f(1e-200·1) is 4e-200, not a rounded 0.
//
// The Styblinski–Tang minimizer solves 2x³ − 16x + 2.5 = 0; mpmath at 50 digits gives
// x* = −2.9035340277711770951…, f per coordinate −39.16616570377141546…; the other local
// minimizer per coordinate is 2.7468027709908369…, f = −25.02944665528394…
#pragma once

#include <cmath>
#include <limits>
#include <numbers>

#include "kobai/core/types.hpp"
#include "kobai/problems/dimension_rule.hpp"
#include "kobai/problems/problem.hpp"

namespace kobai::problems {

// Rastrigin, any n ≥ 1. Start (3.3, −2.7, 3.3, …), box [−5.12, 5.12]ⁿ.
inline Problem rastrigin(int n = 2) {
  detail::require_positive_dimension("rastrigin", n);
  constexpr double two_pi = 2 * std::numbers::pi;
  Problem p;
  p.name = "rastrigin";
  p.formula = "10n + sum_i (x_i^2 - 10 cos(2 pi x_i))";
  p.description =
      "Rastrigin's function: a bowl covered in a lattice of local minima; minimum 0 at the origin.";
  p.dimension_ = n;
  p.value_fn = [](const Vector& x) {
    double f = 10.0 * static_cast<double>(x.size());
    for (Eigen::Index i = 0; i < x.size(); ++i) f += x[i] * x[i] - 10 * std::cos(two_pi * x[i]);
    return f;
  };
  p.value_and_gradient_fn = [](const Vector& x, Vector& g) {
    double f = 10.0 * static_cast<double>(x.size());
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      const double angle = two_pi * x[i];
      f += x[i] * x[i] - 10 * std::cos(angle);
      g[i] = 2 * x[i] + 10 * two_pi * std::sin(angle);
    }
    return f;
  };
  p.hessian_fn = [](const Vector& x, Matrix& h) {
    h.setZero(x.size(), x.size());
    for (Eigen::Index i = 0; i < x.size(); ++i)
      h(i, i) = 2 + 10 * two_pi * two_pi * std::cos(two_pi * x[i]);
  };
  p.global_minimizers = {Vector::Zero(n)};
  p.minimum_value = 0;
  p.start.resize(n);
  for (int i = 0; i < n; ++i) p.start[i] = i % 2 == 0 ? 3.3 : -2.7;
  p.box_lower = Vector::Constant(n, -5.12);
  p.box_upper = Vector::Constant(n, 5.12);
  return p;
}

namespace detail {
// √(Σx²) without underflow for tiny x (the fast path is one squaredNorm).
inline double robust_norm(const Vector& x) {
  const double s = x.squaredNorm();
  return s >= std::numeric_limits<double>::min() ? std::sqrt(s) : x.stableNorm();
}
}  // namespace detail

// Ackley, any n ≥ 1. Start (2.5, −1.5, 2.5, …), box [−5, 5]ⁿ (the usual search domain is
// [−32.768, 32.768]ⁿ; the smaller box shows the ripples).
inline Problem ackley(int n = 2) {
  detail::require_positive_dimension("ackley", n);
  constexpr double two_pi = 2 * std::numbers::pi;
  Problem p;
  p.name = "ackley";
  p.formula = "-20 exp(-0.2 sqrt(sum_i x_i^2 / n)) - exp(sum_i cos(2 pi x_i) / n) + 20 + e";
  p.description =
      "Ackley's function: a cone-shaped funnel under dense ripples; minimum 0 at the origin "
      "(not differentiable there).";
  p.dimension_ = n;
  p.value_fn = [](const Vector& x) {
    const double count = static_cast<double>(x.size());
    const double r = detail::robust_norm(x) / std::sqrt(count);
    double s = 0;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      const double t = std::sin(std::numbers::pi * x[i]);
      s += t * t;
    }
    return -20 * std::expm1(-0.2 * r) - std::numbers::e * std::expm1(-2 * s / count);
  };
  p.value_and_gradient_fn = [](const Vector& x, Vector& g) {
    const Eigen::Index n = x.size();
    const double count = static_cast<double>(n);
    const double r = detail::robust_norm(x) / std::sqrt(count);
    // sin 2πx = 2 sin πx cos πx; g temporarily holds sin πx cos πx.
    double s = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double t = std::sin(std::numbers::pi * x[i]), c = std::cos(std::numbers::pi * x[i]);
      s += t * t;
      g[i] = t * c;
    }
    // One transcendental per term: e^u = 1 + expm1(u) to within an ulp of 1.
    const double cone_m1 = std::expm1(-0.2 * r), ripple_m1 = std::expm1(-2 * s / count);
    const double a = 1 + cone_m1, b = std::numbers::e * (1 + ripple_m1);
    // ∂/∂x_i: (4a/n)·x_i/r from the cone (0 at r = 0, see above) + (2π/n)·b·sin 2πx_i.
    // x_i/r is divided first: it stays ≤ √n even where 1/r overflows.
    const double radial = 4 * a / count, wave = 2 * two_pi * b / count;
    for (Eigen::Index i = 0; i < n; ++i)
      g[i] = (r > 0 ? radial * (x[i] / r) : 0.0) + wave * g[i];
    return -20 * cone_m1 - std::numbers::e * ripple_m1;
  };
  p.hessian_fn = [](const Vector& x, Matrix& h) {
    const Eigen::Index n = x.size();
    const double count = static_cast<double>(n);
    const double r = detail::robust_norm(x) / std::sqrt(count);
    Vector sines(n), cosines(n);  // of 2πx_i
    double s = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double t = std::sin(std::numbers::pi * x[i]), c = std::cos(std::numbers::pi * x[i]);
      s += t * t;
      sines[i] = 2 * t * c;
      cosines[i] = std::cos(two_pi * x[i]);
    }
    const double b = std::numbers::e * std::exp(-2 * s / count);
    // Ripple term −e^{Σcos/n}: −b(2π/n)² sin_i sin_j + δ_ij b(4π²/n) cos_i.
    // Cone term −20e^{−0.2r}: (4a/r)(I/n − ∇r∇rᵀ) − 0.8a ∇r∇rᵀ with ∇r = x/(n r).
    // Entries are computed once for i ≤ j and mirrored, so h is exactly symmetric.
    const double ripple_outer = -b * (two_pi / count) * (two_pi / count);
    const double ripple_diagonal = b * two_pi * two_pi / count;
    const double a = std::exp(-0.2 * r), k = r > 0 ? 4 * a / r : 0.0;
    const bool cone = r > 0 && std::isfinite(k);
    const double cone_outer = -(k + 0.8 * a), cone_diagonal = k / count;
    for (Eigen::Index j = 0; j < n; ++j) {
      const double dr_j = cone ? x[j] / r / count : 0.0;
      for (Eigen::Index i = 0; i <= j; ++i) {
        double v = ripple_outer * sines[i] * sines[j];
        if (cone) v += cone_outer * (x[i] / r / count) * dr_j;
        if (i == j) v += ripple_diagonal * cosines[i] + (cone ? cone_diagonal : 0.0);
        h(i, j) = h(j, i) = v;
      }
    }
  };
  p.global_minimizers = {Vector::Zero(n)};
  p.minimum_value = 0;
  p.start.resize(n);
  for (int i = 0; i < n; ++i) p.start[i] = i % 2 == 0 ? 2.5 : -1.5;
  p.box_lower = Vector::Constant(n, -5.0);
  p.box_upper = Vector::Constant(n, 5.0);
  return p;
}

// Styblinski–Tang, any n ≥ 1. Start 0, box [−5, 5]ⁿ.
inline Problem styblinski_tang(int n = 2) {
  detail::require_positive_dimension("styblinski_tang", n);
  constexpr double low = -2.903534027771177;   // global minimizer per coordinate
  constexpr double high = 2.746802770990837;   // the other local minimizer per coordinate
  constexpr double per_coordinate_minimum = -39.16616570377141546;
  Problem p;
  p.name = "styblinski_tang";
  p.formula = "0.5 sum_i (x_i^4 - 16x_i^2 + 5x_i)";
  p.description =
      "Styblinski-Tang: 2^n minima, one per sign pattern; the global one has every x_i = "
      "-2.9035.";
  p.dimension_ = n;
  p.value_fn = [](const Vector& x) {
    double f = 0;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      const double t = x[i], t2 = t * t;
      f += t2 * (t2 - 16) + 5 * t;
    }
    return 0.5 * f;
  };
  p.value_and_gradient_fn = [](const Vector& x, Vector& g) {
    double f = 0;
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      const double t = x[i], t2 = t * t;
      f += t2 * (t2 - 16) + 5 * t;
      g[i] = t * (2 * t2 - 16) + 2.5;
    }
    return 0.5 * f;
  };
  p.hessian_fn = [](const Vector& x, Matrix& h) {
    h.setZero(x.size(), x.size());
    for (Eigen::Index i = 0; i < x.size(); ++i) h(i, i) = 6 * x[i] * x[i] - 16;
  };
  p.global_minimizers = {Vector::Constant(n, low)};
  if (n <= 4) {
    for (int mask = 1; mask < (1 << n); ++mask) {
      Vector m(n);
      for (int i = 0; i < n; ++i) m[i] = (mask >> i) & 1 ? high : low;
      p.local_minimizers.push_back(m);
    }
  }
  p.minimum_value = per_coordinate_minimum * n;
  p.start = Vector::Zero(n);
  p.box_lower = Vector::Constant(n, -5.0);
  p.box_upper = Vector::Constant(n, 5.0);
  return p;
}

}  // namespace kobai::problems
