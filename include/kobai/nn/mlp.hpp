// kobai/nn/mlp.hpp — a fully connected network (multi-layer perceptron) whose parameters live in
// one flat buffer, and whose backward pass writes its gradient straight into one flat buffer of
// the same layout, so an optimizer steps every weight of the network in one fused pass.
//
//   kobai::nn::Mlp<float> net({.layers = {784, 100, 10}});      // ReLU, softmax cross-entropy
//   net.initialize(seed);
//   kobai::FlatBuffer<float> grads = net.parameters().zeros_like();
//   double loss = net.loss_and_gradient(x, batch, labels, nullptr, grads.data());
//   adam.step(net.parameters().span(), grads.cspan());
//
// Layer l (1 … L) maps a_{l−1} (n_{l−1} × B, one column per sample) to
//   z_l = W_l a_{l−1} + b_l,   a_l = f(z_l) for hidden layers, a_L = z_L (the logits),
// with W_l an n_l × n_{l−1} matrix named "W<l>" and b_l named "b<l>" in the buffer, in the order
// W1 b1 W2 b2 …. Backpropagation: from δ_L = ∂L/∂z_L (the loss's gradient),
//   ∂L/∂W_l = δ_l a_{l−1}ᵀ,   ∂L/∂b_l = δ_l 1,   δ_{l−1} = (W_lᵀ δ_l) ⊙ f'(z_{l−1}).
// No hidden layer ({.layers = {784, 10}}) is softmax (logistic) regression, or linear regression
// with the MSE loss. Weight decay λ adds λ/2 Σ W² (weights, not biases) to the loss and λW to
// its gradient.
//
// The activations and deltas of a batch live in buffers sized on the first call: a training step
// after the first allocates nothing (tests/nn_test.cpp counts). Not thread-safe: one network
// object per thread.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/core/flat_buffer.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/data/dataset.hpp"
#include "kobai/data/random.hpp"
#include "kobai/nn/activation.hpp"
#include "kobai/nn/gemm.hpp"
#include "kobai/nn/init.hpp"
#include "kobai/nn/loss.hpp"

namespace kobai::nn {

struct MlpOptions {
  std::vector<Eigen::Index> layers;  // widths, input first: {784, 100, 10}
  Activation activation = Activation::relu;
  Loss loss = Loss::softmax_cross_entropy;
  Init init = Init::uniform;
  double init_std = 0.01;  // Init::normal
  double weight_decay = 0;

  void validate() const {
    if (layers.size() < 2)
      throw InvalidArgument("layers must name at least an input and an output width, got " +
                            std::to_string(layers.size()) + " width(s)");
    for (std::size_t i = 0; i < layers.size(); ++i)
      if (layers[i] <= 0)
        throw InvalidArgument("layer width must be > 0, got " + std::to_string(layers[i]) +
                              " at position " + std::to_string(i + 1));
    if (loss == Loss::softmax_cross_entropy && layers.back() < 2)
      throw InvalidArgument("cross-entropy needs an output layer of at least 2 classes, got " +
                            std::to_string(layers.back()));
    validate::positive("init std", init_std);
    validate::non_negative("weight decay", weight_decay);
  }
  std::string describe() const {
    std::string out;
    for (const Eigen::Index w : layers) {
      if (!out.empty()) out += '-';
      out += std::to_string(w);
    }
    return out + " " + to_string(activation) + ", " + to_string(loss);
  }
};

// What a network scores on a dataset.
struct Evaluation {
  double loss = 0;
  double accuracy = 0;               // classification: fraction right
  std::vector<std::int32_t> predicted;  // classification: the predicted class per sample (if asked)
};

template <class T = float>
class Mlp {
 public:
  using Scalar = T;
  using Matrix = data::ColumnMatrix<T>;

  explicit Mlp(MlpOptions options) : options_(std::move(options)) {
    options_.validate();
    for (std::size_t l = 1; l < options_.layers.size(); ++l) {
      // Appended rather than "W" + to_string(l): GCC 12 -Wrestrict false positive (PR 105329).
      std::string weights = "W", bias = "b";
      weights += std::to_string(l);
      bias += std::to_string(l);
      params_.add(weights, options_.layers[l], options_.layers[l - 1]);
      params_.add(bias, options_.layers[l]);
    }
  }

  const MlpOptions& options() const { return options_; }
  std::size_t layer_count() const { return options_.layers.size() - 1; }
  Eigen::Index inputs() const { return options_.layers.front(); }
  Eigen::Index outputs() const { return options_.layers.back(); }
  FlatBuffer<T>& parameters() { return params_; }
  const FlatBuffer<T>& parameters() const { return params_; }
  std::size_t parameter_count() const { return params_.size(); }

  // Fresh weights by options().init from a generator seeded with `seed`.
  void initialize(std::uint64_t seed) {
    data::Random random(seed);
    for (std::size_t l = 1; l <= layer_count(); ++l) {
      auto W = params_.vector(weight_index(l));
      auto b = params_.vector(bias_index(l));
      const double fan_in = static_cast<double>(options_.layers[l - 1]);
      double std = options_.init_std;
      if (options_.init == Init::xavier) std = std::sqrt(1.0 / fan_in);
      if (options_.init == Init::he) std = std::sqrt(2.0 / fan_in);
      if (options_.init == Init::uniform) {
        const double bound = 1.0 / std::sqrt(fan_in);
        for (Eigen::Index i = 0; i < W.size(); ++i)
          W[i] = static_cast<T>((2 * random.uniform() - 1) * bound);
        for (Eigen::Index i = 0; i < b.size(); ++i)
          b[i] = static_cast<T>((2 * random.uniform() - 1) * bound);
      } else {
        for (Eigen::Index i = 0; i < W.size(); ++i) W[i] = static_cast<T>(std * random.normal());
        b.setZero();
      }
    }
  }

  // Mean loss of a batch of `batch` samples (x: inputs × batch, column-major); with `grads` (a
  // buffer of parameter_count() values) also its gradient, overwritten. labels (classification)
  // or targets (outputs × batch) as the loss needs.
  double loss_and_gradient(const T* x, Eigen::Index batch, const std::int32_t* labels,
                           const T* targets, T* grads) {
    forward(x, batch);
    const std::size_t L = layer_count();
    const Eigen::Index k = outputs();
    T* delta = grads ? deltas_[L].data() : nullptr;
    double loss = options_.loss == Loss::softmax_cross_entropy
                      ? softmax_cross_entropy(activations_[L].data(), labels,
                                              static_cast<std::size_t>(k),
                                              static_cast<std::size_t>(batch), delta)
                      : mean_squared_error(activations_[L].data(), targets,
                                           static_cast<std::size_t>(k),
                                           static_cast<std::size_t>(batch), delta);
    if (options_.weight_decay > 0) {
      double sum = 0;
      for (std::size_t l = 1; l <= L; ++l)
        sum += static_cast<double>(params_.vector(weight_index(l)).squaredNorm());
      loss += 0.5 * options_.weight_decay * sum;
    }
    if (grads) backward(x, batch, grads);
    return loss;
  }

  // The network's outputs (logits) for a batch, into activations; returns a view.
  const T* forward(const T* x, Eigen::Index batch) {
    reserve(batch);
    const std::size_t L = layer_count();
    const T* input = x;
    for (std::size_t l = 1; l <= L; ++l) {
      const Eigen::Index out = options_.layers[l], in = options_.layers[l - 1];
      T* z = activations_[l].data();
      gemm<T>(Op::none, Op::none, out, batch, in, params_.data() + offset(weight_index(l)), out,
              input, in, z, out);
      const T* bias = params_.data() + offset(bias_index(l));
      for (Eigen::Index j = 0; j < batch; ++j)
        for (Eigen::Index i = 0; i < out; ++i) z[j * out + i] += bias[i];
      if (l < L) activate(options_.activation, z, static_cast<std::size_t>(out * batch));
      input = z;
    }
    return activations_[L].data();
  }

  // Loss, accuracy (classification) and optionally the predicted classes over a whole dataset,
  // in chunks of `chunk` samples.
  template <class U>
  Evaluation evaluate(const data::Dataset<U>& set, bool keep_predictions = false,
                      Eigen::Index chunk = 1000) {
    check_fits(set);
    Evaluation result;
    const Eigen::Index n = set.size();
    if (n == 0) return result;
    Matrix x(inputs(), std::min(chunk, n)), t;
    if (!set.is_classification()) t.resize(outputs(), x.cols());
    double loss_sum = 0;
    std::int64_t right = 0;
    const double saved_decay = options_.weight_decay;
    options_.weight_decay = 0;  // the data's loss; the penalty is added once below
    for (Eigen::Index start = 0; start < n; start += chunk) {
      const Eigen::Index count = std::min(chunk, n - start);
      x.leftCols(count) = set.x.middleCols(start, count).template cast<T>();
      if (!set.is_classification()) t.leftCols(count) = set.targets.middleCols(start, count).template cast<T>();
      const std::int32_t* labels = set.is_classification() ? set.labels.data() + start : nullptr;
      const T* targets = set.is_classification() ? nullptr : t.data();
      if (set.is_classification() && options_.loss == Loss::mse) {
        one_hot(labels, count);
        targets = one_hot_.data();
      }
      loss_sum += loss_and_gradient(x.data(), count, labels, targets, nullptr) * static_cast<double>(count);
      if (set.is_classification()) {
        const T* z = activations_[layer_count()].data();
        for (Eigen::Index j = 0; j < count; ++j) {
          const T* col = z + j * outputs();
          const auto best = static_cast<std::int32_t>(std::max_element(col, col + outputs()) - col);
          right += best == labels[j];
          if (keep_predictions) result.predicted.push_back(best);
        }
      }
    }
    options_.weight_decay = saved_decay;
    result.loss = loss_sum / static_cast<double>(n);
    result.accuracy = static_cast<double>(right) / static_cast<double>(n);
    return result;
  }

  // MSE on a classification set trains towards one-hot targets; the trainer fills them with this.
  const T* one_hot(const std::int32_t* labels, Eigen::Index batch) {
    if (one_hot_.cols() < batch) one_hot_.resize(outputs(), batch);
    one_hot_.leftCols(batch).setZero();
    for (Eigen::Index j = 0; j < batch; ++j) one_hot_(labels[j], j) = T(1);
    return one_hot_.data();
  }

  // Throws unless the dataset's widths fit the network.
  template <class U>
  void check_fits(const data::Dataset<U>& set) const {
    if (set.features() != inputs())
      throw InvalidArgument("the network takes " + std::to_string(inputs()) +
                            " inputs, but the samples of " + set.source + " have " +
                            std::to_string(set.features()) + " features");
    if (set.is_classification() && options_.loss == Loss::softmax_cross_entropy &&
        set.classes > outputs())
      throw InvalidArgument("the network has " + std::to_string(outputs()) + " outputs, but " +
                            set.source + " has " + std::to_string(set.classes) + " classes");
    if (set.is_classification() && options_.loss == Loss::mse && set.classes > outputs())
      throw InvalidArgument("the network has " + std::to_string(outputs()) + " outputs, but " +
                            set.source + " has " + std::to_string(set.classes) + " classes");
    if (!set.is_classification() && set.targets.rows() != outputs())
      throw InvalidArgument("the network has " + std::to_string(outputs()) + " outputs, but " +
                            set.source + " has " + std::to_string(set.targets.rows()) + " targets");
    if (!set.is_classification() && options_.loss != Loss::mse)
      throw InvalidArgument("a regression set (" + set.source + ") needs the mse loss");
  }

  static std::size_t weight_index(std::size_t l) { return 2 * (l - 1); }
  static std::size_t bias_index(std::size_t l) { return 2 * (l - 1) + 1; }

  // Sizes the batch buffers for `batch` samples (done by the first step; call it to move the
  // allocation out of a timed or counted region).
  void reserve(Eigen::Index batch) {
    if (batch <= capacity_) return;
    activations_.resize(layer_count() + 1);
    deltas_.resize(layer_count() + 1);
    for (std::size_t l = 1; l <= layer_count(); ++l) {
      activations_[l].resize(options_.layers[l], batch);
      deltas_[l].resize(options_.layers[l], batch);
    }
    capacity_ = batch;
  }

 private:
  std::size_t offset(std::size_t index) const { return params_.entry(index).offset; }

  void backward(const T* x, Eigen::Index batch, T* grads) {
    for (std::size_t l = layer_count(); l >= 1; --l) {
      const Eigen::Index out = options_.layers[l], in = options_.layers[l - 1];
      const T* delta = deltas_[l].data();
      const T* below = l == 1 ? x : activations_[l - 1].data();
      T* dW = grads + offset(weight_index(l));
      gemm<T>(Op::none, Op::transpose, out, in, batch, delta, out, below, in, dW, out);
      if (options_.weight_decay > 0) {
        const T decay = static_cast<T>(options_.weight_decay);
        const T* W = params_.data() + offset(weight_index(l));
        for (Eigen::Index i = 0; i < out * in; ++i) dW[i] += decay * W[i];
      }
      T* db = grads + offset(bias_index(l));
      for (Eigen::Index i = 0; i < out; ++i) db[i] = T(0);
      for (Eigen::Index j = 0; j < batch; ++j)
        for (Eigen::Index i = 0; i < out; ++i) db[i] += delta[j * out + i];
      if (l == 1) break;
      T* delta_below = deltas_[l - 1].data();
      gemm<T>(Op::transpose, Op::none, in, batch, out, params_.data() + offset(weight_index(l)),
              out, delta, out, delta_below, in);
      activation_backward(options_.activation, activations_[l - 1].data(), delta_below,
                          static_cast<std::size_t>(in * batch));
    }
  }

  MlpOptions options_;
  FlatBuffer<T> params_;
  std::vector<Matrix> activations_, deltas_;  // [l]: layer l's outputs / ∂L/∂z_l, n_l × capacity
  Matrix one_hot_;
  Eigen::Index capacity_ = 0;
};

}  // namespace kobai::nn
