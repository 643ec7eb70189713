// kobai/train/mpi_reducer.hpp — data-parallel training over a Communicator (MPI under mpirun).
//
// Each rank computes the samples [rank·B/K, (rank+1)·B/K) of every global batch of B (the shard),
// then one allreduce over the flat gradient combines the shards: a shard's mean gradient is scaled
// by its share n_r/B before the sum, so the result is the batch's mean, the same bits on every rank
// (MPI gives every rank the same reduced buffer), and every rank takes the same optimizer step.
// The loss travels in the same way (one more double). The order of MPI's additions is its own
// (ring, recursive doubling), so the parameters equal one process's to rounding (1e-5 relative
// after 100 float32 steps, tests/mpi), not bit for bit; see DeterministicReducer for that.
#pragma once

#include <span>
#include <utility>

#include "kobai/train/communicator.hpp"
#include "kobai/train/gradient_reducer.hpp"

namespace kobai::train {

template <class T>
class CommunicatorReducer : public GradientReducer<T> {
 public:
  explicit CommunicatorReducer(Communicator& communicator) : communicator_(communicator) {}

  std::pair<std::size_t, std::size_t> shard(std::size_t batch_size) const override {
    const auto k = static_cast<std::size_t>(communicator_.size()), r = static_cast<std::size_t>(communicator_.rank());
    return {r * batch_size / k, (r + 1) * batch_size / k};
  }
  void reduce(std::span<T> gradient, double& loss, std::size_t shard_size, std::size_t batch_size) override {
    if (communicator_.size() == 1) return;
    const T share = static_cast<T>(static_cast<double>(shard_size) / static_cast<double>(batch_size));
    for (T& g : gradient) g *= share;
    communicator_.allreduce_sum(gradient);
    double l = loss * static_cast<double>(shard_size) / static_cast<double>(batch_size);
    communicator_.allreduce_sum(std::span<double>(&l, 1));
    loss = l;
  }
  bool is_root() const override { return communicator_.is_root(); }

 private:
  Communicator& communicator_;
};

}  // namespace kobai::train
