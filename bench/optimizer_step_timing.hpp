// optimizer_step_timing.hpp — how optimizer_step_bench times one kobai step against the bandwidth
// bound. Shared by the bench (built with the project's flags) and by its consumer builds
// (bench/consumer: an installed kobai used through find_package with CMake's default Release and
// RelWithDebInfo flags, and plain `g++ -O2`), so every column is measured the same way.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "kobai/core/parallel.hpp"
#include "kobai/core/simd.hpp"
#include "kobai/optim/registry.hpp"

namespace kobai_bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// What a row's times are taken with. Wall time by default. `--clock cpu` times one-thread rows by
// the CPU time of the calling thread instead: on a machine shared with other busy processes a
// step of tens of milliseconds is nearly always descheduled for part of it, and its wall time
// then counts the other processes' turns; its CPU time does not (memory stalls still count).
// Rows with more threads keep wall time (the workers' time is not the caller's).
enum class Timer { wall, thread_cpu };

class Stopwatch {
 public:
  explicit Stopwatch(Timer timer) : timer_(timer), start_(now()) {}
  double seconds() const { return now() - start_; }

 private:
  double now() const {
    if (timer_ == Timer::wall) return std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
  }
  Timer timer_;
  double start_;
};

inline Timer timer_for(bool cpu_clock, int threads) {
  return cpu_clock && threads == 1 ? Timer::thread_cpu : Timer::wall;
}

inline std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

inline int arrays_of_traffic(const std::string& name) {
  if (name == "gd") return 3;
  if (name == "momentum" || name == "nesterov" || name == "adagrad" || name == "rmsprop") return 5;
  if (name == "amsgrad") return 9;
  return 7;  // adam, adamw, adadelta, adamax, nadam
}

// a[i] += s·b[i] over two arrays of the step's n and T, split like an optimizer step: the
// access pattern of a step (every byte read once, the destination written once in place). At
// n = 10⁷ the arrays are 40 MB (float) or 80 MB (double) each, beyond the 32 MB L3. Written with
// kobai's packs (core/simd.hpp), so it is vectorized whatever the flags of the build timing it.
template <class T>
class BandwidthProbe {
 public:
  explicit BandwidthProbe(std::size_t n) : a_(n, T(1)), b_(n, T(0.5)) {}
  double pass(int threads, Timer timer) {  // seconds for one pass
    sign_ = -sign_;
    const T s = T(1e-3 * sign_);  // alternate so a stays bounded
    const Stopwatch watch(timer);
    kobai::parallel_for(a_.size(), threads, [&](std::size_t begin, std::size_t end) {
      T* x = a_.data() + begin;
      const T* y = b_.data() + begin;
      kobai::simd::for_each_pack<T>(end - begin, [&]<class V>(std::size_t i) {
        kobai::simd::store(x + i, kobai::simd::load<V>(x + i) + s * kobai::simd::load<V>(y + i));
      });
    });
    return watch.seconds();
  }
  double bytes_per_second(double seconds) const { return 3.0 * sizeof(T) * a_.size() / seconds; }

 private:
  std::vector<T> a_, b_;
  double sign_ = 1;
};

// kobai's typed optimizer (not the registry's variant) for T = float or double.
template <class T, class F>
void with_optimizer(const std::string& name, F&& f) {
  if (name == "gd") return f(kobai::GradientDescent<T>({.lr = 0.01}));
  if (name == "momentum") return f(kobai::GradientDescent<T>({.lr = 0.01, .momentum = 0.9}));
  if (name == "nesterov")
    return f(kobai::GradientDescent<T>({.lr = 0.01, .momentum = 0.9, .nesterov = true}));
  if (name == "adagrad") return f(kobai::Adagrad<T>());
  if (name == "adadelta") return f(kobai::Adadelta<T>());
  if (name == "rmsprop") return f(kobai::RmsProp<T>());
  if (name == "adam") return f(kobai::Adam<T>());
  if (name == "adamw") return f(kobai::AdamW<T>());
  if (name == "amsgrad") return f(kobai::Adam<T>({.amsgrad = true}));
  if (name == "adamax") return f(kobai::Adamax<T>());
  if (name == "nadam") return f(kobai::NAdam<T>());
  std::fprintf(stderr, "unknown optimizer %s\n", name.c_str());
  std::exit(2);
}

struct StepTiming {
  double ns_per_parameter;
  double bandwidth;  // bytes/s, measured interleaved with the steps
};

// Alternates a bandwidth pass and a step, keeping the best of each: on a shared machine the
// bound and the step are then measured under the same load.
template <class T>
StepTiming time_kobai_step(const std::string& name, std::size_t n, int threads, double budget,
                           Timer timer) {
  BandwidthProbe<T> probe(n);
  std::vector<T> p(n), g(n);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> dist(-1, 1);
  for (std::size_t i = 0; i < n; ++i) {
    p[i] = T(2 * dist(rng));
    g[i] = T(dist(rng));
  }
  kobai::set_num_threads(threads);
  double best = 1e9, best_pass = 1e9;
  with_optimizer<T>(name, [&](auto optimizer) {
    const std::span<T> ps(p);
    const std::span<const T> gs(g);
    optimizer.step(ps, gs);
    optimizer.step(ps, gs);
    double spent = 0;
    for (int reps = 0; reps < 4 || (spent < budget && reps < 400); ++reps) {
      const double pass = probe.pass(threads, timer);
      best_pass = std::min(best_pass, pass);
      const Stopwatch watch(timer);
      optimizer.step(ps, gs);
      const double t = watch.seconds();
      best = std::min(best, t);
      spent += t + pass;
    }
  });
  return {best * 1e9 / static_cast<double>(n), probe.bytes_per_second(best_pass)};
}

inline StepTiming time_kobai_step(const std::string& dtype, const std::string& name, std::size_t n,
                                  int threads, double budget, Timer timer) {
  return dtype == "float" ? time_kobai_step<float>(name, n, threads, budget, timer)
                          : time_kobai_step<double>(name, n, threads, budget, timer);
}

// The budget of one row: a larger array takes longer per step, so it gets more time.
inline double row_budget(std::size_t n, double budget) { return n >= 5'000'000 ? 2 * budget : budget; }

}  // namespace kobai_bench
