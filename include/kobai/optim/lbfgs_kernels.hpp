// kobai/optim/lbfgs_kernels.hpp — the vector passes of L-BFGS's two-loop recursion, fused.
//
// The two-loop recursion (lbfgs.hpp) alternates a dot product and an update of the direction:
//   α_i = ρ_i s_iᵀ q;  q = q − α_i y_i          (newest pair to oldest)
//   β_i = ρ_i y_iᵀ r;  r = r + (α_i − β_i) s_i  (oldest to newest)
// Written with Eigen that is 4m passes over n-vectors, and each dot product is one chain of
// dependent additions (two accumulators). At n = 10⁴ and m = 10 the pairs take 1.6 MB, the
// passes run from L2, and the iteration's cost was the two-loop's: ~2.5 cycles per element and
// pass. Here each update pass also computes the next dot product on the values it has just
// written (the next α or β needs exactly that vector), so the recursion is 2m + 1 passes; the
// scaling by γ and the final negation ride along in the passes before them.
//
// Dot products keep 8 partial sums (core/reductions.hpp): 8 independent chains instead of 2, and
// the same bits whatever the SIMD width of the build. Every update is the same IEEE operations as
// the Eigen expression it replaces (KOBAI_KERNEL: no FMA contraction), so the directions differ
// from Eigen's only through the dot products' order of summation — rounding, not arithmetic
// (tests/lbfgs_kernels_test.cpp).
#pragma once

#include <cstddef>

#include "kobai/core/parallel.hpp"
#include "kobai/core/reductions.hpp"
#include "kobai/core/simd.hpp"

namespace kobai::lbfgs_kernels {

namespace detail {

using reductions::lanes;
using reductions::Pack;
using reductions::packs;
using reductions::partials;

// The common loop: `update(i)` for every element (in blocks of 8, writing what it returns into
// out[i]), and Σ next[i]·out[i] in 8 partial sums (core/reductions.hpp). `Update` is called as
// update.template operator()<V>(i) with V a pack or double.
template <class Update>
KOBAI_SIMD_INLINE double update_and_dot(double* out, const double* next, std::size_t n, Update&& update) {
  reductions::PartialSums sums;
  std::size_t i = 0;
  for (; i + partials <= n; i += partials) {
    for (std::size_t p = 0; p < packs; ++p) {
      const std::size_t k = i + p * lanes;
      const Pack v = update.template operator()<Pack>(k);
      simd::store(out + k, v);
      sums.acc[p] += simd::load<Pack>(next + k) * v;
    }
  }
  for (std::size_t k = 0; i < n; ++i, ++k) {
    const double v = update.template operator()<double>(i);
    out[i] = v;
    sums.add_tail(k, next[i] * v);
  }
  return sums.total();
}

}  // namespace detail

// Σ a[i]·b[i], in 8 partial sums.
KOBAI_KERNEL inline double dot(const double* a, const double* b, std::size_t n) { return reductions::dot(a, b, n); }

// q[i] = src[i] − α·y[i] (then ×γ when Scale); returns Σ next[i]·q[i]. q may be src.
template <bool Scale>
KOBAI_KERNEL inline double subtract_then_dot(double* q, const double* src, double alpha, const double* y,
                                             double gamma, const double* next, std::size_t n) {
  KOBAI_KERNEL_BODY
  return detail::update_and_dot(q, next, n, [&]<class V>(std::size_t i) {
    const V v = simd::load<V>(src + i) - alpha * simd::load<V>(y + i);
    if constexpr (Scale) return V(v * gamma);
    else return v;
  });
}

// r[i] = r[i] + c·s[i]; returns Σ next[i]·r[i].
KOBAI_KERNEL inline double add_then_dot(double* r, double c, const double* s, const double* next, std::size_t n) {
  KOBAI_KERNEL_BODY
  return detail::update_and_dot(r, next, n, [&]<class V>(std::size_t i) {
    return V(simd::load<V>(r + i) + c * simd::load<V>(s + i));
  });
}

// r[i] = −(r[i] + c·s[i]); returns Σ g[i]·r[i] (the same sum as dot(g, r)).
KOBAI_KERNEL inline double add_negate_then_dot(double* r, double c, const double* s, const double* g, std::size_t n) {
  KOBAI_KERNEL_BODY
  return detail::update_and_dot(r, g, n, [&]<class V>(std::size_t i) {
    return V(-(simd::load<V>(r + i) + c * simd::load<V>(s + i)));
  });
}

// s[i] = x[i] − x_old[i], y[i] = g[i] − g_old[i]; returns (Σ y·s, Σ y·y), each in 8 partial sums
// (the same sums as dot(y, s) and dot(y, y)), in one pass.
struct PairProducts {
  double ys, yy;
};
KOBAI_KERNEL inline PairProducts difference_pair(double* s, double* y, const double* x, const double* x_old,
                                                 const double* g, const double* g_old, std::size_t n) {
  KOBAI_KERNEL_BODY
  using detail::Pack;
  reductions::PartialSums ys, yy;
  std::size_t i = 0;
  for (; i + detail::partials <= n; i += detail::partials) {
    for (std::size_t p = 0; p < detail::packs; ++p) {
      const std::size_t k = i + p * detail::lanes;
      const Pack sk = simd::load<Pack>(x + k) - simd::load<Pack>(x_old + k);
      const Pack yk = simd::load<Pack>(g + k) - simd::load<Pack>(g_old + k);
      simd::store(s + k, sk);
      simd::store(y + k, yk);
      ys.acc[p] += yk * sk;
      yy.acc[p] += yk * yk;
    }
  }
  for (std::size_t k = 0; i < n; ++i, ++k) {
    s[i] = x[i] - x_old[i];
    y[i] = g[i] - g_old[i];
    ys.add_tail(k, y[i] * s[i]);
    yy.add_tail(k, y[i] * y[i]);
  }
  return {ys.total(), yy.total()};
}

}  // namespace kobai::lbfgs_kernels
