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

#include <cmath>
#include <vector>

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
class AdamW : public OptimizerBase<AdamW<T>, T> {
  using Base = OptimizerBase<AdamW<T>, T>;

 public:
  using Options = AdamWOptions;
  using Base::step;

  explicit AdamW(Options options = {}) : options_(options) { options_.validate(); }

  void step(std::span<T> params, std::span<const T> grads) {
    const std::size_t n = params.size();
    if (this->begin_step(n, grads.size())) [[unlikely]] allocate_state(n);
    if (!coefficients_settled_) update_coefficients();
    detail::adam_step(kernel_, n, params.data(), grads.data(), exp_avg_.data(), exp_avg_sq_.data(),
                      max_exp_avg_sq_.data(), options_.amsgrad, coefficients_);
  }

  void reset() {
    this->reset_counters();
    coefficients_settled_ = false;
    exp_avg_.clear();
    exp_avg_sq_.clear();
    max_exp_avg_sq_.clear();
  }

  double lr() const { return options_.lr; }
  void set_lr(double lr) {
    validate::positive("lr", lr);
    options_.lr = lr;
    coefficients_settled_ = false;
  }
  const Options& options() const { return options_; }

 private:
  // Out of line (like update_coefficients), so that what is left of a step is small enough for the
  // compiler to inline into a descent loop.
  [[gnu::noinline]] void allocate_state(std::size_t n) {
    exp_avg_.assign(n, T(0));
    exp_avg_sq_.assign(n, T(0));
    if (options_.amsgrad) max_exp_avg_sq_.assign(n, T(0));
  }

  // The step's scalars. Once both bias corrections have rounded to exactly 1 (β = 0.9: after
  // ~350 steps; 0.999: ~36,000) they are the same for every later step until lr changes (and with
  // it the decay 1 − lr·λ), so they are kept instead of recomputed — same bits, and a 2-D step is
  // then the kernel and little else.
  [[gnu::noinline]] void update_coefficients() {
    const double bias_correction1 = correction1_(options_.beta1, this->steps());
    const double bias_correction2 = correction2_(options_.beta2, this->steps());
    coefficients_ = {
        static_cast<T>(-(options_.lr / bias_correction1)),
        static_cast<T>(std::sqrt(bias_correction2)),
        static_cast<T>(options_.beta1),
        static_cast<T>(1 - options_.beta1),
        static_cast<T>(options_.beta2),
        static_cast<T>(1 - options_.beta2),
        static_cast<T>(options_.eps),
        T(0),
        static_cast<T>(1 - options_.lr * options_.weight_decay)};
    kernel_ = detail::adam_kernel<T, true>(options_.amsgrad, coefficients_);
    coefficients_settled_ = correction1_.saturated() && correction2_.saturated();
  }

  Options options_;
  detail::BiasCorrection correction1_, correction2_;
  detail::AdamCoefficients<T> coefficients_{};
  detail::AdamKernel<T> kernel_ = nullptr;
  bool coefficients_settled_ = false;
  std::vector<T> exp_avg_;         // m
  std::vector<T> exp_avg_sq_;      // v
  std::vector<T> max_exp_avg_sq_;  // v̂ (amsgrad)
};

AdamW(AdamWOptions) -> AdamW<double>;

}  // namespace kobai
