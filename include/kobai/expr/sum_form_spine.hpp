// kobai/expr/sum_form_spine.hpp — adding up a typed sum's terms along its spine (expr/sum_form.hpp)
// when the spine is all additions.
//
// The parser sums a long list pairwise, and SumForm orders the spine by height: what is left is
// mostly runs of instructions that each add two neighbours, the next instruction the next two,
//   values[out + j] = values[first + 2j] + values[first + 2j + 1],   j < count
// (at n = 10⁴ the extended Rosenbrock function's 4,999 additions are two such runs and three
// loners). A run is added in packs: two packs of values, their even and odd lanes picked out and
// added, a pack of sums stored — where all of a pack's operands come before the run's pack of
// outputs (a run can reach the values it writes itself: its upper levels read its lower ones), and
// one by one after that. The instructions outside runs go through the index arrays. Each addition
// has the same two operands as in the program: the same bits.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kobai/core/simd.hpp"
#include "kobai/core/simd_avx2_copy.hpp"

KOBAI_AVX2_COPY_BEGIN

namespace kobai::expr {

class SpineSums {
 public:
  // Instructions at positions [begin, begin + count) of the spine adding neighbours from `first`.
  struct Run {
    std::size_t begin, count;
    std::int32_t first;
  };
  // Runs shorter than this stay with the index arrays.
  static constexpr std::size_t min_run = 8;

  SpineSums() = default;
  // The spine `left[i] + right[i]` into values[base + i], operands indices into values.
  SpineSums(std::vector<std::int32_t> left, std::vector<std::int32_t> right, std::int32_t base)
      : left_(std::move(left)), right_(std::move(right)), base_(base) {
    std::size_t i = 0;
    while (i < left_.size()) {
      std::size_t end = i + 1;
      if (right_[i] == left_[i] + 1)
        while (end < left_.size() && left_[end] == left_[end - 1] + 2 && right_[end] == left_[end] + 1) ++end;
      if (end - i >= min_run) runs_.push_back(Run{i, end - i, left_[i]});
      i = end;
    }
  }

  bool empty() const { return left_.empty(); }
  std::size_t size() const { return left_.size(); }
  const std::vector<Run>& runs() const { return runs_; }

  // Every instruction, in order, into values[base + i].
  void run(double* values) const {
#if KOBAI_AVX2_COPY
    if (simd::avx2_copy_enabled()) return run_avx2(values);
#endif
    run_lanes<simd::Pack<double>>(values);
  }

 private:
  template <class P>
  KOBAI_SIMD_INLINE void run_lanes(double* values) const {
    double* out = values + base_;
    std::size_t i = 0;
    for (const Run& r : runs_) {
      for (; i < r.begin; ++i) out[i] = values[left_[i]] + values[right_[i]];
      add_neighbours<P>(values, r);
      i = r.begin + r.count;
    }
    for (; i < left_.size(); ++i) out[i] = values[left_[i]] + values[right_[i]];
  }

  template <class P>
  KOBAI_SIMD_INLINE void add_neighbours(double* values, const Run& r) const {
    constexpr std::size_t lanes = simd::lanes_of<P>;
    const auto out = static_cast<std::ptrdiff_t>(base_) + static_cast<std::ptrdiff_t>(r.begin);
    const double* in = values + r.first;
    double* to = values + out;
    // Pack j..j+lanes reads up to first + 2j + 2·lanes − 1, which must come before out + j.
    const std::ptrdiff_t reach = out - r.first - static_cast<std::ptrdiff_t>(2 * lanes - 1);
    const std::size_t packed = reach > 0 ? std::min(r.count, static_cast<std::size_t>(reach)) : 0;
    std::size_t j = 0;
    if constexpr (lanes == 4) {
      for (; j + 4 <= packed; j += 4) {
        const P a = simd::load_lanes<P>(in + 2 * j), b = simd::load_lanes<P>(in + 2 * j + 4);
        simd::store_lanes(to + j, P(P(__builtin_shufflevector(a, b, 0, 2, 4, 6)) + P(__builtin_shufflevector(a, b, 1, 3, 5, 7))));
      }
    } else if constexpr (lanes == 2) {
      for (; j + 2 <= packed; j += 2) {
        const P a = simd::load_lanes<P>(in + 2 * j), b = simd::load_lanes<P>(in + 2 * j + 2);
        simd::store_lanes(to + j, P(P(__builtin_shufflevector(a, b, 0, 2)) + P(__builtin_shufflevector(a, b, 1, 3))));
      }
    }
    for (; j < r.count; ++j) to[j] = in[2 * j] + in[2 * j + 1];
  }

#if KOBAI_AVX2_COPY
  __attribute__((target("avx2"))) void run_avx2(double* values) const { run_lanes<simd::Avx2Pack>(values); }
#endif

  std::vector<std::int32_t> left_, right_;
  std::int32_t base_ = 0;
  std::vector<Run> runs_;
};

}  // namespace kobai::expr

KOBAI_AVX2_COPY_END
