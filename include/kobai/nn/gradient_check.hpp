// kobai/nn/gradient_check.hpp — backpropagation against the numerical gradient, per parameter
// array, as the course's gradient_check.py does (seed 000's central difference, h = 1e-4).
//
//   auto report = kobai::nn::check_gradient(net, x, batch, labels, targets);
//   for (auto& a : report.arrays) a.name, a.mean_abs_difference, a.max_abs_difference …
//
// For each checked entry θ_i: (L(θ + h e_i) − L(θ − h e_i)) / 2h against backprop's ∂L/∂θ_i, in
// the network's own precision. The course reports the mean absolute difference per array (its
// float64 figures: 1e-10 to 1e-13 on 784-50-10). For large arrays `max_entries` checks that many
// entries, spread evenly (every ⌈n/max⌉-th), so a check of 784-100-10 takes a second, not minutes.
// The relative difference is |a − n| / max(|a|, |n|, 1e-8)… reported as the largest over entries.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "kobai/nn/mlp.hpp"

namespace kobai::nn {

struct ArrayGradientCheck {
  std::string name;
  std::size_t checked = 0, size = 0;
  double mean_abs_difference = 0, max_abs_difference = 0, max_relative_difference = 0;
};

struct GradientCheckReport {
  std::vector<ArrayGradientCheck> arrays;
  double max_abs_difference() const {
    double m = 0;
    for (const auto& a : arrays) m = std::max(m, a.max_abs_difference);
    return m;
  }
};

template <class T>
GradientCheckReport check_gradient(Mlp<T>& net, const T* x, Eigen::Index batch,
                                   const std::int32_t* labels, const T* targets,
                                   double step = 1e-4, std::size_t max_entries = 0) {
  FlatBuffer<T> analytic = net.parameters().zeros_like();
  net.loss_and_gradient(x, batch, labels, targets, analytic.data());
  GradientCheckReport report;
  T* params = net.parameters().data();
  const T h = static_cast<T>(step);
  for (const auto& entry : net.parameters().entries()) {
    ArrayGradientCheck a{entry.name, 0, entry.size(), 0, 0, 0};
    const std::size_t stride =
        max_entries == 0 || entry.size() <= max_entries ? 1 : (entry.size() + max_entries - 1) / max_entries;
    double sum = 0;
    for (std::size_t k = 0; k < entry.size(); k += stride) {
      const std::size_t i = entry.offset + k;
      const T saved = params[i];
      params[i] = saved + h;
      const double plus = net.loss_and_gradient(x, batch, labels, targets, nullptr);
      params[i] = saved - h;
      const double minus = net.loss_and_gradient(x, batch, labels, targets, nullptr);
      params[i] = saved;
      const double numerical = (plus - minus) / (2 * static_cast<double>(h));
      const double back = static_cast<double>(analytic.data()[i]);
      const double diff = std::abs(numerical - back);
      sum += diff;
      a.max_abs_difference = std::max(a.max_abs_difference, diff);
      a.max_relative_difference = std::max(
          a.max_relative_difference, diff / std::max({std::abs(numerical), std::abs(back), 1e-8}));
      ++a.checked;
    }
    a.mean_abs_difference = sum / static_cast<double>(a.checked);
    report.arrays.push_back(a);
  }
  return report;
}

}  // namespace kobai::nn
