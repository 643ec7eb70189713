// kobai/core/parallel.hpp — a small persistent thread pool and `parallel_for` for element-wise
// kernels over large arrays.
//
// An optimizer step over 10⁷ parameters is limited by memory bandwidth, and on most machines one
// core cannot draw all of it: two threads streaming disjoint halves of the arrays go faster. Below
// a few hundred thousand elements the arrays sit in cache and waking a thread costs more than it
// saves, so `parallel_for` runs on the calling thread unless every thread gets at least
// `parallel_grain()` elements (the size bench/optimizer_step_bench.cpp justifies; docs/performance.md).
//
//   kobai::set_num_threads(2);            // default: std::thread::hardware_concurrency()
//   kobai::parallel_for(n, [&](std::size_t begin, std::size_t end) { ... });
//
// Why not OpenMP: `-fopenmp` drags libgomp into every program that includes a kobai header, and its
// workers spin for a long while (GOMP_SPINCOUNT) fighting the caller's own threads. Here plain
// std::threads spin 200 µs after a task, enough for loops run back to back, then sleep on a
// condition variable (10–60 µs to wake, which the grain hides).
//
// Determinism: the split only decides which thread computes which element; every element-wise
// kernel computes each element with the same instructions whatever the split, so results are bit
// for bit the same for any thread count (tests/optimizer_kernels_test.cpp checks it). Chunks start
// at multiples of 64 elements so each thread's vector loop starts on the same lanes.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "kobai/core/error.hpp"

// Element-wise kernels are marked KOBAI_KERNEL (on the function) and KOBAI_KERNEL_BODY (first
// line of its body): no floating-point contraction inside. GCC fuses a·b + c into one FMA by
// default (-ffp-contract=fast, even with -std=c++20) wherever the target has FMA
// (-march=native), and it may fuse the vector loop and its scalar remainder differently; then an
// element's result would depend on where the thread chunks start. Without contraction every
// element is computed with the same roundings in any lane, any chunk, any thread count — and
// equal to the scalar formula (tests/optimizer_kernels_test.cpp). The cost is nil for large
// arrays (memory-bound); on a 2-D problem, whose iterations are a latency chain, it is one fused
// multiply-add's worth per iteration (~0.8 ns of Beale's ~29, docs/performance.md).
#if defined(__clang__)
#define KOBAI_KERNEL
#define KOBAI_KERNEL_BODY _Pragma("clang fp contract(off)")
#elif defined(__GNUC__)
#define KOBAI_KERNEL __attribute__((optimize("fp-contract=off")))
#define KOBAI_KERNEL_BODY
#else
#define KOBAI_KERNEL
#define KOBAI_KERNEL_BODY
#endif

// KOBAI_SIMD (before a loop) asks for the loop to be vectorized: `#pragma omp simd` says its
// iterations are independent (the arrays do not alias), which GCC 12 needs to vectorize it at
// all. The optimizer kernels are explicit vector code on x86-64 (core/simd.hpp: their speed must
// not hang on -fopenmp-simd and -fno-math-errno, flags a user's build lacks); only their
// plain-loop fallback, on other targets, still relies on it. Clang reports a request it cannot honour as a warning (-Wpass-failed, an error under
// -Werror), and it cannot honour it in a build with UBSan's per-access checks (null, alignment,
// pointer-overflow): each load and store gets a branch to a handler, and a loop with calls is not
// vectorized. There the request is dropped — the instrumented build is for finding undefined
// behaviour, not for speed, and the results are the same bits either way (each element is computed
// alone; tests/optimizer_kernels_test.cpp).
#if defined(__clang__) && defined(__has_feature)
#if __has_feature(undefined_behavior_sanitizer)
#define KOBAI_SIMD
#endif
#endif
#ifndef KOBAI_SIMD
#define KOBAI_SIMD _Pragma("omp simd")
#endif

namespace kobai {

namespace detail {

// Fewest elements each thread must get before a loop is split (2¹⁷ doubles = 1 MiB per array).
inline constexpr std::size_t default_parallel_grain = std::size_t{1} << 17;

inline std::size_t& grain_setting() {
  static std::size_t grain = default_parallel_grain;
  return grain;
}

inline int default_thread_count() {
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(std::min(hw, 64u));
}

inline int& thread_setting() {
  static int threads = default_thread_count();
  return threads;
}

// Workers wait for `run` to publish a new generation, run their task index, and report back. The
// caller runs task 0 itself. One `run` at a time: a call that finds the pool busy (another user
// thread, or a nested call) runs all tasks on its own thread instead of waiting.
//
// Waiting is a short spin, then sleep. Waking a sleeping thread through the condition variable
// takes 10–60 µs on a virtual machine, which is all of an L-BFGS pass at n = 10⁴ (two passes an
// iteration, lbfgs_kernels.hpp); a worker that has just finished a task therefore watches the
// generation for `spin_time` before it sleeps, so that loops run back to back find it awake, and
// the caller watches for the workers' completion the same way. The spin is bounded, so an idle
// pool costs nothing, and a pool that works at long intervals sleeps as before.
class ThreadPool {
 public:
  static constexpr std::chrono::microseconds spin_time{200};

  static ThreadPool& instance() {
    static ThreadPool pool;
    return pool;
  }

  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  ~ThreadPool() {
    {
      std::lock_guard lock(mutex_);
      stopping_.store(true, std::memory_order_release);
    }
    wake_.notify_all();
    for (std::thread& t : workers_) t.join();
  }

  // Calls task(k) for k = 0 … tasks−1, concurrently; returns when all have finished: true when
  // they ran on several threads, false when on this one, one after another.
  template <class Task>
  bool run(int tasks, Task& task) {
    std::unique_lock busy(run_mutex_, std::try_to_lock);
    if (!busy.owns_lock() || tasks <= 1) {
      for (int k = 0; k < tasks; ++k) task(k);
      return false;
    }
    {
      std::lock_guard lock(mutex_);
      while (static_cast<int>(workers_.size()) < tasks - 1) {
        const int index = static_cast<int>(workers_.size()) + 1;
        workers_.emplace_back([this, index] { work(index); });
      }
      // Published by the generation's release below; read by a worker only after it sees the new
      // generation, and not written again before every worker has reported (pending_ == 0).
      invoke_ = [](void* context, int k) { (*static_cast<Task*>(context))(k); };
      context_ = &task;
      tasks_ = tasks;
      pending_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    task(0);
    if (spin_until([this] { return pending_.load(std::memory_order_acquire) == 0; })) return true;
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return pending_.load(std::memory_order_acquire) == 0; });
    return true;
  }

 private:
  ThreadPool() = default;

  // Polls `ready` for up to spin_time; true once it holds.
  template <class Ready>
  static bool spin_until(Ready ready) {
    const auto give_up = std::chrono::steady_clock::now() + spin_time;
    for (;;) {
      for (int i = 0; i < 64; ++i) {
        if (ready()) return true;
        pause();
      }
      if (std::chrono::steady_clock::now() >= give_up) return ready();
      // On a machine with more runnable threads than cores, the thread this one waits for may be
      // waiting for this core: hand it over.
      std::this_thread::yield();
    }
  }

  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }

  void work(int index) {
    std::size_t seen = 0;
    for (;;) {
      auto published = [&] {
        return stopping_.load(std::memory_order_acquire) || generation_.load(std::memory_order_acquire) != seen;
      };
      if (!spin_until(published)) {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, published);
      }
      if (stopping_.load(std::memory_order_acquire)) return;
      seen = generation_.load(std::memory_order_acquire);
      // Every worker reports, whether or not this run has a task for it, so that run() returns
      // only once no worker can still be reading the task it published.
      if (index < tasks_) invoke_(context_, index);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard lock(mutex_);  // the caller tests pending_ under the mutex before it sleeps
        done_.notify_one();
      }
    }
  }

  std::mutex run_mutex_;  // one run at a time
  std::mutex mutex_;      // with the condition variables, for the sleeping side
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  void (*invoke_)(void*, int) = nullptr;
  void* context_ = nullptr;
  int tasks_ = 0;
  std::atomic<int> pending_{0};  // workers yet to report on this generation
  std::atomic<std::size_t> generation_{0};
  std::atomic<bool> stopping_{false};
};

}  // namespace detail

// Threads that large element-wise loops (optimizer steps) may use; 1 = always the calling thread.
inline void set_num_threads(int threads) {
  if (threads < 1 || threads > 256)
    throw InvalidArgument("threads must be in [1, 256], got " + std::to_string(threads));
  detail::thread_setting() = threads;
}
inline int num_threads() { return detail::thread_setting(); }

// Fewest elements per thread before a loop is split (tests set 1 to split even tiny arrays).
inline void set_parallel_grain(std::size_t elements) {
  detail::grain_setting() = std::max<std::size_t>(1, elements);
}
inline std::size_t parallel_grain() { return detail::grain_setting(); }

// How many threads a loop over n elements uses: at most num_threads(), each with ≥ parallel_grain.
inline int threads_for(std::size_t n) {
  const std::size_t by_size = n / parallel_grain();
  return static_cast<int>(std::max<std::size_t>(
      1, std::min<std::size_t>(by_size, static_cast<std::size_t>(num_threads()))));
}

namespace detail {

// A loop of n ≥ 128 elements: on the calling thread, or split across the pool. Out of line, so that
// parallel_for itself is a compare and a call — small enough to vanish into an inlined step.
template <class Body>
[[gnu::noinline]] void parallel_for_large(std::size_t n, int threads, Body& body) {
  if (threads <= 1) {
    body(std::size_t{0}, n);
    return;
  }
  const std::size_t t = static_cast<std::size_t>(threads);
  const std::size_t chunk = ((n + t - 1) / t + 63) / 64 * 64;
  auto task = [&](int k) {
    const std::size_t begin = std::min(n, static_cast<std::size_t>(k) * chunk);
    const std::size_t end = std::min(n, begin + chunk);
    if (begin < end) body(begin, end);
  };
  ThreadPool::instance().run(threads, task);
}
template <class Body>
[[gnu::noinline]] void parallel_for_large(std::size_t n, Body& body) {
  parallel_for_large(n, threads_for(n), body);
}

}  // namespace detail

// Calls body(begin, end) over disjoint ranges covering [0, n); ranges start at multiples of 64.
// Below 128 elements the body runs at once on the calling thread, whatever the settings: a small
// problem's step (2-D: a few nanoseconds) pays one compare for the machinery.
template <class Body>
void parallel_for(std::size_t n, int threads, Body&& body) {
  if (n < 128) {
    body(std::size_t{0}, n);
    return;
  }
  detail::parallel_for_large(n, threads, body);
}
template <class Body>
void parallel_for(std::size_t n, Body&& body) {
  if (n < 128) {
    body(std::size_t{0}, n);
    return;
  }
  detail::parallel_for_large(n, body);
}

}  // namespace kobai
