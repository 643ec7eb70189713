// kobai/optim/conjugate_gradient.hpp — nonlinear conjugate gradient, Polak–Ribière+ with restarts.
//
// Each direction mixes the new steepest-descent direction with the previous direction,
//   d_{t+1} = −∇f_{t+1} + β_{t+1} d_t,
//   β_{t+1} = max(0, ∇f_{t+1}ᵀ(∇f_{t+1} − ∇f_t) / ∇f_tᵀ∇f_t)      (Polak–Ribière+, N&W eq. 5.45)
// On a quadratic with exact line searches this is linear CG, which finishes in n steps; it keeps
// only two vectors, so it suits large problems where even L-BFGS's 2m vectors are too many.
// The "+" (β ≥ 0) restarts with steepest descent whenever PR would turn against it, and the
// method also restarts (β = 0) when
//   successive gradients are far from orthogonal: |∇f_{t+1}ᵀ∇f_t| ≥ ν ‖∇f_{t+1}‖², ν = 0.1
//     (Powell's test, N&W eq. 5.52; `restart_threshold`),
//   every `restart_every` iterations (default n), or when d is not a descent direction.
// CG needs an accurate search: strong Wolfe with c2 = 0.1 (c1 = 1e-4). The first trial step is
// α₀ = α_{t−1} · ∇f_{t−1}ᵀd_{t−1} / ∇f_tᵀd_t (N&W eq. 3.60: the same first-order decrease as last
// time), and 1/‖∇f‖ (unit length) on the first iteration.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "kobai/core/validate.hpp"
#include "kobai/optim/line_search/search.hpp"
#include "kobai/optim/optimizer.hpp"

namespace kobai {

struct ConjugateGradientOptions {
  // Strong Wolfe with c2 = 0.1.
  LineSearchOptions line_search{.wolfe = {.c2 = 0.1}};
  // Powell's restart test ν, in (0, 1].
  double restart_threshold = 0.1;
  // Restart every this many iterations; 0 means the dimension n.
  std::int64_t restart_every = 0;

  void validate() const {
    line_search.validate();
    if (!(restart_threshold > 0 && restart_threshold <= 1))
      validate::fail("restart_threshold", "in (0, 1]", restart_threshold);
    if (restart_every < 0) validate::fail("restart_every", ">= 0", static_cast<double>(restart_every));
  }
};

class ConjugateGradient : public LineSearchMethodBase {
 public:
  using Options = ConjugateGradientOptions;

  explicit ConjugateGradient(Options options = {}) : options_(options) { options_.validate(); }

  template <Objective F>
  IterateOutcome iterate(const F& f, SearchState& state) {
    const bool fresh = workspace_.begin(state);
    Vector& d = workspace_.direction;
    const Vector& g = state.gradient;
    const std::int64_t period = options_.restart_every > 0 ? options_.restart_every : state.x.size();
    bool restart = fresh || ++since_restart_ >= period;
    if (!restart) {
      const Vector& g_old = workspace_.previous_gradient();
      const double g_old_squared = g_old.squaredNorm();
      const double g_squared = g.squaredNorm();
      const double cross = g.dot(g_old);
      if (std::abs(cross) >= options_.restart_threshold * g_squared || !(g_old_squared > 0)) {
        restart = true;
      } else {
        const double beta = std::max(0.0, (g_squared - cross) / g_old_squared);
        d = beta * d - g;
        if (!(g.dot(d) < 0)) restart = true;
      }
    }
    if (restart) {
      d = -g;
      since_restart_ = 0;
    }
    const double slope = g.dot(d);
    double initial_step;
    if (fresh) {
      const double norm = g.norm();
      initial_step = norm > 0 ? 1 / norm : 1;
    } else {
      initial_step = last_step_ * previous_slope_ / slope;
      if (!(initial_step > 0) || !std::isfinite(initial_step)) initial_step = 1;
    }

    const LineSearchResult search = workspace_.search(f, state, initial_step, options_.line_search);
    if (!search.ok) return {false, workspace_.failure_message(search, options_.line_search, "cg")};
    workspace_.commit(state, search);
    last_step_ = search.step;
    previous_slope_ = slope;
    return {};
  }

  void reset() {
    workspace_.reset();
    since_restart_ = 0;
  }

  std::string_view name() const { return "cg"; }
  const Options& options() const { return options_; }
  double last_step() const { return last_step_; }

 private:
  Options options_;
  std::int64_t since_restart_ = 0;
  double last_step_ = 1;
  double previous_slope_ = -1;
};

}  // namespace kobai
