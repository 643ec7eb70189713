// kobai/data/batches.hpp — shuffled mini-batches, epoch after epoch, with a position that can be
// saved and restored.
//
// Each epoch is a fresh permutation of the samples (Fisher–Yates with data::Random); batches are
// consecutive slices of it, and the last batch of an epoch is smaller when the batch size does
// not divide the number of samples (PyTorch's DataLoader with drop_last=False). The sampler's
// whole state — the generator, the epoch's permutation, the position in it — is a few numbers:
// a checkpoint stores them and a resumed run gets the same batches in the same order.
//
//   kobai::data::BatchSampler sampler(train.size(), 100, seed);
//   auto batch = sampler.next();        // indices of the next batch; batch.epoch_end on the last
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/data/dataset.hpp"
#include "kobai/data/random.hpp"

namespace kobai::data {

class BatchSampler {
 public:
  struct Batch {
    std::span<const std::size_t> indices;
    bool epoch_end = false;  // the last batch of its epoch
  };
  // What a checkpoint needs to continue: the generator as it was before this epoch's shuffle,
  // the epoch, and the position in it (the permutation is drawn again from the saved generator).
  struct State {
    Random::State random_before_epoch{};
    std::int64_t epoch = 0;        // epochs completed
    std::uint64_t position = 0;    // samples of the current epoch already handed out
  };

  BatchSampler(std::size_t samples, std::size_t batch_size, std::uint64_t seed)
      : samples_(samples), batch_size_(batch_size), random_(seed), order_(samples) {
    if (samples == 0) throw InvalidArgument("cannot draw batches from an empty dataset");
    if (batch_size == 0) throw InvalidArgument("batch size must be > 0, got 0");
    start_epoch();
  }

  // The next batch (a view valid until the next call). No allocation.
  Batch next() {
    if (position_ == samples_) {
      ++epoch_;
      start_epoch();
    }
    const std::size_t count = std::min(batch_size_, samples_ - position_);
    Batch batch{{order_.data() + position_, count}, false};
    position_ += count;
    batch.epoch_end = position_ == samples_;
    return batch;
  }

  std::size_t batches_per_epoch() const { return (samples_ + batch_size_ - 1) / batch_size_; }
  std::size_t batch_size() const { return batch_size_; }
  std::int64_t epoch() const { return epoch_; }

  State state() const { return {random_before_epoch_, epoch_, position_}; }
  void load_state(const State& state) {
    if (state.position > samples_)
      throw InvalidArgument("sampler position must be <= " + std::to_string(samples_) +
                            " samples, got " + std::to_string(state.position));
    epoch_ = state.epoch;
    random_.set_state(state.random_before_epoch);
    start_epoch();
    position_ = static_cast<std::size_t>(state.position);
  }

 private:
  void start_epoch() {
    random_before_epoch_ = random_.state();
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    shuffle(order_, random_);
    position_ = 0;
  }

  std::size_t samples_, batch_size_;
  Random random_;
  Random::State random_before_epoch_{};
  std::vector<std::size_t> order_;
  std::size_t position_ = 0;
  std::int64_t epoch_ = 0;
};

// Copies the samples at `indices` into the first columns of `x` (features × ≥ count) and their
// labels into `labels` (or targets into `targets`). The destination is sized once by the caller.
template <class T, class U>
void gather(const Dataset<U>& source, std::span<const std::size_t> indices, ColumnMatrix<T>& x,
            std::vector<std::int32_t>& labels, ColumnMatrix<T>& targets) {
  for (std::size_t k = 0; k < indices.size(); ++k) {
    const auto i = static_cast<Eigen::Index>(indices[k]);
    const auto j = static_cast<Eigen::Index>(k);
    x.col(j) = source.x.col(i).template cast<T>();
    if (source.is_classification())
      labels[k] = source.labels[indices[k]];
    else
      targets.col(j) = source.targets.col(i).template cast<T>();
  }
}

}  // namespace kobai::data
