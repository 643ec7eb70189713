// kobai/train/trainer.hpp — the mini-batch loop: epochs of shuffled batches, an optimizer step per
// batch, the test set scored after every epoch, divergence caught, and a state that a checkpoint
// can save and restore so a resumed run ends bit for bit where an uninterrupted one would.
//
//   kobai::nn::Mlp<float> net({.layers = {784, 100, 10}});
//   net.initialize(seed);
//   auto adam = kobai::train::TypedOptimizer<float>::make("adam", {});
//   kobai::train::Trainer trainer(net, adam, train_set, test_set, {.epochs = 10, .batch_size = 100});
//   kobai::train::TrainResult result = trainer.run();   // result.history: one row per epoch
//
// One iteration (step) t = 1, 2, …: take the next batch of the sampler (data/batches.hpp), copy
// its samples into the batch buffer, compute the mean loss and its gradient into the flat gradient
// buffer (nn/mlp.hpp), let the reducer combine workers' gradients (train/gradient_reducer.hpp; a
// no-op for one worker), then step the optimizer over the flat parameter buffer. A schedule sets
// the learning rate of step t from the optimizer's base lr (optim/schedule.hpp).
//
// Divergence: when the loss of iteration t is not finite, the run ends with status `diverged`,
// `diverged_at = t`, and the parameters are those before the previous step — the last ones whose
// loss was finite (the trainer keeps a copy of the parameters before each step; 4 bytes per
// parameter, a memcpy of ~0.3 MB for 784-100-10).
// A step after the first allocates nothing (tests/train_test.cpp counts allocations). During a
// step denormal floats are flushed to zero (nn/denormals.hpp: 30× faster Adam late in training).
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/data/batches.hpp"
#include "kobai/data/dataset.hpp"
#include "kobai/nn/denormals.hpp"
#include "kobai/nn/mlp.hpp"
#include "kobai/optim/schedule.hpp"
#include "kobai/train/gradient_reducer.hpp"

namespace kobai::train {

struct TrainOptions {
  std::int64_t epochs = 10;
  std::int64_t iterations = 0;   // > 0: this many steps instead of `epochs` epochs
  std::size_t batch_size = 100;
  std::uint64_t seed = 0;        // shuffling
  Schedule schedule{};           // learning rate by iteration, from the optimizer's lr
  bool evaluate = true;          // score the test set after each epoch
  bool keep_last_good = true;    // keep a copy of the parameters for divergence
  const std::atomic<bool>* stop = nullptr;  // set (e.g. by a signal handler) to stop after a step
  std::int64_t checkpoint_every = 0;        // > 0: call on_checkpoint every this many iterations

  void validate() const {
    if (batch_size == 0) throw InvalidArgument("batch size must be > 0, got 0");
    if (iterations < 0) throw InvalidArgument("iterations must be >= 0, got " + std::to_string(iterations));
    if (iterations == 0 && epochs <= 0)
      throw InvalidArgument("epochs must be > 0, got " + std::to_string(epochs));
    if (checkpoint_every < 0)
      throw InvalidArgument("checkpoint interval must be >= 0, got " + std::to_string(checkpoint_every));
    schedule.validate();
  }
};

// One row per epoch (and one at the end of a run that stops inside an epoch).
struct EpochRecord {
  double epoch = 0;            // epochs completed (fractional for a row inside an epoch)
  std::int64_t iteration = 0;  // steps taken
  double train_loss = 0;       // mean batch loss over the epoch's steps
  double test_loss = NAN, test_accuracy = NAN;  // NaN without a test set
  double lr = 0;               // the learning rate of the epoch's last step
  double seconds = 0;          // wall time since the start of the run (training + evaluation)
};

enum class TrainStatus { completed, diverged, stopped };

inline std::string to_string(TrainStatus s) {
  switch (s) {
    case TrainStatus::completed: return "completed";
    case TrainStatus::diverged: return "diverged";
    case TrainStatus::stopped: return "stopped";
  }
  return "completed";
}

struct TrainResult {
  TrainStatus status = TrainStatus::completed;
  std::string message;
  std::optional<std::int64_t> diverged_at;
  std::int64_t iterations = 0;
  std::vector<EpochRecord> history;
  std::vector<double> batch_losses;  // the loss of every step, in order
  double seconds = 0;                // training time (evaluation excluded)
};

// What a step reports to a callback (progress bars).
struct StepInfo {
  std::int64_t iteration = 0, total_iterations = 0;
  std::int64_t epoch = 0;      // epochs completed
  double loss = 0;             // this batch's
  double running_loss = 0;     // mean over the epoch so far
  double lr = 0;
};

// Everything besides parameters and optimizer state that a resumed run needs.
struct LoopState {
  data::BatchSampler::State sampler{};
  std::int64_t iteration = 0;
  double epoch_loss_sum = 0;        // Σ batch loss · batch size over the current epoch
  std::uint64_t epoch_samples = 0;  // samples in that sum
  double elapsed_seconds = 0;
  std::vector<EpochRecord> history;
  std::vector<double> batch_losses;
};

template <class T, class Optimizer>
class Trainer {
 public:
  Trainer(nn::Mlp<T>& net, Optimizer& optimizer, const data::Dataset<T>& train,
          const data::Dataset<std::type_identity_t<T>>* test, TrainOptions options,
          GradientReducer<std::type_identity_t<T>>* reducer = nullptr)
      : net_(net), optimizer_(optimizer), train_(train), test_(test), options_(options),
        reducer_(reducer ? reducer : &local_),
        sampler_((options.validate(), static_cast<std::size_t>(train.size())), options.batch_size, options.seed),
        base_lr_(optimizer.lr()), current_lr_(base_lr_) {
    net_.check_fits(train_);
    if (test_ && test_->size() > 0) net_.check_fits(*test_);
    const auto b = static_cast<Eigen::Index>(options_.batch_size);
    x_.resize(net_.inputs(), b);
    targets_.resize(net_.outputs(), b);
    labels_.resize(options_.batch_size);
    grads_ = net_.parameters().zeros_like();
    if (options_.keep_last_good) last_good_ = net_.parameters().zeros_like();
    net_.reserve(b);
    if (train_.is_classification() && net_.options().loss == nn::Loss::mse) net_.one_hot(labels_.data(), b);
    total_ = options_.iterations > 0
                 ? options_.iterations
                 : options_.epochs * static_cast<std::int64_t>(sampler_.batches_per_epoch());
    state_.batch_losses.reserve(static_cast<std::size_t>(total_));
  }

  std::function<void(const StepInfo&)> on_step;      // after every step
  std::function<void(const EpochRecord&)> on_epoch;  // after every epoch's evaluation
  std::function<void()> on_checkpoint;               // every options.checkpoint_every steps

  std::int64_t total_iterations() const { return total_; }
  std::size_t batches_per_epoch() const { return sampler_.batches_per_epoch(); }
  const FlatBuffer<T>& gradient() const { return grads_; }

  // Runs until the iteration count (or a stop request, or divergence).
  TrainResult run() {
    const auto start = Clock::now();
    const double elapsed_before = state_.elapsed_seconds;
    double eval_seconds = 0;
    TrainResult result;
    auto seconds_now = [&] {
      return elapsed_before + std::chrono::duration<double>(Clock::now() - start).count();
    };
    while (state_.iteration < total_) {
      // One worker: its own Ctrl-C flag; several: what they agreed in the last step (all stop
      // after the same step, none is left waiting for the others in the next one).
      if (reducer_->stop_requested(options_.stop)) {
        result.status = TrainStatus::stopped;
        result.message = "stopped at iteration " + std::to_string(state_.iteration) + " on request";
        break;
      }
      const std::int64_t t = state_.iteration + 1;
      const double loss = step();
      if (!std::isfinite(loss)) {
        if (options_.keep_last_good && t > 1)
          std::memcpy(net_.parameters().data(), last_good_.data(), sizeof(T) * last_good_.size());
        result.status = TrainStatus::diverged;
        result.diverged_at = t;
        result.message = "the loss became " + std::string(std::isnan(loss) ? "nan" : "infinite") +
                         " at iteration " + std::to_string(t) + "; the parameters are those of iteration " +
                         std::to_string(t > 1 ? t - 2 : 0) + ", the last with a finite loss";
        break;
      }
      if (on_step)
        on_step({t, total_, sampler_.epoch(), loss,
                 state_.epoch_loss_sum / static_cast<double>(state_.epoch_samples), current_lr_});
      if (epoch_ended_) {
        const auto eval_start = Clock::now();
        record_epoch(static_cast<double>(sampler_.epoch() + 1), seconds_now());
        eval_seconds += std::chrono::duration<double>(Clock::now() - eval_start).count();
      }
      if (options_.checkpoint_every > 0 && t % options_.checkpoint_every == 0 && on_checkpoint)
        on_checkpoint();
    }
    state_.elapsed_seconds = seconds_now();
    result.iterations = state_.iteration;
    result.history = state_.history;
    // A run that ends inside an epoch (--iterations, a stop, divergence) gets a row for where it
    // is; the row is the result's, not the loop state's (a resumed run finishes that epoch).
    if (state_.epoch_samples > 0 || state_.history.empty())
      result.history.push_back(
          make_row(static_cast<double>(sampler_.epoch()) +
                       static_cast<double>(state_.epoch_samples) / static_cast<double>(train_.size()),
                   seconds_now()));
    result.batch_losses = state_.batch_losses;
    result.seconds = state_.elapsed_seconds - eval_seconds;
    if (result.status == TrainStatus::completed)
      result.message = "trained " + std::to_string(state_.iteration) + " iterations";
    return result;
  }

  // One step on the next batch; returns its loss (the parameters are not stepped when it is not
  // finite). Public for benchmarks and tests.
  double step() {
    const nn::FlushDenormals flush;  // ~800 steps in, Adam's moments would go denormal (30× slower)
    const auto batch = sampler_.next();
    double loss = 0;
    if (reducer_->chunk_size() > 0) {
      // The reducer picks the chunks and the order of their sum (deterministic_reducer.hpp).
      // Captures `this` alone: small enough for std::function to hold without allocating.
      batch_ = batch.indices;
      reducer_->reduce_chunks(grads_.span(), loss, batch_.size(),
                              [this](std::size_t first, std::size_t last, std::span<T> gradient) {
                                return samples_loss_and_gradient(batch_.subspan(first, last - first), gradient.data());
                              });
    } else {
      const auto [first, last] = reducer_->shard(batch.indices.size());
      const auto shard = batch.indices.subspan(first, last - first);
      // A worker whose shard is empty (a last batch smaller than the number of workers) adds nothing.
      if (!shard.empty())
        loss = samples_loss_and_gradient(shard, grads_.data());
      else
        std::fill(grads_.data(), grads_.data() + grads_.size(), T(0));
      reducer_->reduce(grads_.span(), loss, shard.size(), batch.indices.size());
    }
    ++state_.iteration;
    state_.batch_losses.push_back(loss);
    epoch_ended_ = batch.epoch_end;
    if (!std::isfinite(loss)) return loss;
    state_.epoch_loss_sum += loss * static_cast<double>(batch.indices.size());
    state_.epoch_samples += batch.indices.size();
    if (options_.schedule.kind != Schedule::Kind::constant) {
      current_lr_ = options_.schedule.lr_at(base_lr_, state_.iteration - 1);
      optimizer_.set_lr(current_lr_);
    } else {
      current_lr_ = base_lr_;
    }
    if (options_.keep_last_good)
      std::memcpy(last_good_.data(), net_.parameters().data(), sizeof(T) * last_good_.size());
    optimizer_.step(net_.parameters().span(), grads_.cspan());
    return loss;
  }

  // For checkpoints: the loop's position (with the sampler's), to be saved beside the parameters
  // and the optimizer's state; load_state before run() continues from there.
  LoopState state() const {
    LoopState s = state_;
    s.sampler = sampler_.state();
    return s;
  }
  void load_state(const LoopState& s) {
    if (s.iteration > total_)
      throw InvalidArgument("the checkpoint is at iteration " + std::to_string(s.iteration) +
                            ", past this run's " + std::to_string(total_) + " iterations");
    sampler_.load_state(s.sampler);
    state_ = s;
    state_.batch_losses.reserve(static_cast<std::size_t>(total_));
    if (options_.schedule.kind != Schedule::Kind::constant && s.iteration > 0)
      current_lr_ = options_.schedule.lr_at(base_lr_, s.iteration - 1);
  }

 private:
  using Clock = std::chrono::steady_clock;

  EpochRecord make_row(double epoch, double seconds) {
    EpochRecord row;
    row.epoch = epoch;
    row.iteration = state_.iteration;
    row.train_loss = state_.epoch_samples > 0
                         ? state_.epoch_loss_sum / static_cast<double>(state_.epoch_samples)
                         : NAN;
    row.lr = current_lr_;
    if (options_.evaluate && test_ && test_->size() > 0) {
      const nn::Evaluation e = net_.evaluate(*test_);
      row.test_loss = e.loss;
      row.test_accuracy = test_->is_classification() ? e.accuracy : NAN;
    }
    row.seconds = seconds;
    return row;
  }

  // The mean loss of these training samples, and its gradient into `gradient` (overwritten).
  double samples_loss_and_gradient(std::span<const std::size_t> samples, T* gradient) {
    const auto count = static_cast<Eigen::Index>(samples.size());
    data::gather(train_, samples, x_, labels_, targets_);
    const T* targets = targets_.data();
    if (train_.is_classification() && net_.options().loss == nn::Loss::mse)
      targets = net_.one_hot(labels_.data(), count);
    return net_.loss_and_gradient(x_.data(), count, labels_.data(), targets, gradient);
  }

  void record_epoch(double epoch, double seconds) {
    state_.history.push_back(make_row(epoch, seconds));
    state_.epoch_loss_sum = 0;
    state_.epoch_samples = 0;
    if (on_epoch) on_epoch(state_.history.back());
  }

  nn::Mlp<T>& net_;
  Optimizer& optimizer_;
  const data::Dataset<T>& train_;
  const data::Dataset<T>* test_;
  TrainOptions options_;
  GradientReducer<T> local_;
  GradientReducer<T>* reducer_;
  data::BatchSampler sampler_;
  double base_lr_, current_lr_ = 0;
  std::int64_t total_ = 0;
  bool epoch_ended_ = false;
  LoopState state_;
  data::ColumnMatrix<T> x_, targets_;
  std::vector<std::int32_t> labels_;
  FlatBuffer<T> grads_, last_good_;
  std::span<const std::size_t> batch_;  // the current batch's samples (chunked reducers)
};

}  // namespace kobai::train
