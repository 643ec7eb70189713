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
// Dot products keep 8 partial sums, element i going to sum i mod 8, added up in a fixed tree at
// the end: 8 independent chains instead of 2, and the same bits whatever the SIMD width of the
// build (core/simd.hpp: 2 or 4 lanes per pack, 4 or 2 packs of accumulators). Every update is
// the same IEEE operations as the Eigen expression it replaces (KOBAI_KERNEL: no FMA
// contraction), so the directions differ from Eigen's only through the dot products' order of
// summation — rounding, not arithmetic (tests/lbfgs_test.cpp).
#pragma once

#include <cstddef>

#include "kobai/core/parallel.hpp"
#include "kobai/core/simd.hpp"

namespace kobai::lbfgs_kernels {

namespace detail {

inline constexpr std::size_t partials = 8;

// Adds a[i]·b[i] for i in [begin, begin + 8) to the 8 partial sums held as packs.
template <class V, std::size_t Packs>
KOBAI_SIMD_INLINE void accumulate(V (&acc)[Packs], const double* a, const double* b) {
  constexpr std::size_t lanes = partials / Packs;
  for (std::size_t p = 0; p < Packs; ++p)
    acc[p] += simd::load<V>(a + p * lanes) * simd::load<V>(b + p * lanes);
}

// The 8 partial sums, then the fixed tree ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7)).
template <class V, std::size_t Packs>
KOBAI_SIMD_INLINE double total(const V (&acc)[Packs], const double (&tail)[partials]) {
  double p[partials];
  if constexpr (simd::is_scalar<V>) {
    for (std::size_t k = 0; k < partials; ++k) p[k] = acc[k] + tail[k];
  } else {
    constexpr std::size_t lanes = partials / Packs;
    for (std::size_t k = 0; k < partials; ++k) p[k] = acc[k / lanes][k % lanes] + tail[k];
  }
  return ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
}

#if KOBAI_SIMD_BYTES > 0
using Pack = simd::Pack<double>;
inline constexpr std::size_t packs = partials / simd::pack_lanes<double>;
#else
using Pack = double;
inline constexpr std::size_t packs = partials;
#endif

// The common loop: `update(i)` for every element (in blocks of 8, writing what it returns into
// out[i]), and Σ next[i]·out[i] in 8 partial sums. `Update` is called as update.template
// operator()<V>(i) with V a pack or double.
template <class Update>
KOBAI_SIMD_INLINE double update_and_dot(double* out, const double* next, std::size_t n, Update&& update) {
  Pack acc[packs] = {};
  double tail[partials] = {};
  constexpr std::size_t lanes = partials / packs;
  std::size_t i = 0;
  for (; i + partials <= n; i += partials) {
    for (std::size_t p = 0; p < packs; ++p) {
      const std::size_t k = i + p * lanes;
      const Pack v = update.template operator()<Pack>(k);
      simd::store(out + k, v);
      acc[p] += simd::load<Pack>(next + k) * v;
    }
  }
  for (std::size_t k = 0; i < n; ++i, ++k) {
    const double v = update.template operator()<double>(i);
    out[i] = v;
    tail[k] += next[i] * v;
  }
  return total(acc, tail);
}

}  // namespace detail

// Σ a[i]·b[i], in 8 partial sums.
KOBAI_KERNEL inline double dot(const double* a, const double* b, std::size_t n) {
  KOBAI_KERNEL_BODY
  detail::Pack acc[detail::packs] = {};
  double tail[detail::partials] = {};
  std::size_t i = 0;
  for (; i + detail::partials <= n; i += detail::partials) detail::accumulate(acc, a + i, b + i);
  for (std::size_t k = 0; i < n; ++i, ++k) tail[k] += a[i] * b[i];
  return detail::total(acc, tail);
}

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
  constexpr std::size_t lanes = detail::partials / detail::packs;
  Pack ys[detail::packs] = {}, yy[detail::packs] = {};
  double ys_tail[detail::partials] = {}, yy_tail[detail::partials] = {};
  std::size_t i = 0;
  for (; i + detail::partials <= n; i += detail::partials) {
    for (std::size_t p = 0; p < detail::packs; ++p) {
      const std::size_t k = i + p * lanes;
      const Pack sk = simd::load<Pack>(x + k) - simd::load<Pack>(x_old + k);
      const Pack yk = simd::load<Pack>(g + k) - simd::load<Pack>(g_old + k);
      simd::store(s + k, sk);
      simd::store(y + k, yk);
      ys[p] += yk * sk;
      yy[p] += yk * yk;
    }
  }
  for (std::size_t k = 0; i < n; ++i, ++k) {
    s[i] = x[i] - x_old[i];
    y[i] = g[i] - g_old[i];
    ys_tail[k] += y[i] * s[i];
    yy_tail[k] += y[i] * y[i];
  }
  return {detail::total(ys, ys_tail), detail::total(yy, yy_tail)};
}

}  // namespace kobai::lbfgs_kernels
