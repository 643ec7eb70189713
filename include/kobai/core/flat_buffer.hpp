// kobai/core/flat_buffer.hpp — several named parameter arrays in one contiguous buffer.
//
// A model's parameters are a handful of arrays (weights W, biases b, …). Stepping each with its
// own optimizer call makes one pass per array and keeps one set of moment buffers per array;
// keeping them all in one contiguous buffer lets a single `optimizer.step(params.span(),
// grads.span())` cover the whole model in one fused, vectorized, threaded pass (issue 6). The
// arrays are reached through Eigen::Map views that read and write the buffer in place:
//
//   kobai::FlatBuffer<float> params;
//   auto W = params.add("W", 784, 10);          // a 784×10 matrix (column-major, like Eigen)
//   auto b = params.add("b", 10);               // a vector
//   kobai::FlatBuffer<float> grads = params.zeros_like();
//   ... params.matrix(W) * x + params.vector(b) ...; fill grads.matrix(W), grads.vector(b) ...
//   adam.step(params.span(), grads.cspan());    // one pass over all 7,850 parameters
//
// Layout: arrays in the order added, no padding. Views stay valid until the next add(); optimizer
// state is per element, so it follows the arrays as long as the layout does not change.
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kobai/core/error.hpp"

namespace kobai {

template <class T = double>
class FlatBuffer {
 public:
  using Scalar = T;
  using MatrixMap = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>;
  using ConstMatrixMap = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>>;
  using VectorMap = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>>;
  using ConstVectorMap = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>>;

  struct Entry {
    std::string name;
    Eigen::Index rows = 0, cols = 0;
    std::size_t offset = 0;  // first element in the buffer
    std::size_t size() const { return static_cast<std::size_t>(rows * cols); }
  };

  // Appends a rows × cols array (zero-filled) named `name`; returns its index.
  std::size_t add(std::string_view name, Eigen::Index rows, Eigen::Index cols = 1) {
    if (rows <= 0 || cols <= 0)
      throw InvalidArgument("shape of '" + std::string(name) + "' must be positive, got " +
                            std::to_string(rows) + "x" + std::to_string(cols));
    for (const Entry& e : entries_)
      if (e.name == name)
        throw InvalidArgument("array '" + std::string(name) + "' is already in the buffer");
    entries_.push_back({std::string(name), rows, cols, data_.size()});
    data_.resize(data_.size() + entries_.back().size(), T(0));
    return entries_.size() - 1;
  }

  // A buffer with the same layout, all zeros (for gradients).
  FlatBuffer zeros_like() const {
    FlatBuffer out = *this;
    std::fill(out.data_.begin(), out.data_.end(), T(0));
    return out;
  }

  std::size_t size() const { return data_.size(); }
  T* data() { return data_.data(); }
  const T* data() const { return data_.data(); }
  std::span<T> span() { return {data_.data(), data_.size()}; }
  std::span<const T> span() const { return {data_.data(), data_.size()}; }
  std::span<const T> cspan() const { return span(); }
  // The whole buffer as one Eigen vector view.
  VectorMap flat() { return VectorMap(data_.data(), static_cast<Eigen::Index>(data_.size())); }
  ConstVectorMap flat() const {
    return ConstVectorMap(data_.data(), static_cast<Eigen::Index>(data_.size()));
  }

  const std::vector<Entry>& entries() const { return entries_; }
  const Entry& entry(std::size_t index) const {
    if (index >= entries_.size())
      throw InvalidArgument("array index must be < " + std::to_string(entries_.size()) + ", got " +
                            std::to_string(index));
    return entries_[index];
  }
  const Entry& entry(std::string_view name) const { return entries_[index_of(name)]; }

  MatrixMap matrix(std::size_t index) {
    const Entry& e = entry(index);
    return MatrixMap(data_.data() + e.offset, e.rows, e.cols);
  }
  ConstMatrixMap matrix(std::size_t index) const {
    const Entry& e = entry(index);
    return ConstMatrixMap(data_.data() + e.offset, e.rows, e.cols);
  }
  MatrixMap matrix(std::string_view name) { return matrix(index_of(name)); }
  ConstMatrixMap matrix(std::string_view name) const { return matrix(index_of(name)); }

  // Any array as a vector of its rows·cols elements (column-major order).
  VectorMap vector(std::size_t index) {
    const Entry& e = entry(index);
    return VectorMap(data_.data() + e.offset, static_cast<Eigen::Index>(e.size()));
  }
  ConstVectorMap vector(std::size_t index) const {
    const Entry& e = entry(index);
    return ConstVectorMap(data_.data() + e.offset, static_cast<Eigen::Index>(e.size()));
  }
  VectorMap vector(std::string_view name) { return vector(index_of(name)); }
  ConstVectorMap vector(std::string_view name) const { return vector(index_of(name)); }

 private:
  std::size_t index_of(std::string_view name) const {
    for (std::size_t i = 0; i < entries_.size(); ++i)
      if (entries_[i].name == name) return i;
    std::string known;
    for (const Entry& e : entries_) known += (known.empty() ? "" : ", ") + e.name;
    throw InvalidArgument("no array named '" + std::string(name) + "' in the buffer (it has: " +
                          (known.empty() ? "none" : known) + ")");
  }

  std::vector<Entry> entries_;
  std::vector<T> data_;
};

}  // namespace kobai
