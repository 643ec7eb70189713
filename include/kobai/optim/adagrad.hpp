// kobai/optim/adagrad.hpp — AdaGrad: a per-parameter step that shrinks with the gradients seen.
//
// PyTorch's torch.optim.Adagrad (1.13), at step t = 1, 2, … for each parameter p with gradient g:
//   g   = g + weight_decay · p
//   clr = lr / (1 + (t − 1) · lr_decay)
//   s   = s + g²                         (s starts at initial_accumulator_value, default 0)
//   p   = p − clr · g / (√s + eps)
// Components with large past gradients move slowly and small ones quickly, which evens out badly
// scaled problems — and, as seed 003 shows on Beale, can steer the path into another minimum.
//
// Seed 003 (§2.3.2) starts s at 1 (`g1 = np.ones_like(x)`) with eps = 1e-8 although its text says
// 0; `{.eps = 1e-8, .initial_accumulator_value = 1}` reproduces its numbers (docs/optimizers.md).
//
// One fused pass: p, s read and written, g read — 5 arrays of memory traffic.
#pragma once

#include <array>
#include <cmath>
#include <string_view>

#include "kobai/core/parallel.hpp"
#include "kobai/core/simd.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/optim/optimizer.hpp"

namespace kobai {

struct AdagradOptions {
  double lr = 1e-2;
  double lr_decay = 0.0;
  double weight_decay = 0.0;
  double initial_accumulator_value = 0.0;
  double eps = 1e-10;

  void validate() const {
    validate::positive("lr", lr);
    validate::non_negative("lr_decay", lr_decay);
    validate::non_negative("weight_decay", weight_decay);
    validate::non_negative("initial_accumulator_value", initial_accumulator_value);
    validate::non_negative("eps", eps);
  }
};

template <class T = double>
class Adagrad : public OptimizerBase<Adagrad<T>, T, AdagradOptions, 1> {
  using Base = OptimizerBase<Adagrad<T>, T, AdagradOptions, 1>;
  friend Base;

 public:
  explicit Adagrad(AdagradOptions options = {}) : Base(options) {}

  // State, in torch.optim.Adagrad's names: s, from initial_accumulator_value.
  enum Buffer : std::size_t { sum };
  static constexpr std::array<std::string_view, 1> buffer_names{"sum"};
  static BufferStarts<1> buffer_starts(const AdagradOptions& o) {
    return {o.initial_accumulator_value};
  }

 private:
  // Settled unless lr_decay shrinks the step as t grows.
  bool compute_coefficients() {
    const AdagradOptions& o = this->options();
    const double t = static_cast<double>(this->steps());
    const double clr = o.lr / (1 + (t - 1) * o.lr_decay);
    c_ = {static_cast<T>(-clr), static_cast<T>(o.weight_decay), static_cast<T>(o.eps)};
    return o.lr_decay == 0;
  }

  void apply(std::size_t n, T* p, const T* g) {
    T* s = this->buffer(sum);
    parallel_for(n, [&](std::size_t i, std::size_t e) { update(e - i, p + i, g + i, s + i, c_); });
  }

  struct Coefficients {
    T neg_clr, wd, eps;
  };

  KOBAI_KERNEL static void update(std::size_t n, T* __restrict p, const T* __restrict g, T* __restrict s,
                     const Coefficients& c) {
    KOBAI_KERNEL_BODY
    const T neg_clr = c.neg_clr, wd = c.wd, eps = c.eps;
    simd::for_each_pack<T>(n, [&]<class V>(std::size_t i) {
      const V pi = simd::load<V>(p + i), gi = simd::load<V>(g + i);
      const V d = wd != 0 ? gi + wd * pi : gi;
      const V si = simd::load<V>(s + i) + d * d;
      simd::store(s + i, si);
      simd::store(p + i, pi + neg_clr * d / (simd::sqrt(si) + eps));
    });
  }

  Coefficients c_{};
};

Adagrad(AdagradOptions) -> Adagrad<double>;

}  // namespace kobai
