// kobai/train/deterministic_reducer.hpp — data-parallel training whose parameters have the same
// bits for any number of ranks (kobai train --deterministic), one process included.
//
// Floating-point addition is not associative, so a batch's gradient summed in a different order —
// two shards added by MPI, or three — differs in the last bits, and after a few hundred steps the
// parameters differ by ~1e-7 (mpi_reducer.hpp). Here the order of every addition is fixed by the
// batch alone, never by the number of ranks K:
//
//   1. the global batch of B samples is cut into chunks of C samples (the last may be shorter):
//      chunk c is the samples [c·C, min(B, (c+1)·C)), whatever K;
//   2. each chunk's mean gradient g_c is computed on its own, by the same code in any process
//      (the network's products compute every element in one fixed order, whatever the threads:
//      nn/gemm_avx512.hpp, tests/nn_test.cpp);
//   3. the batch's gradient is ((0 + s_0·g_0) + s_1·g_1) + … with s_c = n_c/B, added left to right
//      in chunk order through the communicator's ordered_sum: rank r holds the chunks
//      [r·N/K, (r+1)·N/K) of the N, adds them to the running sum it receives from rank r − 1 and
//      passes it on. One process makes exactly the same additions;
//   4. the loss: each chunk's s_c·loss_c goes in its own slot of an N-double allreduce (every slot
//      has one non-zero term, so any order of additions gives it exactly), then every rank adds
//      the slots in chunk order. One more slot carries the rank's stop flag (Ctrl-C), as in
//      CommunicatorReducer.
//
// Every rank then takes the same optimizer step (element-wise kernels: the same bits for any thread
// count, core/parallel.hpp) on the same bits. What it costs: a chunk's products are smaller than
// a whole shard's (less efficient for small C); ranks after the first compute their chunks before
// the chain (so they work while rank 0 does) and keep them until it reaches them: (N/K)·P values
// of memory for P parameters; and the chain is K − 1 sequential hops plus a broadcast instead of a
// ring allreduce. docs/scaling.md has the measured price.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/core/parallel.hpp"
#include "kobai/train/communicator.hpp"
#include "kobai/train/gradient_reducer.hpp"

namespace kobai::train {

template <class T>
class DeterministicReducer : public GradientReducer<T> {
 public:
  using typename GradientReducer<T>::ComputeChunk;

  // `chunk_size`: samples per chunk (> 0); `stop`: this rank's stop request (the Ctrl-C flag).
  DeterministicReducer(Communicator& communicator, std::size_t chunk_size, const std::atomic<bool>* stop = nullptr)
      : communicator_(communicator), chunk_(chunk_size), stop_(stop) {
    if (chunk_size == 0) throw InvalidArgument("the chunk size must be > 0, got 0");
  }

  std::size_t chunk_size() const override { return chunk_; }

  void reduce_chunks(std::span<T> gradient, double& loss, std::size_t batch_size,
                     const ComputeChunk& compute) override {
    const std::size_t chunks = (batch_size + chunk_ - 1) / chunk_;
    const auto k = static_cast<std::size_t>(communicator_.size()), r = static_cast<std::size_t>(communicator_.rank());
    step_ = {.compute = &compute, .batch = batch_size, .first = r * chunks / k, .last = (r + 1) * chunks / k,
             .values = gradient.size()};
    terms_.resize(chunks + 1);  // allocates in the first step only (capacity stays)
    std::fill(terms_.begin(), terms_.end(), 0.0);
    // Not first in the chain: compute this rank's chunks now, while the ranks below compute theirs.
    if (r > 0) {
      stored_.resize((step_.last - step_.first) * step_.values);
      for (std::size_t c = step_.first; c < step_.last; ++c) terms_[c] = compute_chunk(c, stored(c));
    } else {
      scratch_.resize(step_.values);
    }
    communicator_.ordered_sum(gradient, [this](std::span<T> running) { add_my_chunks(running); });
    terms_[chunks] = stop_ != nullptr && stop_->load(std::memory_order_relaxed) ? 1.0 : 0.0;
    if (k > 1) communicator_.allreduce_sum(std::span<double>(terms_));
    loss = 0;
    for (std::size_t c = 0; c < chunks; ++c) loss += terms_[c];
    agreed_stop_ = terms_[chunks] > 0;
  }

  bool stop_requested(const std::atomic<bool>* flag) const override {
    if (communicator_.size() == 1) return GradientReducer<T>::stop_requested(flag);
    return agreed_stop_;
  }
  bool is_root() const override { return communicator_.is_root(); }

 private:
  struct Step {
    const ComputeChunk* compute = nullptr;
    std::size_t batch = 0, first = 0, last = 0, values = 0;
  };

  std::size_t chunk_begin(std::size_t c) const { return c * chunk_; }
  std::size_t chunk_end(std::size_t c) const { return std::min(step_.batch, (c + 1) * chunk_); }
  // s_c = n_c / B, rounded to T once (the same rounding in every process).
  T share(std::size_t c) const {
    return static_cast<T>(static_cast<double>(chunk_end(c) - chunk_begin(c)) / static_cast<double>(step_.batch));
  }
  std::span<T> stored(std::size_t c) {
    return {stored_.data() + (c - step_.first) * step_.values, step_.values};
  }
  // Computes chunk c's gradient into `into`; returns its share of the batch's loss.
  double compute_chunk(std::size_t c, std::span<T> into) {
    const double chunk_loss = (*step_.compute)(chunk_begin(c), chunk_end(c), into);
    return chunk_loss * static_cast<double>(chunk_end(c) - chunk_begin(c)) / static_cast<double>(step_.batch);
  }
  void add_my_chunks(std::span<T> running) {
    for (std::size_t c = step_.first; c < step_.last; ++c) {
      if (communicator_.rank() == 0) {
        terms_[c] = compute_chunk(c, scratch_);
        add_scaled(running, share(c), scratch_.data());
      } else {
        add_scaled(running, share(c), stored(c).data());
      }
    }
  }
  // running += s·g, element by element, no fused multiply-add (KOBAI_KERNEL): the same two
  // roundings for every element in every process.
  KOBAI_KERNEL static void add_scaled(std::span<T> running, T s, const T* g) {
    KOBAI_KERNEL_BODY
    T* out = running.data();
    const std::size_t n = running.size();
    for (std::size_t i = 0; i < n; ++i) out[i] += s * g[i];
  }

  Communicator& communicator_;
  std::size_t chunk_;
  const std::atomic<bool>* stop_;
  bool agreed_stop_ = false;
  Step step_;
  std::vector<double> terms_;     // [c]: chunk c's share of the loss; [chunks]: stop requests
  std::vector<T> stored_, scratch_;
};

}  // namespace kobai::train
