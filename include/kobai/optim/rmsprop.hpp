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

#include <array>
#include <cmath>
#include <optional>
#include <string_view>

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
class RmsProp : public OptimizerBase<RmsProp<T>, T, RmsPropOptions, 3> {
  using Base = OptimizerBase<RmsProp<T>, T, RmsPropOptions, 3>;
  friend Base;

 public:
  explicit RmsProp(RmsPropOptions options = {}) : Base(options) {}

  // State, in torch.optim.RMSprop's names: v (from initial_square_avg), ḡ (centered) and b
  // (momentum > 0), both from 0.
  enum Buffer : std::size_t { square_avg, grad_avg, momentum_buffer };
  static constexpr std::array<std::string_view, 3> buffer_names{"square_avg", "grad_avg",
                                                                "momentum_buffer"};
  static BufferStarts<3> buffer_starts(const RmsPropOptions& o) {
    return {o.initial_square_avg, o.centered ? std::optional(0.0) : std::nullopt,
            o.momentum > 0 ? std::optional(0.0) : std::nullopt};
  }

 private:
  bool compute_coefficients() {  // the same at every step
    const RmsPropOptions& o = this->options();
    c_ = {static_cast<T>(-o.lr),  static_cast<T>(o.weight_decay), static_cast<T>(o.alpha),
          static_cast<T>(1 - o.alpha), static_cast<T>(o.eps),     static_cast<T>(o.momentum)};
    return true;
  }

  void apply(std::size_t n, T* p, const T* g) {
    T* v = this->buffer(square_avg);
    T* a = this->buffer(grad_avg);
    T* b = this->buffer(momentum_buffer);
    const bool centered = this->options().centered, momentum = this->options().momentum > 0;
    const Coefficients& c = c_;
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

  Coefficients c_{};
};

RmsProp(RmsPropOptions) -> RmsProp<double>;

}  // namespace kobai
