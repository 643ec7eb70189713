// kobai/nn/gemm.hpp — the matrix products of a dense network, in one place.
//
// C = op(A) · op(B) for column-major matrices given by pointer and leading dimension (BLAS's
// shape), op = identity or transpose. Forward and backward passes of a dense layer need three
// kinds: Z = W·A (forward), dW = dZ·Aᵀ (weight gradient), dA = Wᵀ·dZ (gradient to the layer
// below). Keeping them behind one function lets the backend change without touching the layers.
// The backend here is Eigen's product (no allocation for the sizes of a small network: its
// blocking buffers sit on the stack below EIGEN_STACK_ALLOCATION_LIMIT; tests/nn_test.cpp counts).
#pragma once

#include <Eigen/Core>

namespace kobai::nn {

enum class Op { none, transpose };

template <class T>
void gemm(Op op_a, Op op_b, Eigen::Index m, Eigen::Index n, Eigen::Index k, const T* a,
          Eigen::Index lda, const T* b, Eigen::Index ldb, T* c, Eigen::Index ldc) {
  using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using ConstMap = Eigen::Map<const Matrix, 0, Eigen::OuterStride<>>;
  Eigen::Map<Matrix, 0, Eigen::OuterStride<>> C(c, m, n, Eigen::OuterStride<>(ldc));
  const Eigen::Index a_rows = op_a == Op::none ? m : k, a_cols = op_a == Op::none ? k : m;
  const Eigen::Index b_rows = op_b == Op::none ? k : n, b_cols = op_b == Op::none ? n : k;
  const ConstMap A(a, a_rows, a_cols, Eigen::OuterStride<>(lda));
  const ConstMap B(b, b_rows, b_cols, Eigen::OuterStride<>(ldb));
  if (op_a == Op::none && op_b == Op::none)
    C.noalias() = A * B;
  else if (op_a == Op::none)
    C.noalias() = A * B.transpose();
  else if (op_b == Op::none)
    C.noalias() = A.transpose() * B;
  else
    C.noalias() = A.transpose() * B.transpose();
}

}  // namespace kobai::nn
