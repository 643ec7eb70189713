// kobai/nn/init.hpp — how a dense layer's weights start.
//
//   normal    W ~ N(0, std²), std = 0.01 unless given; b = 0    (the course's weight_init_std)
//   xavier    W ~ N(0, 1/fan_in); b = 0                         (the course's "Xavier": √(1/n))
//   he        W ~ N(0, 2/fan_in); b = 0                         (He et al. 2015, for ReLU)
//   uniform   W, b ~ U(−1/√fan_in, 1/√fan_in)                   (PyTorch's nn.Linear default)
// Draws come from data::Random (the same numbers on every platform for a seed).
#pragma once

#include <cmath>
#include <string>
#include <string_view>

#include "kobai/core/error.hpp"

namespace kobai::nn {

enum class Init { normal, xavier, he, uniform };

inline std::string to_string(Init init) {
  switch (init) {
    case Init::normal: return "normal";
    case Init::xavier: return "xavier";
    case Init::he: return "he";
    case Init::uniform: return "uniform";
  }
  return "uniform";
}

inline Init parse_init(std::string_view name) {
  if (name == "normal") return Init::normal;
  if (name == "xavier") return Init::xavier;
  if (name == "he") return Init::he;
  if (name == "uniform") return Init::uniform;
  throw InvalidArgument("init must be normal, xavier, he or uniform, got '" + std::string(name) + "'");
}

}  // namespace kobai::nn
