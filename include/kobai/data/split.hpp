// kobai/data/split.hpp — a deterministic train/test split by seed.
//
// The samples are permuted with kobai's own generator (data/random.hpp: the same permutation on
// every platform for a seed), then the first `train_size` go to training and the next `test_size`
// to testing. The bundled digits are stored sorted by class, so a split without shuffling would
// train on 0–7 and test on 8–9.
#pragma once

#include <cstdint>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/data/dataset.hpp"
#include "kobai/data/random.hpp"

namespace kobai::data {

template <class T>
struct Split {
  Dataset<T> train, test;
};

// train_size + test_size ≤ size; test_size 0 gives an empty test set.
template <class T>
Split<T> split(const Dataset<T>& all, std::size_t train_size, std::size_t test_size,
               std::uint64_t seed) {
  const auto n = static_cast<std::size_t>(all.size());
  if (train_size == 0)
    throw InvalidArgument("train size must be > 0, got 0");
  if (train_size + test_size > n)
    throw InvalidArgument("train size + test size must be <= " + std::to_string(n) +
                          " (the samples in " + all.source + "), got " + std::to_string(train_size) +
                          " + " + std::to_string(test_size));
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  Random random(seed);
  shuffle(order, random);
  const std::vector<std::size_t> train(order.begin(),
                                       order.begin() + static_cast<std::ptrdiff_t>(train_size));
  const std::vector<std::size_t> test(
      order.begin() + static_cast<std::ptrdiff_t>(train_size),
      order.begin() + static_cast<std::ptrdiff_t>(train_size + test_size));
  return {all.subset(train), all.subset(test)};
}

}  // namespace kobai::data
