// kobai/core/types.hpp — the vector and matrix types every layer speaks.
//
// kobai works in double precision with Eigen's dynamic vectors at its interfaces; the optimizer
// kernels also accept contiguous float/double spans (std::span) for large parameter buffers.
#pragma once

#include <Eigen/Core>
#include <span>

namespace kobai {

using Vector = Eigen::VectorXd;
using Matrix = Eigen::MatrixXd;

template <class T>
using VectorX = Eigen::Matrix<T, Eigen::Dynamic, 1>;

// A mutable view of an Eigen vector's storage, for the span-based optimizer kernels.
template <class T>
std::span<T> as_span(VectorX<T>& v) {
  return {v.data(), static_cast<std::size_t>(v.size())};
}
template <class T>
std::span<const T> as_span(const VectorX<T>& v) {
  return {v.data(), static_cast<std::size_t>(v.size())};
}

}  // namespace kobai
