// kobai/core/reductions.hpp — dot products, sums of squares and maxima over long vectors, in
// SIMD packs with independent accumulators.
//
// A plain loop `s += a[i] * b[i]` is one chain of dependent additions: ~4 cycles an element,
// which at n = 10⁴ made the after-step checks and the history's gradient norm a tenth of an
// L-BFGS iteration. Here:
//
//   sums     keep 8 partial sums, element i going to sum i mod 8, added up at the end in the fixed
//            tree ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7)): 8 independent chains, and the
//            same bits whatever the SIMD width of the build (core/simd.hpp: 2 or 4 lanes per pack,
//            4 or 2 packs of accumulators), since every partial sum adds the same elements in the
//            same order. No FMA contraction (KOBAI_KERNEL), so a build with FMA agrees too.
//   maxima   keep 4 packs of running maxima; the largest of a set does not depend on the order.
//
// The L-BFGS two-loop recursion (optim/lbfgs_kernels.hpp) builds its fused passes on `PartialSums`.
#pragma once

#include <cmath>
#include <cstddef>

#include "kobai/core/parallel.hpp"
#include "kobai/core/simd.hpp"
#include "kobai/core/simd_avx2_copy.hpp"

KOBAI_AVX2_COPY_BEGIN

namespace kobai::reductions {

inline constexpr std::size_t partials = 8;

// From this length on, callers that also see 2-D vectors (minimize's after-step check, the
// history's rows) use these reductions; below it a plain loop costs less than their set-up.
inline constexpr std::size_t long_vector = 64;

#if KOBAI_SIMD_BYTES > 0
using Pack = simd::Pack<double>;
inline constexpr std::size_t packs = partials / simd::pack_lanes<double>;
#else
using Pack = double;
inline constexpr std::size_t packs = partials;
#endif
inline constexpr std::size_t lanes = partials / packs;  // elements per pack

// 8 partial sums: packs of P (the build's Pack, or the AVX2 copy's, core/simd_avx2_copy.hpp) for
// the whole blocks of 8 elements, scalars for the last few. The total is the same bits whatever P.
template <class P>
struct PartialSumsOf {
  static constexpr std::size_t width = simd::lanes_of<P>, pack_count = partials / width;
  P acc[pack_count] = {};
  double tail[partials] = {};

  // Adds a[i]·b[i] for i in [begin, begin + 8).
  KOBAI_SIMD_INLINE void add_products(const double* a, const double* b) {
    for (std::size_t p = 0; p < pack_count; ++p)
      acc[p] += simd::load_lanes<P>(a + p * width) * simd::load_lanes<P>(b + p * width);
  }
  // Adds a[i]·b[i] for the k-th element (0 ≤ k < 8) of the last, partial block.
  KOBAI_SIMD_INLINE void add_tail(std::size_t k, double product) { tail[k] += product; }

  // The 8 partial sums in the fixed tree.
  KOBAI_SIMD_INLINE double total() const {
    double p[partials];
    for (std::size_t k = 0; k < partials; ++k) p[k] = simd::lane_of(acc[k / width], k % width) + tail[k];
    return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
  }
};
using PartialSums = PartialSumsOf<Pack>;

namespace detail {

template <class P>
KOBAI_SIMD_INLINE double dot_lanes(const double* a, const double* b, std::size_t n) {
  PartialSumsOf<P> sums;
  std::size_t i = 0;
  for (; i + partials <= n; i += partials) sums.add_products(a + i, b + i);
  for (std::size_t k = 0; i < n; ++i, ++k) sums.add_tail(k, a[i] * b[i]);
  return sums.total();
}

#if KOBAI_AVX2_COPY
__attribute__((target("avx2"))) inline double dot_avx2(const double* a, const double* b, std::size_t n) {
  return dot_lanes<simd::Avx2Pack>(a, b, n);
}
#endif

}  // namespace detail

// Σ a[i]·b[i], in 8 partial sums (the same bits at any width: the AVX2 copy where there is one).
KOBAI_KERNEL inline double dot(const double* a, const double* b, std::size_t n) {
  KOBAI_KERNEL_BODY
#if KOBAI_AVX2_COPY
  if (simd::avx2_copy_enabled()) return detail::dot_avx2(a, b, n);
#endif
  return detail::dot_lanes<Pack>(a, b, n);
}

// max_i |v_i| (0 for an empty vector; a NaN entry is passed over, as `a > m ? a : m` does).
inline double max_abs(const double* v, std::size_t n) {
  constexpr std::size_t chains = 4, step = chains * lanes;
  Pack largest[chains] = {};
  std::size_t i = 0;
  for (; i + step <= n; i += step)
    for (std::size_t c = 0; c < chains; ++c)
      largest[c] = simd::larger(largest[c], simd::abs(simd::load<Pack>(v + i + c * lanes)));
  double m = 0;
  for (std::size_t c = 0; c < chains; ++c)
    for (std::size_t l = 0; l < lanes; ++l) m = simd::larger(m, simd::lane_of(largest[c], l));
  for (; i < n; ++i) m = simd::larger(m, std::abs(v[i]));
  return m;
}

// True when every entry of a and b is finite: x·0 is 0 for a finite x and NaN for ±inf or NaN, so
// the sum is 0 exactly when all are — one test for both vectors.
inline bool all_finite(const double* a, const double* b, std::size_t n) {
  constexpr std::size_t chains = 4, step = chains * lanes;
  Pack zero[chains] = {};
  std::size_t i = 0;
  for (; i + step <= n; i += step)
    for (std::size_t c = 0; c < chains; ++c)
      zero[c] += simd::load<Pack>(a + i + c * lanes) * 0.0 + simd::load<Pack>(b + i + c * lanes) * 0.0;
  double z = 0;
  for (std::size_t c = 0; c < chains; ++c)
    for (std::size_t l = 0; l < lanes; ++l) z += simd::lane_of(zero[c], l);
  for (; i < n; ++i) z += a[i] * 0.0 + b[i] * 0.0;
  return z == 0;
}

// After an optimizer's step: are x and g all finite, and max |g_i| — one pass over both (what
// all_finite and max_abs give), in packs of P. Max passes over NaN as max_abs does; |v| is
// `v < 0 ? −v : v`, equal to std::abs wherever it matters to a maximum (it keeps −0, which no
// maximum from +0 picks).
struct StepScan {
  bool finite;
  double max_abs;
};

namespace detail {

template <class P>
KOBAI_SIMD_INLINE StepScan scan_step_lanes(const double* x, const double* g, std::size_t n) {
  constexpr std::size_t width = simd::lanes_of<P>, chains = 4, step = chains * width;
  P zero[chains] = {}, largest[chains] = {};
  std::size_t i = 0;
  for (; i + step <= n; i += step)
    for (std::size_t c = 0; c < chains; ++c) {
      const P xv = simd::load_lanes<P>(x + i + c * width), gv = simd::load_lanes<P>(g + i + c * width);
      zero[c] += xv * 0.0 + gv * 0.0;
      const P magnitude = gv < 0.0 ? -gv : gv;
      largest[c] = largest[c] < magnitude ? magnitude : largest[c];
    }
  double z = 0, m = 0;
  for (std::size_t c = 0; c < chains; ++c)
    for (std::size_t l = 0; l < width; ++l) {
      z += simd::lane_of(zero[c], l);
      m = simd::larger(m, simd::lane_of(largest[c], l));
    }
  for (; i < n; ++i) {
    z += x[i] * 0.0 + g[i] * 0.0;
    m = simd::larger(m, std::abs(g[i]));
  }
  return {z == 0, m};
}

#if KOBAI_AVX2_COPY
__attribute__((target("avx2"))) inline StepScan scan_step_avx2(const double* x, const double* g, std::size_t n) {
  return scan_step_lanes<simd::Avx2Pack>(x, g, n);
}
#endif

}  // namespace detail

inline StepScan scan_step(const double* x, const double* g, std::size_t n) {
#if KOBAI_AVX2_COPY
  if (simd::avx2_copy_enabled()) return detail::scan_step_avx2(x, g, n);
#endif
  return detail::scan_step_lanes<Pack>(x, g, n);
}

}  // namespace kobai::reductions

KOBAI_AVX2_COPY_END
