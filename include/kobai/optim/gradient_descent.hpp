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

#include <array>
#include <optional>
#include <string_view>

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
class GradientDescent : public OptimizerBase<GradientDescent<T>, T, GradientDescentOptions, 1> {
  using Base = OptimizerBase<GradientDescent<T>, T, GradientDescentOptions, 1>;
  friend Base;

 public:
  explicit GradientDescent(GradientDescentOptions options = {}) : Base(options) {}

  // State, in torch.optim.SGD's name: b, with momentum only (its first step sets it to d).
  // torch.optim.SGD keeps no step count; kobai does (the first step differs, and a schedule
  // continues from it).
  enum Buffer : std::size_t { momentum_buffer };
  static constexpr std::array<std::string_view, 1> buffer_names{"momentum_buffer"};
  static BufferStarts<1> buffer_starts(const GradientDescentOptions& o) {
    return {o.momentum != 0 ? std::optional(0.0) : std::nullopt};
  }

 private:
  // Settled after the first step (which sets b = d).
  bool compute_coefficients() {
    const GradientDescentOptions& o = this->options();
    const bool first = this->steps() == 1;
    c_ = {static_cast<T>(o.lr), static_cast<T>(o.weight_decay), static_cast<T>(o.momentum),
          static_cast<T>(1.0 - o.dampening), first};
    return !first;
  }

  void apply(std::size_t n, T* p, const T* g) {
    const Coefficients& c = c_;
    if (this->options().momentum == 0) {
      parallel_for(n, [&](std::size_t i, std::size_t e) { plain(e - i, p + i, g + i, c); });
      return;
    }
    T* b = this->buffer(momentum_buffer);
    if (this->options().nesterov)
      parallel_for(n, [&](std::size_t i, std::size_t e) {
        with_momentum<true>(e - i, p + i, g + i, b + i, c);
      });
    else
      parallel_for(n, [&](std::size_t i, std::size_t e) {
        with_momentum<false>(e - i, p + i, g + i, b + i, c);
      });
  }

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

  Coefficients c_{};
};

GradientDescent(GradientDescentOptions) -> GradientDescent<double>;

}  // namespace kobai
