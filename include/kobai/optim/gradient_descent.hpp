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
// Seed 003 writes momentum as v = γv + α∇f, x = x − v. That is the same iteration with v = lr·b
// (exact in real arithmetic; last-bit rounding differs), so kobai keeps PyTorch's form.
#pragma once

#include <vector>

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
    T* __restrict p = params.data();
    const T* __restrict g = grads.data();
    const T lr = static_cast<T>(options_.lr);
    const T wd = static_cast<T>(options_.weight_decay);
    const T mu = static_cast<T>(options_.momentum);
    const T keep = static_cast<T>(1.0 - options_.dampening);

    if (options_.momentum == 0) {
#pragma omp simd
      for (std::size_t i = 0; i < n; ++i) {
        const T d = wd != 0 ? g[i] + wd * p[i] : g[i];
        p[i] = p[i] - lr * d;
      }
      return;
    }
    if (first) buffer_.assign(n, T(0));
    T* __restrict b = buffer_.data();
    const bool nesterov = options_.nesterov;
#pragma omp simd
    for (std::size_t i = 0; i < n; ++i) {
      const T d = wd != 0 ? g[i] + wd * p[i] : g[i];
      const T bi = first ? d : mu * b[i] + keep * d;
      b[i] = bi;
      const T dir = nesterov ? d + mu * bi : bi;
      p[i] = p[i] - lr * dir;
    }
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
  Options options_;
  std::vector<T> buffer_;  // momentum buffer b
};

GradientDescent(GradientDescentOptions) -> GradientDescent<double>;

}  // namespace kobai
