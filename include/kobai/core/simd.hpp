// kobai/core/simd.hpp — explicit SIMD packs for the element-wise optimizer kernels.
//
// A kernel that takes a square root left to the auto-vectorizer is fast only under the right
// flags: GCC (and clang) keep `std::sqrt` scalar unless the build says `-fno-math-errno` (sqrt of
// a negative number must set errno, so the call stays), and GCC 12 at -O2 does not vectorize a
// loop of unknown length at all. A header-only library cannot rely on its users' flags, so the
// kernels spell the vectors out: each element-wise body is written once, as a generic lambda over
// its value type, and `for_each_pack` runs it on packs of `pack_lanes<T>` elements and then on
// the last few elements one at a time:
//
//   simd::for_each_pack<T>(n, [&]<class V>(std::size_t i) {
//     const V s = simd::load<V>(s_array + i) + d * d;   // V is Pack<T> or T
//     simd::store(s_array + i, s);
//     ...simd::sqrt(s)...
//   });
//
// With a plain `g++ -O2` (SSE2, the x86-64 baseline) a pack is 16 bytes; a build for AVX makes it
// 32 (not 64: the dividers and the square root are no faster per element at 512 bits, and GCC
// itself prefers 256-bit vectors). `sqrt` on a pack is the hardware's vector square root: like
// the scalar one, correctly rounded, and it sets no errno. There is no runtime dispatch to AVX:
// the steps are memory-bound, and the 16-byte packs of a default build already reach the
// bandwidth bound, at 0.84–0.95 of the AVX build's speed (docs/performance.md, issue 14).
//
// The body is inlined into the kernel (for_each_pack is always_inline, the lambda is called once
// per pack type), so it is compiled with the kernel's options: GCC forms FMAs after inlining, with
// the function's -ffp-contract; clang's `fp contract(off)` covers the lambda, which sits inside
// the kernel's body.
//
// Same bits whatever the pack width, the flags or the thread count: each element goes through the
// same IEEE operations in the same order, whether in a lane of a pack or in the scalar tail
// (+, −, ×, ÷ and √ are each correctly rounded, and KOBAI_KERNEL switches off the FMA contraction
// that would merge two of them); tests/optimizer_kernels_test.cpp checks it in the project's build
// and in one with a consumer's default flags.
//
// Elsewhere (no SSE2, no GCC vector extensions, or KOBAI_SIMD_BYTES defined as 0) a pack is one
// element and `for_each_pack` is the plain loop, marked KOBAI_SIMD as before for the
// auto-vectorizer.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "kobai/core/parallel.hpp"

#ifndef KOBAI_SIMD_BYTES
#if (defined(__GNUC__) || defined(__clang__)) && defined(__AVX__)
#define KOBAI_SIMD_BYTES 32
#elif (defined(__GNUC__) || defined(__clang__)) && defined(__SSE2__)
#define KOBAI_SIMD_BYTES 16
#else
#define KOBAI_SIMD_BYTES 0
#endif
#endif

#if KOBAI_SIMD_BYTES > 0
#include <immintrin.h>
#endif

#if defined(__GNUC__) || defined(__clang__)
#define KOBAI_SIMD_INLINE [[gnu::always_inline]] inline
#else
#define KOBAI_SIMD_INLINE inline
#endif

namespace kobai::simd {

#if KOBAI_SIMD_BYTES > 0
static_assert(KOBAI_SIMD_BYTES == 16 || KOBAI_SIMD_BYTES == 32, "KOBAI_SIMD_BYTES: 0, 16 or 32");

// Elements per pack.
template <class T>
inline constexpr std::size_t pack_lanes = KOBAI_SIMD_BYTES / sizeof(T);

// GCC vectors: +, −, ×, ÷ and comparisons act lane by lane; a scalar operand is broadcast.
// (Spelled out per type: GCC ignores vector_size on a template parameter.)
template <class T>
struct PackTypes;
template <>
struct PackTypes<float> {
  typedef float Pack __attribute__((vector_size(KOBAI_SIMD_BYTES)));
  typedef std::int32_t Bits __attribute__((vector_size(KOBAI_SIMD_BYTES)));
};
template <>
struct PackTypes<double> {
  typedef double Pack __attribute__((vector_size(KOBAI_SIMD_BYTES)));
  typedef std::int64_t Bits __attribute__((vector_size(KOBAI_SIMD_BYTES)));
};
template <class T>
using Pack = typename PackTypes<T>::Pack;
#else
template <class T>
inline constexpr std::size_t pack_lanes = 1;
template <class T>
using Pack = T;
#endif

template <class V>
inline constexpr bool is_scalar = std::is_floating_point_v<V>;

// Unaligned loads and stores (memcpy of a pack compiles to one vector move).
template <class V, class T>
KOBAI_SIMD_INLINE V load(const T* from) {
  if constexpr (is_scalar<V>) {
    return *from;
  } else {
    V out;
    std::memcpy(&out, from, sizeof out);
    return out;
  }
}
template <class V, class T>
KOBAI_SIMD_INLINE void store(T* to, const V& value) {
  if constexpr (is_scalar<V>) {
    *to = value;
  } else {
    std::memcpy(to, &value, sizeof value);
  }
}

// Correctly rounded square root, lane by lane.
template <class V>
KOBAI_SIMD_INLINE V sqrt(const V& x) {
  if constexpr (is_scalar<V>) {
    return std::sqrt(x);
  }
#if KOBAI_SIMD_BYTES == 16
  else if constexpr (std::is_same_v<V, Pack<float>>) {
    return reinterpret_cast<V>(_mm_sqrt_ps(reinterpret_cast<__m128>(x)));
  } else {
    static_assert(std::is_same_v<V, Pack<double>>);
    return reinterpret_cast<V>(_mm_sqrt_pd(reinterpret_cast<__m128d>(x)));
  }
#elif KOBAI_SIMD_BYTES == 32
  else if constexpr (std::is_same_v<V, Pack<float>>) {
    return reinterpret_cast<V>(_mm256_sqrt_ps(reinterpret_cast<__m256>(x)));
  } else {
    static_assert(std::is_same_v<V, Pack<double>>);
    return reinterpret_cast<V>(_mm256_sqrt_pd(reinterpret_cast<__m256d>(x)));
  }
#endif
}

// |x|: the sign bit cleared, as std::abs does.
template <class V>
KOBAI_SIMD_INLINE V abs(const V& x) {
#if KOBAI_SIMD_BYTES > 0
  if constexpr (!is_scalar<V>) {
    using T = std::remove_cvref_t<decltype(x[0])>;
    using Bits = typename PackTypes<T>::Bits;
    using Int = std::remove_cvref_t<decltype(Bits{}[0])>;
    constexpr Int kMagnitude = static_cast<Int>(~(std::uint64_t{1} << (8 * sizeof(Int) - 1)));
    return reinterpret_cast<V>(reinterpret_cast<Bits>(x) & kMagnitude);
  } else
#endif
  {
    return std::abs(x);
  }
}

// b where a < b, else a (a NaN comparison keeps a): the kernels' `a < b ? b : a`, lane by lane.
// (With packs, `a < b` is a mask and `?:` selects lane by lane: GCC ≥ 4.9, clang ≥ 10.)
template <class V>
KOBAI_SIMD_INLINE V larger(const V& a, const V& b) {
  return a < b ? b : a;
}

// Runs body.template operator()<Pack<T>>(i) for i = 0, L, 2L, … while a whole pack fits, then
// body.template operator()<T>(i) for the rest. The body is inlined into the calling kernel, so it
// is compiled with the kernel's options (KOBAI_KERNEL: no FMA contraction). The tail is short and
// left scalar: a 2-D problem's step (Beale, seed 003) is then the scalar formula, as fast as it
// can be on its latency chain.
template <class T, class Body>
KOBAI_SIMD_INLINE void for_each_pack(std::size_t n, Body&& body) {
#if KOBAI_SIMD_BYTES > 0
  constexpr std::size_t lanes = pack_lanes<T>;
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) body.template operator()<Pack<T>>(i);
  for (; i < n; ++i) body.template operator()<T>(i);
#else
  // (The pragma only where it is needed: a build without -fopenmp-simd warns of it under -Wall.)
KOBAI_SIMD
  for (std::size_t i = 0; i < n; ++i) body.template operator()<T>(i);
#endif
}

}  // namespace kobai::simd
