// kobai/optim/schedule.hpp — step-size schedules α_t (seed 004: "fixed, or changing as the run goes").
//
// A schedule maps the base learning rate and the step index t (0 for the first step) to the
// learning rate used at that step. The formulas follow PyTorch's lr_scheduler where one exists:
//   constant      α_t = α
//   step          α_t = α · γ^⌊t / step_size⌋                      (StepLR)
//   exponential   α_t = α · γ^t                                   (ExponentialLR)
//   inverse_time  α_t = α / (1 + decay · t)                       (1/t decay, Robbins–Monro)
//   cosine        α_t = α_min + (α − α_min)(1 + cos(π·min(t,T)/T))/2  (CosineAnnealingLR, no restart)
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <string_view>

#include "kobai/core/validate.hpp"

namespace kobai {

struct Schedule {
  enum class Kind { constant, step, exponential, inverse_time, cosine };
  Kind kind = Kind::constant;
  double gamma = 0.1;             // step, exponential
  std::int64_t step_size = 100;   // step
  double decay = 0.01;            // inverse_time
  std::int64_t period = 1000;     // cosine: T
  double min_lr = 0.0;            // cosine: α_min

  static Schedule constant() { return {}; }
  static Schedule step(std::int64_t step_size, double gamma) {
    return {.kind = Kind::step, .gamma = gamma, .step_size = step_size};
  }
  static Schedule exponential(double gamma) { return {.kind = Kind::exponential, .gamma = gamma}; }
  static Schedule inverse_time(double decay) { return {.kind = Kind::inverse_time, .decay = decay}; }
  static Schedule cosine(std::int64_t period, double min_lr = 0.0) {
    return {.kind = Kind::cosine, .period = period, .min_lr = min_lr};
  }

  void validate() const {
    switch (kind) {
      case Kind::constant: break;
      case Kind::step:
        validate::positive_count("schedule step_size", step_size);
        validate::in_closed("schedule gamma", gamma, 0.0, 1.0);
        break;
      case Kind::exponential: validate::in_closed("schedule gamma", gamma, 0.0, 1.0); break;
      case Kind::inverse_time: validate::non_negative("schedule decay", decay); break;
      case Kind::cosine:
        validate::positive_count("schedule period", period);
        validate::non_negative("schedule min_lr", min_lr);
        break;
    }
  }

  double lr_at(double base_lr, std::int64_t t) const {
    switch (kind) {
      case Kind::constant: return base_lr;
      case Kind::step: return base_lr * std::pow(gamma, static_cast<double>(t / step_size));
      case Kind::exponential: return base_lr * std::pow(gamma, static_cast<double>(t));
      case Kind::inverse_time: return base_lr / (1.0 + decay * static_cast<double>(t));
      case Kind::cosine: {
        const double progress = static_cast<double>(std::min(t, period)) / static_cast<double>(period);
        return min_lr + (base_lr - min_lr) * (1.0 + std::cos(std::numbers::pi * progress)) / 2.0;
      }
    }
    return base_lr;
  }

  std::string name() const {
    switch (kind) {
      case Kind::constant: return "constant";
      case Kind::step: return "step";
      case Kind::exponential: return "exponential";
      case Kind::inverse_time: return "inverse_time";
      case Kind::cosine: return "cosine";
    }
    return "constant";
  }
};

}  // namespace kobai
