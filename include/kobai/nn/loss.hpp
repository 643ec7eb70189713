// kobai/nn/loss.hpp — the losses at a network's output, each returning the mean loss of a batch and
// writing its gradient with respect to the outputs z (K × B, one column per sample).
//
// Softmax cross-entropy (classification; PyTorch's CrossEntropyLoss, mean over the batch):
//   L = (1/B) Σ_b [ log Σ_k exp z_kb − z_{y_b b} ],     ∂L/∂z = (softmax(z) − onehot(y)) / B.
// It is computed as log-sum-exp with the column's maximum subtracted first, so logits of 1e4 (or
// −1e4) neither overflow nor take log 0; the loss itself is accumulated in double.
// Mean squared error (regression; PyTorch's MSELoss, mean over all B·K elements):
//   L = (1/(B·K)) Σ (z − t)²,    ∂L/∂z = 2 (z − t) / (B·K).
// For a classification set, MSE's targets are the one-hot labels (the course's alternative loss).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "kobai/core/error.hpp"

namespace kobai::nn {

enum class Loss { softmax_cross_entropy, mse };

inline std::string to_string(Loss loss) {
  return loss == Loss::softmax_cross_entropy ? "cross-entropy" : "mse";
}

inline Loss parse_loss(std::string_view name) {
  if (name == "cross-entropy" || name == "cross_entropy" || name == "softmax") return Loss::softmax_cross_entropy;
  if (name == "mse") return Loss::mse;
  throw InvalidArgument("loss must be cross-entropy or mse, got '" + std::string(name) + "'");
}

// z: K × B column-major (column stride K). grad may be null (loss only).
template <class T>
double softmax_cross_entropy(const T* z, const std::int32_t* labels, std::size_t k,
                             std::size_t b, T* grad) {
  double total = 0;
  const T scale = T(1) / static_cast<T>(b);
  for (std::size_t j = 0; j < b; ++j) {
    const T* col = z + j * k;
    T largest = col[0];
    for (std::size_t i = 1; i < k; ++i) largest = col[i] > largest ? col[i] : largest;
    T sum = 0;
    for (std::size_t i = 0; i < k; ++i) sum += std::exp(col[i] - largest);
    const T log_sum = std::log(sum);
    const auto y = static_cast<std::size_t>(labels[j]);
    total += static_cast<double>(log_sum - (col[y] - largest));
    if (grad) {
      T* g = grad + j * k;
      for (std::size_t i = 0; i < k; ++i) g[i] = std::exp(col[i] - largest - log_sum) * scale;
      g[y] -= scale;
    }
  }
  return total / static_cast<double>(b);
}

// z, t: K × B. grad may be null.
template <class T>
double mean_squared_error(const T* z, const T* t, std::size_t k, std::size_t b, T* grad) {
  double total = 0;
  const std::size_t n = k * b;
  const T scale = T(2) / static_cast<T>(n);
  for (std::size_t i = 0; i < n; ++i) {
    const T d = z[i] - t[i];
    total += static_cast<double>(d) * static_cast<double>(d);
    if (grad) grad[i] = scale * d;
  }
  return total / static_cast<double>(n);
}

}  // namespace kobai::nn
