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

#include <algorithm>
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


// ---- The vector-free form's two passes (lbfgs_gram.hpp; Lbfgs at large n) ----------------------
//
// Both passes sweep the stored vectors in blocks of `block` elements: the block of the vector they
// write (or multiply everything by) stays in L1 while each stored vector's block streams past once.
// Their sums are added up block by block: each block's 8 partial sums in reductions' fixed tree,
// then the blocks in order. The blocks may be shared among threads (kobai::num_threads(), each
// a run of whole blocks), and the sums are the same bits for any number of threads and any SIMD
// width. Two threads split the pairs between two cores' caches: at n = 10⁴, m = 10 the pairs
// (1.6 MB) with the iterate's vectors overflow one core's 2 MB L2 and fit two.

inline constexpr std::size_t block = 512;  // elements (4 KiB a vector)

// Blocks a pass over n elements has; the scratch its sums need is blocks × (its sums).
inline std::size_t blocks(std::size_t n) { return (n + block - 1) / block; }

// Threads for a pass over `vectors` arrays of n elements: each thread gets at least
// parallel_grain() / 8 elements of all the arrays together, and whole blocks. An element-wise step
// reads and writes ~5 arrays in a cache-missing stream; a pass reads 2m + 3 arrays out of L2 (or
// L3), so it pays for a thread sooner. Measured (bench/lbfgs_passes — 2-core Xeon VM, 20 stored
// vectors): two threads take the pair of passes from 17 to 10 µs at n = 2000 and from 92 to 46 µs
// at n = 10⁴.
inline int pass_threads(std::size_t n, std::size_t vectors) {
  return std::min(threads_for(n * vectors * 8), static_cast<int>(blocks(n)));
}

namespace detail {

// Runs range(first_block, last_block) over [0, blocks(n)), split among `threads`.
template <class Range>
void for_blocks(std::size_t n, int threads, Range&& range) {
  const std::size_t count = blocks(n);
  if (threads <= 1) {
    range(std::size_t{0}, count);
    return;
  }
  const auto t = static_cast<std::size_t>(threads);
  auto task = [&](int k) {
    const auto i = static_cast<std::size_t>(k);
    range(count * i / t, count * (i + 1) / t);
  };
  kobai::detail::ThreadPool::instance().run(threads, task);
}

// sums[b·stride + j] over the blocks → out[j] = Σ_b, in block order.
inline void add_blocks(const double* sums, std::size_t block_count, std::size_t stride, std::size_t width,
                       double* out) {
  for (std::size_t j = 0; j < width; ++j) out[j] = 0;
  for (std::size_t b = 0; b < block_count; ++b)
    for (std::size_t j = 0; j < width; ++j) out[j] += sums[b * stride + j];
}

// out[k] = Σ v[k][i]·g[i] over [begin, end) for k < G, in 8 partial sums (element i to sum
// i mod 8; begin a multiple of 8) added in reductions' tree. G·packs accumulators live in
// registers: G = 8 / packs keeps them to 8 vector registers at any SIMD width.
template <std::size_t G>
KOBAI_SIMD_INLINE void block_products(double* out, const double* const* v, const double* g, std::size_t begin,
                                      std::size_t end) {
  reductions::PartialSums sums[G];
  Pack acc[G][packs] = {};
  std::size_t i = begin;
  for (; i + partials <= end; i += partials)
    for (std::size_t p = 0; p < packs; ++p) {
      const Pack gp = simd::load<Pack>(g + i + p * lanes);
      for (std::size_t k = 0; k < G; ++k) acc[k][p] += simd::load<Pack>(v[k] + i + p * lanes) * gp;
    }
  for (std::size_t k = 0; k < G; ++k)
    for (std::size_t p = 0; p < packs; ++p) sums[k].acc[p] = acc[k][p];
  for (; i < end; ++i)
    for (std::size_t k = 0; k < G; ++k) sums[k].add_tail(i % partials, v[k][i] * g[i]);
  for (std::size_t k = 0; k < G; ++k) out[k] = sums[k].total();
}

inline constexpr std::size_t product_group = partials / packs > 0 ? partials / packs : 1;

}  // namespace detail

// What gradient_products returns beside the products with the stored vectors.
struct NewGradientProducts {
  double dg;  // Σ d·g
  double yy;  // Σ y·y
  double yg;  // Σ y·g
};

// For the gradient g at the new iterate: y[i] = g[i] − g_old[i], and out[j] = Σ stored[j]·g for
// j < count; returns Σ d·g, Σ y·y and Σ y·g. One pass over the stored vectors, d, g and g_old.
// `scratch` holds (blocks(n) + 1) × (count + 3) sums.
KOBAI_KERNEL inline NewGradientProducts gradient_products(double* y, const double* g, const double* g_old,
                                                         const double* d, const double* const* stored,
                                                         std::size_t count, double* out, double* scratch,
                                                         std::size_t n) {
  KOBAI_KERNEL_BODY
  using detail::Pack;
  const std::size_t stride = count + 3;
  detail::for_blocks(n, pass_threads(n, count + 4), [&](std::size_t first, std::size_t last) {
    KOBAI_KERNEL_BODY
    constexpr std::size_t G = detail::product_group;
    for (std::size_t b = first; b < last; ++b) {
      const std::size_t begin = b * block, end = std::min(n, begin + block);
      double* sums = scratch + b * stride;
      reductions::PartialSums dg, yy, yg;
      std::size_t i = begin;
      for (; i + detail::partials <= end; i += detail::partials)
        for (std::size_t p = 0; p < detail::packs; ++p) {
          const std::size_t k = i + p * detail::lanes;
          const Pack gk = simd::load<Pack>(g + k);
          const Pack yk = gk - simd::load<Pack>(g_old + k);
          simd::store(y + k, yk);
          dg.acc[p] += simd::load<Pack>(d + k) * gk;
          yy.acc[p] += yk * yk;
          yg.acc[p] += yk * gk;
        }
      for (; i < end; ++i) {
        y[i] = g[i] - g_old[i];
        dg.add_tail(i % detail::partials, d[i] * g[i]);
        yy.add_tail(i % detail::partials, y[i] * y[i]);
        yg.add_tail(i % detail::partials, y[i] * g[i]);
      }
      sums[count] = dg.total();
      sums[count + 1] = yy.total();
      sums[count + 2] = yg.total();
      std::size_t j = 0;
      for (; j + G <= count; j += G) detail::block_products<G>(sums + j, stored + j, g, begin, end);
      for (; j < count; ++j) detail::block_products<1>(sums + j, stored + j, g, begin, end);
    }
  });
  double* totals = scratch + blocks(n) * stride;  // one more row: the scratch's spare
  detail::add_blocks(scratch, blocks(n), stride, stride, totals);
  for (std::size_t j = 0; j < count; ++j) out[j] = totals[j];
  return {totals[count], totals[count + 1], totals[count + 2]};
}

// What combine returns.
struct DirectionProducts {
  double dd;  // Σ d·d
  double dg;  // Σ d·g
};

// d[i] = c_g·g[i] + Σ_j c[j]·stored[j][i], the terms added in the order j = 0, 1, … (the same
// roundings at any SIMD width); returns Σ d·d and Σ d·g. One pass. `scratch` holds
// blocks(n) × 2 sums.
KOBAI_KERNEL inline DirectionProducts combine(double* d, double c_g, const double* g, const double* const* stored,
                                              const double* c, std::size_t count, double* scratch, std::size_t n) {
  KOBAI_KERNEL_BODY
  using detail::Pack;
  detail::for_blocks(n, pass_threads(n, count + 2), [&](std::size_t first, std::size_t last) {
    KOBAI_KERNEL_BODY
    for (std::size_t b = first; b < last; ++b) {
      const std::size_t begin = b * block, end = std::min(n, begin + block), length = end - begin;
      double* out = d + begin;
      const double* gb = g + begin;
      simd::for_each_pack<double>(length, [&]<class V>(std::size_t i) { simd::store(out + i, V(c_g * simd::load<V>(gb + i))); });
      std::size_t j = 0;
      for (; j + 4 <= count; j += 4) {
        const double *v0 = stored[j] + begin, *v1 = stored[j + 1] + begin, *v2 = stored[j + 2] + begin,
                     *v3 = stored[j + 3] + begin;
        const double c0 = c[j], c1 = c[j + 1], c2 = c[j + 2], c3 = c[j + 3];
        simd::for_each_pack<double>(length, [&]<class V>(std::size_t i) {
          simd::store(out + i, V((((simd::load<V>(out + i) + c0 * simd::load<V>(v0 + i)) + c1 * simd::load<V>(v1 + i)) +
                                  c2 * simd::load<V>(v2 + i)) +
                                 c3 * simd::load<V>(v3 + i)));
        });
      }
      for (; j < count; ++j) {
        const double* v = stored[j] + begin;
        const double cj = c[j];
        simd::for_each_pack<double>(length, [&]<class V>(std::size_t i) {
          simd::store(out + i, V(simd::load<V>(out + i) + cj * simd::load<V>(v + i)));
        });
      }
      reductions::PartialSums dd, dg;
      std::size_t i = begin;
      for (; i + detail::partials <= end; i += detail::partials)
        for (std::size_t p = 0; p < detail::packs; ++p) {
          const std::size_t k = i + p * detail::lanes;
          const Pack dk = simd::load<Pack>(d + k);
          dd.acc[p] += dk * dk;
          dg.acc[p] += dk * simd::load<Pack>(g + k);
        }
      for (; i < end; ++i) {
        dd.add_tail(i % detail::partials, d[i] * d[i]);
        dg.add_tail(i % detail::partials, d[i] * g[i]);
      }
      scratch[2 * b] = dd.total();
      scratch[2 * b + 1] = dg.total();
    }
  });
  double totals[2];
  detail::add_blocks(scratch, blocks(n), 2, 2, totals);
  return {totals[0], totals[1]};
}

}  // namespace kobai::lbfgs_kernels
