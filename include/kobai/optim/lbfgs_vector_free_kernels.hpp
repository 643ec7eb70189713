// kobai/optim/lbfgs_vector_free_kernels.hpp — the two passes over the pairs of L-BFGS's
// vector-free form (lbfgs_gram.hpp; Lbfgs from vector_free_from variables on):
//
//   gradient_products   y = g⁺ − g, and the new gradient's products with every stored vector;
//                       also minimize's after-step check (x⁺ and g⁺ finite, max |g⁺|), which as
//                       a pass of its own re-read both out of L2 (~9 µs of an 80 µs iteration)
//   combine             d = c_g·g + Σ c_j·(stored vector j), with d·d and d·g
//
// Both sweep the stored vectors in blocks of `block` elements: the block of the vector they write
// (or multiply everything by) stays in L1 while each stored vector's block streams past once.
// Their sums are added up block by block: each block's 8 partial sums in reductions' fixed tree,
// then the blocks in order. The blocks may be shared among threads (kobai::num_threads(), each a
// run of whole blocks, cut where the threads finish together: core/block_split.hpp), and the sums
// are the same bits for any number of threads, any cuts and any SIMD width. Two threads split the
// pairs between two cores' caches: at n = 10⁴, m = 10 the pairs (1.6 MB) with the iterate's
// vectors overflow one core's 2 MB L2 and fit two.
//
// Width: the passes are bound by how many bytes a core loads a cycle, so a baseline x86-64 build
// also carries an AVX2 copy of each, chosen at run time (core/simd_avx2_copy.hpp; the same bits).
#pragma once

#include <algorithm>
#include <cstddef>

#include "kobai/core/block_split.hpp"
#include "kobai/core/parallel.hpp"
#include "kobai/core/reductions.hpp"
#include "kobai/core/simd.hpp"
#include "kobai/core/simd_avx2_copy.hpp"

KOBAI_AVX2_COPY_BEGIN

namespace kobai::lbfgs_kernels {

inline constexpr std::size_t block = 512;  // elements (4 KiB a vector)

// Blocks a pass over n elements has.
inline std::size_t blocks(std::size_t n) { return (n + block - 1) / block; }

// Threads for a pass over `vectors` arrays of n elements: each thread gets at least
// parallel_grain() / 8 elements of all the arrays together, and whole blocks. An element-wise step
// reads and writes ~5 arrays in a cache-missing stream; a pass reads 2m + 3 arrays out of L2 (or
// L3), so it pays for a thread sooner. Measured (bench/lbfgs_passes_bench, 2-core Xeon VM, 20
// stored vectors): two threads take a direction from 12 to 9.5 µs at n = 2000 and from 68 to 32 µs
// at n = 10⁴.
inline int pass_threads(std::size_t n, std::size_t vectors) {
  return std::min(threads_for(n * vectors * 8), static_cast<int>(blocks(n)));
}

namespace detail {

using reductions::partials;

// Runs range(first_block, last_block) over [0, blocks(n)), split among `threads`: where `split`
// cuts, or in equal runs.
template <class Range>
void for_blocks(std::size_t n, int threads, BlockSplit* split, Range&& range) {
  const std::size_t count = blocks(n);
  if (threads <= 1) {
    range(std::size_t{0}, count);
    return;
  }
  if (split != nullptr) {
    split->run(count, threads, range);
    return;
  }
  const auto t = static_cast<std::size_t>(threads);
  auto task = [&](int k) {
    const auto i = static_cast<std::size_t>(k);
    range(count * i / t, count * (i + 1) / t);
  };
  kobai::detail::ThreadPool::instance().run(threads, task);
}

// sums[b·stride + j] over the blocks → out[j] = Σ_b, in block order, j < width.
inline void add_blocks(const double* sums, std::size_t block_count, std::size_t stride, std::size_t width,
                       double* out) {
  for (std::size_t j = 0; j < width; ++j) out[j] = 0;
  for (std::size_t b = 0; b < block_count; ++b)
    for (std::size_t j = 0; j < width; ++j) out[j] += sums[b * stride + j];
}

using simd::lanes_of;
using simd::load_lanes;
using simd::store_lanes;

// 8 partial sums (element i to sum i mod 8) in packs of P: reductions' order and tree.
template <class P>
using Sums = reductions::PartialSumsOf<P>;

// out[k] = Σ v[k][i]·g[i] over [begin, end) for k < G (begin a multiple of 8). G·packs
// accumulators live in registers: 8 / packs products at a time keeps them to 8 vector registers.
template <class P, std::size_t G>
KOBAI_SIMD_INLINE void block_products(double* out, const double* const* v, const double* g, std::size_t begin,
                                      std::size_t end) {
  constexpr std::size_t lanes = lanes_of<P>, packs = partials / lanes;
  Sums<P> sums[G];
  std::size_t i = begin;
  for (; i + partials <= end; i += partials)
    for (std::size_t p = 0; p < packs; ++p) {
      const P gp = load_lanes<P>(g + i + p * lanes);
      for (std::size_t k = 0; k < G; ++k) sums[k].acc[p] += load_lanes<P>(v[k] + i + p * lanes) * gp;
    }
  for (; i < end; ++i)
    for (std::size_t k = 0; k < G; ++k) sums[k].tail[i % partials] += v[k][i] * g[i];
  for (std::size_t k = 0; k < G; ++k) out[k] = sums[k].total();
}

struct ProductsPass {
  double* y;
  const double *x, *g, *g_old, *d;
  const double* const* stored;
  std::size_t count;
  // block b's results at scratch + b·(count + extras): the stored vectors' products, then d·g,
  // y·y, y·g, Σ (x·0 + g·0) (0 exactly when both are finite) and max |g|.
  double* scratch;
  std::size_t n;
  static constexpr std::size_t extras = 5;

  template <class P>
  KOBAI_SIMD_INLINE void run(std::size_t first, std::size_t last) const {
    KOBAI_KERNEL_BODY
    constexpr std::size_t lanes = lanes_of<P>, packs = partials / lanes, G = packs < partials ? partials / packs : 1;
    for (std::size_t b = first; b < last; ++b) {
      const std::size_t begin = b * block, end = std::min(n, begin + block);
      double* sums = scratch + b * (count + extras);
      Sums<P> dg, yy, yg, zero;
      // Maxima as reductions::scan_step keeps them: a NaN is passed over (the finiteness sum reports it).
      P largest[packs] = {};
      double largest_tail = 0;
      std::size_t i = begin;
      for (; i + partials <= end; i += partials)
        for (std::size_t p = 0; p < packs; ++p) {
          const std::size_t k = i + p * lanes;
          const P gk = load_lanes<P>(g + k);
          const P yk = gk - load_lanes<P>(g_old + k);
          store_lanes(y + k, yk);
          dg.acc[p] += load_lanes<P>(d + k) * gk;
          yy.acc[p] += yk * yk;
          yg.acc[p] += yk * gk;
          zero.acc[p] += load_lanes<P>(x + k) * 0.0 + gk * 0.0;
          const P magnitude = gk < 0.0 ? -gk : gk;
          largest[p] = largest[p] < magnitude ? magnitude : largest[p];
        }
      for (; i < end; ++i) {
        y[i] = g[i] - g_old[i];
        dg.tail[i % partials] += d[i] * g[i];
        yy.tail[i % partials] += y[i] * y[i];
        yg.tail[i % partials] += y[i] * g[i];
        zero.tail[i % partials] += x[i] * 0.0 + g[i] * 0.0;
        largest_tail = simd::larger(largest_tail, std::abs(g[i]));
      }
      for (std::size_t p = 0; p < packs; ++p)
        for (std::size_t l = 0; l < lanes; ++l) largest_tail = simd::larger(largest_tail, simd::lane_of(largest[p], l));
      sums[count] = dg.total();
      sums[count + 1] = yy.total();
      sums[count + 2] = yg.total();
      sums[count + 3] = zero.total();
      sums[count + 4] = largest_tail;
      std::size_t j = 0;
      for (; j + G <= count; j += G) block_products<P, G>(sums + j, stored + j, g, begin, end);
      for (; j < count; ++j) block_products<P, 1>(sums + j, stored + j, g, begin, end);
    }
  }
};

struct CombinePass {
  double* d;
  double c_g;
  const double* g;
  const double* const* stored;
  const double* c;
  std::size_t count;
  double* scratch;  // block b's d·d and d·g at scratch + 2b
  std::size_t n;

  template <class P>
  KOBAI_SIMD_INLINE void run(std::size_t first, std::size_t last) const {
    KOBAI_KERNEL_BODY
    constexpr std::size_t lanes = lanes_of<P>, packs = partials / lanes;
    for (std::size_t b = first; b < last; ++b) {
      const std::size_t begin = b * block, end = std::min(n, begin + block), length = end - begin;
      double* out = d + begin;
      const double* gb = g + begin;
      const double cg = c_g;
      simd::for_each_lanes<P>(length, [&]<class V>(std::size_t i) { store_lanes(out + i, V(cg * load_lanes<V>(gb + i))); });
      std::size_t j = 0;
      for (; j + 4 <= count; j += 4) {
        const double *v0 = stored[j] + begin, *v1 = stored[j + 1] + begin, *v2 = stored[j + 2] + begin,
                     *v3 = stored[j + 3] + begin;
        const double c0 = c[j], c1 = c[j + 1], c2 = c[j + 2], c3 = c[j + 3];
        simd::for_each_lanes<P>(length, [&]<class V>(std::size_t i) {
          store_lanes(out + i, V((((load_lanes<V>(out + i) + c0 * load_lanes<V>(v0 + i)) + c1 * load_lanes<V>(v1 + i)) +
                                  c2 * load_lanes<V>(v2 + i)) +
                                 c3 * load_lanes<V>(v3 + i)));
        });
      }
      for (; j < count; ++j) {
        const double* v = stored[j] + begin;
        const double cj = c[j];
        simd::for_each_lanes<P>(length, [&]<class V>(std::size_t i) {
          store_lanes(out + i, V(load_lanes<V>(out + i) + cj * load_lanes<V>(v + i)));
        });
      }
      Sums<P> dd, dg;
      std::size_t i = begin;
      for (; i + partials <= end; i += partials)
        for (std::size_t p = 0; p < packs; ++p) {
          const std::size_t k = i + p * lanes;
          const P dk = load_lanes<P>(d + k);
          dd.acc[p] += dk * dk;
          dg.acc[p] += dk * load_lanes<P>(g + k);
        }
      for (; i < end; ++i) {
        dd.tail[i % partials] += d[i] * d[i];
        dg.tail[i % partials] += d[i] * g[i];
      }
      scratch[2 * b] = dd.total();
      scratch[2 * b + 1] = dg.total();
    }
  }
};

// The build's width. No FMA contraction (KOBAI_KERNEL): the same roundings as the AVX2 copy.
template <class Pass>
KOBAI_KERNEL inline void run_native(const Pass& pass, std::size_t first, std::size_t last) {
  KOBAI_KERNEL_BODY
  pass.template run<reductions::Pack>(first, last);
}

#if KOBAI_AVX2_COPY
// (target "avx2" without "fma": no fused multiply-add to contract into.)
template <class Pass>
__attribute__((target("avx2"))) inline void run_avx2(const Pass& pass, std::size_t first, std::size_t last) {
  pass.template run<simd::Avx2Pack>(first, last);
}
#endif

template <class Pass>
void run_pass(const Pass& pass, int threads, BlockSplit* split) {
#if KOBAI_AVX2_COPY
  if (simd::avx2_copy_enabled()) {
    for_blocks(pass.n, threads, split, [&](std::size_t first, std::size_t last) { run_avx2(pass, first, last); });
    return;
  }
#endif
  for_blocks(pass.n, threads, split, [&](std::size_t first, std::size_t last) { run_native(pass, first, last); });
}

}  // namespace detail

// What gradient_products returns beside the products with the stored vectors.
struct NewGradientProducts {
  double dg;           // Σ d·g
  double yy;           // Σ y·y
  double yg;           // Σ y·g
  bool finite;         // every x[i] and g[i] finite
  double g_max_abs;    // max |g[i]| (NaN entries passed over)
};

// For the new iterate x and its gradient g: y[i] = g[i] − g_old[i], and out[j] = Σ stored[j]·g
// for j < count; returns Σ d·g, Σ y·y, Σ y·g and the after-step check of x and g. One pass over
// the stored vectors, x, d, g and g_old. `scratch` holds (blocks(n) + 1) × (count + 5) values.
// Threads share the blocks where `split` cuts (core/block_split.hpp; null: equally).
inline NewGradientProducts gradient_products(double* y, const double* x, const double* g, const double* g_old,
                                            const double* d, const double* const* stored, std::size_t count,
                                            double* out, double* scratch, std::size_t n,
                                            BlockSplit* split = nullptr) {
  constexpr std::size_t extras = detail::ProductsPass::extras;
  const std::size_t stride = count + extras;
  detail::run_pass(detail::ProductsPass{y, x, g, g_old, d, stored, count, scratch, n},
                   pass_threads(n, count + extras), split);
  const std::size_t block_count = blocks(n);
  double* totals = scratch + block_count * stride;  // the spare last row
  detail::add_blocks(scratch, block_count, stride, count + 4, totals);
  double largest = 0;
  for (std::size_t b = 0; b < block_count; ++b) largest = simd::larger(largest, scratch[b * stride + count + 4]);
  std::copy(totals, totals + count, out);
  return {totals[count], totals[count + 1], totals[count + 2], totals[count + 3] == 0, largest};
}

// Values gradient_products' scratch holds for `count` stored vectors.
inline std::size_t gradient_products_scratch(std::size_t n, std::size_t count) {
  return (blocks(n) + 1) * (count + detail::ProductsPass::extras);
}

// What combine returns.
struct DirectionProducts {
  double dd;  // Σ d·d
  double dg;  // Σ d·g
};

// d[i] = c_g·g[i] + Σ_j c[j]·stored[j][i], the terms added in the order j = 0, 1, … (the same
// roundings at any SIMD width); returns Σ d·d and Σ d·g. One pass. `scratch` holds
// blocks(n) × 2 sums. Threads share the blocks as in gradient_products.
inline DirectionProducts combine(double* d, double c_g, const double* g, const double* const* stored,
                                 const double* c, std::size_t count, double* scratch, std::size_t n,
                                 BlockSplit* split = nullptr) {
  detail::run_pass(detail::CombinePass{d, c_g, g, stored, c, count, scratch, n}, pass_threads(n, count + 2), split);
  double totals[2];
  detail::add_blocks(scratch, blocks(n), 2, 2, totals);
  return {totals[0], totals[1]};
}

}  // namespace kobai::lbfgs_kernels

KOBAI_AVX2_COPY_END
