// kobai/optim/adadelta.hpp — Adadelta: AdaGrad with decaying averages and a unit-correct step.
//
// PyTorch's torch.optim.Adadelta (1.13), for each parameter p with gradient g:
//   g = g + weight_decay · p
//   v = ρ · v + (1 − ρ) · g²                     (average of squared gradients)
//   Δ = √(u + eps) / √(v + eps) · g              (u: average of squared updates)
//   u = ρ · u + (1 − ρ) · Δ²
//   p = p − lr · Δ
// AdaGrad's sum only grows, so its steps die out; Adadelta replaces the sum by a moving average
// and scales by the RMS of past updates, so the step has the units of p (Zeiler 2012).
//
// Seed 003 (§2.3.3) starts both v and u at 1 instead of 0 and uses eps = 1e-8:
// `{.eps = 1e-8, .initial_accumulator_value = 1}` reproduces it. PyTorch has no such option
// (its accumulators start at 0, the default here too); kobai adds it because a start at 1 is a
// sensible variant — the first steps are ~g instead of ~√eps·g/|g|.
//
// One fused pass: p, v, u read and written, g read — 7 arrays of memory traffic.
#pragma once

#include <array>
#include <cmath>
#include <string_view>

#include "kobai/core/parallel.hpp"
#include "kobai/core/simd.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/optim/optimizer.hpp"

namespace kobai {

struct AdadeltaOptions {
  double lr = 1.0;
  double rho = 0.9;
  double eps = 1e-6;
  double weight_decay = 0.0;
  double initial_accumulator_value = 0.0;  // start of v and u (not in PyTorch; seed 003 uses 1)

  void validate() const {
    validate::positive("lr", lr);
    validate::in_closed("rho", rho, 0.0, 1.0);
    validate::non_negative("eps", eps);
    validate::non_negative("weight_decay", weight_decay);
    validate::non_negative("initial_accumulator_value", initial_accumulator_value);
  }
};

template <class T = double>
class Adadelta : public OptimizerBase<Adadelta<T>, T, AdadeltaOptions, 2> {
  using Base = OptimizerBase<Adadelta<T>, T, AdadeltaOptions, 2>;
  friend Base;

 public:
  explicit Adadelta(AdadeltaOptions options = {}) : Base(options) {}

  // State, in torch.optim.Adadelta's names: v and u, both from initial_accumulator_value.
  enum Buffer : std::size_t { square_avg, acc_delta };
  static constexpr std::array<std::string_view, 2> buffer_names{"square_avg", "acc_delta"};
  static BufferStarts<2> buffer_starts(const AdadeltaOptions& o) {
    return {o.initial_accumulator_value, o.initial_accumulator_value};
  }

 private:
  bool compute_coefficients() {  // the same at every step
    const AdadeltaOptions& o = this->options();
    c_ = {static_cast<T>(-o.lr), static_cast<T>(o.weight_decay), static_cast<T>(o.rho),
          static_cast<T>(1 - o.rho), static_cast<T>(o.eps)};
    return true;
  }

  void apply(std::size_t n, T* p, const T* g) {
    T* v = this->buffer(square_avg);
    T* u = this->buffer(acc_delta);
    parallel_for(n, [&](std::size_t i, std::size_t e) {
      update(e - i, p + i, g + i, v + i, u + i, c_);
    });
  }

  struct Coefficients {
    T neg_lr, wd, rho, one_minus_rho, eps;
  };

  KOBAI_KERNEL static void update(std::size_t n, T* __restrict p, const T* __restrict g, T* __restrict v,
                     T* __restrict u, const Coefficients& c) {
    KOBAI_KERNEL_BODY
    const T neg_lr = c.neg_lr, wd = c.wd, rho = c.rho, w = c.one_minus_rho, eps = c.eps;
    simd::for_each_pack<T>(n, [&]<class V>(std::size_t i) {
      const V pi = simd::load<V>(p + i), gi = simd::load<V>(g + i), ui = simd::load<V>(u + i);
      const V d = wd != 0 ? gi + wd * pi : gi;
      const V vi = simd::load<V>(v + i) * rho + w * d * d;
      simd::store(v + i, vi);
      const V delta = simd::sqrt(ui + eps) / simd::sqrt(vi + eps) * d;
      simd::store(u + i, ui * rho + w * delta * delta);
      simd::store(p + i, pi + neg_lr * delta);
    });
  }

  Coefficients c_{};
};

Adadelta(AdadeltaOptions) -> Adadelta<double>;

}  // namespace kobai
