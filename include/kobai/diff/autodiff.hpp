// kobai/diff/autodiff.hpp — exact gradients and Hessians of a generic C++ function.
//
//   auto f = [](const auto& x) { using std::sin; return sin(x[0]) + 0.05 * (5 - x[0]) * (5 - x[0]); };
//   kobai::Vector g = kobai::gradient(f, x);      // forward mode for n ≤ 8, reverse above
//   kobai::Matrix h = kobai::hessian(f, x);       // forward over reverse
//   auto objective = kobai::autodiff(f);          // an Objective (and ObjectiveWithHessian)
//   auto r = kobai::minimize(objective, x0, kobai::GradientDescent({.lr = 0.1}));
//
// The function. f takes `const kobai::VectorX<T>&` for any scalar type T and returns a T: write it
// as a generic lambda `[](const auto& x) { ... }`, call the math functions unqualified (after
// `using std::sin;`, or bare — they are found by argument-dependent lookup), and it is evaluated
// with T = double (values), forward::Dual (forward mode) and reverse::Var (reverse mode). A
// function of the wrong shape stops compilation with one message, from the
// kobai::DifferentiableFunction concept, instead of a page of template noise. Functions that cannot
// be templated still have the numerical gradient (numerical_gradient.hpp).
//
// Which mode. Forward mode costs about (1 + N) evaluations for n ≤ N inputs and no memory beyond
// the function's own; reverse mode costs a constant number of evaluations (16–21 on the extended
// Rosenbrock function, bench/autodiff_bench.cpp) whatever n, plus a tape. So small problems (the 1-D and 2-D functions of the seeds) use Dual<double, 2>
// or Dual<double, 8>, and everything larger uses the reverse tape; `AutodiffOptions::mode` forces
// either. Hessians are forward over reverse: the tape is recorded on Dual<double, K> scalars
// seeded with K unit directions, and one backward sweep returns K columns of ∇²f.
//
// forward::gradient / reverse::gradient / forward::hessian (Dual over Dual, for tiny n) are also
// available to call directly. The objective returned by autodiff() keeps its tapes between calls
// (so minimize's loop allocates nothing after the first iteration); it is therefore not safe to
// call one objective from several threads at once — copy it per thread.
#pragma once

#include <algorithm>
#include <concepts>
#include <type_traits>
#include <utility>

#include "kobai/core/error.hpp"
#include "kobai/core/types.hpp"
#include "kobai/diff/dual.hpp"
#include "kobai/diff/tape.hpp"

namespace kobai {

// f(x) for x a VectorX<T> of values, duals and tape variables, each returning that scalar type
// (not a plain double, which would silently drop the derivatives).
template <class F>
concept DifferentiableFunction =
    requires(const F& f, const Vector& x, const VectorX<forward::Dual<double, 2>>& xd,
             const VectorX<reverse::Var<double>>& xv) {
      { f(x) } -> std::convertible_to<double>;
      { f(xd) } -> std::convertible_to<forward::Dual<double, 2>>;
      { f(xv) } -> std::convertible_to<reverse::Var<double>>;
      requires !std::is_arithmetic_v<std::remove_cvref_t<decltype(f(xd))>>;
      requires !std::is_arithmetic_v<std::remove_cvref_t<decltype(f(xv))>>;
    };

namespace detail {

template <class F>
inline constexpr bool always_false_v = false;

// The one compile error for a function of the wrong shape (used by every entry point below).
template <class F>
constexpr bool check_differentiable() {
  static_assert(DifferentiableFunction<F>,
                "kobai autodiff: f must be callable as f(x) with x a const kobai::VectorX<T>& for "
                "every scalar type T, returning a T. Write it as a generic lambda, "
                "[](const auto& x) { using std::sin; return sin(x[0]) * x[1]; }, and call math "
                "functions unqualified (not std::sin) so the kobai::forward / kobai::reverse "
                "overloads are found.");
  return DifferentiableFunction<F>;
}

}  // namespace detail

namespace forward {

// ∇f(x) in ceil(n / N) passes of Dual<double, N>; returns f(x).
template <int N = 8, class F>
double gradient(const F& f, const Vector& x, Vector& g) {
  using D = Dual<double, N>;
  const Eigen::Index n = x.size();
  VectorX<D> xd(n);
  for (Eigen::Index i = 0; i < n; ++i) xd[i] = D(x[i]);
  double value = 0;
  if (n == 0) return static_cast<double>(f(x));
  for (Eigen::Index start = 0; start < n; start += N) {
    const Eigen::Index count = std::min<Eigen::Index>(N, n - start);
    for (Eigen::Index k = 0; k < count; ++k) xd[start + k].d[static_cast<std::size_t>(k)] = 1;
    const D y = f(xd);
    for (Eigen::Index k = 0; k < count; ++k) {
      g[start + k] = y.d[static_cast<std::size_t>(k)];
      xd[start + k].d[static_cast<std::size_t>(k)] = 0;
    }
    value = y.value;
  }
  return value;
}
template <int N = 8, class F>
Vector gradient(const F& f, const Vector& x) {
  Vector g(x.size());
  gradient<N>(f, x, g);
  return g;
}

// ∇²f(x) by forward over forward, Dual<Dual<double, N>, N>: one pass per N×N block. Meant for
// tiny n (each pass costs ~N² evaluations); kobai::hessian uses forward over reverse instead.
template <int N = 2, class F>
Matrix hessian(const F& f, const Vector& x) {
  using D1 = Dual<double, N>;
  using D2 = Dual<D1, N>;
  const Eigen::Index n = x.size();
  Matrix h(n, n);
  VectorX<D2> xd(n);
  for (Eigen::Index bi = 0; bi < n; bi += N) {
    for (Eigen::Index bj = 0; bj < n; bj += N) {
      for (Eigen::Index i = 0; i < n; ++i) xd[i] = D2(D1(x[i]));
      const Eigen::Index ci = std::min<Eigen::Index>(N, n - bi), cj = std::min<Eigen::Index>(N, n - bj);
      for (Eigen::Index k = 0; k < ci; ++k) xd[bi + k].d[static_cast<std::size_t>(k)] = D1(1);
      for (Eigen::Index k = 0; k < cj; ++k) xd[bj + k].value.d[static_cast<std::size_t>(k)] = 1;
      const D2 y = f(xd);
      for (Eigen::Index a = 0; a < ci; ++a)
        for (Eigen::Index b = 0; b < cj; ++b)
          h(bi + a, bj + b) = y.d[static_cast<std::size_t>(a)].d[static_cast<std::size_t>(b)];
    }
  }
  return h;
}

}  // namespace forward

namespace reverse {

// ∇f(x) by one recording and one backward sweep on `tape` (cleared first, memory reused);
// `inputs` is scratch for the input variables. Returns f(x).
template <class F>
double gradient(const F& f, const Vector& x, Vector& g, Tape<double>& tape,
                VectorX<Var<double>>& inputs) {
  const Eigen::Index n = x.size();
  tape.clear();
  inputs.resize(n);
  tape.variables(x.data(), static_cast<std::size_t>(n), inputs.data());
  const Var<double> y = f(static_cast<const VectorX<Var<double>>&>(inputs));
  tape.backward(y);
  const double* adjoints = tape.adjoints();
  for (Eigen::Index i = 0; i < n; ++i) g[i] = adjoints[inputs[i].index()];
  return y.value();
}
template <class F>
Vector gradient(const F& f, const Vector& x) {
  Tape<double> tape;
  VectorX<Var<double>> inputs;
  Vector g(x.size());
  gradient(f, x, g, tape, inputs);
  return g;
}

// ∇²f(x) by forward over reverse: K columns per recording on Var<Dual<double, K>>.
template <int K = 4, class F>
void hessian(const F& f, const Vector& x, Matrix& h, Tape<forward::Dual<double, K>>& tape,
             VectorX<Var<forward::Dual<double, K>>>& inputs) {
  using D = forward::Dual<double, K>;
  const Eigen::Index n = x.size();
  h.resize(n, n);
  inputs.resize(n);
  for (Eigen::Index start = 0; start < n; start += K) {
    const Eigen::Index count = std::min<Eigen::Index>(K, n - start);
    tape.clear();
    for (Eigen::Index i = 0; i < n; ++i) {
      D xi(x[i]);
      if (i >= start && i < start + count) xi.d[static_cast<std::size_t>(i - start)] = 1;
      inputs[i] = tape.variable(xi);
    }
    const Var<D> y = f(static_cast<const VectorX<Var<D>>&>(inputs));
    tape.backward(y);
    for (Eigen::Index i = 0; i < n; ++i) {
      const D gi = tape.adjoint(inputs[i]);  // ∂f/∂x_i and its derivatives along the K seeds
      for (Eigen::Index k = 0; k < count; ++k) h(i, start + k) = gi.d[static_cast<std::size_t>(k)];
    }
  }
}
template <int K = 4, class F>
Matrix hessian(const F& f, const Vector& x) {
  Tape<forward::Dual<double, K>> tape;
  VectorX<Var<forward::Dual<double, K>>> inputs;
  Matrix h;
  hessian<K>(f, x, h, tape, inputs);
  return h;
}

}  // namespace reverse

struct AutodiffOptions {
  enum class Mode { automatic, forward, reverse };
  // automatic: forward mode for n ≤ forward_max_dimension, reverse mode above.
  Mode mode = Mode::automatic;
  int forward_max_dimension = 8;
};

// A generic function made into an Objective with exact gradients and Hessians (see the top).
template <class F>
class AutodiffObjective {
 public:
  explicit AutodiffObjective(F f, AutodiffOptions options = {})
      : f_(std::move(f)), options_(options) {}

  double value(const Vector& x) const { return static_cast<double>(f_(x)); }

  double value_and_gradient(const Vector& x, Vector& g) const {
    if (g.size() != x.size()) g.resize(x.size());
    if (use_forward(x.size())) {
      if (x.size() <= 2) return forward::gradient<2>(f_, x, g);
      return forward::gradient<8>(f_, x, g);
    }
    return reverse::gradient(f_, x, g, tape_, inputs_);
  }
  Vector gradient(const Vector& x) const {
    Vector g(x.size());
    value_and_gradient(x, g);
    return g;
  }

  void hessian(const Vector& x, Matrix& h) const {
    reverse::hessian<4>(f_, x, h, hessian_tape_, hessian_inputs_);
  }
  Matrix hessian(const Vector& x) const {
    Matrix h;
    hessian(x, h);
    return h;
  }

  const F& function() const { return f_; }
  const AutodiffOptions& options() const { return options_; }

 private:
  bool use_forward(Eigen::Index n) const {
    switch (options_.mode) {
      case AutodiffOptions::Mode::forward: return true;
      case AutodiffOptions::Mode::reverse: return false;
      case AutodiffOptions::Mode::automatic: break;
    }
    return n <= options_.forward_max_dimension;
  }

  F f_;
  AutodiffOptions options_;
  mutable reverse::Tape<double> tape_;
  mutable VectorX<reverse::Var<double>> inputs_;
  mutable reverse::Tape<forward::Dual<double, 4>> hessian_tape_;
  mutable VectorX<reverse::Var<forward::Dual<double, 4>>> hessian_inputs_;
};

// Turns f into an Objective / ObjectiveWithHessian that kobai::minimize accepts.
template <class F>
auto autodiff(F f, AutodiffOptions options = {}) {
  if constexpr (detail::check_differentiable<F>()) {
    return AutodiffObjective<F>(std::move(f), options);
  } else {
    return 0;
  }
}

// ∇f(x): forward mode for n ≤ 8, reverse mode above.
template <class F>
Vector gradient(const F& f, const Vector& x) {
  if constexpr (detail::check_differentiable<F>()) {
    Vector g(x.size());
    if (x.size() <= 2) {
      forward::gradient<2>(f, x, g);
    } else if (x.size() <= 8) {
      forward::gradient<8>(f, x, g);
    } else {
      reverse::Tape<double> tape;
      VectorX<reverse::Var<double>> inputs;
      reverse::gradient(f, x, g, tape, inputs);
    }
    return g;
  } else {
    return Vector();
  }
}

// ∇²f(x) by forward over reverse (4 columns per sweep).
template <class F>
Matrix hessian(const F& f, const Vector& x) {
  if constexpr (detail::check_differentiable<F>()) {
    return reverse::hessian<4>(f, x);
  } else {
    return Matrix();
  }
}

}  // namespace kobai
