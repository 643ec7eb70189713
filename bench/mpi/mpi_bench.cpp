// mpi_bench — what scale-out costs on this machine, and the numbers to project it past one machine.
//
//   mpirun -np 1 build/bench/mpi/mpi_bench        (OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 as root)
//   mpirun -np 2 build/bench/mpi/mpi_bench        [--quick] [--epochs E] [--threads N]
//
// 1. MPI_Allreduce (sum, float32, in place) against message size, 1 kB … 100 MB: the median time
//    per call, beside a memcpy of the same bytes measured in the same run (the reference: on one
//    machine the transport is shared memory, so every hop is copies), and the "bus bandwidth"
//    2(K−1)/K·n / t (bytes each rank sends and receives in a ring, per second).
// 2. The ring model t = 2(K−1)α + 2(K−1)/K·n·β fitted to those times (least squares on relative
//    error, so the 1 kB point counts as much as the 100 MB one): α the latency of one message,
//    β the inverse bandwidth per byte. With one rank there is nothing to fit (2(K−1) = 0).
// 3. Data-parallel training of the training benchmark's network with kobai train's own loop
//    (train::Trainer, nn::Mlp, Adam, the reducers of kobai train): 784-100-10, ReLU, softmax
//    cross-entropy, Adam lr 1e-3, global batch 100 (each rank 100/K samples), float32, 8,000
//    samples (the npm digits' training split size; the inputs are random, this times the work,
//    not the learning), evaluation off. Prints seconds per epoch, its split into compute and
//    allreduce (plain mode), the allreduce time the fitted model predicts, and the same epoch with
//    --deterministic's reducer (chunks of 25, kobai train's default, summed in order) as a ratio to the plain one.
//    Threads per rank: max(1, cores / ranks on this node), as kobai train; --threads N overrides.
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "kobai/core/parallel.hpp"
#include "kobai/data/dataset.hpp"
#include "kobai/nn/mlp.hpp"
#include "kobai/train/deterministic_reducer.hpp"
#include "kobai/train/mpi_communicator.hpp"
#include "kobai/train/mpi_reducer.hpp"
#include "kobai/train/optimizer.hpp"
#include "kobai/train/trainer.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// ---- 1. allreduce against message size ---------------------------------------------------------
struct Point {
  double bytes, allreduce, memcpy_time;  // fastest call (what the transport can do)
  double allreduce_median;               // typical call (what a shared machine gives)
};
struct Timing {
  double fastest, median;
};

// Seconds per call of `call` (fastest and median), repeated until ~budget seconds (at least 5
// times). Every rank runs the same number of repetitions (their mean decides), so the collectives
// pair up. Why the fastest too: on a machine shared with other work (this project's has 2 cores
// and often a load of 10), a rank that waits loses its core, and the median then measures the
// scheduler; the fastest call is the transport's own cost, the one the model is fitted to.
template <class Call>
Timing time_call(kobai::train::MpiCommunicator& world, Call&& call, double budget) {
  call();  // warm: first-touch pages, connection setup
  auto t = Clock::now();
  call();
  double once = seconds_since(t);
  world.allreduce_sum(std::span<double>(&once, 1));
  once /= world.size();
  const int repeats = std::clamp(static_cast<int>(budget / std::max(once, 1e-9)), 5, 2000);
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    world.barrier();
    t = Clock::now();
    call();
    times.push_back(seconds_since(t));
  }
  double m[2] = {*std::min_element(times.begin(), times.end()), median(times)};
  world.allreduce_sum(std::span<double>(m, 2));  // the job's time is the ranks' mean
  return {m[0] / world.size(), m[1] / world.size()};
}

// ---- 2. the ring model ---------------------------------------------------------------------------
// t = 2(K−1)α + 2(K−1)/K·n·β, fitted robustly: on a shared machine a few sizes come out 10-100x
// slow (a rank lost its core), and least squares would follow them. β is the median over the sizes
// in [from, to] of what each implies once the latency is taken off; α is then what the smallest
// message leaves after its bytes (its time is almost all latency). Two regimes are fitted apart:
// up to 4 MB (a gradient of up to a million floats) and from 10 MB, where Open MPI's shared-memory
// transport on this machine moves an order of magnitude slower (docs/scaling.md).
struct Fit {
  double alpha, beta;
};
Fit fit_ring(const std::vector<Point>& points, int k, double from, double to) {
  const double hops = 2.0 * (k - 1), share = 2.0 * (k - 1) / k;
  const double alpha0 = points.front().allreduce / hops;
  std::vector<double> betas;
  for (const Point& p : points)
    if (p.bytes >= from && p.bytes <= to) betas.push_back(std::max(p.allreduce - hops * alpha0, 0.0) / (share * p.bytes));
  const double beta = median(betas);
  const double alpha = std::max(points.front().allreduce - share * points.front().bytes * beta, 0.0) / hops;
  return {alpha, beta};
}
double ring_time(const Fit& f, int k, double bytes) {
  return 2.0 * (k - 1) * f.alpha + 2.0 * (k - 1) / k * bytes * f.beta;
}

// ---- 3. kobai's own data-parallel training --------------------------------------------------------
constexpr int inputs = 784, hidden = 100, classes = 10, samples = 8000, batch = 100;
constexpr std::size_t parameter_count = hidden * inputs + hidden + classes * hidden + classes;  // 79,510

// Counts the time the trainer spends in the reducer (allreduce, or the ordered chain, and waiting
// for the other ranks), around the reducer kobai train would use.
template <class Inner>
class TimedReducer : public kobai::train::GradientReducer<float> {
 public:
  explicit TimedReducer(Inner& inner) : inner_(inner) {}
  std::pair<std::size_t, std::size_t> shard(std::size_t b) const override { return inner_.shard(b); }
  void reduce(std::span<float> g, double& loss, std::size_t shard_size, std::size_t b) override {
    const auto t = Clock::now();
    inner_.reduce(g, loss, shard_size, b);
    seconds += seconds_since(t);
  }
  std::size_t chunk_size() const override { return inner_.chunk_size(); }
  void reduce_chunks(std::span<float> g, double& loss, std::size_t b, const ComputeChunk& compute) override {
    inner_.reduce_chunks(g, loss, b, compute);  // compute and combine are interleaved: not split
  }
  bool stop_requested(const std::atomic<bool>* flag) const override { return inner_.stop_requested(flag); }
  bool is_root() const override { return inner_.is_root(); }
  double seconds = 0;

 private:
  Inner& inner_;
};

struct EpochTimes {
  double total, reduce;  // median epoch, and the time in the reducer (plain mode only)
  double fastest;        // fastest epoch
};

// `epochs` timed epochs (after one to warm up) of `kobai train`'s loop: nn::Mlp 784-100-10, Adam
// 1e-3, batch 100, the reducer of kobai train (plain or --deterministic with chunks of 25).
EpochTimes train_epochs(kobai::train::MpiCommunicator& world, int epochs, bool deterministic) {
  std::mt19937 rng(12345);  // the same data on every rank
  std::uniform_real_distribution<float> pixel(0.0f, 1.0f);
  kobai::data::Dataset<float> train;
  train.x.resize(inputs, samples);
  for (Eigen::Index i = 0; i < train.x.size(); ++i) train.x.data()[i] = pixel(rng);
  train.labels.resize(samples);
  for (auto& l : train.labels) l = static_cast<std::int32_t>(rng() % classes);
  train.classes = classes;
  train.source = "random pixels";
  kobai::nn::Mlp<float> net({.layers = {inputs, hidden, classes}});
  net.initialize(1);
  auto adam = kobai::train::TypedOptimizer<float>::make("adam", {.lr = 1e-3});
  kobai::train::CommunicatorReducer<float> plain(world);
  kobai::train::DeterministicReducer<float> ordered(world, 25);  // kobai train's default chunk
  TimedReducer<kobai::train::CommunicatorReducer<float>> timed_plain(plain);
  TimedReducer<kobai::train::DeterministicReducer<float>> timed_ordered(ordered);
  kobai::train::GradientReducer<float>* reducer = deterministic ? static_cast<kobai::train::GradientReducer<float>*>(&timed_ordered) : &timed_plain;
  kobai::train::Trainer trainer(net, adam, train, nullptr,
                                {.epochs = epochs + 1, .batch_size = batch, .seed = 3, .evaluate = false}, reducer);
  std::vector<double> totals, reduces;
  for (int e = 0; e < epochs + 1; ++e) {  // epoch 0 warms up, not counted
    world.barrier();
    const double reduced_before = timed_plain.seconds;
    const auto start = Clock::now();
    for (int b = 0; b < samples / batch; ++b) trainer.step();
    if (e == 0) continue;
    totals.push_back(seconds_since(start));
    reduces.push_back(timed_plain.seconds - reduced_before);
  }
  // the replicas must hold the same bits: compare a checksum of the parameters with rank 0's
  double sum = 0;
  for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(net.parameter_count()); ++i) sum += net.parameters().data()[i];
  std::vector<std::byte> root(sizeof sum);
  std::memcpy(root.data(), &sum, sizeof sum);
  world.broadcast(root, 0);
  double root_sum = 0;
  std::memcpy(&root_sum, root.data(), sizeof root_sum);
  int differ = root_sum != sum;
  double flags[1] = {static_cast<double>(differ)};
  world.allreduce_sum(std::span<double>(flags, 1));
  if (world.is_root() && flags[0] > 0) std::printf("WARNING: the replicas' parameters differ\n");
  const int k = world.size();
  double result[3] = {median(totals), median(reduces), *std::min_element(totals.begin(), totals.end())};
  world.allreduce_sum(std::span<double>(result, 3));
  return {result[0] / k, result[1] / k, result[2] / k};
}

}  // namespace

int main(int argc, char** argv) {
  kobai::train::MpiCommunicator world;
  bool quick = false;
  int epochs = 5, threads = 0;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) quick = true;
    else if (!std::strcmp(argv[i], "--epochs") && i + 1 < argc) epochs = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) threads = std::max(1, std::atoi(argv[++i]));
    else {
      if (world.is_root()) std::fprintf(stderr, "usage: mpi_bench [--quick] [--epochs E] [--threads N]\n");
      return 2;
    }
  }
  const int k = world.size();
  const bool root = world.is_root();
  kobai::set_num_threads(threads > 0 ? threads
                                     : std::max(1, kobai::detail::default_thread_count() / world.ranks_on_this_node()));
  const double budget = quick ? 0.05 : 0.3;
  if (root) {
    char version[MPI_MAX_LIBRARY_VERSION_STRING];
    int length = 0;
    MPI_Get_library_version(version, &length);
    std::string v(version, static_cast<std::size_t>(length));
    v = v.substr(0, v.find_first_of(",\n"));
    std::printf("mpi_bench: %d rank%s, %s\n\n", k, k == 1 ? "" : "s", v.c_str());
    std::printf("1. MPI_Allreduce (sum, float32, in place), fastest and median call; memcpy of the same bytes (fastest), same run\n");
    std::printf("%12s %10s %13s %13s %11s %9s %9s\n", "bytes", "floats", "allreduce us", "median us", "memcpy us",
                "ratio", "bus GB/s");
  }
  std::vector<double> sizes;
  for (double b = 1e3; b < 1.01e8; b *= (quick ? 10.0 : std::sqrt(10.0))) sizes.push_back(std::round(b / 4) * 4);
  std::vector<Point> points;
  for (double bytes : sizes) {
    const auto n = static_cast<std::size_t>(bytes / 4);
    std::vector<float> buffer(n, 1.0f), copy(n);
    const Timing reduce = time_call(world, [&] { world.allreduce_sum(buffer); }, budget);
    const Timing copied = time_call(world, [&] { std::memcpy(copy.data(), buffer.data(), n * 4); }, budget);
    points.push_back({bytes, reduce.fastest, copied.fastest, reduce.median});
    if (root)
      std::printf("%12.0f %10zu %13.2f %13.2f %11.2f %9.2f %9.2f\n", bytes, n, reduce.fastest * 1e6, reduce.median * 1e6,
                  copied.fastest * 1e6, reduce.fastest / copied.fastest,
                  k > 1 ? 2.0 * (k - 1) / k * bytes / reduce.fastest / 1e9 : 0.0);
  }
  Fit fit{0, 0};
  if (root) std::printf("\n2. ring model t = 2(K-1)a + 2(K-1)/K n b, fitted to the fastest calls\n");
  if (k > 1) {
    fit = fit_ring(points, k, 1e5, 4e6);
    const Fit large = fit_ring(points, k, 1e7, 1e9);
    if (root) {
      std::printf("   up to 4 MB:  alpha = %.3g us per message, beta = %.3g ns per byte (%.2f GB/s)\n", fit.alpha * 1e6,
                  fit.beta * 1e9, 1e-9 / fit.beta);
      std::printf("   from 10 MB:  beta = %.3g ns per byte (%.2f GB/s)\n", large.beta * 1e9, 1e-9 / large.beta);
      std::printf("   measured / model (up to 4 MB: the first fit; from 10 MB: the second), by size:");
      for (const Point& p : points)
        std::printf(" %.2g", p.allreduce / ring_time(p.bytes <= 4e6 ? fit : Fit{fit.alpha, large.beta}, k, p.bytes));
      std::printf("\n");
    }
  } else if (root) {
    std::printf("   one rank: no communication term to fit (2(K-1) = 0); run with mpirun -np 2\n");
  }

  const int timed = quick ? 1 : epochs;
  const EpochTimes epoch = train_epochs(world, timed, false);
  const EpochTimes ordered = train_epochs(world, timed, true);
  if (root) {
    const double steps = samples / batch;
    std::printf("\n3. kobai train's loop: 784-100-10 ReLU, Adam, global batch %d (%d per rank), float32, "
                "%d samples (random pixels), %zu parameters, %d thread(s) per rank\n", batch, batch / k, samples,
                parameter_count, kobai::num_threads());
    std::printf("   plain:          %.4f s per epoch (median of %d; fastest %.4f s): compute %.4f s, allreduce and waiting %.4f s (%.1f%%)\n",
                epoch.total, timed, epoch.fastest, epoch.total - epoch.reduce, epoch.reduce,
                100 * epoch.reduce / epoch.total);
    std::printf("   --deterministic: %.4f s per epoch (median of %d; fastest %.4f s): %.2f x plain (chunks of 25, ordered sum)\n",
                ordered.total, timed, ordered.fastest, ordered.total / epoch.total);
    if (k > 1)
      std::printf("   the ring model predicts %.4f s of allreduce per epoch (%.0f x %zu bytes)\n",
                  steps * ring_time(fit, k, 4.0 * parameter_count), steps, 4 * parameter_count);
  }
  return 0;
}
