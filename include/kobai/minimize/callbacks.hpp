// kobai/minimize/callbacks.hpp — what a callback sees after each step, and small ready-made ones.
//
// A callback is any callable taking `const IterationInfo&`. If it returns bool, returning false
// stops the run with status `stopped`. Terminal progress bars and loggers live in kobai/report
// (this layer knows nothing of terminals or files).
#pragma once

#include <concepts>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "kobai/core/types.hpp"

namespace kobai {

struct IterationInfo {
  std::int64_t iteration;       // steps taken so far (≥ 1)
  std::int64_t max_iterations;  // the cap, for progress fractions
  const Vector& x;
  double value;
  const Vector& gradient;
  double gradient_max_abs;
  double lr;                    // learning rate used for this step (line-search methods: the step α)
};

template <class C>
concept Callback = std::invocable<C&, const IterationInfo&>;

// Invokes a callback; true means "go on".
template <Callback C>
bool invoke_callback(C& callback, const IterationInfo& info) {
  if constexpr (std::is_convertible_v<std::invoke_result_t<C&, const IterationInfo&>, bool>) {
    return static_cast<bool>(callback(info));
  } else {
    callback(info);
    return true;
  }
}

// Early stop: ends the run (status `stopped`) as soon as `predicate(info)` is true.
template <class Predicate>
auto stop_when(Predicate predicate) {
  return [predicate = std::move(predicate)](const IterationInfo& info) -> bool {
    return !predicate(info);
  };
}

// Calls `fn(info)` every `period` iterations, e.g. for periodic logging.
template <class Fn>
auto every(std::int64_t period, Fn fn) {
  return [period, fn = std::move(fn)](const IterationInfo& info) mutable {
    if (period > 0 && info.iteration % period == 0) fn(info);
  };
}

}  // namespace kobai
