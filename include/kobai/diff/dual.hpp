// kobai/diff/dual.hpp — forward-mode automatic differentiation: the dual number (jet).
//
//   using kobai::forward::Dual;
//   Dual<double, 2> x(3.0, 0), y(4.0, 1);        // value 3, ∂/∂x = 1;  value 4, ∂/∂y = 1
//   auto r = hypot(x, y);                          // r.value = 5, r.d = {0.6, 0.8}
//
// The math. A dual number carries a value a and N derivative components v = (v_1 … v_N):
// a + v·ε with ε² = 0. Evaluating f on it gives f(a) + f'(a)·v·ε, so every operation applies the
// chain rule to all N components at once: (a, v)·(b, w) = (ab, a w + b v), g(a, v) = (g(a), g'(a) v).
// Seeding x_i with the unit vector e_i gives the whole gradient of f in one pass for n ≤ N, at a
// cost of about (1 + N) times one evaluation (kobai::forward::gradient chunks larger n into
// passes of N). This is Ceres' Jet; with T itself a Dual (Dual<Dual<double, N>, N>) the nesting
// gives second derivatives, and Dual<double, K> as the scalar of a reverse-mode tape gives
// Hessian columns K at a time (forward over reverse, see autodiff.hpp).
//
// Why fixed N: the components live inside the object (no heap), loops over N unroll and
// vectorise, and a VectorX<Dual<double, N>> is one contiguous buffer.
//
// Writing functions for it: take the argument generically (`[](const auto& x) { ... }`) and call
// the math functions unqualified after `using std::sin;` (or write `sin(x[0])` directly: the
// overloads here are found by argument-dependent lookup). `std::sin(dual)` cannot compile —
// nothing may be added to namespace std. Comparisons compare values, so `if (x < 0)` and
// `max(a, b)` work and pick a branch, as in every AD tool.
//
// Conventions at kinks: d|x|/dx at 0 is 0 and min/max on a tie follow the first argument (both as
// PyTorch). Where a derivative is infinite (sqrt at 0, asin at ±1) the components are non-finite.
//
// Eigen: Eigen::NumTraits<Dual> is specialised below, so VectorX<Dual<double, N>> works with
// Eigen's expressions (x.squaredNorm(), x.dot(y), (x.array() - 1).square().sum(), …), and
// ScalarBinaryOpTraits lets Dual and plain double be mixed in Eigen products.
#pragma once

#include <Eigen/Core>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <ostream>
#include <type_traits>

namespace kobai::forward {

template <class T, int N>
struct Dual;

template <class S>
inline constexpr bool is_dual_v = false;
template <class T, int N>
inline constexpr bool is_dual_v<Dual<T, N>> = true;

// A plain number usable next to a Dual<T, N>: an int or double literal, or T itself (for nesting).
template <class S, class T>
concept ScalarOf = std::is_same_v<S, T> || (!is_dual_v<S> && std::is_convertible_v<const S&, T>);

template <class T, int N>
struct Dual {
  static_assert(N >= 1, "Dual<T, N> needs N >= 1 derivative components");
  using Scalar = T;
  static constexpr int size = N;

  T value{};
  std::array<T, N> d{};  // ∂value/∂(seed direction k), k = 0 … N − 1

  constexpr Dual() = default;
  // A constant: all derivative components zero. Implicit, so `Dual s = 0;` and `x + 1` work.
  constexpr Dual(const T& v) : value(v) {}  // NOLINT(google-explicit-constructor)
  template <class S>
    requires(std::is_arithmetic_v<S> && !std::is_same_v<S, T>)
  constexpr Dual(S v) : value(static_cast<T>(v)) {}  // NOLINT(google-explicit-constructor)
  // The independent variable number k (0-based) with value v: d = e_k.
  constexpr Dual(const T& v, int k) : value(v) { d[static_cast<std::size_t>(k)] = T(1); }

  Dual& operator+=(const Dual& b) { return *this = *this + b; }
  Dual& operator-=(const Dual& b) { return *this = *this - b; }
  Dual& operator*=(const Dual& b) { return *this = *this * b; }
  Dual& operator/=(const Dual& b) { return *this = *this / b; }

  // f(value) with derivative fp = f'(value): the chain rule for every component.
  friend Dual chain(const T& f, const T& fp, const Dual& a) {
    Dual r(f);
    for (int k = 0; k < N; ++k) r.d[k] = fp * a.d[k];
    return r;
  }

  friend Dual operator+(const Dual& a) { return a; }
  friend Dual operator-(const Dual& a) {
    Dual r(-a.value);
    for (int k = 0; k < N; ++k) r.d[k] = -a.d[k];
    return r;
  }
  friend Dual operator+(const Dual& a, const Dual& b) {
    Dual r(a.value + b.value);
    for (int k = 0; k < N; ++k) r.d[k] = a.d[k] + b.d[k];
    return r;
  }
  friend Dual operator-(const Dual& a, const Dual& b) {
    Dual r(a.value - b.value);
    for (int k = 0; k < N; ++k) r.d[k] = a.d[k] - b.d[k];
    return r;
  }
  friend Dual operator*(const Dual& a, const Dual& b) {
    Dual r(a.value * b.value);
    for (int k = 0; k < N; ++k) r.d[k] = a.value * b.d[k] + b.value * a.d[k];
    return r;
  }
  friend Dual operator/(const Dual& a, const Dual& b) {
    const T inv = T(1) / b.value;
    const T q = a.value * inv;
    Dual r(q);
    for (int k = 0; k < N; ++k) r.d[k] = (a.d[k] - q * b.d[k]) * inv;
    return r;
  }
  // Scalar on either side (an int or double literal, or T itself): no wasted zero components.
  template <ScalarOf<T> S>
  friend Dual operator+(const Dual& a, const S& s) {
    Dual r = a;
    r.value = a.value + s;
    return r;
  }
  template <ScalarOf<T> S>
  friend Dual operator+(const S& s, const Dual& a) { return a + s; }
  template <ScalarOf<T> S>
  friend Dual operator-(const Dual& a, const S& s) {
    Dual r = a;
    r.value = a.value - s;
    return r;
  }
  template <ScalarOf<T> S>
  friend Dual operator-(const S& s, const Dual& a) {
    Dual r(s - a.value);
    for (int k = 0; k < N; ++k) r.d[k] = -a.d[k];
    return r;
  }
  template <ScalarOf<T> S>
  friend Dual operator*(const Dual& a, const S& s) {
    Dual r(a.value * s);
    for (int k = 0; k < N; ++k) r.d[k] = a.d[k] * s;
    return r;
  }
  template <ScalarOf<T> S>
  friend Dual operator*(const S& s, const Dual& a) { return a * s; }
  template <ScalarOf<T> S>
  friend Dual operator/(const Dual& a, const S& s) {
    const T inv = T(1) / s;
    Dual r(a.value * inv);
    for (int k = 0; k < N; ++k) r.d[k] = a.d[k] * inv;
    return r;
  }
  template <ScalarOf<T> S>
  friend Dual operator/(const S& s, const Dual& a) {
    const T inv = T(1) / a.value;
    const T q = s * inv;
    return chain(q, -q * inv, a);
  }

  // Comparisons look at values only (the branch taken is the derivative's branch).
  friend bool operator==(const Dual& a, const Dual& b) { return a.value == b.value; }
  friend bool operator!=(const Dual& a, const Dual& b) { return a.value != b.value; }
  friend bool operator<(const Dual& a, const Dual& b) { return a.value < b.value; }
  friend bool operator>(const Dual& a, const Dual& b) { return a.value > b.value; }
  friend bool operator<=(const Dual& a, const Dual& b) { return a.value <= b.value; }
  friend bool operator>=(const Dual& a, const Dual& b) { return a.value >= b.value; }
  template <ScalarOf<T> S>
  friend bool operator==(const Dual& a, const S& s) { return a.value == s; }
  template <ScalarOf<T> S>
  friend bool operator!=(const Dual& a, const S& s) { return a.value != s; }
  template <ScalarOf<T> S>
  friend bool operator<(const Dual& a, const S& s) { return a.value < s; }
  template <ScalarOf<T> S>
  friend bool operator>(const Dual& a, const S& s) { return a.value > s; }
  template <ScalarOf<T> S>
  friend bool operator<=(const Dual& a, const S& s) { return a.value <= s; }
  template <ScalarOf<T> S>
  friend bool operator>=(const Dual& a, const S& s) { return a.value >= s; }
  template <ScalarOf<T> S>
  friend bool operator==(const S& s, const Dual& a) { return s == a.value; }
  template <ScalarOf<T> S>
  friend bool operator!=(const S& s, const Dual& a) { return s != a.value; }
  template <ScalarOf<T> S>
  friend bool operator<(const S& s, const Dual& a) { return s < a.value; }
  template <ScalarOf<T> S>
  friend bool operator>(const S& s, const Dual& a) { return s > a.value; }
  template <ScalarOf<T> S>
  friend bool operator<=(const S& s, const Dual& a) { return s <= a.value; }
  template <ScalarOf<T> S>
  friend bool operator>=(const S& s, const Dual& a) { return s >= a.value; }

  friend std::ostream& operator<<(std::ostream& out, const Dual& a) {
    out << a.value << " [";
    for (int k = 0; k < N; ++k) out << (k ? ", " : "") << a.d[k];
    return out << "]";
  }

  // ---- <cmath> -------------------------------------------------------------------------------
  // Each: value, then the derivative of the function at the value, through `chain`. The
  // `using std::x;` lines let T be double or a Dual itself (nesting).
  friend Dual sqrt(const Dual& a) {
    using std::sqrt;
    const T s = sqrt(a.value);
    return chain(s, T(0.5) / s, a);
  }
  friend Dual cbrt(const Dual& a) {
    using std::cbrt;
    const T c = cbrt(a.value);
    return chain(c, T(1) / (T(3) * c * c), a);
  }
  friend Dual exp(const Dual& a) {
    using std::exp;
    const T e = exp(a.value);
    return chain(e, e, a);
  }
  friend Dual exp2(const Dual& a) {
    using std::exp2;
    const T e = exp2(a.value);
    return chain(e, e * T(std::numbers::ln2), a);
  }
  friend Dual expm1(const Dual& a) {
    using std::exp;
    using std::expm1;
    return chain(expm1(a.value), exp(a.value), a);
  }
  friend Dual log(const Dual& a) {
    using std::log;
    return chain(log(a.value), T(1) / a.value, a);
  }
  friend Dual log2(const Dual& a) {
    using std::log2;
    return chain(log2(a.value), T(1) / (a.value * T(std::numbers::ln2)), a);
  }
  friend Dual log10(const Dual& a) {
    using std::log10;
    return chain(log10(a.value), T(1) / (a.value * T(std::numbers::ln10)), a);
  }
  friend Dual log1p(const Dual& a) {
    using std::log1p;
    return chain(log1p(a.value), T(1) / (T(1) + a.value), a);
  }
  friend Dual sin(const Dual& a) {
    using std::cos;
    using std::sin;
    return chain(sin(a.value), cos(a.value), a);
  }
  friend Dual cos(const Dual& a) {
    using std::cos;
    using std::sin;
    return chain(cos(a.value), -sin(a.value), a);
  }
  friend Dual tan(const Dual& a) {
    using std::tan;
    const T t = tan(a.value);
    return chain(t, T(1) + t * t, a);
  }
  friend Dual asin(const Dual& a) {
    using std::asin;
    using std::sqrt;
    return chain(asin(a.value), T(1) / sqrt(T(1) - a.value * a.value), a);
  }
  friend Dual acos(const Dual& a) {
    using std::acos;
    using std::sqrt;
    return chain(acos(a.value), T(-1) / sqrt(T(1) - a.value * a.value), a);
  }
  friend Dual atan(const Dual& a) {
    using std::atan;
    return chain(atan(a.value), T(1) / (T(1) + a.value * a.value), a);
  }
  friend Dual sinh(const Dual& a) {
    using std::cosh;
    using std::sinh;
    return chain(sinh(a.value), cosh(a.value), a);
  }
  friend Dual cosh(const Dual& a) {
    using std::cosh;
    using std::sinh;
    return chain(cosh(a.value), sinh(a.value), a);
  }
  friend Dual tanh(const Dual& a) {
    using std::tanh;
    const T t = tanh(a.value);
    return chain(t, T(1) - t * t, a);
  }
  friend Dual asinh(const Dual& a) {
    using std::asinh;
    using std::sqrt;
    return chain(asinh(a.value), T(1) / sqrt(a.value * a.value + T(1)), a);
  }
  friend Dual acosh(const Dual& a) {
    using std::acosh;
    using std::sqrt;
    return chain(acosh(a.value), T(1) / sqrt(a.value * a.value - T(1)), a);
  }
  friend Dual atanh(const Dual& a) {
    using std::atanh;
    return chain(atanh(a.value), T(1) / (T(1) - a.value * a.value), a);
  }
  friend Dual erf(const Dual& a) {
    using std::erf;
    using std::exp;
    return chain(erf(a.value), T(std::numbers::inv_sqrtpi * 2) * exp(-a.value * a.value), a);
  }
  friend Dual erfc(const Dual& a) {
    using std::erfc;
    using std::exp;
    return chain(erfc(a.value), T(-std::numbers::inv_sqrtpi * 2) * exp(-a.value * a.value), a);
  }
  friend Dual abs(const Dual& a) {
    using std::abs;
    const T sign = a.value > T(0) ? T(1) : (a.value < T(0) ? T(-1) : T(0));
    return chain(abs(a.value), sign, a);
  }
  friend Dual fabs(const Dual& a) { return abs(a); }
  // Piecewise constant: derivative 0 (almost everywhere).
  friend Dual floor(const Dual& a) {
    using std::floor;
    return Dual(floor(a.value));
  }
  friend Dual ceil(const Dual& a) {
    using std::ceil;
    return Dual(ceil(a.value));
  }
  friend Dual round(const Dual& a) {
    using std::round;
    return Dual(round(a.value));
  }

  // pow with a constant exponent: d(a^p) = p a^(p−1) da.
  template <ScalarOf<T> S>
  friend Dual pow(const Dual& a, const S& exponent) {
    using std::pow;
    const T p(exponent);
    if (p == T(2)) return a * a;  // exact, and d(x²) at x = 0 is 0 rather than 0·inf
    return chain(pow(a.value, p), p * pow(a.value, p - T(1)), a);
  }
  // pow with a constant base: d(s^b) = s^b log(s) db.
  template <ScalarOf<T> S>
  friend Dual pow(const S& base, const Dual& b) {
    using std::log;
    using std::pow;
    const T s(base);
    const T v = pow(s, b.value);
    return chain(v, v * log(s), b);
  }
  // General pow. The log(a) term is taken only for components where the exponent moves, so
  // pow(x, Dual(2)) at x ≤ 0 stays finite, as pow(x, 2.0) does.
  friend Dual pow(const Dual& a, const Dual& b) {
    using std::log;
    using std::pow;
    const T v = pow(a.value, b.value);
    const T da = b.value * pow(a.value, b.value - T(1));
    const T db = v * log(a.value);
    Dual r(v);
    for (int k = 0; k < N; ++k)
      r.d[k] = da * a.d[k] + (b.d[k] != T(0) ? db * b.d[k] : T(0));
    return r;
  }
  // atan2(y, x): ∂/∂y = x / (x² + y²), ∂/∂x = −y / (x² + y²).
  friend Dual atan2(const Dual& y, const Dual& x) {
    using std::atan2;
    const T inv = T(1) / (x.value * x.value + y.value * y.value);
    Dual r(atan2(y.value, x.value));
    for (int k = 0; k < N; ++k) r.d[k] = (x.value * y.d[k] - y.value * x.d[k]) * inv;
    return r;
  }
  template <ScalarOf<T> S>
  friend Dual atan2(const Dual& y, const S& x) { return atan2(y, Dual(x)); }
  template <ScalarOf<T> S>
  friend Dual atan2(const S& y, const Dual& x) { return atan2(Dual(y), x); }
  // hypot(a, b) = √(a² + b²): ∂/∂a = a / h, ∂/∂b = b / h.
  friend Dual hypot(const Dual& a, const Dual& b) {
    using std::hypot;
    const T h = hypot(a.value, b.value);
    const T inv = T(1) / h;
    Dual r(h);
    for (int k = 0; k < N; ++k) r.d[k] = (a.value * a.d[k] + b.value * b.d[k]) * inv;
    return r;
  }
  template <ScalarOf<T> S>
  friend Dual hypot(const Dual& a, const S& b) { return hypot(a, Dual(b)); }
  template <ScalarOf<T> S>
  friend Dual hypot(const S& a, const Dual& b) { return hypot(Dual(a), b); }
  // min/max: on a tie the first argument (PyTorch's choice for the gradient is similar).
  friend Dual min(const Dual& a, const Dual& b) { return b < a ? b : a; }
  friend Dual max(const Dual& a, const Dual& b) { return b > a ? b : a; }
  friend Dual fmin(const Dual& a, const Dual& b) { return min(a, b); }
  friend Dual fmax(const Dual& a, const Dual& b) { return max(a, b); }
  template <ScalarOf<T> S>
  friend Dual min(const Dual& a, const S& b) { return min(a, Dual(b)); }
  template <ScalarOf<T> S>
  friend Dual min(const S& a, const Dual& b) { return min(Dual(a), b); }
  template <ScalarOf<T> S>
  friend Dual max(const Dual& a, const S& b) { return max(a, Dual(b)); }
  template <ScalarOf<T> S>
  friend Dual max(const S& a, const Dual& b) { return max(Dual(a), b); }

  friend bool isfinite(const Dual& a) {
    using std::isfinite;
    if (!isfinite(a.value)) return false;
    for (int k = 0; k < N; ++k)
      if (!isfinite(a.d[k])) return false;
    return true;
  }
  friend bool isnan(const Dual& a) {
    using std::isnan;
    return isnan(a.value);
  }
  friend bool isinf(const Dual& a) {
    using std::isinf;
    return isinf(a.value);
  }
};

// The value of a plain number or a (possibly nested) dual, as double.
inline double value_of(double v) { return v; }
template <class T, int N>
double value_of(const Dual<T, N>& a) {
  return value_of(a.value);
}

}  // namespace kobai::forward

namespace Eigen {

template <class T, int N>
struct NumTraits<kobai::forward::Dual<T, N>> : NumTraits<T> {
  using Real = kobai::forward::Dual<T, N>;
  using NonInteger = Real;
  using Nested = Real;
  using Literal = typename NumTraits<T>::Literal;
  enum {
    IsComplex = 0,
    IsInteger = 0,
    IsSigned = 1,
    RequireInitialization = 1,
    ReadCost = (N + 1) * NumTraits<T>::ReadCost,
    AddCost = (N + 1) * NumTraits<T>::AddCost,
    MulCost = (2 * N + 1) * NumTraits<T>::MulCost
  };
  static inline Real epsilon() { return Real(NumTraits<T>::epsilon()); }
  static inline Real dummy_precision() { return Real(NumTraits<T>::dummy_precision()); }
  static inline Real highest() { return Real(NumTraits<T>::highest()); }
  static inline Real lowest() { return Real(NumTraits<T>::lowest()); }
  static inline Real infinity() { return Real(NumTraits<T>::infinity()); }
  static inline Real quiet_NaN() { return Real(NumTraits<T>::quiet_NaN()); }
  static inline int digits10() { return NumTraits<T>::digits10(); }
};

template <class T, int N, class BinaryOp>
struct ScalarBinaryOpTraits<kobai::forward::Dual<T, N>, T, BinaryOp> {
  using ReturnType = kobai::forward::Dual<T, N>;
};
template <class T, int N, class BinaryOp>
struct ScalarBinaryOpTraits<T, kobai::forward::Dual<T, N>, BinaryOp> {
  using ReturnType = kobai::forward::Dual<T, N>;
};

}  // namespace Eigen
