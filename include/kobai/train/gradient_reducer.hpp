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
//
// A reducer with a chunk size (chunk_size() > 0, train/deterministic_reducer.hpp) takes over the
// whole step's gradient instead: the trainer calls reduce_chunks with a function that computes
// the gradient of any run of the batch's samples, and the reducer decides which chunks this worker
// computes and in which order they are added, so the sum has the same bits for any worker count.
//
// Stopping (Ctrl-C): workers must stop after the same step, or some would wait forever in the next
// combine for one that left. The trainer asks stop_requested() before every step; one worker
// answers from its own flag, several answer what they agreed when the last step's gradients were
// combined (each sends its flag along with them).
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
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

  // > 0: the trainer calls reduce_chunks (below) instead of shard and reduce.
  virtual std::size_t chunk_size() const { return 0; }
  // Computes the mean gradient of the batch's samples [first, last) into `gradient` (all of it
  // overwritten) and returns their mean loss.
  using ComputeChunk = std::function<double(std::size_t first, std::size_t last, std::span<T> gradient)>;
  // Leaves the mean gradient and mean loss of the whole batch of `batch_size` in `gradient` and
  // `loss`, computing chunks with `compute`.
  virtual void reduce_chunks(std::span<T> gradient, double& loss, std::size_t batch_size,
                             const ComputeChunk& compute) {
    (void)gradient, (void)loss, (void)batch_size, (void)compute;
  }

  // Whether the training loop stops now, before another step; `flag` is this worker's own request.
  virtual bool stop_requested(const std::atomic<bool>* flag) const {
    return flag != nullptr && flag->load(std::memory_order_relaxed);
  }
  // Whether this worker reports (prints, writes files): rank 0.
  virtual bool is_root() const { return true; }
};

}  // namespace kobai::train
