// kobai/nn/gemm_avx512.hpp — single-precision matrix products with AVX-512, chosen at run time.
//
// Why not leave it to Eigen: Eigen picks its vector width when the program is compiled, so a
// consumer's plain `-O2` build (no -march) multiplies with SSE2, 4 floats at a time — a network
// trained from such a build would be 3–4× slower than the same code built with -march=native
// (DESIGN.md: the library's speed must not depend on the user's flags). These kernels carry their
// own target attribute and run where the CPU has AVX-512F, whatever the build flags; elsewhere
// kobai falls back to Eigen.
//
// C (m × n) = A (m × k) · op(B), column-major, with A's columns contiguous (lda ≥ m) and
// op(B)(p, j) = B[p + j·ldb] (none) or B[j + p·ldb] (transpose): the forward product W·a and the
// weight gradient δ·aᵀ of a dense layer. The micro-kernel keeps a block of up to 48 rows × 8
// columns of C in 24 vector registers and streams A's columns (one to three 16-float vectors,
// the last one masked when m is not a multiple of 16) against broadcast elements of B, k steps
// of fused multiply-adds. No packing: a small network's A fits in L2 and a block's B in L1.
// Threads split the columns of C (kobai::num_threads()): every element of C is computed by one
// thread in the same order, so results do not depend on the thread count.
#pragma once

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KOBAI_HAVE_AVX512_GEMM 1
#include <immintrin.h>
#endif

#include <Eigen/Core>
#include <algorithm>
#include <cstddef>

#include "kobai/core/parallel.hpp"
#include "kobai/nn/denormals.hpp"

// The register block's loops must be unrolled completely, or the accumulators live on the stack
// (measured: GCC 12 spilled all 24 and ran at a third of the speed).
#if defined(__clang__)
#define KOBAI_UNROLL _Pragma("unroll")
#else
#define KOBAI_UNROLL _Pragma("GCC unroll 16")
#endif

namespace kobai::nn::detail {

#ifdef KOBAI_HAVE_AVX512_GEMM

inline bool cpu_has_avx512() {
  static const bool has = __builtin_cpu_supports("avx512f");
  return has;
}

// R vectors of rows (the last masked by `tail`) × NR columns of C, over all k.
// `accumulate`: add to C (a later block of k) instead of overwriting it.
template <int R, int NR, bool kTransposeB>
__attribute__((target("avx512f"))) inline void sgemm_block(Eigen::Index k, const float* a,
                                                           Eigen::Index lda, const float* b,
                                                           Eigen::Index ldb, float* c,
                                                           Eigen::Index ldc, __mmask16 tail,
                                                           bool accumulate) {
  __m512 acc[R][NR];
  KOBAI_UNROLL
  for (int r = 0; r < R; ++r) {
    KOBAI_UNROLL
    for (int j = 0; j < NR; ++j) acc[r][j] = _mm512_setzero_ps();
  }
  if (accumulate) {
    KOBAI_UNROLL
    for (int r = 0; r < R; ++r) {
      KOBAI_UNROLL
      for (int j = 0; j < NR; ++j)
        acc[r][j] = r == R - 1 ? _mm512_maskz_loadu_ps(tail, c + j * ldc + 16 * r)
                               : _mm512_loadu_ps(c + j * ldc + 16 * r);
    }
  }
  for (Eigen::Index p = 0; p < k; ++p) {
    const float* column = a + p * lda;
    __m512 av[R];
    KOBAI_UNROLL
    for (int r = 0; r < R; ++r)
      av[r] = r == R - 1 ? _mm512_maskz_loadu_ps(tail, column + 16 * r) : _mm512_loadu_ps(column + 16 * r);
    KOBAI_UNROLL
    for (int j = 0; j < NR; ++j) {
      const __m512 bv = _mm512_set1_ps(kTransposeB ? b[j + p * ldb] : b[p + j * ldb]);
      KOBAI_UNROLL
      for (int r = 0; r < R; ++r) acc[r][j] = _mm512_fmadd_ps(av[r], bv, acc[r][j]);
    }
  }
  KOBAI_UNROLL
  for (int j = 0; j < NR; ++j) {
    KOBAI_UNROLL
    for (int r = 0; r < R; ++r) {
      float* out = c + j * ldc + 16 * r;
      if (r == R - 1)
        _mm512_mask_storeu_ps(out, tail, acc[r][j]);
      else
        _mm512_storeu_ps(out, acc[r][j]);
    }
  }
}

template <int R, bool kTransposeB>
__attribute__((target("avx512f"))) inline void sgemm_rows_k(Eigen::Index n0, Eigen::Index n1,
                                                            Eigen::Index k, const float* a,
                                                            Eigen::Index lda, const float* b,
                                                            Eigen::Index ldb, float* c,
                                                            Eigen::Index ldc, __mmask16 tail,
                                                            bool accumulate) {
  // Column j of op(B) starts at b + j·ldb (none) or b + j (transpose).
  const auto column = [&](Eigen::Index j) { return kTransposeB ? b + j : b + j * ldb; };
  Eigen::Index j = n0;
  for (; j + 8 <= n1; j += 8)
    sgemm_block<R, 8, kTransposeB>(k, a, lda, column(j), ldb, c + j * ldc, ldc, tail, accumulate);
  switch (n1 - j) {
    case 7: sgemm_block<R, 7, kTransposeB>(k, a, lda, column(j), ldb, c + j * ldc, ldc, tail, accumulate); break;
    case 6: sgemm_block<R, 6, kTransposeB>(k, a, lda, column(j), ldb, c + j * ldc, ldc, tail, accumulate); break;
    case 5: sgemm_block<R, 5, kTransposeB>(k, a, lda, column(j), ldb, c + j * ldc, ldc, tail, accumulate); break;
    case 4: sgemm_block<R, 4, kTransposeB>(k, a, lda, column(j), ldb, c + j * ldc, ldc, tail, accumulate); break;
    case 3: sgemm_block<R, 3, kTransposeB>(k, a, lda, column(j), ldb, c + j * ldc, ldc, tail, accumulate); break;
    case 2: sgemm_block<R, 2, kTransposeB>(k, a, lda, column(j), ldb, c + j * ldc, ldc, tail, accumulate); break;
    case 1: sgemm_block<R, 1, kTransposeB>(k, a, lda, column(j), ldb, c + j * ldc, ldc, tail, accumulate); break;
    default: break;
  }
}

template <int R, bool kTransposeB>
__attribute__((target("avx512f"))) inline void sgemm_rows(Eigen::Index n0, Eigen::Index n1,
                                                          Eigen::Index k, const float* a,
                                                          Eigen::Index lda, const float* b,
                                                          Eigen::Index ldb, float* c,
                                                          Eigen::Index ldc, __mmask16 tail) {
  // k in blocks of 128, so that the block of A (≤ 48 × 128 floats, 24 KiB) stays in L1 while
  // every column block of C passes over it; a later block adds to C.
  constexpr Eigen::Index kc = 128;
  for (Eigen::Index p0 = 0; p0 < k; p0 += kc) {
    const Eigen::Index kb = std::min(kc, k - p0);
    const float* ap = a + p0 * lda;
    const float* bp = kTransposeB ? b + p0 * ldb : b + p0;
    sgemm_rows_k<R, kTransposeB>(n0, n1, kb, ap, lda, bp, ldb, c, ldc, tail, p0 > 0);
  }
}

// Columns [n0, n1) of C: row chunks of up to 48 (3 vectors), the last chunk's last vector masked.
template <bool kTransposeB>
__attribute__((target("avx512f"))) inline void sgemm_columns(Eigen::Index m, Eigen::Index n0,
                                                             Eigen::Index n1, Eigen::Index k,
                                                             const float* a, Eigen::Index lda,
                                                             const float* b, Eigen::Index ldb,
                                                             float* c, Eigen::Index ldc) {
  const Eigen::Index vectors = (m + 15) / 16;
  const int last_lanes = static_cast<int>(m - 16 * (vectors - 1));
  const __mmask16 full = 0xFFFF;
  const __mmask16 last = static_cast<__mmask16>((1u << last_lanes) - 1u);
  for (Eigen::Index v = 0; v < vectors;) {
    const Eigen::Index left = vectors - v;
    const Eigen::Index take = left >= 3 ? (left == 4 ? 2 : 3) : left;  // 4 = 2 + 2, not 3 + 1
    const __mmask16 tail = v + take == vectors ? last : full;
    const float* av = a + 16 * v;
    float* cv = c + 16 * v;
    if (take == 3) sgemm_rows<3, kTransposeB>(n0, n1, k, av, lda, b, ldb, cv, ldc, tail);
    else if (take == 2) sgemm_rows<2, kTransposeB>(n0, n1, k, av, lda, b, ldb, cv, ldc, tail);
    else sgemm_rows<1, kTransposeB>(n0, n1, k, av, lda, b, ldb, cv, ldc, tail);
    v += take;
  }
}

// C = A · op(B) on the thread pool, split by columns of C in multiples of 8.
inline void sgemm_avx512(bool transpose_b, Eigen::Index m, Eigen::Index n, Eigen::Index k,
                         const float* a, Eigen::Index lda, const float* b, Eigen::Index ldb,
                         float* c, Eigen::Index ldc) {
  // Split only products worth a thread wake-up (~10 µs): ≥ 2 MFLOP per thread.
  const double flops = 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  const int threads = static_cast<int>(std::min<double>(num_threads(), std::max(1.0, flops / 2e6)));
  const Eigen::Index blocks = (n + 7) / 8;
  const int tasks = static_cast<int>(std::min<Eigen::Index>(threads, blocks));
  auto run = [&](Eigen::Index n0, Eigen::Index n1) {
    if (transpose_b)
      sgemm_columns<true>(m, n0, n1, k, a, lda, b, ldb, c, ldc);
    else
      sgemm_columns<false>(m, n0, n1, k, a, lda, b, ldb, c, ldc);
  };
  if (tasks <= 1) {
    run(0, n);
    return;
  }
  auto task = [&](int t) {
    const FlushDenormals same_mode_as_the_caller;  // see nn/denormals.hpp (the caller sets it too)
    const Eigen::Index first = blocks * t / tasks, last = blocks * (t + 1) / tasks;
    run(std::min(n, 8 * first), std::min(n, 8 * last));
  };
  kobai::detail::ThreadPool::instance().run(tasks, task);
}

#endif  // KOBAI_HAVE_AVX512_GEMM

}  // namespace kobai::nn::detail
