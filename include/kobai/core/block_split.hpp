// kobai/core/block_split.hpp — sharing a pass's blocks among threads so that they finish together.
//
// A pass over `count` blocks gives each thread a contiguous run of them: the blocks a thread
// reads stay in its core's cache from one pass to the next (L-BFGS's vector-free passes keep the
// stored pairs split between two cores' L2 caches so). Equal runs are not equally fast, though:
// on the 2-core VM, at n = 10⁴, the worker's half of the new-gradient pass reads what the caller's
// core had just written (the new iterate and its gradient, out of the other core's cache) and
// finished ~10% after the caller, which spent that time waiting. So BlockSplit remembers where
// the runs are cut and, after each pass, moves a cut by one block towards the thread that
// finished first, once the threads on either side of it have differed by more than 1.5 blocks'
// time on a smoothed average (a cut that moved has gained one block for one side and lost one
// for the other: 2 blocks' difference, so it does not move straight back). A cut moves seldom
// and by one block, so the cached blocks stay where they are.
//
// The split changes only who computes which block: a pass that adds its sums block by block in
// block order gives the same bits for any cuts.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include "kobai/core/parallel.hpp"

namespace kobai {

class BlockSplit {
 public:
  // Smoothing of the finish-time differences (weight of the newest pass), and how many blocks'
  // time they must exceed before a cut moves.
  static constexpr double smoothing = 0.25, threshold = 1.5;

  // Runs range(first, last) over [0, count) on `threads` threads (the calling thread included),
  // each a run of whole blocks between this split's cuts, and moves the cuts (see above).
  template <class Range>
  void run(std::size_t count, int threads, Range&& range) {
    if (threads <= 1 || count < 2) {
      range(std::size_t{0}, count);
      return;
    }
    fit(count, threads);
    const auto start = std::chrono::steady_clock::now();
    auto task = [&](int k) {
      const auto i = static_cast<std::size_t>(k);
      range(cuts_[i], cuts_[i + 1]);
      finish_[i] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    // Run one after another (a nested call), the finish times say nothing about the threads.
    if (kobai::detail::ThreadPool::instance().run(threads, task)) record(finish_.data());
  }

  // The first block of thread k's run (cut(threads) = count), for the last count and threads.
  std::size_t cut(int k) const { return cuts_[static_cast<std::size_t>(k)]; }

  // Cuts every thread's run equal, for `count` blocks on `threads` threads (kept when unchanged).
  void fit(std::size_t count, int threads) {
    const auto t = static_cast<std::size_t>(threads);
    if (count == count_ && cuts_.size() == t + 1) return;
    count_ = count;
    cuts_.resize(t + 1);
    for (std::size_t i = 0; i <= t; ++i) cuts_[i] = count * i / t;
    lag_.assign(t + 1, 0.0);
    finish_.assign(t, 0.0);
  }

  // Takes the threads' finish times (seconds from the pass's start, one per thread) and moves the
  // cuts between threads that differ (see the file comment).
  void record(const double* finish) {
    const std::size_t t = cuts_.size() - 1;
    for (std::size_t j = 1; j < t; ++j) {
      const std::size_t left = cuts_[j] - cuts_[j - 1], right = cuts_[j + 1] - cuts_[j];
      const double per_block = (finish[j - 1] + finish[j]) / static_cast<double>(left + right);
      if (!(per_block > 0)) continue;
      // > 0: the thread after the cut finished later, by this many blocks' time.
      const double behind = (finish[j] - finish[j - 1]) / per_block;
      lag_[j] = (1 - smoothing) * lag_[j] + smoothing * behind;
      if (lag_[j] > threshold && right > 1) {
        ++cuts_[j];
        lag_[j] = 0;
      } else if (lag_[j] < -threshold && left > 1) {
        --cuts_[j];
        lag_[j] = 0;
      }
    }
  }

 private:
  std::size_t count_ = 0;
  std::vector<std::size_t> cuts_;
  std::vector<double> lag_;
  std::vector<double> finish_;
};

}  // namespace kobai
