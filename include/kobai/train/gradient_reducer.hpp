// kobai/train/gradient_reducer.hpp — the one place where several workers' gradients meet.
//
// Data-parallel training (one process per core or machine, e.g. over MPI) splits each global
// mini-batch across workers: each computes the gradient of its share, the shares are combined into
// the gradient of the whole batch, and every worker takes the same optimizer step. The training
// loop knows nothing about how the combining is done: it asks the reducer which part of the batch
// this worker computes (`shard`) and hands it the flat gradient and the loss of that part each step
// (`reduce`), which must leave the whole batch's mean gradient and mean loss in them, the same bits
// on every worker. The default reducer is a single worker: the whole batch, nothing to combine.
// An MPI reducer (kobai/train/mpi_reducer.hpp, in builds with MPI) implements the two functions
// with MPI_Allreduce over the one flat buffer: one message per step, whatever the network's shape.
#pragma once

#include <cstddef>
#include <span>
#include <utility>

namespace kobai::train {

template <class T>
class GradientReducer {
 public:
  virtual ~GradientReducer() = default;
  // The samples [first, last) of a global batch of `batch_size` this worker computes.
  virtual std::pair<std::size_t, std::size_t> shard(std::size_t batch_size) const {
    return {0, batch_size};
  }
  // `gradient` and `loss` hold the mean over this worker's `shard_size` samples; afterwards they
  // must hold the mean over all `batch_size` samples of the batch.
  virtual void reduce(std::span<T> gradient, double& loss, std::size_t shard_size,
                      std::size_t batch_size) {
    (void)gradient, (void)loss, (void)shard_size, (void)batch_size;
  }
  // Whether this worker reports (prints, writes files): rank 0.
  virtual bool is_root() const { return true; }
};

}  // namespace kobai::train
