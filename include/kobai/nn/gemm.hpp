// kobai/nn/gemm.hpp — the matrix products of a dense network, in one place.
//
// C = op(A) · op(B) for column-major matrices given by pointer and leading dimension (BLAS's
// shape), op = identity or transpose. Forward and backward passes of a dense layer need three
// kinds: Z = W·A (forward), dW = dZ·Aᵀ (weight gradient), dA = Wᵀ·dZ (gradient to the layer
// below). Keeping them behind one function lets the backend change without touching the layers.
// Backends: single-precision A·B and A·Bᵀ go to kobai's AVX-512 kernels where the CPU has them
// (nn/gemm_avx512.hpp: chosen at run time, so the speed does not depend on the build flags);
// everything else to Eigen's product (no allocation for the sizes of a small network: its
// blocking buffers sit on the stack below EIGEN_STACK_ALLOCATION_LIMIT; tests/train_test.cpp
// counts). KOBAI_GEMM=eigen in the environment forces Eigen (for comparisons).
#pragma once

#include <Eigen/Core>
#include <cstdlib>
#include <cstring>
#include <type_traits>

#include "kobai/nn/gemm_avx512.hpp"

namespace kobai::nn {

enum class Op { none, transpose };

// Whether the run-time-chosen kernels are in use ("avx512" or "eigen"), for reports.
inline const char* gemm_backend() {
#ifdef KOBAI_HAVE_AVX512_GEMM
  static const bool forced_eigen = [] {
    const char* env = std::getenv("KOBAI_GEMM");
    return env != nullptr && std::strcmp(env, "eigen") == 0;
  }();
  if (!forced_eigen && detail::cpu_has_avx512()) return "avx512";
#endif
  return "eigen";
}

template <class T>
void gemm(Op op_a, Op op_b, Eigen::Index m, Eigen::Index n, Eigen::Index k, const T* a,
          Eigen::Index lda, const T* b, Eigen::Index ldb, T* c, Eigen::Index ldc) {
#ifdef KOBAI_HAVE_AVX512_GEMM
  if constexpr (std::is_same_v<T, float>) {
    static const bool fast = std::strcmp(gemm_backend(), "avx512") == 0;
    if (fast && op_a == Op::none) {
      detail::sgemm_avx512(op_b == Op::transpose, m, n, k, a, lda, b, ldb, c, ldc);
      return;
    }
  }
#endif
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
