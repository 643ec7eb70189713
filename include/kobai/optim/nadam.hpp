// kobai/optim/nadam.hpp — NAdam: Adam with Nesterov momentum.
//
// PyTorch's torch.optim.NAdam (1.13), at step t = 1, 2, … for each parameter p with gradient g:
//   g    = g + weight_decay · p
//   μₜ   = β₁ · (1 − ½ · 0.96^(t · momentum_decay))          (momentum schedule, Dozat 2016)
//   Πₜ   = μ₁ ⋯ μₜ
//   m    = β₁ · m + (1 − β₁) · g
//   v    = β₂ · v + (1 − β₂) · g²
//   r    = √(v / (1 − β₂ᵗ)) + eps
//   p    = p − lr · (1 − μₜ) / (1 − Πₜ) · g / r − lr · μₜ₊₁ / (1 − Πₜ · μₜ · μₜ₊₁) · m / r
// The second term looks one momentum step ahead (Nesterov) instead of using the current m alone.
//
// Note the μₜ in the last denominator: Dozat's paper (and PyTorch ≥ 2.0) uses Πₜ₊₁ = Πₜ · μₜ₊₁,
// but torch 1.13 computes `mu_product_next = mu_product * mu * mu_next`, counting μₜ twice. kobai
// follows 1.13, the version it is tested against (tests/torch_conformance.py); the momentum term
// of the first step is ~12% smaller than the paper's, later steps differ less as Πₜ → 0.
//
// PyTorch 1.13 keeps the running product Πₜ in a float32 scalar tensor (state['mu_product']),
// rounding it to float after every multiplication; kobai does the same so its iterates agree with
// torch.optim's to ~1e-15 instead of ~1e-8. The effect is a relative change of ~1e-7 in the step.
//
// One fused pass: p, m, v read and written, g read — 7 arrays of memory traffic.
#pragma once

#include <array>
#include <cmath>
#include <string_view>

#include "kobai/core/parallel.hpp"
#include "kobai/core/simd.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/optim/optimizer.hpp"

namespace kobai {

struct NAdamOptions {
  double lr = 2e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  double momentum_decay = 4e-3;

  void validate() const {
    validate::positive("lr", lr);
    validate::in_half_open("beta1", beta1, 0.0, 1.0);
    validate::in_half_open("beta2", beta2, 0.0, 1.0);
    validate::non_negative("eps", eps);
    validate::non_negative("weight_decay", weight_decay);
    validate::non_negative("momentum_decay", momentum_decay);
  }
};

template <class T = double>
class NAdam : public OptimizerBase<NAdam<T>, T, NAdamOptions, 2, 1> {
  using Base = OptimizerBase<NAdam<T>, T, NAdamOptions, 2, 1>;
  friend Base;

 public:
  explicit NAdam(NAdamOptions options = {}) : Base(options) {}

  // State, in torch.optim.NAdam's names: m and v (starting at 0), and Πₜ (starting at 1).
  enum Buffer : std::size_t { exp_avg, exp_avg_sq };
  static constexpr std::array<std::string_view, 2> buffer_names{"exp_avg", "exp_avg_sq"};
  static BufferStarts<2> buffer_starts(const NAdamOptions&) { return {0.0, 0.0}; }
  static constexpr std::array<std::string_view, 1> scalar_names{"mu_product"};
  static constexpr std::array<double, 1> scalar_starts{1.0};

 private:
  // Never settled: μₜ changes every step, and computing it advances Πₜ.
  bool compute_coefficients() {
    const NAdamOptions& o = this->options();
    const double t = static_cast<double>(this->steps());
    const double beta1 = o.beta1, md = o.momentum_decay;
    const double bias_correction2 = correction2_(o.beta2, this->steps());
    const double mu = beta1 * (1. - 0.5 * std::pow(0.96, t * md));
    const double mu_next = beta1 * (1. - 0.5 * std::pow(0.96, (t + 1) * md));
    // Πₜ in float32, as torch 1.13 (a double that is not a float, from load_state, rounds here).
    const float mu_product = static_cast<float>(this->scalar(0)) * static_cast<float>(mu);
    this->scalar(0) = mu_product;
    const float mu_product_next = mu_product * static_cast<float>(mu) * static_cast<float>(mu_next);
    const double lr = o.lr;
    c_ = {static_cast<T>(-lr * (1. - mu) / (1. - static_cast<double>(mu_product))),
          static_cast<T>(-lr * mu_next / (1. - static_cast<double>(mu_product_next))),
          static_cast<T>(bias_correction2),
          static_cast<T>(o.weight_decay),
          static_cast<T>(beta1),
          static_cast<T>(1 - beta1),
          static_cast<T>(o.beta2),
          static_cast<T>(1 - o.beta2),
          static_cast<T>(o.eps)};
    return false;
  }

  void apply(std::size_t n, T* p, const T* g) {
    T* m = this->buffer(exp_avg);
    T* v = this->buffer(exp_avg_sq);
    parallel_for(n, [&](std::size_t i, std::size_t e) {
      update(e - i, p + i, g + i, m + i, v + i, c_);
    });
  }

  struct Coefficients {
    T gradient_coefficient, momentum_coefficient, bias_correction2, wd, beta1, one_minus_beta1,
        beta2, one_minus_beta2, eps;
  };

  KOBAI_KERNEL static void update(std::size_t n, T* __restrict p, const T* __restrict g, T* __restrict m,
                     T* __restrict v, const Coefficients& c) {
    KOBAI_KERNEL_BODY
    const T cg = c.gradient_coefficient, cm = c.momentum_coefficient, bc2 = c.bias_correction2,
            wd = c.wd, b1 = c.beta1, w1 = c.one_minus_beta1, b2 = c.beta2,
            w2 = c.one_minus_beta2, eps = c.eps;
    simd::for_each_pack<T>(n, [&]<class V>(std::size_t i) {
      const V p0 = simd::load<V>(p + i), gi = simd::load<V>(g + i);
      const V d = wd != 0 ? gi + wd * p0 : gi;
      const V mi = simd::load<V>(m + i) * b1 + w1 * d;
      const V vi = simd::load<V>(v + i) * b2 + w2 * d * d;
      simd::store(m + i, mi);
      simd::store(v + i, vi);
      const V r = simd::sqrt(vi / bc2) + eps;
      const V pi = p0 + cg * d / r;
      simd::store(p + i, pi + cm * mi / r);
    });
  }

  detail::BiasCorrection correction2_;
  Coefficients c_{};
};

NAdam(NAdamOptions) -> NAdam<double>;

}  // namespace kobai
