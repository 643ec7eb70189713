// kobai/optim/gradient_descent.hpp — gradient descent, with optional (Nesterov) momentum.
//
// PyTorch's torch.optim.SGD (1.13), for each parameter p with gradient g:
//   d = g + weight_decay · p
//   if momentum ≠ 0:
//     b = d                                   on the first step
//     b = momentum · b + (1 − dampening) · d  afterwards
//     d = d + momentum · b  (nesterov)   or   d = b
//   p = p − lr · d
// With momentum = 0 this is the seeds' x ← x − η∇f(x) (seeds 000–004).
//
// Seed 003 writes momentum as v = γv + α∇f, x = x − v, with v starting at 0. That is the same
// iteration with v = lr·b (exact in real arithmetic; last-bit rounding differs), so kobai keeps
// PyTorch's form: momentum = γ, lr = α reproduces the seed's path.
//
// One fused pass over p, g (and b): 3 arrays of memory traffic (5 with momentum), split across
// threads for large arrays (core/parallel.hpp).
#pragma once

#include <vector>

#include "kobai/core/parallel.hpp"
#include "kobai/core/simd.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/optim/optimizer.hpp"

namespace kobai {

struct GradientDescentOptions {
  double lr = 0.01;
  double momentum = 0.0;
  double dampening = 0.0;
  bool nesterov = false;
  double weight_decay = 0.0;

  void validate() const {
    validate::positive("lr", lr);
    validate::in_half_open("momentum", momentum, 0.0, 1.0);
    validate::in_closed("dampening", dampening, 0.0, 1.0);
    validate::non_negative("weight_decay", weight_decay);
    if (nesterov && (momentum <= 0 || dampening != 0))
      throw InvalidArgument("nesterov requires momentum > 0 and dampening = 0, got momentum " +
                            validate::format_number(momentum) + " and dampening " +
                            validate::format_number(dampening));
  }
};

template <class T = double>
class GradientDescent : public OptimizerBase<GradientDescent<T>, T> {
  using Base = OptimizerBase<GradientDescent<T>, T>;

 public:
  using Options = GradientDescentOptions;
  using Base::step;

  explicit GradientDescent(Options options = {}) : options_(options) { options_.validate(); }

  void step(std::span<T> params, std::span<const T> grads) {
    const bool first = this->begin_step(params.size(), grads.size());
    const std::size_t n = params.size();
    const Coefficients c{static_cast<T>(options_.lr), static_cast<T>(options_.weight_decay),
                         static_cast<T>(options_.momentum),
                         static_cast<T>(1.0 - options_.dampening), first};
    T* p = params.data();
    const T* g = grads.data();
    if (options_.momentum == 0) {
      parallel_for(n, [&](std::size_t i, std::size_t e) { plain(e - i, p + i, g + i, c); });
      return;
    }
    if (first) buffer_.assign(n, T(0));
    T* b = buffer_.data();
    if (options_.nesterov)
      parallel_for(n, [&](std::size_t i, std::size_t e) {
        with_momentum<true>(e - i, p + i, g + i, b + i, c);
      });
    else
      parallel_for(n, [&](std::size_t i, std::size_t e) {
        with_momentum<false>(e - i, p + i, g + i, b + i, c);
      });
  }

  void reset() {
    this->reset_counters();
    buffer_.clear();
  }

  double lr() const { return options_.lr; }
  void set_lr(double lr) {
    validate::positive("lr", lr);
    options_.lr = lr;
  }
  const Options& options() const { return options_; }

 private:
  struct Coefficients {
    T lr, wd, mu, keep;
    bool first;
  };

  KOBAI_KERNEL static void plain(std::size_t n, T* __restrict p, const T* __restrict g, const Coefficients& c) {
    KOBAI_KERNEL_BODY
    const T lr = c.lr, wd = c.wd;
    simd::for_each_pack<T>(n, [&]<class V>(std::size_t i) {
      const V pi = simd::load<V>(p + i), gi = simd::load<V>(g + i);
      const V d = wd != 0 ? gi + wd * pi : gi;
      simd::store(p + i, pi + -lr * d);
    });
  }

  template <bool kNesterov>
  KOBAI_KERNEL static void with_momentum(std::size_t n, T* __restrict p, const T* __restrict g,
                            T* __restrict b, const Coefficients& c) {
    KOBAI_KERNEL_BODY
    const T lr = c.lr, wd = c.wd, mu = c.mu, keep = c.keep;
    const bool first = c.first;
    simd::for_each_pack<T>(n, [&]<class V>(std::size_t i) {
      const V pi = simd::load<V>(p + i), gi = simd::load<V>(g + i);
      const V d = wd != 0 ? gi + wd * pi : gi;
      const V bi = first ? d : simd::load<V>(b + i) * mu + keep * d;
      simd::store(b + i, bi);
      const V dir = kNesterov ? d + mu * bi : bi;
      simd::store(p + i, pi + -lr * dir);
    });
  }

  Options options_;
  std::vector<T> buffer_;  // momentum buffer b
};

GradientDescent(GradientDescentOptions) -> GradientDescent<double>;

}  // namespace kobai
