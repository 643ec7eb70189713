// kobai/optim/adam.hpp — Adam (and AMSGrad): momentum on the gradient, RMS scaling per component.
//
// PyTorch's torch.optim.Adam (1.13), at step t = 1, 2, … for each parameter p with gradient g:
//   g = g + weight_decay · p                       (L2 penalty; AdamW decouples it instead)
//   m = β₁ · m + (1 − β₁) · g                      (first moment)
//   v = β₂ · v + (1 − β₂) · g²                     (second moment)
//   amsgrad: v̂ = max(v̂, v), used below instead of v
//   p = p − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)
// m and v start at 0 and are biased towards it early on; dividing by 1 − βᵗ removes the bias
// (Kingma & Ba 2015). AMSGrad (Reddi et al. 2018) keeps the largest v seen, so the effective step
// never grows — `amsgrad = true`, or the registry name "amsgrad".
// The order of operations is PyTorch's (√v divided by √(1 − β₂ᵗ), then eps added), so iterates
// agree with torch.optim to the last few bits.
//
// Seed 003 (§2.3.5) corrects m with 1 − β₁ᵗ⁺¹ (one step too many: its loop increments t before
// using t + 1) while v's correction uses t. kobai implements the standard rule; the seed's first
// step is therefore 1/(1 + β₁) ≈ 0.53 of the standard one, and its path on Beale differs slightly
// (docs/optimizers.md).
//
// One fused pass: p, m, v read and written, g read — 7 arrays of memory traffic (9 with amsgrad).
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

struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 0.0;
  bool amsgrad = false;

  void validate() const {
    validate::positive("lr", lr);
    validate::in_half_open("beta1", beta1, 0.0, 1.0);
    validate::in_half_open("beta2", beta2, 0.0, 1.0);
    validate::non_negative("eps", eps);
    validate::non_negative("weight_decay", weight_decay);
  }
};

namespace detail {

// The per-element Adam update shared by Adam and AdamW (AdamW passes wd = 0 and scales p first).
template <class T>
struct AdamCoefficients {
  T neg_step_size, bias_correction2_sqrt, beta1, one_minus_beta1, beta2, one_minus_beta2, eps, wd,
      decay;  // decay: AdamW's p ← p · (1 − lr · weight_decay); 1 for Adam
};

// kUnitCorrection: √(1 − β₂ᵗ) has rounded to exactly 1 (after ~36,000 steps at β₂ = 0.999), so
// dividing by it is the identity and is skipped — same bits, one division less on the critical
// path of small problems.
template <class T, bool kAmsgrad, bool kDecoupled, bool kUnitCorrection>
KOBAI_KERNEL void adam_update(std::size_t n, T* __restrict p, const T* __restrict g,
                              T* __restrict m, T* __restrict v, T* __restrict vmax,
                              const AdamCoefficients<T>& c) {
  KOBAI_KERNEL_BODY
  const T neg_step = c.neg_step_size, bc2 = c.bias_correction2_sqrt, b1 = c.beta1,
          w1 = c.one_minus_beta1, b2 = c.beta2, w2 = c.one_minus_beta2, eps = c.eps, wd = c.wd,
          decay = c.decay;
  simd::for_each_pack<T>(n, [&]<class V>(std::size_t i) {
    V pi = simd::load<V>(p + i);
    V d = simd::load<V>(g + i);
    if constexpr (kDecoupled) {
      pi = pi * decay;
    } else {
      d = wd != 0 ? d + wd * pi : d;
    }
    const V mi = simd::load<V>(m + i) * b1 + w1 * d;
    const V vi = simd::load<V>(v + i) * b2 + w2 * d * d;
    simd::store(m + i, mi);
    simd::store(v + i, vi);
    V second = vi;
    if constexpr (kAmsgrad) {
      second = simd::larger(simd::load<V>(vmax + i), vi);
      simd::store(vmax + i, second);
    }
    const V root = kUnitCorrection ? simd::sqrt(second) : simd::sqrt(second) / bc2;
    simd::store(p + i, pi + neg_step * mi / (root + eps));
  });
}

template <class T>
using AdamKernel = void (*)(std::size_t, T*, const T*, T*, T*, T*, const AdamCoefficients<T>&);

// The kernel for the flags. Chosen when the coefficients change, not at every step: the step is then
// one (well-predicted) indirect call, small enough to be inlined into a descent loop.
template <class T, bool kDecoupled>
AdamKernel<T> adam_kernel(bool amsgrad, const AdamCoefficients<T>& c) {
  const bool unit = c.bias_correction2_sqrt == T(1);
  if (amsgrad)
    return unit ? &adam_update<T, true, kDecoupled, true> : &adam_update<T, true, kDecoupled, false>;
  return unit ? &adam_update<T, false, kDecoupled, true> : &adam_update<T, false, kDecoupled, false>;
}

// One step over n elements, split across threads for large n.
template <class T>
void adam_step(AdamKernel<T> kernel, std::size_t n, T* p, const T* g, T* m, T* v, T* vmax,
               bool amsgrad, const AdamCoefficients<T>& c) {
  parallel_for(n, [&](std::size_t i, std::size_t e) {
    kernel(e - i, p + i, g + i, m + i, v + i, amsgrad ? vmax + i : vmax, c);
  });
}

}  // namespace detail

namespace detail {

// Adam and AdamW share everything but where weight decay goes (kDecoupled: AdamW's p ← p·(1 − lr·λ)
// instead of Adam's g + λ·p): the state, the coefficients, the kernel.
template <class Derived, class T, class OptionsT, bool kDecoupled>
class AdamFamily : public OptimizerBase<Derived, T, OptionsT, 3> {
  using Base = OptimizerBase<Derived, T, OptionsT, 3>;
  friend Base;

 public:
  explicit AdamFamily(OptionsT options) : Base(options) {}

  // State, in torch.optim.Adam's names: m, v and (amsgrad) the largest v seen, all starting at 0.
  enum Buffer : std::size_t { exp_avg, exp_avg_sq, max_exp_avg_sq };
  static constexpr std::array<std::string_view, 3> buffer_names{"exp_avg", "exp_avg_sq",
                                                                "max_exp_avg_sq"};
  static BufferStarts<3> buffer_starts(const OptionsT& o) {
    return {0.0, 0.0, o.amsgrad ? std::optional(0.0) : std::nullopt};
  }

 private:
  // The step's scalars. Once both bias corrections have rounded to exactly 1 (β = 0.9: after
  // ~350 steps; 0.999: ~36,000) they are the same for every later step until lr changes (and with
  // it AdamW's decay 1 − lr·λ), so they are kept instead of recomputed — same bits, and a 2-D step
  // is then the kernel and little else.
  bool compute_coefficients() {
    const OptionsT& o = this->options();
    const double bias_correction1 = correction1_(o.beta1, this->steps());
    const double bias_correction2 = correction2_(o.beta2, this->steps());
    coefficients_ = {static_cast<T>(-(o.lr / bias_correction1)),
                     static_cast<T>(std::sqrt(bias_correction2)),
                     static_cast<T>(o.beta1),
                     static_cast<T>(1 - o.beta1),
                     static_cast<T>(o.beta2),
                     static_cast<T>(1 - o.beta2),
                     static_cast<T>(o.eps),
                     kDecoupled ? T(0) : static_cast<T>(o.weight_decay),
                     kDecoupled ? static_cast<T>(1 - o.lr * o.weight_decay) : T(1)};
    kernel_ = adam_kernel<T, kDecoupled>(o.amsgrad, coefficients_);
    return correction1_.saturated() && correction2_.saturated();
  }

  void apply(std::size_t n, T* p, const T* g) {
    adam_step(kernel_, n, p, g, this->buffer(exp_avg), this->buffer(exp_avg_sq),
              this->buffer(max_exp_avg_sq), this->options().amsgrad, coefficients_);
  }

  BiasCorrection correction1_, correction2_;
  AdamCoefficients<T> coefficients_{};
  AdamKernel<T> kernel_ = nullptr;
};

}  // namespace detail

template <class T = double>
class Adam : public detail::AdamFamily<Adam<T>, T, AdamOptions, false> {
 public:
  explicit Adam(AdamOptions options = {}) : detail::AdamFamily<Adam<T>, T, AdamOptions, false>(options) {}
};

Adam(AdamOptions) -> Adam<double>;

}  // namespace kobai
