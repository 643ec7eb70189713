// kobai/optim/rmsprop.hpp — RMSprop: divide each gradient component by its recent RMS.
//
// PyTorch's torch.optim.RMSprop (1.13), for each parameter p with gradient g:
//   g = g + weight_decay · p
//   v = α · v + (1 − α) · g²                          (v starts at initial_square_avg, default 0)
//   centered:  ḡ = α · ḡ + (1 − α) · g,   r = √(v − ḡ²) + eps   (variance instead of 2nd moment)
//   otherwise: r = √v + eps
//   momentum > 0:  b = momentum · b + g / r,   p = p − lr · b
//   otherwise:     p = p − lr · g / r
// Dividing by the RMS makes every component move about lr per step whatever its gradient's scale
// (Hinton's lecture 6e); unlike AdaGrad the average forgets, so steps do not die out.
//
// Seed 003 (§2.3.4) starts v at 1 (`v = np.ones_like(x)`) and calls α "beta":
// `{.alpha = β, .initial_square_avg = 1}` reproduces it. PyTorch starts v at 0 (the default here).
//
// One fused pass; memory traffic: p, v read+written, g read = 5 arrays; +2 for each of ḡ, b.
#pragma once

#include <cmath>
#include <vector>

#include "kobai/core/parallel.hpp"
#include "kobai/core/simd.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/optim/optimizer.hpp"

namespace kobai {

struct RmsPropOptions {
  double lr = 1e-2;
  double alpha = 0.99;
  double eps = 1e-8;
  double weight_decay = 0.0;
  double momentum = 0.0;
  bool centered = false;
  double initial_square_avg = 0.0;  // start of v (not in PyTorch; seed 003 uses 1)

  void validate() const {
    validate::positive("lr", lr);
    validate::in_closed("alpha", alpha, 0.0, 1.0);
    validate::non_negative("eps", eps);
    validate::non_negative("weight_decay", weight_decay);
    validate::in_half_open("momentum", momentum, 0.0, 1.0);
    validate::non_negative("initial_square_avg", initial_square_avg);
  }
};

template <class T = double>
class RmsProp : public OptimizerBase<RmsProp<T>, T> {
  using Base = OptimizerBase<RmsProp<T>, T>;

 public:
  using Options = RmsPropOptions;
  using Base::step;

  explicit RmsProp(Options options = {}) : options_(options) { options_.validate(); }

  void step(std::span<T> params, std::span<const T> grads) {
    const std::size_t n = params.size();
    if (this->begin_step(n, grads.size())) {
      square_avg_.assign(n, static_cast<T>(options_.initial_square_avg));
      if (options_.centered) grad_avg_.assign(n, T(0));
      if (options_.momentum > 0) momentum_buffer_.assign(n, T(0));
    }
    const Coefficients c{static_cast<T>(-options_.lr),    static_cast<T>(options_.weight_decay),
                         static_cast<T>(options_.alpha),  static_cast<T>(1 - options_.alpha),
                         static_cast<T>(options_.eps),    static_cast<T>(options_.momentum)};
    T* p = params.data();
    const T* g = grads.data();
    T* v = square_avg_.data();
    T* a = grad_avg_.data();
    T* b = momentum_buffer_.data();
    const bool centered = options_.centered, momentum = options_.momentum > 0;
    parallel_for(n, [&](std::size_t i, std::size_t e) {
      if (centered && momentum)
        update<true, true>(e - i, p + i, g + i, v + i, a + i, b + i, c);
      else if (centered)
        update<true, false>(e - i, p + i, g + i, v + i, a + i, b, c);
      else if (momentum)
        update<false, true>(e - i, p + i, g + i, v + i, a, b + i, c);
      else
        update<false, false>(e - i, p + i, g + i, v + i, a, b, c);
    });
  }

  void reset() {
    this->reset_counters();
    square_avg_.clear();
    grad_avg_.clear();
    momentum_buffer_.clear();
  }

  double lr() const { return options_.lr; }
  void set_lr(double lr) {
    validate::positive("lr", lr);
    options_.lr = lr;
  }
  const Options& options() const { return options_; }

 private:
  struct Coefficients {
    T neg_lr, wd, alpha, one_minus_alpha, eps, momentum;
  };

  // a (ḡ) is touched only when kCentered, b only when kMomentum.
  template <bool kCentered, bool kMomentum>
  KOBAI_KERNEL static void update(std::size_t n, T* __restrict p, const T* __restrict g, T* __restrict v,
                     T* __restrict a, T* __restrict b, const Coefficients& c) {
    KOBAI_KERNEL_BODY
    const T neg_lr = c.neg_lr, wd = c.wd, alpha = c.alpha, w = c.one_minus_alpha, eps = c.eps,
            mu = c.momentum;
    simd::for_each_pack<T>(n, [&]<class V>(std::size_t i) {
      const V pi = simd::load<V>(p + i), gi = simd::load<V>(g + i);
      const V d = wd != 0 ? gi + wd * pi : gi;
      const V vi = simd::load<V>(v + i) * alpha + w * d * d;
      simd::store(v + i, vi);
      V r;
      if constexpr (kCentered) {
        const V ai = simd::load<V>(a + i) * alpha + w * d;
        simd::store(a + i, ai);
        r = simd::sqrt(vi + -ai * ai) + eps;
      } else {
        r = simd::sqrt(vi) + eps;
      }
      if constexpr (kMomentum) {
        const V bi = simd::load<V>(b + i) * mu + d / r;
        simd::store(b + i, bi);
        simd::store(p + i, pi + neg_lr * bi);
      } else {
        simd::store(p + i, pi + neg_lr * d / r);
      }
    });
  }

  Options options_;
  std::vector<T> square_avg_;       // v
  std::vector<T> grad_avg_;         // ḡ (centered)
  std::vector<T> momentum_buffer_;  // b (momentum > 0)
};

RmsProp(RmsPropOptions) -> RmsProp<double>;

}  // namespace kobai
