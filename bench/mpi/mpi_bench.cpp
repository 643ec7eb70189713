// mpi_bench — what scale-out costs on this machine, and the numbers to project it past one machine.
//
//   mpirun -np 1 build/bench/mpi/mpi_bench        (OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 as root)
//   mpirun -np 2 build/bench/mpi/mpi_bench        [--quick] [--epochs E]
//
// 1. MPI_Allreduce (sum, float32, in place) against message size, 1 kB … 100 MB: the median time
//    per call, beside a memcpy of the same bytes measured in the same run (the reference: on one
//    machine the transport is shared memory, so every hop is copies), and the "bus bandwidth"
//    2(K−1)/K·n / t (bytes each rank sends and receives in a ring, per second).
// 2. The ring model t = 2(K−1)α + 2(K−1)/K·n·β fitted to those times (least squares on relative
//    error, so the 1 kB point counts as much as the 100 MB one): α the latency of one message,
//    β the inverse bandwidth per byte. With one rank there is nothing to fit (2(K−1) = 0).
// 3. Data-parallel training of the training benchmark's network: 784-100-10, ReLU, softmax
//    cross-entropy, Adam (kobai::Adam<float>, lr 1e-3), global batch 100 (each rank 100/K
//    samples), float32, 8,000 samples (the npm digits' training split size; the inputs are
//    random, this times the work, not the learning). Per step: forward and backward on the rank's
//    shard into one flat gradient of 79,510 floats, one allreduce, the same Adam step on every
//    rank. Prints seconds per epoch, its split into compute and allreduce, and the allreduce time
//    the fitted model predicts for it.
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

#include "kobai/optim/adam.hpp"
#include "kobai/train/mpi_communicator.hpp"

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

// ---- 3. the network ------------------------------------------------------------------------------
constexpr int inputs = 784, hidden = 100, classes = 10;
constexpr std::size_t parameter_count = hidden * inputs + hidden + classes * hidden + classes;  // 79,510

using MatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;
using MapM = Eigen::Map<MatrixF>;
using MapV = Eigen::Map<Eigen::VectorXf>;

struct Views {  // W1 (100×784), b1, W2 (10×100), b2 over one flat buffer
  MapM w1;
  MapV b1;
  MapM w2;
  MapV b2;
  explicit Views(float* p)
      : w1(p, hidden, inputs), b1(p + hidden * inputs, hidden), w2(p + hidden * inputs + hidden, classes, hidden),
        b2(p + hidden * inputs + hidden + classes * hidden, classes) {}
};

// Adds the gradient of Σ_samples loss / global_batch over the columns of x (labels y) to `grad`.
void accumulate_gradient(const std::vector<float>& params, const Eigen::Ref<const MatrixF>& x,
                         const std::vector<int>& y, int first, float scale, std::vector<float>& grad) {
  Views p(const_cast<float*>(params.data()));
  Views g(grad.data());
  MatrixF h = (p.w1 * x).colwise() + p.b1;
  h = h.cwiseMax(0.0f);
  MatrixF z = (p.w2 * h).colwise() + p.b2;
  for (Eigen::Index c = 0; c < z.cols(); ++c) {  // softmax − one-hot, scaled: dL/dz
    const float top = z.col(c).maxCoeff();
    z.col(c) = (z.col(c).array() - top).exp();
    z.col(c) /= z.col(c).sum();
    z(y[static_cast<std::size_t>(first + c)], c) -= 1.0f;
  }
  z *= scale;
  g.w2.noalias() += z * h.transpose();
  g.b2 += z.rowwise().sum();
  MatrixF dh = (p.w2.transpose() * z).cwiseProduct((h.array() > 0.0f).cast<float>().matrix());
  g.w1.noalias() += dh * x.transpose();
  g.b1 += dh.rowwise().sum();
}

struct EpochTimes {
  double total, allreduce;  // median epoch, and its allreduce share
  double fastest;           // fastest epoch
};

EpochTimes train_epochs(kobai::train::MpiCommunicator& world, int epochs) {
  constexpr int samples = 8000, batch = 100;
  std::mt19937 rng(12345);  // the same data and start on every rank
  std::uniform_real_distribution<float> pixel(0.0f, 1.0f);
  MatrixF data(inputs, samples);
  for (Eigen::Index i = 0; i < data.size(); ++i) data.data()[i] = pixel(rng);
  std::vector<int> labels(samples);
  for (int& l : labels) l = static_cast<int>(rng() % classes);
  std::vector<float> params(parameter_count), grad(parameter_count);
  std::normal_distribution<float> he1(0.0f, std::sqrt(2.0f / inputs)), he2(0.0f, std::sqrt(2.0f / hidden));
  Views v(params.data());
  for (Eigen::Index i = 0; i < v.w1.size(); ++i) v.w1.data()[i] = he1(rng);
  for (Eigen::Index i = 0; i < v.w2.size(); ++i) v.w2.data()[i] = he2(rng);
  v.b1.setZero();
  v.b2.setZero();
  kobai::Adam<float> adam({.lr = 1e-3});

  const int k = world.size(), r = world.rank();
  const int shard_begin = r * batch / k, shard_end = (r + 1) * batch / k;  // this rank's part of each batch
  std::vector<double> totals, reduces;
  for (int e = 0; e < epochs + 1; ++e) {  // epoch 0 warms up, not counted
    world.barrier();
    const auto start = Clock::now();
    double reduce = 0;
    for (int b = 0; b < samples / batch; ++b) {
      std::fill(grad.begin(), grad.end(), 0.0f);
      const int first = b * batch + shard_begin;
      accumulate_gradient(params, data.middleCols(first, shard_end - shard_begin), labels, first, 1.0f / batch, grad);
      const auto t = Clock::now();
      if (k > 1) world.allreduce_sum(grad);
      reduce += seconds_since(t);
      adam.step(params, grad);
    }
    if (e == 0) continue;
    totals.push_back(seconds_since(start));
    reduces.push_back(reduce);
  }
  // a checksum of the parameters, the same on every rank if the replicas stayed in step
  double sum = 0;
  for (float p : params) sum += p;
  double total = sum;
  world.allreduce_sum(std::span<double>(&total, 1));
  if (r == 0 && std::abs(total - k * sum) > 1e-6 * std::abs(sum) * k)
    std::printf("WARNING: the replicas' parameters differ\n");
  double result[3] = {median(totals), median(reduces), *std::min_element(totals.begin(), totals.end())};
  world.allreduce_sum(std::span<double>(result, 3));
  return {result[0] / k, result[1] / k, result[2] / k};
}

}  // namespace

int main(int argc, char** argv) {
  kobai::train::MpiCommunicator world;
  bool quick = false;
  int epochs = 5;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) quick = true;
    else if (!std::strcmp(argv[i], "--epochs") && i + 1 < argc) epochs = std::max(1, std::atoi(argv[++i]));
    else {
      if (world.is_root()) std::fprintf(stderr, "usage: mpi_bench [--quick] [--epochs E]\n");
      return 2;
    }
  }
  const int k = world.size();
  const bool root = world.is_root();
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

  const EpochTimes epoch = train_epochs(world, quick ? 1 : epochs);
  if (root) {
    const double steps = 80;
    std::printf("\n3. data-parallel epoch: 784-100-10 ReLU, Adam, global batch 100 (%d per rank), float32, "
                "8000 samples, %zu parameters\n", 100 / k, parameter_count);
    std::printf("   %.4f s per epoch (median of %d; fastest %.4f s): compute %.4f s, allreduce and waiting %.4f s (%.1f%%)\n",
                epoch.total, quick ? 1 : epochs, epoch.fastest, epoch.total - epoch.allreduce, epoch.allreduce,
                100 * epoch.allreduce / epoch.total);
    if (k > 1)
      std::printf("   the ring model predicts %.4f s of allreduce per epoch (80 x %zu bytes)\n",
                  steps * ring_time(fit, k, 4.0 * parameter_count), 4 * parameter_count);
  }
  return 0;
}
