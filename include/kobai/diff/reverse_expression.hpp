// kobai/diff/reverse_expression.hpp — the expression nodes behind reverse mode's statements.
//
// Included by tape.hpp; nothing here is used directly. An arithmetic operation or math function
// on kobai::reverse::Var values does not touch the tape: it returns a small expression object
// that holds its operands BY VALUE (a leaf is the 16-byte Var handle) together with its value and
// the local partial derivative(s), all computed when it is built. Only when an expression becomes
// a Var (an assignment, an initialisation, a `return` from a function declared to return the
// scalar type, `+=`) does the tape record one *statement*: for every leaf Var of the expression,
// its tape index and ∂(expression)/∂(leaf), obtained by multiplying the local partials down the
// tree (Adept's approach). `f += 100 * a * a + b * b` is one statement with three entries (f,
// a and b; see BinaryExpression::record for the merged squares), where one tape record per
// operation would make five records with two entries each.
//
// Why by value: an expression that referred to its operands would dangle as soon as one of them
// was a temporary, and `auto e = x * y + sin(x);` would silently read dead stack memory later
// (the classic expression-template bug). Copies cost nothing here: everything is inlined into
// registers, and a leaf is {value, index}.
#pragma once

#include <cstdint>
#include <type_traits>

// Operations are forced inline: a call per operation would cost more than the operation.
#define KOBAI_AD_INLINE [[gnu::always_inline]] inline

namespace kobai::reverse {

// One entry of a statement on the tape: adjoint[operand] += partial · adjoint[target].
// The sweep is one flat loop over these, last to first.
template <class T>
struct TapeEntry {
  std::int32_t target;   // the Var this statement defines
  std::int32_t operand;  // a leaf of its expression (0, the sink, for a constant)
  T partial;             // ∂target/∂operand, evaluated when recorded
};

namespace detail {

// Writes one entry. (Packing it into one 16-byte store was measured: slower, the shuffles cost
// more than the store they save.)
template <class T>
KOBAI_AD_INLINE void write_entry(TapeEntry<T>* out, std::int32_t target, std::int32_t operand,
                                 const T& partial) {
  *out = TapeEntry<T>{target, operand, partial};
}

// The multiplier at the root of a statement: exactly 1, without a multiplication (which is not
// free when T is a forward::Dual).
struct Unit {};
template <class T>
KOBAI_AD_INLINE const T& scaled(Unit, const T& partial) {
  return partial;
}
template <class T>
KOBAI_AD_INLINE T scaled(const T& multiplier, const T& partial) {
  return multiplier * partial;
}
template <class T>
KOBAI_AD_INLINE T as_partial(Unit) {
  return T(1);
}
template <class T>
KOBAI_AD_INLINE const T& as_partial(const T& multiplier) {
  return multiplier;
}

template <class E>
inline constexpr bool is_expression_v = false;

}  // namespace detail

// A Var or an expression node over Vars (and nothing else: plain numbers are "scalars").
template <class E>
concept Expression = detail::is_expression_v<std::remove_cvref_t<E>>;

// φ(a) with its value and dφ/da.
template <class T, class A>
class UnaryExpression {
 public:
  using Scalar = T;
  static constexpr int leaf_count = A::leaf_count;

  KOBAI_AD_INLINE UnaryExpression(const A& a, const T& value, const T& derivative)
      : a_(a), value_(value), derivative_(derivative) {}

  KOBAI_AD_INLINE const T& value() const { return value_; }
  // Nonzero when at least one leaf is on the tape (indices OR-ed together).
  KOBAI_AD_INLINE std::int32_t tape_indices() const { return a_.tape_indices(); }
  // Writes this subtree's entries from out on, each leaf with multiplier · ∂(this)/∂(leaf), and
  // returns the end of what it wrote (at most leaf_count entries).
  template <class M>
  KOBAI_AD_INLINE TapeEntry<T>* record(TapeEntry<T>* out, std::int32_t target,
                                       const M& multiplier) const {
    return a_.record(out, target, detail::scaled(multiplier, derivative_));
  }
  // For a subtree with one leaf: that leaf's index and multiplier · ∂(this)/∂(leaf).
  KOBAI_AD_INLINE std::int32_t leaf_index() const { return a_.leaf_index(); }
  template <class M>
  KOBAI_AD_INLINE T leaf_partial(const M& multiplier) const {
    return a_.leaf_partial(detail::scaled(multiplier, derivative_));
  }

 private:
  A a_;
  T value_;
  T derivative_;
};

// φ(a, b) with its value, ∂φ/∂a and ∂φ/∂b.
template <class T, class A, class B>
class BinaryExpression {
 public:
  using Scalar = T;
  static constexpr int leaf_count = A::leaf_count + B::leaf_count;

  KOBAI_AD_INLINE BinaryExpression(const A& a, const B& b, const T& value, const T& da, const T& db)
      : a_(a), b_(b), value_(value), da_(da), db_(db) {}

  KOBAI_AD_INLINE const T& value() const { return value_; }
  KOBAI_AD_INLINE std::int32_t tape_indices() const { return a_.tape_indices() | b_.tape_indices(); }
  // When each side has one leaf and it is the same Var (x * x, 100 * a * a, sin(x) * x), one
  // entry with the summed partial: the sweep then updates that adjoint once, instead of twice in
  // a row through memory (each read waiting on the store just before it).
  template <class M>
  KOBAI_AD_INLINE TapeEntry<T>* record(TapeEntry<T>* out, std::int32_t target,
                                       const M& multiplier) const {
    if constexpr (A::leaf_count == 1 && B::leaf_count == 1) {
      const std::int32_t ia = a_.leaf_index(), ib = b_.leaf_index();
      const T pa = a_.leaf_partial(detail::scaled(multiplier, da_));
      const T pb = b_.leaf_partial(detail::scaled(multiplier, db_));
      if (ia == ib) {
        detail::write_entry(out, target, ia, T(pa + pb));
        return out + 1;
      }
      detail::write_entry(out, target, ia, pa);
      detail::write_entry(out + 1, target, ib, pb);
      return out + 2;
    } else {
      return b_.record(a_.record(out, target, detail::scaled(multiplier, da_)), target,
                       detail::scaled(multiplier, db_));
    }
  }

 private:
  A a_;
  B b_;
  T value_;
  T da_, db_;
};

namespace detail {
template <class T, class A>
inline constexpr bool is_expression_v<UnaryExpression<T, A>> = true;
template <class T, class A, class B>
inline constexpr bool is_expression_v<BinaryExpression<T, A, B>> = true;
}  // namespace detail

}  // namespace kobai::reverse
