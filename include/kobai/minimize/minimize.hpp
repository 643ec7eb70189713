// kobai/minimize/minimize.hpp — the descent loop.
//
//   auto r = kobai::minimize(problem, x0, optimizer, {.max_iterations = 100'000,
//                                                     .gradient_tolerance = 1e-8});
//   // r.x, r.value, r.iterations, r.status, r.history
//
// One iteration (first-order optimizers):
//   1. if max_i |g_i| < gradient_tolerance → converged   (seed 003's rule, checked before a step)
//   2. if the step count reached max_iterations → iteration_limit
//   3. optimizer.step(x, g); evaluate f and g at the new x
//   4. f or x or g not finite, or f > divergence_bound → diverged; x reverts to the last finite
//      iterate and the result names the iteration where it happened
//   5. value / step tolerances → converged; callbacks → stopped
// Line-search methods (LineSearchOptimizer) replace step 3 by `optimizer.iterate(f, state)`; a
// failed search ends the run with status line_search_failed and the method's message.
// The loop allocates nothing per iteration (beyond the history, when asked for).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "kobai/core/objective.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/minimize/callbacks.hpp"
#include "kobai/minimize/options.hpp"
#include "kobai/minimize/result.hpp"
#include "kobai/optim/optimizer.hpp"

namespace kobai {

namespace detail {

inline double max_abs(const Vector& v) { return v.size() ? v.cwiseAbs().maxCoeff() : 0.0; }

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

}  // namespace detail

template <Objective F, class O, Callback... Callbacks>
  requires FirstOrderOptimizer<O> || LineSearchOptimizer<O, F>
MinimizeResult minimize(const F& objective, const Vector& x0, O& optimizer,
                        const MinimizeOptions& options = {}, Callbacks&&... callbacks) {
  options.validate();
  validate::point("start point", x0, 0);
  if constexpr (requires { objective.dimension(); }) {
    validate::point("start point", x0, static_cast<Eigen::Index>(objective.dimension()));
  }

  MinimizeResult r;
  r.x = x0;
  r.gradient = Vector::Zero(x0.size());
  r.value = objective.value_and_gradient(r.x, r.gradient);
  r.function_evaluations = 1;
  r.gradient_evaluations = 1;
  r.gradient_max_abs = detail::max_abs(r.gradient);

  const std::int64_t stride = options.effective_history_stride();
  const double base_lr = detail::current_lr(optimizer);
  double lr = base_lr;
  if (options.record_history) {
    r.history.stride = stride;
    r.history.append(0, r.x, r.value, r.gradient, lr);
  }
  if (!std::isfinite(r.value) || !r.gradient.allFinite()) {
    r.status = Status::diverged;
    r.diverged_at = 0;
    r.message = "f or its gradient is not finite at the start point (f = " + detail::number(r.value) +
                "); choose a start point inside the function's domain";
    return r;
  }

  Vector x_previous = r.x;
  Vector g_next = r.gradient;
  double value_previous = r.value;
  bool recorded_last = true;

  auto finish = [&](Status status, std::string message) {
    r.status = status;
    r.message = std::move(message);
    r.gradient_max_abs = detail::max_abs(r.gradient);
    if (options.record_history && !recorded_last)
      r.history.append(r.iterations, r.x, r.value, r.gradient, lr);
    return r;
  };

  for (;;) {
    if (options.gradient_tolerance > 0 && r.gradient_max_abs < options.gradient_tolerance)
      return finish(Status::converged, "max |gradient| " + detail::number(r.gradient_max_abs) +
                                           " < gradient_tolerance " +
                                           detail::number(options.gradient_tolerance) + " after " +
                                           std::to_string(r.iterations) + " iterations");
    if (r.iterations >= options.max_iterations)
      return finish(Status::iteration_limit,
                    "reached max_iterations " + std::to_string(options.max_iterations) +
                        " with max |gradient| " + detail::number(r.gradient_max_abs));

    x_previous = r.x;
    value_previous = r.value;
    double value_next = 0;
    if constexpr (LineSearchOptimizer<O, F>) {
      value_next = r.value;
      g_next = r.gradient;
      SearchState state{r.x, value_next, g_next, r.function_evaluations, r.gradient_evaluations};
      IterateOutcome outcome = optimizer.iterate(objective, state);
      if (!outcome.ok) {
        r.x = x_previous;
        return finish(Status::line_search_failed, std::move(outcome.message));
      }
      // The step α the line search accepted plays the learning rate's part in history/callbacks.
      if constexpr (requires { optimizer.last_step(); }) lr = optimizer.last_step();
    } else {
      if (options.schedule) {
        lr = options.schedule->lr_at(base_lr, r.iterations);
        optimizer.set_lr(lr);
      }
      optimizer.step(as_span(r.x), as_span(static_cast<const Vector&>(r.gradient)));
      value_next = objective.value_and_gradient(r.x, g_next);
      ++r.function_evaluations;
      ++r.gradient_evaluations;
    }
    ++r.iterations;

    const bool finite = std::isfinite(value_next) && r.x.allFinite() && g_next.allFinite();
    if (!finite || value_next > options.divergence_bound) {
      r.diverged_at = r.iterations;
      const std::string what = !finite ? "f(x) became " + detail::number(value_next) +
                                             (std::isfinite(value_next) ? " with a non-finite iterate or gradient" : "")
                                       : "f(x) = " + detail::number(value_next) +
                                             " exceeded divergence_bound " +
                                             detail::number(options.divergence_bound);
      r.x = x_previous;
      r.value = value_previous;
      return finish(Status::diverged, what + " at iteration " + std::to_string(r.iterations) +
                                          "; x is the last finite iterate (iteration " +
                                          std::to_string(r.iterations - 1) +
                                          "). A smaller learning rate may help");
    }
    std::swap(r.gradient, g_next);
    r.value = value_next;
    r.gradient_max_abs = detail::max_abs(r.gradient);

    recorded_last = false;
    if (options.record_history && r.iterations % stride == 0) {
      r.history.append(r.iterations, r.x, r.value, r.gradient, lr);
      recorded_last = true;
    }

    if (options.value_tolerance > 0 &&
        std::abs(r.value - value_previous) <= options.value_tolerance * std::max(1.0, std::abs(r.value)))
      return finish(Status::converged, "|f change| " + detail::number(std::abs(r.value - value_previous)) +
                                           " <= value_tolerance after " + std::to_string(r.iterations) +
                                           " iterations");
    if (options.step_tolerance > 0 &&
        detail::max_abs(r.x - x_previous) <= options.step_tolerance)
      return finish(Status::converged, "max |step| <= step_tolerance " +
                                           detail::number(options.step_tolerance) + " after " +
                                           std::to_string(r.iterations) + " iterations");

    if constexpr (sizeof...(Callbacks) > 0) {
      const IterationInfo info{r.iterations, options.max_iterations, r.x, r.value,
                               r.gradient,   r.gradient_max_abs,     lr};
      const bool go_on = (invoke_callback(callbacks, info) && ...);
      if (!go_on)
        return finish(Status::stopped,
                      "a callback stopped the run at iteration " + std::to_string(r.iterations));
    }
  }
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
