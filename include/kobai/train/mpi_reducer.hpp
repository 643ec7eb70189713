// kobai/train/mpi_reducer.hpp — data-parallel training over a Communicator (MPI under mpirun).
//
// Each rank computes the samples [rank·B/K, (rank+1)·B/K) of every global batch of B (the shard),
// then one allreduce over the flat gradient combines the shards: a shard's mean gradient is scaled
// by its share n_r/B before the sum, so the result is the batch's mean, the same bits on every rank
// (MPI gives every rank the same reduced buffer), and every rank takes the same optimizer step.
// The loss travels in a second, two-double allreduce together with the rank's stop flag (Ctrl-C):
// every rank learns in the same step whether any rank was asked to stop, so all stop after that
// step. The order of MPI's additions is its own (ring, recursive doubling), so the parameters
// equal one process's to rounding (1e-5 relative after 100 float32 steps, tests/mpi), not bit for
// bit; see DeterministicReducer (deterministic_reducer.hpp) for that.
#pragma once

#include <atomic>
#include <span>
#include <utility>

#include "kobai/train/communicator.hpp"
#include "kobai/train/gradient_reducer.hpp"

namespace kobai::train {

template <class T>
class CommunicatorReducer : public GradientReducer<T> {
 public:
  // `stop`: this rank's stop request (the Ctrl-C flag), sent along with every step's loss.
  explicit CommunicatorReducer(Communicator& communicator, const std::atomic<bool>* stop = nullptr)
      : communicator_(communicator), stop_(stop) {}

  std::pair<std::size_t, std::size_t> shard(std::size_t batch_size) const override {
    const auto k = static_cast<std::size_t>(communicator_.size()), r = static_cast<std::size_t>(communicator_.rank());
    return {r * batch_size / k, (r + 1) * batch_size / k};
  }
  void reduce(std::span<T> gradient, double& loss, std::size_t shard_size, std::size_t batch_size) override {
    if (communicator_.size() == 1) return;
    const T share = static_cast<T>(static_cast<double>(shard_size) / static_cast<double>(batch_size));
    for (T& g : gradient) g *= share;
    communicator_.allreduce_sum(gradient);
    double loss_and_stop[2] = {loss * static_cast<double>(shard_size) / static_cast<double>(batch_size),
                               stop_ != nullptr && stop_->load(std::memory_order_relaxed) ? 1.0 : 0.0};
    communicator_.allreduce_sum(std::span<double>(loss_and_stop, 2));
    loss = loss_and_stop[0];
    agreed_stop_ = loss_and_stop[1] > 0;
  }
  bool stop_requested(const std::atomic<bool>* flag) const override {
    if (communicator_.size() == 1) return GradientReducer<T>::stop_requested(flag);
    return agreed_stop_;
  }
  bool is_root() const override { return communicator_.is_root(); }

 private:
  Communicator& communicator_;
  const std::atomic<bool>* stop_;
  bool agreed_stop_ = false;
};

}  // namespace kobai::train
