// kobai/expr/sum_form_rows.hpp — moving a typed sum's inputs between x (and ∇f) and the rows of a
// block of terms (expr/sum_form.hpp).
//
//   gather        row[i] = from[step·i]
//   scatter_add   to[step·i] += row[i], or = 0 + row[i] (`store`: the first contribution, the bits
//                 of adding it to a cleared entry)
//   gather_pair   even[i] = from[2i], odd[i] = from[2i + 1]
//   scatter_pair  to[2i] (+)= even[i], to[2i + 1] (+)= odd[i]
//
// Typed sums mostly read every other variable (x0, x2, … and x1, x3, …: step 2). Such rows move in
// packs: two packs of the variables, their even lanes picked out (gather) or added to (scatter_add,
// the odd lanes kept as they were: the same additions as the scalar loop). The single-row pack
// loops stop a whole element short of the end, so that the odd lane after the last element read is
// still one of the row's own span. When two inputs of a term read neighbours (x_{2t} and x_{2t+1},
// the extended Rosenbrock function's), the pair moves in one pass over the variables: half the
// loads, and scatter_pair writes both lanes, reading ∇f not at all when it stores. Other steps: the
// scalar loops. Every entry gets the same operation on the same values as in the scalar loops.
//
// The AVX2 copy (core/simd_avx2_copy.hpp) is chosen at run time, as for the lane programs.
#pragma once

#include <cstddef>

#include "kobai/core/simd.hpp"
#include "kobai/core/simd_avx2_copy.hpp"

KOBAI_AVX2_COPY_BEGIN

namespace kobai::expr::sum_form_rows {

namespace detail {

template <class P>
KOBAI_SIMD_INLINE void gather(double* row, const double* from, std::ptrdiff_t step, int count) {
  int i = 0;
  if constexpr (simd::lanes_of<P> == 4) {
    if (step == 2)
      for (; i + 4 < count; i += 4) {
        const P a = simd::load_lanes<P>(from + 2 * i), b = simd::load_lanes<P>(from + 2 * i + 4);
        simd::store_lanes(row + i, P(__builtin_shufflevector(a, b, 0, 2, 4, 6)));
      }
  } else if constexpr (simd::lanes_of<P> == 2) {
    if (step == 2)
      for (; i + 2 < count; i += 2) {
        const P a = simd::load_lanes<P>(from + 2 * i), b = simd::load_lanes<P>(from + 2 * i + 2);
        simd::store_lanes(row + i, P(__builtin_shufflevector(a, b, 0, 2)));
      }
  }
  for (; i < count; ++i) row[i] = from[step * i];
}

template <class P, bool Store>
KOBAI_SIMD_INLINE void scatter_add(double* to, const double* row, std::ptrdiff_t step, int count) {
  int i = 0;
  if constexpr (simd::lanes_of<P> == 4) {
    if (step == 2)
      for (; i + 4 < count; i += 4) {
        const P r = simd::load_lanes<P>(row + i);
        const P a = simd::load_lanes<P>(to + 2 * i), b = simd::load_lanes<P>(to + 2 * i + 4);
        const P low = (Store ? P{} : a) + P(__builtin_shufflevector(r, r, 0, 0, 1, 1));
        const P high = (Store ? P{} : b) + P(__builtin_shufflevector(r, r, 2, 2, 3, 3));
        simd::store_lanes(to + 2 * i, P(__builtin_shufflevector(low, a, 0, 5, 2, 7)));
        simd::store_lanes(to + 2 * i + 4, P(__builtin_shufflevector(high, b, 0, 5, 2, 7)));
      }
  } else if constexpr (simd::lanes_of<P> == 2) {
    if (step == 2)
      for (; i + 2 < count; i += 2) {
        const P r = simd::load_lanes<P>(row + i);
        const P a = simd::load_lanes<P>(to + 2 * i), b = simd::load_lanes<P>(to + 2 * i + 2);
        const P low = (Store ? P{} : a) + P(__builtin_shufflevector(r, r, 0, 0));
        const P high = (Store ? P{} : b) + P(__builtin_shufflevector(r, r, 1, 1));
        simd::store_lanes(to + 2 * i, P(__builtin_shufflevector(low, a, 0, 3)));
        simd::store_lanes(to + 2 * i + 2, P(__builtin_shufflevector(high, b, 0, 3)));
      }
  }
  for (; i < count; ++i) to[step * i] = (Store ? 0.0 : to[step * i]) + row[i];
}

template <class P>
KOBAI_SIMD_INLINE void gather_pair(double* even, double* odd, const double* from, int count) {
  int i = 0;
  if constexpr (simd::lanes_of<P> == 4) {
    for (; i + 4 <= count; i += 4) {
      const P a = simd::load_lanes<P>(from + 2 * i), b = simd::load_lanes<P>(from + 2 * i + 4);
      simd::store_lanes(even + i, P(__builtin_shufflevector(a, b, 0, 2, 4, 6)));
      simd::store_lanes(odd + i, P(__builtin_shufflevector(a, b, 1, 3, 5, 7)));
    }
  } else if constexpr (simd::lanes_of<P> == 2) {
    for (; i + 2 <= count; i += 2) {
      const P a = simd::load_lanes<P>(from + 2 * i), b = simd::load_lanes<P>(from + 2 * i + 2);
      simd::store_lanes(even + i, P(__builtin_shufflevector(a, b, 0, 2)));
      simd::store_lanes(odd + i, P(__builtin_shufflevector(a, b, 1, 3)));
    }
  }
  for (; i < count; ++i) {
    even[i] = from[2 * i];
    odd[i] = from[2 * i + 1];
  }
}

template <class P, bool Store>
KOBAI_SIMD_INLINE void scatter_pair(double* to, const double* even, const double* odd, int count) {
  int i = 0;
  if constexpr (simd::lanes_of<P> == 4) {
    for (; i + 4 <= count; i += 4) {
      const P e = simd::load_lanes<P>(even + i), o = simd::load_lanes<P>(odd + i);
      const P low = __builtin_shufflevector(e, o, 0, 4, 1, 5), high = __builtin_shufflevector(e, o, 2, 6, 3, 7);
      simd::store_lanes(to + 2 * i, P((Store ? P{} : simd::load_lanes<P>(to + 2 * i)) + low));
      simd::store_lanes(to + 2 * i + 4, P((Store ? P{} : simd::load_lanes<P>(to + 2 * i + 4)) + high));
    }
  } else if constexpr (simd::lanes_of<P> == 2) {
    for (; i + 2 <= count; i += 2) {
      const P e = simd::load_lanes<P>(even + i), o = simd::load_lanes<P>(odd + i);
      const P low = __builtin_shufflevector(e, o, 0, 2), high = __builtin_shufflevector(e, o, 1, 3);
      simd::store_lanes(to + 2 * i, P((Store ? P{} : simd::load_lanes<P>(to + 2 * i)) + low));
      simd::store_lanes(to + 2 * i + 2, P((Store ? P{} : simd::load_lanes<P>(to + 2 * i + 2)) + high));
    }
  }
  for (; i < count; ++i) {
    to[2 * i] = (Store ? 0.0 : to[2 * i]) + even[i];
    to[2 * i + 1] = (Store ? 0.0 : to[2 * i + 1]) + odd[i];
  }
}

#if KOBAI_AVX2_COPY
__attribute__((target("avx2"))) inline void gather_avx2(double* row, const double* from, std::ptrdiff_t step,
                                                        int count) {
  gather<simd::Avx2Pack>(row, from, step, count);
}
__attribute__((target("avx2"))) inline void scatter_add_avx2(double* to, const double* row, std::ptrdiff_t step,
                                                             int count, bool store) {
  if (store) scatter_add<simd::Avx2Pack, true>(to, row, step, count);
  else scatter_add<simd::Avx2Pack, false>(to, row, step, count);
}
__attribute__((target("avx2"))) inline void gather_pair_avx2(double* even, double* odd, const double* from,
                                                             int count) {
  gather_pair<simd::Avx2Pack>(even, odd, from, count);
}
__attribute__((target("avx2"))) inline void scatter_pair_avx2(double* to, const double* even, const double* odd,
                                                              int count, bool store) {
  if (store) scatter_pair<simd::Avx2Pack, true>(to, even, odd, count);
  else scatter_pair<simd::Avx2Pack, false>(to, even, odd, count);
}
#endif

}  // namespace detail

// No FMA contraction to worry about (only additions), but KOBAI_KERNEL keeps the builds alike.
KOBAI_KERNEL inline void gather(double* row, const double* from, std::ptrdiff_t step, int count) {
  KOBAI_KERNEL_BODY
#if KOBAI_AVX2_COPY
  if (simd::avx2_copy_enabled()) return detail::gather_avx2(row, from, step, count);
#endif
  detail::gather<simd::Pack<double>>(row, from, step, count);
}

KOBAI_KERNEL inline void scatter_add(double* to, const double* row, std::ptrdiff_t step, int count, bool store) {
  KOBAI_KERNEL_BODY
#if KOBAI_AVX2_COPY
  if (simd::avx2_copy_enabled()) return detail::scatter_add_avx2(to, row, step, count, store);
#endif
  if (store) detail::scatter_add<simd::Pack<double>, true>(to, row, step, count);
  else detail::scatter_add<simd::Pack<double>, false>(to, row, step, count);
}

KOBAI_KERNEL inline void gather_pair(double* even, double* odd, const double* from, int count) {
  KOBAI_KERNEL_BODY
#if KOBAI_AVX2_COPY
  if (simd::avx2_copy_enabled()) return detail::gather_pair_avx2(even, odd, from, count);
#endif
  detail::gather_pair<simd::Pack<double>>(even, odd, from, count);
}

KOBAI_KERNEL inline void scatter_pair(double* to, const double* even, const double* odd, int count, bool store) {
  KOBAI_KERNEL_BODY
#if KOBAI_AVX2_COPY
  if (simd::avx2_copy_enabled()) return detail::scatter_pair_avx2(to, even, odd, count, store);
#endif
  if (store) detail::scatter_pair<simd::Pack<double>, true>(to, even, odd, count);
  else detail::scatter_pair<simd::Pack<double>, false>(to, even, odd, count);
}

}  // namespace kobai::expr::sum_form_rows

KOBAI_AVX2_COPY_END
