// kobai/optim/optimizer.hpp — the shape every first-order optimizer has.
//
// An optimizer is validated hyperparameters + its state + `step(params, grads)` (seed 003 §2.5:
// the update rule is decoupled from the descent loop). It can be used on its own:
//
//   kobai::Adam adam({.lr = 1e-3});
//   for (...) { compute g at x; adam.step(x, g); }
//
// State (moment buffers, accumulators) is sized on the first step, as PyTorch does, and `reset()`
// returns the optimizer to its just-constructed state. Kernels take contiguous spans so a model's
// parameters can live in one flat buffer and a step is one pass over memory.
#pragma once

#include <cmath>
#include <concepts>
#include <cstdint>
#include <span>
#include <string>

#include "kobai/core/error.hpp"
#include "kobai/core/types.hpp"

namespace kobai {

template <class O>
concept FirstOrderOptimizer = requires(O& o, std::span<typename O::Scalar> x,
                                       std::span<const typename O::Scalar> g, double lr) {
  typename O::Scalar;
  o.step(x, g);
  o.reset();
  { o.lr() } -> std::convertible_to<double>;
  o.set_lr(lr);
};

// CRTP helper: gives every optimizer the Eigen overload of `step` and the size bookkeeping.
template <class Derived, class T>
class OptimizerBase {
 public:
  using Scalar = T;

  // Step an Eigen vector in place.
  void step(VectorX<T>& params, const VectorX<T>& grads) {
    self().step(as_span(params), as_span(grads));
  }

  // Number of steps taken since construction or the last reset().
  std::int64_t steps() const { return steps_; }

 protected:
  // Checks the sizes of a step's arguments and (re)sizes the state on the first step.
  // Returns true when this is the first step, so the caller can initialize its buffers.
  // Small enough to inline into every step: the messages are built out of line.
  bool begin_step(std::size_t params_size, std::size_t grads_size) {
    const bool first = steps_ == 0;
    if (params_size != grads_size || (!first && params_size != size_)) [[unlikely]]
      throw_size_mismatch(params_size, grads_size);
    size_ = params_size;
    ++steps_;
    return first;
  }
  void reset_counters() {
    steps_ = 0;
    size_ = 0;
  }

 private:
  Derived& self() { return static_cast<Derived&>(*this); }
  [[noreturn, gnu::cold, gnu::noinline]] void throw_size_mismatch(std::size_t params_size,
                                                                 std::size_t grads_size) const {
    if (params_size != grads_size)
      throw InvalidArgument("grads must have the size of params (" + std::to_string(params_size) +
                            "), got " + std::to_string(grads_size));
    throw InvalidArgument("params must keep the size of the first step (" + std::to_string(size_) +
                          "), got " + std::to_string(params_size) +
                          "; call reset() to optimize a different parameter vector");
  }
  std::int64_t steps_ = 0;
  std::size_t size_ = 0;
};

namespace detail {

// 1 − βᵗ exactly as PyTorch computes it (`1 - beta ** step`), but without the pow once the result
// has rounded to exactly 1: βᵗ only shrinks, so it stays 1 from then on. Long runs (10⁵ steps of
// a 2-D problem) would otherwise spend most of each step in two calls to pow.
class BiasCorrection {
 public:
  double operator()(double beta, std::int64_t t) {
    if (t <= 1) saturated_ = false;  // first step after construction or reset()
    if (saturated_) return 1.0;
    const double c = 1 - std::pow(beta, static_cast<double>(t));
    saturated_ = c == 1.0;
    return c;
  }
  // True once 1 − βᵗ has rounded to 1: every later step returns exactly 1.
  bool saturated() const { return saturated_; }

 private:
  bool saturated_ = false;
};

}  // namespace detail

}  // namespace kobai

namespace kobai {

// ---- methods that evaluate the objective themselves (line searches, Newton, quasi-Newton) ------
//
// First-order optimizers only see gradients; the loop evaluates f and ∇f for them. Methods with a
// line search need to evaluate f along a direction, so they take the whole iterate instead:
// `iterate(objective, state)` moves state.x to the next iterate and leaves state.value and
// state.gradient evaluated there, counting every evaluation it makes.
struct SearchState {
  Vector& x;
  double& value;
  Vector& gradient;
  std::int64_t& function_evaluations;
  std::int64_t& gradient_evaluations;
};

struct IterateOutcome {
  bool ok = true;
  std::string message;  // on failure: what went wrong and what to change
};

template <class O, class F>
concept LineSearchOptimizer = requires(O& o, const F& f, SearchState& s) {
  { o.iterate(f, s) } -> std::same_as<IterateOutcome>;
  o.reset();
};

}  // namespace kobai
