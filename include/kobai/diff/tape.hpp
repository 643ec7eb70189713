// kobai/diff/tape.hpp — reverse-mode automatic differentiation: a tape and its variables.
//
//   kobai::reverse::Tape<> tape;                  // owns all the memory; reuse it across calls
//   auto x = tape.variable(3.0), y = tape.variable(4.0);
//   auto f = x * y + sin(x);                      // recorded as it is computed
//   tape.backward(f);                             // one backward sweep
//   double dfdx = tape.adjoint(x), dfdy = tape.adjoint(y);
//   tape.clear();                                 // ready for the next evaluation, memory kept
//
// The math. Evaluating f records, for every elementary operation v_i = φ(v_a, v_b), its local
// partials ∂φ/∂v_a and ∂φ/∂v_b. The backward sweep walks the records from last to first and
// pushes adjoints v̄ (= ∂f/∂v) to the operands:  v̄_a += (∂φ/∂v_a) v̄_i,  v̄_b += (∂φ/∂v_b) v̄_i.
// Each record is visited once with two multiply-adds, so the whole gradient costs a small constant
// times one evaluation of f, whatever the number of inputs (the "cheap gradient principle").
//
// Why this layout. The tape is one flat array of fixed-size records {∂a, ∂b, a, b} (24 bytes for
// double) plus one flat array of adjoints, both owned by an explicit Tape object and kept between
// evaluations, so a hot loop allocates nothing once the arrays have grown. A Var is just
// {value, index} (16 bytes, returned in registers): no reference counts, no node objects on the
// heap, no virtual calls, and the sweep is a plain loop (no recursion, so no stack limit on long
// computations). Libraries that build a reference-counted node per operation spend most of their
// time in the allocator and grow slower with n; here the reverse gradient of the extended
// Rosenbrock function costs 27–67 plain evaluations at n = 10 … 100,000, flat in n
// (bench/autodiff_bench.cpp, docs/autodiff.md: ~1.8 ns to record and ~2 ns to sweep an operation).
//
// Which tape records. Operations record on the thread's active tape for their scalar type T —
// the tape whose clear() or variable() was called last on this thread — so a Var need not carry
// a tape pointer. Two live tapes of the same T on one thread must not have their Vars mixed.
//
// Record 0 is reserved (inputs point at it); a constant operand (index 0) is redirected to the
// record itself with partial 0, and a one-operand record uses itself as its second operand. A
// record's own adjoint is dead once the sweep has read it, so those writes are harmless, and the
// sweep needs neither a branch nor one shared "sink" address, whose store-to-load forwarding
// would chain every step of the sweep. Inputs made before any operation are not visited at all.
//
// The scalar T may itself be a forward::Dual: recording with Var<Dual<double, K>> and sweeping
// the Dual adjoints gives K Hessian-vector products at once (forward over reverse; autodiff.hpp).
//
// A Var is only meaningful while its tape holds the evaluation that made it (until clear()).
// One tape is not safe to record on from two threads at once; give each thread its own.
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <ostream>
#include <stdexcept>
#include <type_traits>
#include <vector>

// Operations are forced inline: a call per operation would cost more than the operation.
#define KOBAI_AD_INLINE [[gnu::always_inline]] inline

namespace kobai::reverse {

template <class T = double>
class Tape;

namespace detail {
// The tape this thread records on (one per scalar type). constinit: accessed directly, no TLS
// initialisation wrapper in the hot path.
template <class T>
constinit thread_local Tape<T>* active_tape = nullptr;
}  // namespace detail

template <class T = double>
class Var {
 public:
  using Scalar = T;

  Var() = default;
  // A constant (index 0, the sink): not on the tape. Implicit, so `Var s = 0;` works.
  Var(const T& v) : value_(v) {}  // NOLINT(google-explicit-constructor)
  template <class S>
    requires(std::is_arithmetic_v<S> && !std::is_same_v<S, T>)
  Var(S v) : value_(static_cast<T>(v)) {}  // NOLINT(google-explicit-constructor)

  const T& value() const { return value_; }
  std::int32_t index() const { return index_; }
  bool is_constant() const { return index_ == 0; }

  Var& operator+=(const Var& b) { return *this = *this + b; }
  Var& operator-=(const Var& b) { return *this = *this - b; }
  Var& operator*=(const Var& b) { return *this = *this * b; }
  Var& operator/=(const Var& b) { return *this = *this / b; }

 private:
  friend class Tape<T>;
  Var(const T& v, std::int32_t index) : value_(v), index_(index) {}

  // {value, index}: 16 bytes for double, returned in registers.
  T value_{};
  std::int32_t index_ = 0;
};

template <class T>
class Tape {
 public:
  Tape() {
    nodes_.resize(1024);
    data_ = nodes_.data();
    capacity_ = nodes_.size();
    clear();
  }
  Tape(const Tape& other)
      : nodes_(other.nodes_), adjoints_(other.adjoints_), data_(nodes_.data()),
        size_(other.size_), capacity_(nodes_.size()), inputs_end_(other.inputs_end_) {}
  Tape& operator=(const Tape& other) {
    if (this != &other) {
      nodes_ = other.nodes_;
      adjoints_ = other.adjoints_;
      data_ = nodes_.data();
      size_ = other.size_;
      capacity_ = nodes_.size();
      inputs_end_ = other.inputs_end_;
    }
    return *this;
  }
  ~Tape() {
    if (detail::active_tape<T> == this) detail::active_tape<T> = nullptr;
  }

  // Starts a new recording on this tape (and makes it the thread's active tape for T); keeps
  // the memory of the previous one.
  void clear() {
    data_[0] = Node{};
    size_ = 1;
    inputs_end_ = 1;
    detail::active_tape<T> = this;
  }
  // Makes this the thread's active tape for T without clearing it.
  void activate() { detail::active_tape<T> = this; }
  bool is_active() const { return detail::active_tape<T> == this; }
  // Reserves room for `records` operations (optional; the tape grows as needed).
  void reserve(std::size_t records) {
    if (records + 1 > capacity_) {
      nodes_.resize(records + 1);
      data_ = nodes_.data();
      capacity_ = nodes_.size();
    }
  }

  // A new independent variable with value v (and this tape becomes the active one).
  Var<T> variable(const T& v) {
    detail::active_tape<T> = this;
    const bool leading = static_cast<std::size_t>(inputs_end_) == size_;
    if (size_ == capacity_) [[unlikely]]
      grow();
    data_[size_] = Node{};  // no operands: both point at the sink, record 0, never read
    Var<T> x(v, static_cast<std::int32_t>(size_++));
    if (leading) ++inputs_end_;  // inputs recorded first need no visit in the sweep
    return x;
  }

  // Number of records (operations and inputs) on the tape, excluding the sink.
  std::size_t size() const { return size_ - 1; }

  // Adjoint sweep from y: afterwards adjoint(v) = ∂y/∂v for every Var v recorded before y.
  void backward(const Var<T>& y) {
    adjoints_.assign(size_, T(0));
    if (y.index_ <= 0 || static_cast<std::size_t>(y.index_) >= size_) return;
    adjoints_[static_cast<std::size_t>(y.index_)] = T(1);
    const Node* node = data_;
    T* adj = adjoints_.data();
    for (std::int32_t i = y.index_; i >= inputs_end_; --i) {
      const Node& n = node[i];
      const T w = adj[i];
      adj[n.a] += n.da * w;
      adj[n.b] += n.db * w;
    }
  }
  // ∂y/∂v after backward(y); 0 for a constant.
  T adjoint(const Var<T>& v) const {
    if (v.index_ <= 0 || static_cast<std::size_t>(v.index_) >= adjoints_.size()) return T(0);
    return adjoints_[static_cast<std::size_t>(v.index_)];
  }

  // Records v = φ(a, b) with partials da = ∂φ/∂a, db = ∂φ/∂b (used by the operators below).
  // A constant operand (index 0) is redirected to the record itself: its adjoint is dead once
  // the sweep has read it, so the sweep needs no branch and no shared sink address (a single
  // address written by every record would chain the whole sweep through store forwarding).
  [[gnu::always_inline]] Var<T> push(const T& v, std::int32_t a, const T& da, std::int32_t b,
                                     const T& db) {
    if (size_ == capacity_) [[unlikely]]
      grow();
    const auto self = static_cast<std::int32_t>(size_);
    Node& n = data_[size_++];
    n.da = da;
    n.db = db;
    n.a = a ? a : self;
    n.b = b ? b : self;
    return Var<T>(v, self);
  }
  // One operand: the second slot points at the record itself with partial 0.
  [[gnu::always_inline]] Var<T> push(const T& v, std::int32_t a, const T& da) {
    if (size_ == capacity_) [[unlikely]]
      grow();
    const auto self = static_cast<std::int32_t>(size_);
    Node& n = data_[size_++];
    n.da = da;
    n.db = T(0);
    n.a = a;
    n.b = self;
    return Var<T>(v, self);
  }

 private:
  struct Node {
    T da{}, db{};
    std::int32_t a = 0, b = 0;
  };
  [[gnu::noinline]] void grow() {
    if (nodes_.size() >= static_cast<std::size_t>(INT32_MAX / 2))
      throw std::length_error("kobai::reverse::Tape: more than 2^30 records");
    nodes_.resize(2 * nodes_.size());
    data_ = nodes_.data();
    capacity_ = nodes_.size();
  }

  // Records live in nodes_[0, size_); data_/capacity_ mirror nodes_ so the recording path touches
  // only members whose types no record store can alias (the compiler keeps them in registers).
  std::vector<Node> nodes_;
  std::vector<T> adjoints_;
  Node* data_ = nullptr;
  std::size_t size_ = 1;
  std::size_t capacity_ = 0;
  std::int32_t inputs_end_ = 1;  // records [1, inputs_end_) are inputs made before any operation
};

namespace detail {

// Always inlined: a call per operation would cost more than the operation.
template <class T>
[[gnu::always_inline]] inline Var<T> unary(const Var<T>& a, const T& value, const T& da) {
  if (a.is_constant()) return Var<T>(value);
  return active_tape<T>->push(value, a.index(), da);
}

template <class T>
[[gnu::always_inline]] inline Var<T> binary(const Var<T>& a, const Var<T>& b, const T& value,
                                            const T& da, const T& db) {
  if (a.is_constant() && b.is_constant()) return Var<T>(value);
  return active_tape<T>->push(value, a.index(), da, b.index(), db);
}

template <class S>
inline constexpr bool is_var_v = false;
template <class T>
inline constexpr bool is_var_v<Var<T>> = true;

}  // namespace detail

// A plain number usable next to a Var<T>: an int or double literal, or T itself.
template <class S, class T>
concept ScalarOf = std::is_same_v<S, T> || (!detail::is_var_v<S> && std::is_convertible_v<const S&, T>);

// ---- arithmetic ------------------------------------------------------------------------------
template <class T>
KOBAI_AD_INLINE Var<T> operator+(const Var<T>& a) {
  return a;
}
template <class T>
KOBAI_AD_INLINE Var<T> operator-(const Var<T>& a) {
  return detail::unary(a, T(-a.value()), T(-1));
}
template <class T>
KOBAI_AD_INLINE Var<T> operator+(const Var<T>& a, const Var<T>& b) {
  return detail::binary(a, b, T(a.value() + b.value()), T(1), T(1));
}
template <class T>
KOBAI_AD_INLINE Var<T> operator-(const Var<T>& a, const Var<T>& b) {
  return detail::binary(a, b, T(a.value() - b.value()), T(1), T(-1));
}
template <class T>
KOBAI_AD_INLINE Var<T> operator*(const Var<T>& a, const Var<T>& b) {
  return detail::binary(a, b, T(a.value() * b.value()), b.value(), a.value());
}
template <class T>
KOBAI_AD_INLINE Var<T> operator/(const Var<T>& a, const Var<T>& b) {
  const T inv = T(1) / b.value();
  const T q = a.value() * inv;
  return detail::binary(a, b, q, inv, T(-q * inv));
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> operator+(const Var<T>& a, const S& s) {
  return detail::unary(a, T(a.value() + s), T(1));
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> operator+(const S& s, const Var<T>& a) {
  return detail::unary(a, T(s + a.value()), T(1));
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> operator-(const Var<T>& a, const S& s) {
  return detail::unary(a, T(a.value() - s), T(1));
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> operator-(const S& s, const Var<T>& a) {
  return detail::unary(a, T(s - a.value()), T(-1));
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> operator*(const Var<T>& a, const S& s) {
  return detail::unary(a, T(a.value() * s), T(s));
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> operator*(const S& s, const Var<T>& a) {
  return detail::unary(a, T(s * a.value()), T(s));
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> operator/(const Var<T>& a, const S& s) {
  const T inv = T(1) / T(s);
  return detail::unary(a, T(a.value() * inv), inv);
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> operator/(const S& s, const Var<T>& a) {
  const T inv = T(1) / a.value();
  const T q = T(s) * inv;
  return detail::unary(a, q, T(-q * inv));
}

// ---- comparisons (values only) ---------------------------------------------------------------
#define KOBAI_REVERSE_COMPARISON(op)                                                   \
  template <class T>                                                                   \
  bool operator op(const Var<T>& a, const Var<T>& b) {                                 \
    return a.value() op b.value();                                                     \
  }                                                                                    \
  template <class T, ScalarOf<T> S>                                                    \
  bool operator op(const Var<T>& a, const S& s) {                                      \
    return a.value() op s;                                                             \
  }                                                                                    \
  template <class T, ScalarOf<T> S>                                                    \
  bool operator op(const S& s, const Var<T>& a) {                                      \
    return s op a.value();                                                             \
  }
KOBAI_REVERSE_COMPARISON(==)
KOBAI_REVERSE_COMPARISON(!=)
KOBAI_REVERSE_COMPARISON(<)
KOBAI_REVERSE_COMPARISON(>)
KOBAI_REVERSE_COMPARISON(<=)
KOBAI_REVERSE_COMPARISON(>=)
#undef KOBAI_REVERSE_COMPARISON

template <class T>
std::ostream& operator<<(std::ostream& out, const Var<T>& a) {
  return out << a.value();
}

// ---- <cmath> ---------------------------------------------------------------------------------
// Each: the value and the local derivative, recorded as one unary operation.
// Block-scope using-declarations: std's overloads for T = double, hidden friends for T = Dual.
#define KOBAI_REVERSE_USING_STD_MATH using std::sqrt; using std::cbrt; using std::exp; using std::exp2; using std::expm1; using std::log; using std::log2; using std::log10; using std::log1p; using std::sin; using std::cos; using std::tan; using std::asin; using std::acos; using std::atan; using std::sinh; using std::cosh; using std::tanh; using std::asinh; using std::acosh; using std::atanh; using std::erf; using std::erfc; using std::abs; using std::floor; using std::ceil; using std::round;
#define KOBAI_REVERSE_UNARY(name, value_expr, derivative_expr) \
  template <class T>                                           \
  KOBAI_AD_INLINE Var<T> name(const Var<T>& x) {               \
    KOBAI_REVERSE_USING_STD_MATH                               \
    const T& a = x.value();                                    \
    const T v = value_expr;                                    \
    return detail::unary(x, v, T(derivative_expr));            \
  }
KOBAI_REVERSE_UNARY(sqrt, sqrt(a), T(0.5) / v)
KOBAI_REVERSE_UNARY(cbrt, cbrt(a), T(1) / (T(3) * v * v))
KOBAI_REVERSE_UNARY(exp, exp(a), v)
KOBAI_REVERSE_UNARY(exp2, exp2(a), v * T(std::numbers::ln2))
KOBAI_REVERSE_UNARY(expm1, expm1(a), exp(a))
KOBAI_REVERSE_UNARY(log, log(a), T(1) / a)
KOBAI_REVERSE_UNARY(log2, log2(a), T(1) / (a * T(std::numbers::ln2)))
KOBAI_REVERSE_UNARY(log10, log10(a), T(1) / (a * T(std::numbers::ln10)))
KOBAI_REVERSE_UNARY(log1p, log1p(a), T(1) / (T(1) + a))
KOBAI_REVERSE_UNARY(sin, sin(a), cos(a))
KOBAI_REVERSE_UNARY(cos, cos(a), -sin(a))
KOBAI_REVERSE_UNARY(tan, tan(a), T(1) + v * v)
KOBAI_REVERSE_UNARY(asin, asin(a), T(1) / sqrt(T(1) - a * a))
KOBAI_REVERSE_UNARY(acos, acos(a), T(-1) / sqrt(T(1) - a * a))
KOBAI_REVERSE_UNARY(atan, atan(a), T(1) / (T(1) + a * a))
KOBAI_REVERSE_UNARY(sinh, sinh(a), cosh(a))
KOBAI_REVERSE_UNARY(cosh, cosh(a), sinh(a))
KOBAI_REVERSE_UNARY(tanh, tanh(a), T(1) - v * v)
KOBAI_REVERSE_UNARY(asinh, asinh(a), T(1) / sqrt(a * a + T(1)))
KOBAI_REVERSE_UNARY(acosh, acosh(a), T(1) / sqrt(a * a - T(1)))
KOBAI_REVERSE_UNARY(atanh, atanh(a), T(1) / (T(1) - a * a))
KOBAI_REVERSE_UNARY(erf, erf(a), T(std::numbers::inv_sqrtpi * 2) * exp(-a * a))
KOBAI_REVERSE_UNARY(erfc, erfc(a), T(-std::numbers::inv_sqrtpi * 2) * exp(-a * a))
KOBAI_REVERSE_UNARY(abs, abs(a), a > T(0) ? T(1) : (a < T(0) ? T(-1) : T(0)))
KOBAI_REVERSE_UNARY(fabs, abs(a), a > T(0) ? T(1) : (a < T(0) ? T(-1) : T(0)))
KOBAI_REVERSE_UNARY(floor, floor(a), T(0))
KOBAI_REVERSE_UNARY(ceil, ceil(a), T(0))
KOBAI_REVERSE_UNARY(round, round(a), T(0))
#undef KOBAI_REVERSE_UNARY
#undef KOBAI_REVERSE_USING_STD_MATH

// pow with a constant exponent: d(a^p) = p a^(p−1) da (p = 2 exact: d(x²) at 0 is 0).
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> pow(const Var<T>& x, const S& exponent) {
  using std::pow;
  const T p(exponent);
  const T& a = x.value();
  if (p == T(2)) return detail::unary(x, T(a * a), T(T(2) * a));
  return detail::unary(x, T(pow(a, p)), T(p * pow(a, T(p - T(1)))));
}
// pow with a constant base: d(s^b) = s^b log(s) db.
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> pow(const S& base, const Var<T>& x) {
  using std::log;
  using std::pow;
  const T s(base);
  const T v = pow(s, x.value());
  return detail::unary(x, v, T(v * log(s)));
}
// General pow; the log(a) partial only when the exponent is on the tape (see Dual's pow).
template <class T>
KOBAI_AD_INLINE Var<T> pow(const Var<T>& x, const Var<T>& y) {
  if (y.is_constant()) return pow(x, y.value());
  if (x.is_constant()) return pow(x.value(), y);
  using std::log;
  using std::pow;
  const T& a = x.value();
  const T& b = y.value();
  const T v = pow(a, b);
  return detail::binary(x, y, v, T(b * pow(a, T(b - T(1)))), T(v * log(a)));
}
template <class T>
KOBAI_AD_INLINE Var<T> atan2(const Var<T>& y, const Var<T>& x) {
  using std::atan2;
  const T inv = T(1) / (x.value() * x.value() + y.value() * y.value());
  return detail::binary(y, x, T(atan2(y.value(), x.value())), T(x.value() * inv),
                        T(-y.value() * inv));
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> atan2(const Var<T>& y, const S& x) {
  return atan2(y, Var<T>(T(x)));
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> atan2(const S& y, const Var<T>& x) {
  return atan2(Var<T>(T(y)), x);
}
template <class T>
KOBAI_AD_INLINE Var<T> hypot(const Var<T>& a, const Var<T>& b) {
  using std::hypot;
  const T h = hypot(a.value(), b.value());
  const T inv = T(1) / h;
  return detail::binary(a, b, h, T(a.value() * inv), T(b.value() * inv));
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> hypot(const Var<T>& a, const S& b) {
  return hypot(a, Var<T>(T(b)));
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> hypot(const S& a, const Var<T>& b) {
  return hypot(Var<T>(T(a)), b);
}
// min/max: on a tie the first argument.
template <class T>
KOBAI_AD_INLINE Var<T> min(const Var<T>& a, const Var<T>& b) {
  return b < a ? b : a;
}
template <class T>
KOBAI_AD_INLINE Var<T> max(const Var<T>& a, const Var<T>& b) {
  return b > a ? b : a;
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> min(const Var<T>& a, const S& b) {
  return min(a, Var<T>(T(b)));
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> min(const S& a, const Var<T>& b) {
  return min(Var<T>(T(a)), b);
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> max(const Var<T>& a, const S& b) {
  return max(a, Var<T>(T(b)));
}
template <class T, ScalarOf<T> S>
KOBAI_AD_INLINE Var<T> max(const S& a, const Var<T>& b) {
  return max(Var<T>(T(a)), b);
}
template <class T>
KOBAI_AD_INLINE Var<T> fmin(const Var<T>& a, const Var<T>& b) {
  return min(a, b);
}
template <class T>
KOBAI_AD_INLINE Var<T> fmax(const Var<T>& a, const Var<T>& b) {
  return max(a, b);
}
template <class T>
bool isfinite(const Var<T>& a) {
  using std::isfinite;
  return isfinite(a.value());
}
template <class T>
bool isnan(const Var<T>& a) {
  using std::isnan;
  return isnan(a.value());
}
template <class T>
bool isinf(const Var<T>& a) {
  using std::isinf;
  return isinf(a.value());
}

}  // namespace kobai::reverse

#undef KOBAI_AD_INLINE

namespace Eigen {

template <class T>
struct NumTraits<kobai::reverse::Var<T>> : NumTraits<T> {
  using Real = kobai::reverse::Var<T>;
  using NonInteger = Real;
  using Nested = Real;
  using Literal = typename NumTraits<T>::Literal;
  enum {
    IsComplex = 0,
    IsInteger = 0,
    IsSigned = 1,
    RequireInitialization = 1,
    ReadCost = 2 * NumTraits<T>::ReadCost,
    AddCost = 8 * NumTraits<T>::AddCost,
    MulCost = 8 * NumTraits<T>::MulCost
  };
  static inline Real epsilon() { return Real(NumTraits<T>::epsilon()); }
  static inline Real dummy_precision() { return Real(NumTraits<T>::dummy_precision()); }
  static inline Real highest() { return Real(NumTraits<T>::highest()); }
  static inline Real lowest() { return Real(NumTraits<T>::lowest()); }
  static inline Real infinity() { return Real(NumTraits<T>::infinity()); }
  static inline Real quiet_NaN() { return Real(NumTraits<T>::quiet_NaN()); }
  static inline int digits10() { return NumTraits<T>::digits10(); }
};

template <class T, class BinaryOp>
struct ScalarBinaryOpTraits<kobai::reverse::Var<T>, T, BinaryOp> {
  using ReturnType = kobai::reverse::Var<T>;
};
template <class T, class BinaryOp>
struct ScalarBinaryOpTraits<T, kobai::reverse::Var<T>, BinaryOp> {
  using ReturnType = kobai::reverse::Var<T>;
};

}  // namespace Eigen
