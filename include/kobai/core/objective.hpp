// kobai/core/objective.hpp — what `minimize` needs from a function: the Objective concept.
//
// An objective is any object with
//   double value(const Vector& x) const;                        // f(x)
//   double value_and_gradient(const Vector& x, Vector& g) const; // f(x), writes ∇f(x) into g
// and optionally
//   void hessian(const Vector& x, Matrix& h) const;             // ∇²f(x), for second-order methods
// `g` and `h` arrive already sized, so an evaluation inside the loop allocates nothing.
// `make_objective(f, grad)` adapts two plain callables; problems::Problem and the AD and text
// front ends satisfy the concept directly.
#pragma once

#include <concepts>
#include <utility>

#include "kobai/core/types.hpp"

namespace kobai {

template <class F>
concept Objective = requires(const F& f, const Vector& x, Vector& g) {
  { f.value(x) } -> std::convertible_to<double>;
  { f.value_and_gradient(x, g) } -> std::convertible_to<double>;
};

template <class F>
concept ObjectiveWithHessian = Objective<F> && requires(const F& f, const Vector& x, Matrix& h) {
  f.hessian(x, h);
};

// Adapts `value(x) -> double` and `gradient(x) -> Vector` (or `gradient(x, g)`) callables.
template <class ValueFn, class GradientFn>
class LambdaObjective {
 public:
  LambdaObjective(ValueFn value, GradientFn gradient)
      : value_(std::move(value)), gradient_(std::move(gradient)) {}

  double value(const Vector& x) const { return static_cast<double>(value_(x)); }

  double value_and_gradient(const Vector& x, Vector& g) const {
    if constexpr (std::invocable<const GradientFn&, const Vector&, Vector&>) {
      gradient_(x, g);
    } else {
      g = gradient_(x);
    }
    return value(x);
  }

 private:
  ValueFn value_;
  GradientFn gradient_;
};

template <class ValueFn, class GradientFn>
auto make_objective(ValueFn value, GradientFn gradient) {
  return LambdaObjective<ValueFn, GradientFn>(std::move(value), std::move(gradient));
}

}  // namespace kobai
