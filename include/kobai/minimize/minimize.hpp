// kobai/minimize/minimize.hpp — the descent loop.
//
//   auto r = kobai::minimize(problem, x0, optimizer, {.max_iterations = 100'000,
//                                                     .gradient_tolerance = 1e-8});
//   // r.x, r.value, r.iterations, r.status, r.history
//
// One iteration (first-order optimizers):
//   1. if max_i |g_i| < gradient_tolerance → converged   (seed 003's rule, checked before a step)
//   2. if the step count reached max_iterations → iteration_limit; if options.interrupt is raised
//      → interrupted (the current iterate is the result, as at the limit)
//   3. optimizer.step(x, g); evaluate f and g at the new x
//   4. f or x or g not finite, or f > divergence_bound → diverged; x reverts to the last finite
//      iterate and the result names the iteration where it happened
//   5. value / step tolerances → converged; callbacks → stopped
// Line-search methods (LineSearchOptimizer) replace step 3 by `optimizer.iterate(f, state)`; a
// failed search ends the run with status line_search_failed and the method's message.
// The loop allocates nothing per iteration (beyond the history, when asked for).
//
// Small problems: one iteration of seed 003's Beale run (2-D Adam) is a chain of ~80 cycles
// (x → ∇f → √v → division → x), and 10⁵ of them are run. The loop therefore keeps what changes
// every iteration in locals, reads the options once, and does its checks (finiteness, max |g|, the
// tolerances) with plain loops and always-predicted branches that the CPU runs alongside the next
// step instead of after it (docs/performance.md).
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <utility>

#include "kobai/core/objective.hpp"
#include "kobai/core/reductions.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/minimize/callbacks.hpp"
#include "kobai/minimize/options.hpp"
#include "kobai/minimize/result.hpp"
#include "kobai/optim/optimizer.hpp"

namespace kobai {

namespace detail {

// max_i |v_i| (0 for an empty vector) and the finiteness test, for the start point.
inline double max_abs(const Vector& v) { return reductions::max_abs(v.data(), static_cast<std::size_t>(v.size())); }
inline bool all_finite(const Vector& v) {
  return reductions::all_finite(v.data(), v.data(), static_cast<std::size_t>(v.size()));
}

// After a step: are x and g finite, and max_i |g_i|. A 2-D iteration's checks should cost a few
// instructions, so short vectors take one plain loop over both (~80 cycles is a whole iteration
// of seed 003's Beale run); long ones the SIMD reductions (core/reductions.hpp), where the plain
// loop's chain of dependent maxima cost 9% of an L-BFGS iteration at n = 10⁴.
struct StepScan {
  bool finite;
  double gradient_max_abs;
};
inline StepScan scan_step(const double* x, const double* g, Eigen::Index count) {
  const auto n = static_cast<std::size_t>(count);
  if (n >= reductions::long_vector) [[unlikely]] {
    const reductions::StepScan scan = reductions::scan_step(x, g, n);
    return {scan.finite, scan.max_abs};
  }
  double zero = 0, m = 0;
  for (std::size_t i = 0; i < n; ++i) {
    zero += x[i] * 0.0 + g[i] * 0.0;
    const double a = std::abs(g[i]);
    m = a > m ? a : m;
  }
  return {zero == 0, m};
}

inline std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

template <class O>
double current_lr(const O& optimizer) {
  if constexpr (requires { optimizer.lr(); }) {
    return optimizer.lr();
  } else {
    return 1.0;
  }
}

// Steps the optimizer has already taken (0 for a fresh one): where a schedule continues, so that an
// optimizer restored with load_state() resumes its schedule where the saved run was.
template <class O>
std::int64_t steps_taken(const O& optimizer) {
  if constexpr (requires { optimizer.steps(); }) {
    return optimizer.steps();
  } else {
    return 0;
  }
}

// The messages of the ways a run ends, out of the loop's way.
inline std::string gradient_converged_message(double gradient_max_abs, double tolerance,
                                              std::int64_t iterations) {
  return "max |gradient| " + number(gradient_max_abs) + " < gradient_tolerance " + number(tolerance) +
         " after " + std::to_string(iterations) + " iterations";
}

inline std::string iteration_limit_message(std::int64_t max_iterations, double gradient_max_abs) {
  return "reached max_iterations " + std::to_string(max_iterations) + " with max |gradient| " +
         number(gradient_max_abs);
}

inline std::string diverged_message(double value, bool finite, double bound, std::int64_t iteration) {
  const std::string what =
      !finite ? "f(x) became " + number(value) +
                    (std::isfinite(value) ? " with a non-finite iterate or gradient" : "")
              : "f(x) = " + number(value) + " exceeded divergence_bound " + number(bound);
  return what + " at iteration " + std::to_string(iteration) +
         "; x is the last finite iterate (iteration " + std::to_string(iteration - 1) +
         "). A smaller learning rate may help";
}

// The descent loop proper; `r` holds the evaluated, finite start point.
template <class F, class O, class... Callbacks>
MinimizeResult descend(const F& objective, O& optimizer, const MinimizeOptions& options,
                       MinimizeResult& r, Callbacks&... callbacks) {
  constexpr bool kLineSearch = LineSearchOptimizer<O, F>;
  // Loop invariants, read once: the objective and the kernel write through pointers the compiler
  // cannot tell apart from `options`, so options.* read in the loop would be reloaded every time.
  const Eigen::Index n = r.x.size();
  const std::int64_t max_iterations = options.max_iterations;
  const double gradient_tolerance = options.gradient_tolerance;
  const double value_tolerance = options.value_tolerance;
  const double step_tolerance = options.step_tolerance;
  const double divergence_bound = options.divergence_bound;
  const bool record_history = options.record_history;
  const std::int64_t stride = options.effective_history_stride();
  const Schedule* const schedule = options.schedule ? &*options.schedule : nullptr;
  const std::atomic<bool>* const interrupt = options.interrupt;
  const double base_lr = current_lr(optimizer);
  const std::int64_t schedule_start = steps_taken(optimizer);

  // A line-search method that remembers where its iterate started (LineSearchMethodBase) updates
  // r.x and r.gradient in place and hands the old ones back should the step diverge; for the
  // others the loop keeps the last finite iterate itself.
  constexpr bool kMethodKeepsPrevious =
      kLineSearch && requires { optimizer.previous_x(); optimizer.previous_gradient(); };
  Vector x_previous = kMethodKeepsPrevious ? Vector() : r.x;      // the last finite iterate
  Vector g_next = kMethodKeepsPrevious ? Vector() : r.gradient;  // swapped with r.gradient after a step
  Vector& g_new = kMethodKeepsPrevious ? r.gradient : g_next;    // where a step leaves ∇f
  auto previous_x = [&]() -> const Vector& {
    if constexpr (kMethodKeepsPrevious) return optimizer.previous_x();
    else return x_previous;
  };
  double lr = base_lr;
  double value = r.value;
  double gradient_max_abs = r.gradient_max_abs;
  std::int64_t iterations = 0;
  bool recorded_last = true;

  auto finish = [&](Status status, std::string message) {
    r.status = status;
    r.message = std::move(message);
    r.iterations = iterations;
    r.value = value;
    if constexpr (!kLineSearch) {  // one evaluation of f and ∇f per step (line searches count theirs)
      r.function_evaluations += iterations;
      r.gradient_evaluations += iterations;
    }
    r.gradient_max_abs = gradient_max_abs;  // of r.gradient on every way out (kept in step with it)
    if (record_history && !recorded_last) r.history.append(iterations, r.x, value, r.gradient, lr);
    return std::move(r);
  };

  for (;;) {
    // gradient_max_abs is finite and ≥ 0, so a tolerance of 0 never stops the run.
    if (gradient_max_abs < gradient_tolerance)
      return finish(Status::converged,
                    gradient_converged_message(gradient_max_abs, gradient_tolerance, iterations));
    if (iterations >= max_iterations)
      return finish(Status::iteration_limit, iteration_limit_message(max_iterations, gradient_max_abs));
    // A relaxed load and a branch predicted "go on": nothing measurable next to a step.
    if (interrupt != nullptr && interrupt->load(std::memory_order_relaxed)) [[unlikely]]
      return finish(Status::interrupted, "interrupted at iteration " + std::to_string(iterations) +
                                             " with max |gradient| " + number(gradient_max_abs));

    double* const x = r.x.data();
    // Eigen's copy: inline, where std::copy_n became a call to memmove
    if constexpr (!kMethodKeepsPrevious) x_previous = r.x;
    double value_next;
    if constexpr (kLineSearch) {
      value_next = value;
      if constexpr (!kMethodKeepsPrevious) std::copy_n(r.gradient.data(), n, g_next.data());
      SearchState state{r.x, value_next, g_new, r.function_evaluations, r.gradient_evaluations, iterations};
      IterateOutcome outcome = optimizer.iterate(objective, state);
      if (!outcome.ok) {  // a failed search moves neither x nor the gradient
        if constexpr (!kMethodKeepsPrevious) r.x.swap(x_previous);
        return finish(Status::line_search_failed, std::move(outcome.message));
      }
      // The step α the line search accepted plays the learning rate's part in history/callbacks.
      if constexpr (requires { optimizer.last_step(); }) lr = optimizer.last_step();
    } else {
      if (schedule) {
        lr = schedule->lr_at(base_lr, schedule_start + iterations);
        optimizer.set_lr(lr);
      }
      const auto size = static_cast<std::size_t>(n);
      optimizer.step(std::span<double>(x, size), std::span<const double>(r.gradient.data(), size));
      value_next = objective.value_and_gradient(r.x, g_next);
    }
    ++iterations;

    // The next step needs only x and ∇f; these checks are branches always predicted "go on", so
    // they run alongside it rather than delaying it.
    StepScan scan;
    if constexpr (requires { optimizer.step_scan(); }) {  // the method's own passes may have done it
      if (const auto& done = optimizer.step_scan()) scan = {done->finite, done->max_abs};
      else scan = scan_step(r.x.data(), g_new.data(), n);
    } else {
      scan = scan_step(r.x.data(), g_new.data(), n);
    }
    const bool finite = std::isfinite(value_next) && scan.finite;
    if (!finite || value_next > divergence_bound) [[unlikely]] {
      r.diverged_at = iterations;
      std::string message = diverged_message(value_next, finite, divergence_bound, iterations);
      // value and r.gradient still belong to the last finite iterate; x goes back to it
      if constexpr (kMethodKeepsPrevious) {
        r.x = optimizer.previous_x();
        r.gradient = optimizer.previous_gradient();
      } else {
        r.x.swap(x_previous);
      }
      return finish(Status::diverged, std::move(message));
    }
    const double value_previous = value;
    value = value_next;
    gradient_max_abs = scan.gradient_max_abs;
    if constexpr (!kMethodKeepsPrevious) r.gradient.swap(g_next);

    recorded_last = false;
    if (record_history && iterations % stride == 0) [[unlikely]] {
      r.history.append(iterations, r.x, value, r.gradient, lr);
      recorded_last = true;
    }

    if (value_tolerance > 0) {
      const double change = std::abs(value - value_previous);
      if (change <= value_tolerance * std::max(1.0, std::abs(value)))
        return finish(Status::converged, "|f change| " + number(change) + " <= value_tolerance after " +
                                             std::to_string(iterations) + " iterations");
    }
    if (step_tolerance > 0) {
      const Vector& x_before = previous_x();
      double step_max_abs = 0;
      for (Eigen::Index i = 0; i < n; ++i)
        step_max_abs = std::max(step_max_abs, std::abs(r.x[i] - x_before[i]));
      if (step_max_abs <= step_tolerance)
        return finish(Status::converged, "max |step| <= step_tolerance " + number(step_tolerance) +
                                             " after " + std::to_string(iterations) + " iterations");
    }

    if constexpr (sizeof...(Callbacks) > 0) {
      const IterationInfo info{iterations, max_iterations, r.x, value, r.gradient, gradient_max_abs, lr};
      const bool go_on = (invoke_callback(callbacks, info) && ...);
      if (!go_on)
        return finish(Status::stopped,
                      "a callback stopped the run at iteration " + std::to_string(iterations));
    }
  }
}

}  // namespace detail

template <Objective F, class O, Callback... Callbacks>
  requires FirstOrderOptimizer<O> || LineSearchOptimizer<O, F>
MinimizeResult minimize(const F& objective, const Vector& x0, O& optimizer,
                        const MinimizeOptions& options = {}, Callbacks&&... callbacks) {
  options.validate();
  Eigen::Index dimension = 0;  // 0: not known, any
  if constexpr (requires { objective.dimension(); }) dimension = static_cast<Eigen::Index>(objective.dimension());
  validate::point("start point", x0, dimension);

  MinimizeResult r;
  r.x = x0;
  r.gradient = Vector::Zero(x0.size());
  r.value = objective.value_and_gradient(r.x, r.gradient);
  r.function_evaluations = 1;
  r.gradient_evaluations = 1;
  r.gradient_max_abs = detail::max_abs(r.gradient);

  if (options.record_history) {
    r.history.stride = options.effective_history_stride();
    r.history.append(0, r.x, r.value, r.gradient, detail::current_lr(optimizer));
  }
  if (!std::isfinite(r.value) || !detail::all_finite(r.gradient)) {
    r.status = Status::diverged;
    r.diverged_at = 0;
    r.message = "f or its gradient is not finite at the start point (f = " + detail::number(r.value) +
                "); choose a start point inside the function's domain";
    return r;
  }
  return detail::descend(objective, optimizer, options, r, callbacks...);
}

// Convenience overload for an rvalue optimizer: `minimize(f, x0, kobai::Adam({...}), opts)`.
template <Objective F, class O, Callback... Callbacks>
  requires(!std::is_lvalue_reference_v<O>) && (FirstOrderOptimizer<O> || LineSearchOptimizer<O, F>)
MinimizeResult minimize(const F& objective, const Vector& x0, O&& optimizer,
                        const MinimizeOptions& options = {}, Callbacks&&... callbacks) {
  O local = std::move(optimizer);
  return minimize(objective, x0, local, options, std::forward<Callbacks>(callbacks)...);
}

}  // namespace kobai
