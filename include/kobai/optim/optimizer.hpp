// kobai/optim/optimizer.hpp — the shape every optimizer has.
//
// An optimizer is validated hyperparameters + its state + `step(params, grads)` (seed 003 §2.5:
// the update rule is decoupled from the descent loop). It can be used on its own:
//
//   kobai::Adam adam({.lr = 1e-3});
//   for (...) { compute g at x; adam.step(x, g); }
//
// State (moment buffers, accumulators) is sized on the first step, as PyTorch does, and `reset()`
// returns the optimizer to its just-constructed state. `state()` / `load_state()` read and write it
// by torch.optim's names (optim/state.hpp). Kernels take contiguous spans so a model's parameters
// can live in one flat buffer and a step is one pass over memory. The plumbing the first-order
// optimizers share is OptimizerBase (optim/optimizer_base.hpp).
#pragma once

#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <span>
#include <string>

#include "kobai/core/error.hpp"
#include "kobai/core/types.hpp"
#include "kobai/optim/optimizer_base.hpp"

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

namespace detail {

// 1 − βᵗ exactly as PyTorch computes it (`1 - beta ** step`), but without the pow once the result
// has rounded to exactly 1 (for one β). βᵗ only shrinks — by a factor β per step, far more than
// pow's rounding error — so from the first t at which it rounds to 1 it does at every later t, and
// returning 1 from then on gives the same bits as computing it. That also makes the cache safe to
// keep across reset() and load_state(): an earlier t is computed, a later one is 1 either way.
// Long runs (10⁵ steps of a 2-D problem) would otherwise spend most of each step in two pows.
class BiasCorrection {
 public:
  double operator()(double beta, std::int64_t t) {
    saturated_ = t >= saturated_from_;
    if (saturated_) return 1.0;
    const double c = 1 - std::pow(beta, static_cast<double>(t));
    if (c == 1.0) {
      saturated_from_ = t;
      saturated_ = true;
    }
    return c;
  }
  // True when the last call returned the 1 that every later step returns too.
  bool saturated() const { return saturated_; }

 private:
  std::int64_t saturated_from_ = std::numeric_limits<std::int64_t>::max();
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
  // Iterations this run made before this call, when the caller knows (minimize passes its count):
  // 0 starts a new run, more continues it. −1 (a caller stepping by hand): the method tells by
  // comparing x with where its last call left off, which costs a copy and a compare of x.
  std::int64_t iteration = -1;
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
