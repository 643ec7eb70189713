// kobai/nn/activation.hpp — the hidden layers' activations and their derivatives.
//
//   relu     a = max(0, z)          da/dz = 1 if a > 0 else 0     (0 at z = 0, as PyTorch)
//   sigmoid  a = 1 / (1 + e^−z)     da/dz = a (1 − a)
//   tanh     a = tanh z             da/dz = 1 − a²
// Each derivative is written in terms of the output a, so the backward pass needs only the
// activations the forward pass kept (no pre-activation copy).
#pragma once

#include <cmath>
#include <string>
#include <string_view>

#include "kobai/core/error.hpp"

namespace kobai::nn {

enum class Activation { relu, sigmoid, tanh };

inline std::string to_string(Activation a) {
  switch (a) {
    case Activation::relu: return "relu";
    case Activation::sigmoid: return "sigmoid";
    case Activation::tanh: return "tanh";
  }
  return "relu";
}

inline Activation parse_activation(std::string_view name) {
  if (name == "relu") return Activation::relu;
  if (name == "sigmoid") return Activation::sigmoid;
  if (name == "tanh") return Activation::tanh;
  throw InvalidArgument("activation must be relu, sigmoid or tanh, got '" + std::string(name) + "'");
}

// a = f(z) over n values, in place.
template <class T>
void activate(Activation f, T* z, std::size_t n) {
  switch (f) {
    case Activation::relu:
      for (std::size_t i = 0; i < n; ++i) z[i] = z[i] > T(0) ? z[i] : T(0);
      break;
    case Activation::sigmoid:
      for (std::size_t i = 0; i < n; ++i) z[i] = T(1) / (T(1) + std::exp(-z[i]));
      break;
    case Activation::tanh:
      for (std::size_t i = 0; i < n; ++i) z[i] = std::tanh(z[i]);
      break;
  }
}

// dz = da ⊙ f'(z), computed from a = f(z); in place on da.
template <class T>
void activation_backward(Activation f, const T* a, T* d, std::size_t n) {
  switch (f) {
    case Activation::relu:
      for (std::size_t i = 0; i < n; ++i) d[i] = a[i] > T(0) ? d[i] : T(0);
      break;
    case Activation::sigmoid:
      for (std::size_t i = 0; i < n; ++i) d[i] *= a[i] * (T(1) - a[i]);
      break;
    case Activation::tanh:
      for (std::size_t i = 0; i < n; ++i) d[i] *= T(1) - a[i] * a[i];
      break;
  }
}

}  // namespace kobai::nn
