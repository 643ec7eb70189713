// kobai/optim/adamw.hpp — AdamW: Adam with weight decay decoupled from the gradient.
//
// PyTorch's torch.optim.AdamW (1.13), at step t = 1, 2, … for each parameter p with gradient g:
//   p = p · (1 − lr · weight_decay)                (decay applied to p, not added to g)
//   m = β₁ · m + (1 − β₁) · g
//   v = β₂ · v + (1 − β₂) · g²
//   amsgrad: v̂ = max(v̂, v), used below instead of v
//   p = p − lr / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)
// With Adam's L2 penalty the decay term is divided by √v like the gradient, so parameters with
// large gradients are barely regularized; decoupling makes the decay uniform (Loshchilov & Hutter
// 2019). Default weight_decay is 1e-2, PyTorch's.
//
// One fused pass: p, m, v read and written, g read — 7 arrays of memory traffic (9 with amsgrad).
#pragma once

#include "kobai/optim/adam.hpp"

namespace kobai {

struct AdamWOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 1e-2;
  bool amsgrad = false;

  void validate() const {
    validate::positive("lr", lr);
    validate::in_half_open("beta1", beta1, 0.0, 1.0);
    validate::in_half_open("beta2", beta2, 0.0, 1.0);
    validate::non_negative("eps", eps);
    validate::non_negative("weight_decay", weight_decay);
  }
};

template <class T = double>
class AdamW : public detail::AdamFamily<AdamW<T>, T, AdamWOptions, true> {
 public:
  explicit AdamW(AdamWOptions options = {})
      : detail::AdamFamily<AdamW<T>, T, AdamWOptions, true>(options) {}
};

AdamW(AdamWOptions) -> AdamW<double>;

}  // namespace kobai
