// kobai/optim/adamax.hpp — Adamax: Adam with the ∞-norm in place of the RMS.
//
// PyTorch's torch.optim.Adamax (1.13), at step t = 1, 2, … for each parameter p with gradient g:
//   g = g + weight_decay · p
//   m = β₁ · m + (1 − β₁) · g
//   u = max(β₂ · u, |g| + eps)                     (exponentially weighted infinity norm)
//   p = p − lr / (1 − β₁ᵗ) · m / u
// Letting Adam's p-norm go to ∞ gives a scale that needs no bias correction and no square root
// (Kingma & Ba 2015, §7.1). PyTorch adds eps inside the max rather than to the denominator.
//
// One fused pass: p, m, u read and written, g read — 7 arrays of memory traffic.
#pragma once

#include <array>
#include <cmath>
#include <string_view>

#include "kobai/core/parallel.hpp"
#include "kobai/core/simd.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/optim/optimizer.hpp"

namespace kobai {

struct AdamaxOptions {
  double lr = 2e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;

  void validate() const {
    validate::positive("lr", lr);
    validate::in_half_open("beta1", beta1, 0.0, 1.0);
    validate::in_half_open("beta2", beta2, 0.0, 1.0);
    validate::non_negative("eps", eps);
    validate::non_negative("weight_decay", weight_decay);
  }
};

template <class T = double>
class Adamax : public OptimizerBase<Adamax<T>, T, AdamaxOptions, 2> {
  using Base = OptimizerBase<Adamax<T>, T, AdamaxOptions, 2>;
  friend Base;

 public:
  explicit Adamax(AdamaxOptions options = {}) : Base(options) {}

  // State, in torch.optim.Adamax's names: m and u, starting at 0.
  enum Buffer : std::size_t { exp_avg, exp_inf };
  static constexpr std::array<std::string_view, 2> buffer_names{"exp_avg", "exp_inf"};
  static BufferStarts<2> buffer_starts(const AdamaxOptions&) { return {0.0, 0.0}; }

 private:
  // Settled once 1 − β₁ᵗ has rounded to 1.
  bool compute_coefficients() {
    const AdamaxOptions& o = this->options();
    const double clr = o.lr / correction1_(o.beta1, this->steps());
    c_ = {static_cast<T>(-clr),        static_cast<T>(o.weight_decay), static_cast<T>(o.beta1),
          static_cast<T>(1 - o.beta1), static_cast<T>(o.beta2),        static_cast<T>(o.eps)};
    return correction1_.saturated();
  }

  void apply(std::size_t n, T* p, const T* g) {
    T* m = this->buffer(exp_avg);
    T* u = this->buffer(exp_inf);
    parallel_for(n, [&](std::size_t i, std::size_t e) {
      update(e - i, p + i, g + i, m + i, u + i, c_);
    });
  }

  struct Coefficients {
    T neg_clr, wd, beta1, one_minus_beta1, beta2, eps;
  };

  KOBAI_KERNEL static void update(std::size_t n, T* __restrict p, const T* __restrict g, T* __restrict m,
                     T* __restrict u, const Coefficients& c) {
    KOBAI_KERNEL_BODY
    const T neg_clr = c.neg_clr, wd = c.wd, b1 = c.beta1, w1 = c.one_minus_beta1, b2 = c.beta2,
            eps = c.eps;
    simd::for_each_pack<T>(n, [&]<class V>(std::size_t i) {
      const V pi = simd::load<V>(p + i), gi = simd::load<V>(g + i);
      const V d = wd != 0 ? gi + wd * pi : gi;
      const V mi = simd::load<V>(m + i) * b1 + w1 * d;
      simd::store(m + i, mi);
      const V decayed = simd::load<V>(u + i) * b2;
      const V current = simd::abs(d) + eps;
      const V ui = simd::larger(decayed, current);
      simd::store(u + i, ui);
      simd::store(p + i, pi + neg_clr * mi / ui);
    });
  }

  detail::BiasCorrection correction1_;
  Coefficients c_{};
};

Adamax(AdamaxOptions) -> Adamax<double>;

}  // namespace kobai
