// kobai/report/progress_bar.hpp — minimize() callbacks for long runs: a terminal progress bar and
// a periodic log line.
//
//   kobai::report::ProgressBar bar("beale rmsprop");
//   auto r = kobai::minimize(beale, x0, rmsprop, {.max_iterations = 900'000}, bar);
//   bar.finish();
//
// Both are called after every step, so the common path must cost next to nothing: ProgressBar
// compares the iteration with a precomputed next-draw iteration (one branch), and only there
// looks at the clock (redrawing at most ~10 times a second). It draws only when standard error is
// a terminal, so piped or redirected output (CI logs, `--json > file`) never sees '\r' clutter.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <unistd.h>

#include "kobai/minimize/callbacks.hpp"

namespace kobai::report {

inline bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

class ProgressBar {
 public:
  // `enabled` defaults to "standard error is a terminal".
  explicit ProgressBar(std::string label = {}, bool enabled = stderr_is_terminal())
      : label_(std::move(label)), enabled_(enabled), start_(Clock::now()), last_draw_(start_) {}
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  ~ProgressBar() { finish(); }

  void operator()(const IterationInfo& info) {
    if (!enabled_ || info.iteration < next_check_) return;
    // Look at the clock about every 1/1000 of the run (at least every 4096 steps).
    const std::int64_t chunk = info.max_iterations > 0 ? std::max<std::int64_t>(1, info.max_iterations / 1000) : 4096;
    next_check_ = info.iteration + std::min<std::int64_t>(chunk, 4096);
    const auto now = Clock::now();
    if (now - last_draw_ < std::chrono::milliseconds(100)) return;
    // Runs shorter than half a second finish before a bar would help.
    if (!drawn_ && now - start_ < std::chrono::milliseconds(500)) return;
    last_draw_ = now;
    draw(info);
  }

  // Erases the bar (call when the run ends; the destructor does it too).
  void finish() {
    if (drawn_) {
      std::fprintf(stderr, "\r\033[K");
      std::fflush(stderr);
      drawn_ = false;
    }
  }

 private:
  using Clock = std::chrono::steady_clock;

  void draw(const IterationInfo& info) {
    constexpr int width = 30;
    const double fraction = info.max_iterations > 0
                                ? static_cast<double>(info.iteration) / static_cast<double>(info.max_iterations)
                                : 0.0;
    const int filled = static_cast<int>(fraction * width);
    char bar[width + 1];
    for (int i = 0; i < width; ++i) bar[i] = i < filled ? '#' : '.';
    bar[width] = '\0';
    std::fprintf(stderr, "\r\033[K%s%s[%s] %3.0f%% %lld/%lld f=%.6g max|g|=%.3g", label_.c_str(),
                 label_.empty() ? "" : " ", bar, 100.0 * fraction,
                 static_cast<long long>(info.iteration), static_cast<long long>(info.max_iterations),
                 info.value, info.gradient_max_abs);
    std::fflush(stderr);
    drawn_ = true;
  }

  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::int64_t next_check_ = 1;
  Clock::time_point start_, last_draw_;
};

// Writes one line every `period` iterations to `out` (stderr by default):
//   "iteration 1000: f = 0.0123, max|g| = 0.456, lr = 0.001"
class PeriodicLogger {
 public:
  explicit PeriodicLogger(std::int64_t period, std::FILE* out = stderr) : period_(period), out_(out) {}

  void operator()(const IterationInfo& info) const {
    if (period_ <= 0 || info.iteration % period_ != 0) return;
    std::fprintf(out_, "iteration %lld: f = %.10g, max|g| = %.6g, lr = %.6g\n",
                 static_cast<long long>(info.iteration), info.value, info.gradient_max_abs, info.lr);
  }

 private:
  std::int64_t period_;
  std::FILE* out_;
};

}  // namespace kobai::report
