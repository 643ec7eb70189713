// BlockSplit (kobai/core/block_split.hpp): every block runs once whatever the cuts; a cut moves one
// block towards the thread that finishes first once the other has lagged by more than
// `threshold` blocks' time on average, never empties a thread's run, and stays put while the
// threads are within that; the vector-free L-BFGS passes give the same bits under any cuts.
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <random>
#include <vector>

#include "kobai/core/block_split.hpp"
#include "kobai/core/parallel.hpp"
#include "kobai/optim/lbfgs_vector_free_kernels.hpp"

namespace {

using kobai::BlockSplit;

// The finish times of two threads whose runs take per_block seconds a block, the second
// `extra` blocks' time more (the first −extra more, when negative).
void record_two(BlockSplit& split, double per_block, double extra) {
  const double finish[2] = {per_block * (static_cast<double>(split.cut(1)) + (extra < 0 ? -extra : 0)),
                            per_block * (static_cast<double>(split.cut(2) - split.cut(1)) + (extra > 0 ? extra : 0))};
  split.record(finish);
}

TEST(BlockSplit, StartsEvenAndKeepsItsCutsWhileTheThreadsFinishWithinTheThreshold) {
  BlockSplit split;
  split.fit(20, 2);
  EXPECT_EQ(split.cut(0), 0u);
  EXPECT_EQ(split.cut(1), 10u);
  EXPECT_EQ(split.cut(2), 20u);
  for (int pass = 0; pass < 100; ++pass) record_two(split, 1e-6, pass % 2 ? 1.2 : -1.2);
  EXPECT_EQ(split.cut(1), 10u);
  split.fit(20, 2);  // the same shape: the cuts stay
  EXPECT_EQ(split.cut(1), 10u);
}

TEST(BlockSplit, MovesACutOneBlockTowardsTheThreadThatFinishesLater) {
  BlockSplit split;
  split.fit(20, 2);
  // The second thread takes 3 blocks' time more: the first takes blocks off it, one at a time
  // (smoothed: not on the first pass), until the difference is within the threshold.
  record_two(split, 1e-6, 3);
  EXPECT_EQ(split.cut(1), 10u);
  for (int pass = 0; pass < 50; ++pass) record_two(split, 1e-6, 3);
  EXPECT_EQ(split.cut(1), 11u);  // 11 against 9 + 3: within 1.5 blocks
  for (int pass = 0; pass < 50; ++pass) record_two(split, 1e-6, -5);  // now the first is slow
  EXPECT_EQ(split.cut(1), 8u);  // 8 against 12 − 5
}

TEST(BlockSplit, NeverEmptiesAThreadsRunAndStartsAgainForANewShape) {
  BlockSplit split;
  split.fit(20, 2);
  for (int pass = 0; pass < 200; ++pass) record_two(split, 1e-6, 1000);
  EXPECT_EQ(split.cut(1), 19u);
  split.fit(30, 2);
  EXPECT_EQ(split.cut(1), 15u);
  split.fit(30, 3);
  EXPECT_EQ(split.cut(1), 10u);
  EXPECT_EQ(split.cut(2), 20u);
  EXPECT_EQ(split.cut(3), 30u);
}

TEST(BlockSplit, RunsEveryBlockOnceOnAnyNumberOfThreads) {
  const int saved = kobai::num_threads();
  for (int threads : {1, 2, 3}) {
    kobai::set_num_threads(threads);
    BlockSplit split;
    for (std::size_t count : {1u, 2u, 7u, 20u}) {
      std::vector<std::atomic<int>> runs(count);
      for (int pass = 0; pass < 20; ++pass)
        split.run(count, threads, [&](std::size_t first, std::size_t last) {
          for (std::size_t b = first; b < last; ++b) runs[b].fetch_add(1);
        });
      for (std::size_t b = 0; b < count; ++b) EXPECT_EQ(runs[b].load(), 20) << threads << " threads, block " << b;
    }
  }
  kobai::set_num_threads(saved);
}

TEST(BlockSplit, TheVectorFreePassesGiveTheSameBitsUnderAnyCuts) {
  namespace k = kobai::lbfgs_kernels;
  const int saved = kobai::num_threads();
  const std::size_t saved_grain = kobai::parallel_grain();
  kobai::set_num_threads(2);
  kobai::set_parallel_grain(1);  // both passes on two threads
  const std::size_t n = 20 * k::block - 100;
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  auto random = [&] {
    std::vector<double> v(n);
    for (double& e : v) e = normal(rng);
    return v;
  };
  const std::vector<double> x = random(), g = random(), g_old = random(), d = random(), s0 = random(), s1 = random();
  const double* stored[] = {s0.data(), s1.data()};
  const double c[] = {0.5, -0.25};
  auto products = [&](BlockSplit* split, std::vector<double>& y, std::vector<double>& out) {
    std::vector<double> scratch(k::gradient_products_scratch(n, 2));
    return k::gradient_products(y.data(), x.data(), g.data(), g_old.data(), d.data(), stored, 2, out.data(),
                                scratch.data(), n, split);
  };
  auto direction = [&](BlockSplit* split, std::vector<double>& out) {
    std::vector<double> scratch(2 * k::blocks(n));
    return k::combine(out.data(), -0.75, g.data(), stored, c, 2, scratch.data(), n, split);
  };
  std::vector<double> y_even(n), out_even(2), d_even(n);
  const auto p_even = products(nullptr, y_even, out_even);
  const auto c_even = direction(nullptr, d_even);
  for (double extra : {1000.0, -1000.0}) {
    BlockSplit split;
    split.fit(k::blocks(n), 2);
    for (int pass = 0; pass < 100; ++pass) record_two(split, 1e-6, extra);
    ASSERT_EQ(split.cut(1), extra > 0 ? k::blocks(n) - 1 : 1);
    std::vector<double> y(n), out(2), dir(n);
    const auto p = products(&split, y, out);
    const auto cd = direction(&split, dir);
    EXPECT_EQ(y, y_even);
    EXPECT_EQ(out, out_even);
    EXPECT_EQ(p.dg, p_even.dg);
    EXPECT_EQ(p.yy, p_even.yy);
    EXPECT_EQ(p.yg, p_even.yg);
    EXPECT_EQ(p.g_max_abs, p_even.g_max_abs);
    EXPECT_EQ(dir, d_even);
    EXPECT_EQ(cd.dd, c_even.dd);
    EXPECT_EQ(cd.dg, c_even.dg);
  }
  kobai::set_num_threads(saved);
  kobai::set_parallel_grain(saved_grain);
}

}  // namespace
