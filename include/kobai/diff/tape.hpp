// kobai/diff/tape.hpp — reverse-mode automatic differentiation: a tape and its variables.
//
//   kobai::reverse::Tape<> tape;                  // owns all the memory; reuse it across calls
//   auto x = tape.variable(3.0), y = tape.variable(4.0);
//   kobai::reverse::Var<> f = x * y + sin(x);     // one statement on the tape
//   tape.backward(f);                             // one backward sweep
//   double dfdx = tape.adjoint(x), dfdy = tape.adjoint(y);
//   tape.clear();                                 // ready for the next evaluation, memory kept
//
// The math. Evaluating f records, for every *statement* v = φ(u_1 … u_k) — an expression that
// becomes a Var — the partials ∂φ/∂u_j with respect to the Vars it reads. The backward sweep
// walks the entries from last to first and pushes adjoints v̄ (= ∂f/∂v) to the operands:
// ū_j += (∂φ/∂u_j) v̄. Each entry is visited once with one multiply-add, so the gradient costs a
// small constant times one evaluation of f, whatever the number of inputs.
//
// Statements, not operations. `x * y + sin(x)` is built as an expression object (see
// reverse_expression.hpp: operands held by value, so `auto e = x * y;` is safe) and recorded
// once, when it becomes a Var, as three entries {target, operand, partial}: (f, x, y + cos x),
// (f, y, x), (f, x, …). Recording an operation at a time would have made three records and two
// intermediate Vars. On the extended Rosenbrock pair (`a = x1 − x0²; b = 1 − x0;
// f += 100a² + b²`) this is 6 entries in 3 statements (x0 · x0, a · a and b · b each merge
// into one entry) instead of 8 records of 2.
//
// Why this layout. The tape is one flat block of entries plus one flat array of adjoints, both
// owned by an explicit Tape object and kept between evaluations, so a hot loop allocates nothing
// once they have grown. Each entry names its target, so the sweep is one flat loop
// `adjoint[operand] += partial · adjoint[target]` (the target's adjoint read once per
// statement) with no recursion (no stack limit on long computations). An input Var takes an
// index and no entry. A Var is just {value, index} (16 bytes, returned in registers): no
// reference counts, no node objects on the heap, no virtual calls. Libraries that build a
// reference-counted node per operation spend most of their time in the allocator and grow
// slower with n. Here the gradient of the extended Rosenbrock function costs 16–21 evaluations
// at n = 10 … 100,000 (bench/autodiff_bench.cpp; docs/autodiff.md has the table and what was
// tried).
//
// Which tape records. Statements record on the thread's active tape for their scalar type T —
// the tape whose clear() or variable() was called last on this thread — so a Var need not carry
// a tape pointer. Two live tapes of the same T on one thread must not have their Vars mixed. An
// expression whose leaves are all constants (index 0) records nothing and gives a constant, so
// constants can be computed with no tape at all and used on any tape. (Recording them whenever
// a tape is active measured ~8 % faster recording — without that branch GCC keeps the recording
// state in registers between statements — but a constant made while one tape is active would
// then belong to it, and using it on another tape would write outside that tape's adjoints.)
//
// Index 0 is the sink: a constant leaf of a statement that also reads tape Vars gets an entry
// whose operand is 0, so leaves are written without a branch each; adjoint 0 is never read.
//
// The scalar T may itself be a forward::Dual: recording with Var<Dual<double, K>> and sweeping
// the Dual adjoints gives K Hessian-vector products at once (forward over reverse; autodiff.hpp).
//
// One limitation of statements: the two branches of `c ? x * y : -x` have different expression
// types; write `c ? T(x * y) : T(-x)` (T the scalar type), as with any expression-template AD.
//
// A Var is only meaningful while its tape holds the evaluation that made it (until clear()).
// One tape is not safe to record on from two threads at once; give each thread its own.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <numbers>
#include <ostream>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "kobai/diff/reverse_expression.hpp"

namespace kobai::reverse {

template <class T>
class Tape;

namespace detail {

// The state a statement's recording touches: where the entries are, how many there are, and the
// next Var index — the last two packed in one word, so a statement updates both with one store
// (recording is bound by store throughput: ~20 stores per Rosenbrock pair).
struct Recording {
  void* entries = nullptr;     // the TapeEntry<T> block (Recording is shared by every T)
  std::int64_t capacity = 0;   // entries the block holds
  // next Var index << 32 | entries recorded. Index 0 is the sink for constants.
  std::uint64_t counters = std::uint64_t{1} << 32;

  static constexpr std::uint64_t one_index = std::uint64_t{1} << 32;
  std::int64_t used() const { return static_cast<std::int64_t>(counters & 0xffff'ffffu); }
  std::int64_t next_index() const { return static_cast<std::int64_t>(counters >> 32); }
};

// The recording this thread's statements go to (one per scalar type T): that of the tape whose
// clear() or variable() was called last. constinit: no TLS initialisation wrapper in the hot path.
template <class T>
constinit thread_local Recording* active_recording = nullptr;

// Both counters fit in 32 bits: entries are capped here, inputs too (Tape::variable), and every
// statement has at least one entry, so Var indices stay below 2^31.
inline constexpr std::int64_t max_entries = std::int64_t{1} << 30;

[[noreturn, gnu::noinline, gnu::cold]] inline void throw_too_many() {
  throw std::length_error("kobai::reverse::Tape: more than 2^30 variables or entries");
}
[[noreturn, gnu::noinline, gnu::cold]] inline void throw_bad_alloc() { throw std::bad_alloc(); }

// Resizes the entry block (realloc: the entries are trivially copyable).
template <class T>
void resize_entries(Recording& r, std::int64_t size) {
  void* grown = std::realloc(r.entries,
                             static_cast<std::size_t>(size) * sizeof(TapeEntry<T>));
  if (grown == nullptr) throw_bad_alloc();
  r.entries = grown;
  r.capacity = size;
}

constexpr std::int64_t grown_capacity(std::int64_t capacity, std::int64_t needed) {
  return std::min(std::max(2 * capacity, needed), max_entries);
}
// The entry block after growing it to hold `used + leaves` entries. Declared pure although it
// reallocates: it writes no memory the caller can see — the caller stores the new block and
// capacity itself. With a call the compiler must assume writes memory, even on this cold
// branch, GCC reloaded the thread_local pointer and the recording state at every statement
// (measured: recording ~15 % slower). Its arguments differ at every call, so no two calls can be
// merged, and its result is always used. It may read memory (pure, not const), so the entries
// stored before it are in the block it copies.
template <class T>
[[gnu::pure, gnu::noinline, gnu::cold]] void* grown_block(void* block, std::int64_t used,
                                                          std::int64_t capacity,
                                                          std::int64_t leaves) {
  if (used + leaves > max_entries) throw_too_many();
  const std::int64_t size = grown_capacity(capacity, used + leaves);
  void* grown = std::realloc(block, static_cast<std::size_t>(size) * sizeof(TapeEntry<T>));
  if (grown == nullptr) throw_bad_alloc();
  return grown;
}

// Records e as one statement and returns the index of the Var it defines.
template <class T, class E>
KOBAI_AD_INLINE std::int32_t record(Recording& r, const E& e) {
  constexpr std::int64_t leaves = E::leaf_count;
  const std::uint64_t counters = r.counters;
  const auto used = static_cast<std::int64_t>(counters & 0xffff'ffffu);
  void* block = r.entries;
  if (r.capacity - used < leaves) [[unlikely]] {
    block = grown_block<T>(block, used, r.capacity, leaves);
    r.entries = block;
    r.capacity = grown_capacity(r.capacity, used + leaves);
  }
  const auto target = static_cast<std::int32_t>(counters >> 32);
  TapeEntry<T>* const start = static_cast<TapeEntry<T>*>(block) + used;
  const TapeEntry<T>* const end = e.record(start, target, Unit{});
  r.counters = counters + Recording::one_index + static_cast<std::uint64_t>(end - start);
  return target;
}

}  // namespace detail

template <class T = double>
class Var;

// A plain number usable next to a Var<T>: an int or double literal, or T itself.
template <class S, class T>
concept ScalarOf = std::is_same_v<S, T> || (!Expression<S> && std::is_convertible_v<const S&, T>);

template <class T>
class Var {
 public:
  using Scalar = T;
  static constexpr int leaf_count = 1;

  Var() = default;
  // A constant (index 0): not on the tape. Implicit, so `Var s = 0;` works.
  Var(const T& v) : value_(v) {}  // NOLINT(google-explicit-constructor)
  template <class S>
    requires(std::is_arithmetic_v<S> && !std::is_same_v<S, T>)
  Var(S v) : value_(static_cast<T>(v)) {}  // NOLINT(google-explicit-constructor)
  // Records the expression as one statement on the active tape (nothing if it is constant).
  // Implicit, so `T a = x * y;` and `return x * y;` from a function returning T work.
  template <Expression E>
    requires(!std::is_same_v<E, Var> && std::is_same_v<typename E::Scalar, T>)
  KOBAI_AD_INLINE Var(const E& e)  // NOLINT(google-explicit-constructor)
      : value_(e.value()),
        index_(e.tape_indices() == 0 ? 0 : detail::record<T>(*detail::active_recording<T>, e)) {}

  const T& value() const { return value_; }
  std::int32_t index() const { return index_; }
  bool is_constant() const { return index_ == 0; }

  template <class B>
    requires(Expression<B> || ScalarOf<B, T>)
  KOBAI_AD_INLINE Var& operator+=(const B& b) {
    return *this = *this + b;
  }
  template <class B>
    requires(Expression<B> || ScalarOf<B, T>)
  KOBAI_AD_INLINE Var& operator-=(const B& b) {
    return *this = *this - b;
  }
  template <class B>
    requires(Expression<B> || ScalarOf<B, T>)
  KOBAI_AD_INLINE Var& operator*=(const B& b) {
    return *this = *this * b;
  }
  template <class B>
    requires(Expression<B> || ScalarOf<B, T>)
  KOBAI_AD_INLINE Var& operator/=(const B& b) {
    return *this = *this / b;
  }

  // The expression interface (reverse_expression.hpp): a Var is a leaf.
  KOBAI_AD_INLINE std::int32_t tape_indices() const { return index_; }
  template <class M>
  KOBAI_AD_INLINE TapeEntry<T>* record(TapeEntry<T>* out, std::int32_t target,
                                       const M& multiplier) const {
    detail::write_entry(out, target, index_, detail::as_partial<T>(multiplier));
    return out + 1;
  }
  KOBAI_AD_INLINE std::int32_t leaf_index() const { return index_; }
  template <class M>
  KOBAI_AD_INLINE T leaf_partial(const M& multiplier) const {
    return detail::as_partial<T>(multiplier);
  }

 private:
  friend class Tape<T>;
  Var(const T& v, std::int32_t index) : value_(v), index_(index) {}

  // {value, index}: 16 bytes for double, returned in registers.
  T value_{};
  std::int32_t index_ = 0;
};

namespace detail {
template <class T>
inline constexpr bool is_expression_v<Var<T>> = true;
}  // namespace detail

template <class T = double>
class Tape {
  static_assert(std::is_trivially_copyable_v<TapeEntry<T>>,
                "the entry block is grown with realloc");

 public:
  Tape() {
    detail::resize_entries<T>(r_, 1024);
    clear();
  }
  Tape(const Tape& other) : adjoints_(other.adjoints_), dirty_adjoints_(other.dirty_adjoints_) {
    detail::resize_entries<T>(r_, other.r_.capacity);
    std::memcpy(r_.entries, other.r_.entries,
                other.entry_count() * sizeof(TapeEntry<T>));
    r_.counters = other.r_.counters;
  }
  Tape& operator=(const Tape& other) {
    if (this != &other) {
      Tape copy(other);
      std::swap(r_, copy.r_);
      adjoints_.swap(copy.adjoints_);
      std::swap(dirty_adjoints_, copy.dirty_adjoints_);
    }
    return *this;
  }
  ~Tape() {
    if (is_active()) detail::active_recording<T> = nullptr;
    std::free(r_.entries);
  }

  // Starts a new recording on this tape (and makes it the thread's active tape for T); keeps
  // the memory of the previous one.
  void clear() {
    zero_adjoints();
    r_.counters = detail::Recording::one_index;
    activate();
  }
  // Makes this the thread's active tape for T without clearing it.
  void activate() { detail::active_recording<T> = &r_; }
  bool is_active() const { return detail::active_recording<T> == &r_; }
  // Reserves room for `entries` statement entries (optional; the tape grows as needed).
  void reserve(std::size_t entries) {
    if (static_cast<std::int64_t>(entries) > r_.capacity)
      detail::resize_entries<T>(r_, static_cast<std::int64_t>(entries));
  }

  // A new independent variable with value v (and this tape becomes the active one). It takes an
  // index and no entry.
  Var<T> variable(const T& v) {
    activate();
    const std::int64_t index = r_.next_index();
    if (index >= detail::max_entries) [[unlikely]]
      detail::throw_too_many();
    r_.counters += detail::Recording::one_index;
    return Var<T>(v, static_cast<std::int32_t>(index));
  }

  // count new independent variables, values[i] → out[i]: the same as count calls of variable(),
  // with one activation and one range check for all of them.
  void variables(const T* values, std::size_t count, Var<T>* out) {
    activate();
    const std::int64_t first = r_.next_index();
    if (static_cast<std::int64_t>(count) > detail::max_entries - first) [[unlikely]]
      detail::throw_too_many();
    for (std::size_t i = 0; i < count; ++i)
      out[i] = Var<T>(values[i], static_cast<std::int32_t>(first + static_cast<std::int64_t>(i)));
    r_.counters += static_cast<std::uint64_t>(count) * detail::Recording::one_index;
  }

  // Number of Vars on the tape (inputs and statements).
  std::size_t size() const { return static_cast<std::size_t>(r_.next_index() - 1); }
  // Number of statement entries on the tape.
  std::size_t entry_count() const { return static_cast<std::size_t>(r_.used()); }

  // Adjoint sweep from y: afterwards adjoint(v) = ∂y/∂v for every Var v recorded before y.
  void backward(const Var<T>& y) {
    zero_adjoints();  // already done by clear(), unless this recording was swept before
    const auto index_count = static_cast<std::size_t>(r_.next_index());
    if (adjoints_.size() < index_count) adjoints_.resize(index_count);
    dirty_adjoints_ = index_count;
    if (y.index_ <= 0 || static_cast<std::size_t>(y.index_) >= index_count) return;
    adjoints_[static_cast<std::size_t>(y.index_)] = T(1);
    // Targets increase along the tape, so y's statement ends where the targets pass y; the
    // statements recorded after y would only add zeros.
    const TapeEntry<T>* const entries = static_cast<const TapeEntry<T>*>(r_.entries);
    const TapeEntry<T>* end = entries + r_.used();
    if (end != entries && end[-1].target > y.index_)
      end = std::upper_bound(entries, end, y.index_,
                             [](std::int32_t v, const TapeEntry<T>& e) { return v < e.target; });
    // A statement's entries are contiguous and none of them writes its target (operands are
    // older Vars or the sink), so its adjoint is read once per statement, not once per entry
    // (measured ~8 % faster sweep).
    T* adjoint = adjoints_.data();
    std::int32_t target = y.index_;
    T target_adjoint = T(1);
    for (const TapeEntry<T>* e = end; e != entries;) {
      --e;
      if (e->target != target) {
        target = e->target;
        target_adjoint = adjoint[target];
      }
      adjoint[e->operand] += e->partial * target_adjoint;
    }
  }
  // All adjoints after backward(y), indexed by Var::index(): adjoints()[v.index()] = ∂y/∂v for
  // every Var v of this recording (no range check, unlike adjoint(v)).
  const T* adjoints() const { return adjoints_.data(); }
  // ∂y/∂v after backward(y); 0 for a constant.
  T adjoint(const Var<T>& v) const {
    if (v.index_ <= 0 || static_cast<std::size_t>(v.index_) >= adjoints_.size()) return T(0);
    return adjoints_[static_cast<std::size_t>(v.index_)];
  }

 private:
  // Zeroes the adjoints the last sweep wrote. Done by clear(), long before the next sweep: a
  // sweep's first update of an adjoint would otherwise load it right after the memset stored
  // it, and at n = 10 those stalls were a visible part of the sweep.
  void zero_adjoints() {
    std::fill_n(adjoints_.data(), dirty_adjoints_, T(0));
    dirty_adjoints_ = 0;
  }

  detail::Recording r_;
  std::vector<T> adjoints_;       // zero beyond dirty_adjoints_
  std::size_t dirty_adjoints_ = 0;
};

namespace detail {

template <class E>
using scalar_t = typename std::remove_cvref_t<E>::Scalar;

template <class E>
KOBAI_AD_INLINE UnaryExpression<scalar_t<E>, E> unary(const E& a, const scalar_t<E>& value,
                                                      const scalar_t<E>& derivative) {
  return {a, value, derivative};
}
template <class A, class B>
KOBAI_AD_INLINE BinaryExpression<scalar_t<A>, A, B> binary(const A& a, const B& b,
                                                           const scalar_t<A>& value,
                                                           const scalar_t<A>& da,
                                                           const scalar_t<A>& db) {
  return {a, b, value, da, db};
}

}  // namespace detail

// Two expressions over the same scalar type.
template <class A, class B>
concept ExpressionPair =
    Expression<A> && Expression<B> && std::is_same_v<detail::scalar_t<A>, detail::scalar_t<B>>;
// An expression and a plain number.
template <class A, class S>
concept ExpressionAndScalar = Expression<A> && ScalarOf<S, detail::scalar_t<A>>;

// ---- arithmetic ------------------------------------------------------------------------------
template <Expression A>
KOBAI_AD_INLINE A operator+(const A& a) {
  return a;
}
template <Expression A>
KOBAI_AD_INLINE auto operator-(const A& a) {
  using T = detail::scalar_t<A>;
  return detail::unary(a, T(-a.value()), T(-1));
}
template <class A, class B>
  requires ExpressionPair<A, B>
KOBAI_AD_INLINE auto operator+(const A& a, const B& b) {
  using T = detail::scalar_t<A>;
  return detail::binary(a, b, T(a.value() + b.value()), T(1), T(1));
}
template <class A, class B>
  requires ExpressionPair<A, B>
KOBAI_AD_INLINE auto operator-(const A& a, const B& b) {
  using T = detail::scalar_t<A>;
  return detail::binary(a, b, T(a.value() - b.value()), T(1), T(-1));
}
template <class A, class B>
  requires ExpressionPair<A, B>
KOBAI_AD_INLINE auto operator*(const A& a, const B& b) {
  using T = detail::scalar_t<A>;
  return detail::binary(a, b, T(a.value() * b.value()), b.value(), a.value());
}
template <class A, class B>
  requires ExpressionPair<A, B>
KOBAI_AD_INLINE auto operator/(const A& a, const B& b) {
  using T = detail::scalar_t<A>;
  const T inv = T(1) / b.value();
  const T q = a.value() * inv;
  return detail::binary(a, b, q, inv, T(-q * inv));
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE auto operator+(const A& a, const S& s) {
  using T = detail::scalar_t<A>;
  return detail::unary(a, T(a.value() + s), T(1));
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE auto operator+(const S& s, const A& a) {
  using T = detail::scalar_t<A>;
  return detail::unary(a, T(s + a.value()), T(1));
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE auto operator-(const A& a, const S& s) {
  using T = detail::scalar_t<A>;
  return detail::unary(a, T(a.value() - s), T(1));
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE auto operator-(const S& s, const A& a) {
  using T = detail::scalar_t<A>;
  return detail::unary(a, T(s - a.value()), T(-1));
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE auto operator*(const A& a, const S& s) {
  using T = detail::scalar_t<A>;
  return detail::unary(a, T(a.value() * s), T(s));
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE auto operator*(const S& s, const A& a) {
  using T = detail::scalar_t<A>;
  return detail::unary(a, T(s * a.value()), T(s));
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE auto operator/(const A& a, const S& s) {
  using T = detail::scalar_t<A>;
  const T inv = T(1) / T(s);
  return detail::unary(a, T(a.value() * inv), inv);
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE auto operator/(const S& s, const A& a) {
  using T = detail::scalar_t<A>;
  const T inv = T(1) / a.value();
  const T q = T(s) * inv;
  return detail::unary(a, q, T(-q * inv));
}

// ---- comparisons (values only) ---------------------------------------------------------------
#define KOBAI_REVERSE_COMPARISON(op)                                                   \
  template <class A, class B>                                                          \
    requires ExpressionPair<A, B>                                                      \
  bool operator op(const A& a, const B& b) {                                           \
    return a.value() op b.value();                                                     \
  }                                                                                    \
  template <class A, class S>                                                          \
    requires ExpressionAndScalar<A, S>                                                 \
  bool operator op(const A& a, const S& s) {                                           \
    return a.value() op s;                                                             \
  }                                                                                    \
  template <class A, class S>                                                          \
    requires ExpressionAndScalar<A, S>                                                 \
  bool operator op(const S& s, const A& a) {                                           \
    return s op a.value();                                                             \
  }
KOBAI_REVERSE_COMPARISON(==)
KOBAI_REVERSE_COMPARISON(!=)
KOBAI_REVERSE_COMPARISON(<)
KOBAI_REVERSE_COMPARISON(>)
KOBAI_REVERSE_COMPARISON(<=)
KOBAI_REVERSE_COMPARISON(>=)
#undef KOBAI_REVERSE_COMPARISON

template <Expression A>
std::ostream& operator<<(std::ostream& out, const A& a) {
  return out << a.value();
}

// ---- <cmath> ---------------------------------------------------------------------------------
// Each: the value and the local derivative, one expression node (recorded with its statement).
// Block-scope using-declarations: std's overloads for T = double, hidden friends for T = Dual.
#define KOBAI_REVERSE_USING_STD_MATH using std::sqrt; using std::cbrt; using std::exp; using std::exp2; using std::expm1; using std::log; using std::log2; using std::log10; using std::log1p; using std::sin; using std::cos; using std::tan; using std::asin; using std::acos; using std::atan; using std::sinh; using std::cosh; using std::tanh; using std::asinh; using std::acosh; using std::atanh; using std::erf; using std::erfc; using std::abs; using std::floor; using std::ceil; using std::round;
#define KOBAI_REVERSE_UNARY(name, value_expr, derivative_expr) \
  template <Expression E>                                      \
  KOBAI_AD_INLINE auto name(const E& x) {                      \
    KOBAI_REVERSE_USING_STD_MATH                               \
    using T = detail::scalar_t<E>;                             \
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
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE auto pow(const A& x, const S& exponent) {
  using std::pow;
  using T = detail::scalar_t<A>;
  const T p(exponent);
  const T& a = x.value();
  if (p == T(2)) return detail::unary(x, T(a * a), T(T(2) * a));
  return detail::unary(x, T(pow(a, p)), T(p * pow(a, T(p - T(1)))));
}
// pow with a constant base: d(s^b) = s^b log(s) db.
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE auto pow(const S& base, const A& x) {
  using std::log;
  using std::pow;
  using T = detail::scalar_t<A>;
  const T s(base);
  const T v = pow(s, x.value());
  return detail::unary(x, v, T(v * log(s)));
}
// General pow. A partial is taken only for an operand on the tape: a constant exponent never
// takes log of the base (finite for negative bases, as Dual's pow), and p = 2 stays exact.
template <class A, class B>
  requires ExpressionPair<A, B>
KOBAI_AD_INLINE auto pow(const A& x, const B& y) {
  using std::log;
  using std::pow;
  using T = detail::scalar_t<A>;
  const T& a = x.value();
  const T& b = y.value();
  const bool constant_exponent = y.tape_indices() == 0;
  const T v = constant_exponent && b == T(2) ? T(a * a) : T(pow(a, b));
  const T da = x.tape_indices() == 0 ? T(0)
               : b == T(2)           ? T(T(2) * a)
                                     : T(b * pow(a, T(b - T(1))));
  const T db = constant_exponent ? T(0) : T(v * log(a));
  return detail::binary(x, y, v, da, db);
}
template <class A, class B>
  requires ExpressionPair<A, B>
KOBAI_AD_INLINE auto atan2(const A& y, const B& x) {
  using std::atan2;
  using T = detail::scalar_t<A>;
  const T inv = T(1) / (x.value() * x.value() + y.value() * y.value());
  return detail::binary(y, x, T(atan2(y.value(), x.value())), T(x.value() * inv),
                        T(-y.value() * inv));
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE auto atan2(const A& y, const S& x) {
  using std::atan2;
  using T = detail::scalar_t<A>;
  const T c(x);
  return detail::unary(y, T(atan2(y.value(), c)), T(c / (c * c + y.value() * y.value())));
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE auto atan2(const S& y, const A& x) {
  using std::atan2;
  using T = detail::scalar_t<A>;
  const T c(y);
  return detail::unary(x, T(atan2(c, x.value())), T(-c / (x.value() * x.value() + c * c)));
}
template <class A, class B>
  requires ExpressionPair<A, B>
KOBAI_AD_INLINE auto hypot(const A& a, const B& b) {
  using std::hypot;
  using T = detail::scalar_t<A>;
  const T h = hypot(a.value(), b.value());
  const T inv = T(1) / h;
  return detail::binary(a, b, h, T(a.value() * inv), T(b.value() * inv));
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE auto hypot(const A& a, const S& b) {
  using std::hypot;
  using T = detail::scalar_t<A>;
  const T h = hypot(a.value(), T(b));
  return detail::unary(a, h, T(a.value() / h));
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE auto hypot(const S& a, const A& b) {
  return hypot(b, a);
}
// min/max: on a tie the first argument. The result is the chosen operand, made a Var.
template <class A, class B>
  requires ExpressionPair<A, B>
KOBAI_AD_INLINE Var<detail::scalar_t<A>> min(const A& a, const B& b) {
  if (b.value() < a.value()) return Var<detail::scalar_t<A>>(b);
  return Var<detail::scalar_t<A>>(a);
}
template <class A, class B>
  requires ExpressionPair<A, B>
KOBAI_AD_INLINE Var<detail::scalar_t<A>> max(const A& a, const B& b) {
  if (b.value() > a.value()) return Var<detail::scalar_t<A>>(b);
  return Var<detail::scalar_t<A>>(a);
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE Var<detail::scalar_t<A>> min(const A& a, const S& b) {
  return min(a, Var<detail::scalar_t<A>>(detail::scalar_t<A>(b)));
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE Var<detail::scalar_t<A>> min(const S& a, const A& b) {
  return min(Var<detail::scalar_t<A>>(detail::scalar_t<A>(a)), b);
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE Var<detail::scalar_t<A>> max(const A& a, const S& b) {
  return max(a, Var<detail::scalar_t<A>>(detail::scalar_t<A>(b)));
}
template <class A, class S>
  requires ExpressionAndScalar<A, S>
KOBAI_AD_INLINE Var<detail::scalar_t<A>> max(const S& a, const A& b) {
  return max(Var<detail::scalar_t<A>>(detail::scalar_t<A>(a)), b);
}
template <class A, class B>
  requires ExpressionPair<A, B>
KOBAI_AD_INLINE Var<detail::scalar_t<A>> fmin(const A& a, const B& b) {
  return min(a, b);
}
template <class A, class B>
  requires ExpressionPair<A, B>
KOBAI_AD_INLINE Var<detail::scalar_t<A>> fmax(const A& a, const B& b) {
  return max(a, b);
}
template <Expression A>
bool isfinite(const A& a) {
  using std::isfinite;
  return isfinite(a.value());
}
template <Expression A>
bool isnan(const A& a) {
  using std::isnan;
  return isnan(a.value());
}
template <Expression A>
bool isinf(const A& a) {
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
