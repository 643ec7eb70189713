// kobai/core/simd_avx2_copy.hpp — an AVX2 copy of a loop in a baseline x86-64 build, chosen at
// run time.
//
// The element-wise optimizer steps stream from memory and gain nothing from wider packs
// (core/simd.hpp). Loops that work out of L1 and L2 — L-BFGS's vector-free passes, the lane
// programs of typed expressions — are bound by how many bytes a core loads a cycle, which AVX2's
// 32-byte loads double over SSE2's 16. So such a loop is written once over a pack type P (double,
// the build's simd::Pack<double>, or Avx2Pack), and where the build is for the x86-64 baseline it
// is compiled twice: for the build's width, and in a function marked target("avx2") that runs on
// CPUs that have AVX2. The AVX2 copy has no FMA (target "avx2" alone does not enable it), and the
// loops keep the element order of the build's width, so both copies give the same bits; tests
// switch the copy off through avx2_copy_enabled() to check it.
//
// A file that instantiates a loop with Avx2Pack wraps that code in KOBAI_AVX2_COPY_BEGIN / END: GCC
// and clang warn wherever a 32-byte vector is returned in code compiled without AVX (a call would pass it
// differently), and here packs are only returned from always-inlined loads, never across a call.
#pragma once

#include <cstddef>
#include <cstring>
#include <type_traits>

#include "kobai/core/simd.hpp"

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__) && KOBAI_SIMD_BYTES == 16
#define KOBAI_AVX2_COPY 1
#else
#define KOBAI_AVX2_COPY 0
#endif

#if defined(__GNUC__) || defined(__clang__)  // (clang reads GCC's pragmas, and has -Wpsabi too)
#define KOBAI_AVX2_COPY_BEGIN _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wpsabi\"")
#define KOBAI_AVX2_COPY_END _Pragma("GCC diagnostic pop")
#else
#define KOBAI_AVX2_COPY_BEGIN
#define KOBAI_AVX2_COPY_END
#endif

KOBAI_AVX2_COPY_BEGIN

namespace kobai::simd {

#if KOBAI_AVX2_COPY
typedef double Avx2Pack __attribute__((vector_size(32)));
#endif

// Whether loops run their AVX2 copy: on a CPU that has AVX2, unless a test turned it off to check
// the build's width. Always false in a build without the copy.
inline bool& avx2_copy_enabled() {
#if KOBAI_AVX2_COPY
  static bool enabled = __builtin_cpu_supports("avx2");
#else
  static bool enabled = false;
#endif
  return enabled;
}

// Doubles in a pack of type P (1 for double itself).
template <class P>
inline constexpr std::size_t lanes_of = sizeof(P) / sizeof(double);

// Unaligned load and store of a pack of doubles, or of one double.
template <class P>
KOBAI_SIMD_INLINE P load_lanes(const double* from) {
  P out;
  std::memcpy(&out, from, sizeof out);
  return out;
}
template <class P>
KOBAI_SIMD_INLINE void store_lanes(double* to, const P& value) {
  std::memcpy(to, &value, sizeof value);
}

// Element l of a pack (a double is its own element 0).
template <class P>
KOBAI_SIMD_INLINE double lane_of(const P& v, std::size_t l) {
  if constexpr (std::is_same_v<P, double>) return v;
  else return v[l];
}

// body.template operator()<P>(i) for i = 0, L, 2L, … while a whole pack fits, then
// body.template operator()<double>(i) for the rest of [0, n).
template <class P, class Body>
KOBAI_SIMD_INLINE void for_each_lanes(std::size_t n, Body&& body) {
  std::size_t i = 0;
  for (; i + lanes_of<P> <= n; i += lanes_of<P>) body.template operator()<P>(i);
  for (; i < n; ++i) body.template operator()<double>(i);
}

}  // namespace kobai::simd

KOBAI_AVX2_COPY_END
