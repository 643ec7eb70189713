// kobai/diff/numerical_gradient.hpp — gradients from function values by finite differences.
//
//   auto g  = kobai::numerical_gradient(f, x);                         // f(const Vector&) -> double
//   auto dW = kobai::numerical_gradient(loss, W, {.step = 1e-4});       // f(const Matrix&) -> double
//   auto gs = kobai::numerical_gradient([&] { return net_loss(); }, {&W1, &b1, &W2});
//
// The math. For each component i, with e_i the i-th unit vector,
//   central:  ∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h    error ≈ h²|f'''|/6 + ε|f|/h
//   forward:  ∂f/∂x_i ≈ (f(x + h e_i) − f(x)) / h             error ≈ h|f''|/2  + 2ε|f|/h
// where ε is machine epsilon (2.2e-16) and the second term is rounding in the subtraction. The
// step that balances the two terms is h ≈ ∛ε (6.1e-6) for central and √ε (1.5e-8) for forward
// differences, scaled by max(1, |x_i|) so a component far from zero is perturbed by a relative
// amount it can represent. That is the default; `.step` fixes h for every component instead.
// Seed 000 (and the book it comes from) uses central differences with a fixed h = 1e-4:
// pass `{.step = 1e-4}` to reproduce its numbers. Seed 003 §2.4.1 uses h = 1e-8 with central
// differences, where rounding already dominates (its printed errors are ~2e-7; the default step
// here gives ~1e-10 on the same example).
//
// Why divide by the distance between the points actually evaluated, (x+h) − (x−h), rather than
// by 2h: x + h is rounded, so the true secant slope is over the rounded distance. The two differ
// by at most ε|x|/h relative — invisible at the default steps, but it makes the quotient the exact
// slope between the two evaluated points.
//
// Every entry is perturbed in place and restored by assignment of the saved value, so after the
// call the arguments hold bit-for-bit what they held before (the seeds' "restore x[idx]" step).
// Cost: 2n evaluations of f (central) or n + 1 (forward); no allocation besides the result and,
// for the vector/matrix forms, one copy of the argument.
#pragma once

#include <cmath>
#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/core/types.hpp"
#include "kobai/core/validate.hpp"

namespace kobai {

enum class DifferenceScheme { central, forward };

struct NumericalGradientOptions {
  DifferenceScheme scheme = DifferenceScheme::central;
  // Fixed step h for every component. Unset: h_i = ∛ε·max(1,|x_i|) (central) or
  // √ε·max(1,|x_i|) (forward), ε = machine epsilon.
  std::optional<double> step{};

  void validate() const {
    if (step) validate::positive("step", *step);
  }
};

namespace detail {

// The step for one component: the fixed one if given, else the scaled error-balancing one.
inline double difference_step(double xi, const NumericalGradientOptions& options) {
  if (options.step) return *options.step;
  constexpr double eps = std::numeric_limits<double>::epsilon();
  static const double central_base = std::cbrt(eps);
  static const double forward_base = std::sqrt(eps);
  const double scale = std::fmax(1.0, std::abs(xi));
  return (options.scheme == DifferenceScheme::central ? central_base : forward_base) * scale;
}

[[noreturn]] inline void step_vanishes(double xi, double h) {
  throw InvalidArgument("step must be large enough to change x, got " +
                        validate::format_number(h) + " at x = " + validate::format_number(xi) +
                        " (x + step rounds to x)");
}

// Writes the difference quotient of `evaluate()` with respect to each of entries[0..count) into
// out[0..count). `evaluate` reads the entries through whatever object owns them; f0 is f at the
// unperturbed point (used by the forward scheme only).
template <class Evaluate>
void difference_quotients(Evaluate& evaluate, double* entries, std::size_t count, double* out,
                          const NumericalGradientOptions& options, double f0) {
  for (std::size_t i = 0; i < count; ++i) {
    const double saved = entries[i];
    const double h = difference_step(saved, options);
    const double plus = saved + h;
    if (options.scheme == DifferenceScheme::central) {
      const double minus = saved - h;
      if (plus == minus) step_vanishes(saved, h);
      entries[i] = plus;
      const double f_plus = evaluate();
      entries[i] = minus;
      const double f_minus = evaluate();
      entries[i] = saved;
      out[i] = (f_plus - f_minus) / (plus - minus);
    } else {
      if (plus == saved) step_vanishes(saved, h);
      entries[i] = plus;
      const double f_plus = evaluate();
      entries[i] = saved;
      out[i] = (f_plus - f0) / (plus - saved);
    }
  }
}

// The plain argument type f is called with: Vector for column vectors, Matrix otherwise.
template <class Derived>
using DifferenceArgument =
    std::conditional_t<Derived::ColsAtCompileTime == 1, Vector, Matrix>;

template <class Array>
std::vector<Array> numerical_gradient_arrays(auto& f, std::span<Array* const> params,
                                             const NumericalGradientOptions& options) {
  options.validate();
  auto evaluate = [&f]() -> double { return static_cast<double>(f()); };
  const double f0 = options.scheme == DifferenceScheme::forward ? evaluate() : 0.0;
  std::vector<Array> grads;
  grads.reserve(params.size());
  for (Array* p : params) {
    if (p == nullptr) throw InvalidArgument("params must not hold a null pointer");
    Array& grad = grads.emplace_back(Array::Zero(p->rows(), p->cols()));
    difference_quotients(evaluate, p->data(), static_cast<std::size_t>(p->size()), grad.data(),
                         options, f0);
  }
  return grads;
}

}  // namespace detail

// Gradient of f at x, where f(const Vector&) -> double (or f(const Matrix&) -> double when x is a
// matrix, such as seed 000's weight matrix W; the result then has W's shape).
template <class F, class Derived>
  requires std::invocable<F&, const detail::DifferenceArgument<Derived>&>
detail::DifferenceArgument<Derived> numerical_gradient(F&& f, const Eigen::MatrixBase<Derived>& x,
                                                        NumericalGradientOptions options = {}) {
  using Argument = detail::DifferenceArgument<Derived>;
  options.validate();
  Argument point = x;
  auto evaluate = [&f, &point]() -> double {
    return static_cast<double>(f(std::as_const(point)));
  };
  const double f0 = options.scheme == DifferenceScheme::forward ? evaluate() : 0.0;
  Argument grad(point.rows(), point.cols());
  detail::difference_quotients(evaluate, point.data(), static_cast<std::size_t>(point.size()),
                               grad.data(), options, f0);
  return grad;
}

// Several parameter arrays at once (seed 003 §2.4.2): f() takes no argument and reads the arrays
// through the pointers' targets, as a model's loss reads its own weights. Each entry is perturbed
// in place and restored exactly. Returns one gradient per array, in the same order and shapes.
//   std::array<kobai::Matrix*, 2> params{&W, &b};
//   auto grads = kobai::numerical_gradient([&] { return loss(W, b); }, params);
template <class F>
  requires std::invocable<F&>
std::vector<Matrix> numerical_gradient(F&& f, std::span<Matrix* const> params,
                                       NumericalGradientOptions options = {}) {
  return detail::numerical_gradient_arrays<Matrix>(f, params, options);
}
template <class F>
  requires std::invocable<F&>
std::vector<Vector> numerical_gradient(F&& f, std::span<Vector* const> params,
                                       NumericalGradientOptions options = {}) {
  return detail::numerical_gradient_arrays<Vector>(f, params, options);
}
// The same with a braced list: numerical_gradient(f, {&W, &b}).
template <class F>
  requires std::invocable<F&>
std::vector<Matrix> numerical_gradient(F&& f, std::initializer_list<Matrix*> params,
                                       NumericalGradientOptions options = {}) {
  return detail::numerical_gradient_arrays<Matrix>(
      f, std::span<Matrix* const>(params.begin(), params.size()), options);
}
template <class F>
  requires std::invocable<F&>
std::vector<Vector> numerical_gradient(F&& f, std::initializer_list<Vector*> params,
                                       NumericalGradientOptions options = {}) {
  return detail::numerical_gradient_arrays<Vector>(
      f, std::span<Vector* const>(params.begin(), params.size()), options);
}

}  // namespace kobai
