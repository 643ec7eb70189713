// kobai/optim/line_search_gradient_descent.hpp — steepest descent with a line search.
//
// Seed 004: x_{t+1} = x_t + α_t d_t with d_t = −∇f(x_t) and a step size α_t chosen as the run goes
// instead of a fixed learning rate. The step comes from Armijo backtracking (default) or the strong
// Wolfe search (c2 = 0.9). The first trial step is
//   initial_step, when given (the CLI's --lr): every search starts there and backtracks;
//   otherwise 1/‖∇f‖ (unit length) on the first iteration and afterwards
//   α₀ = α_{t−1} ‖∇f_{t−1}‖² / ‖∇f_t‖² (N&W eq. 3.60: the same first-order decrease as last time).
// Steepest descent converges only linearly, at a rate set by the Hessian's condition number
// (N&W Theorem 3.4): on Rosenbrock it needs thousands of iterations where BFGS needs thirty.
#pragma once

#include <cmath>
#include <optional>
#include <string_view>

#include "kobai/core/validate.hpp"
#include "kobai/optim/line_search/search.hpp"
#include "kobai/optim/optimizer.hpp"

namespace kobai {

struct LineSearchGradientDescentOptions {
  // Armijo backtracking by default.
  LineSearchOptions line_search{.kind = LineSearchKind::armijo};
  // First trial step of every search (see the file comment); empty: chosen by the method.
  std::optional<double> initial_step{};

  void validate() const {
    line_search.validate();
    if (initial_step) validate::positive("initial step (lr)", *initial_step);
  }
};

class LineSearchGradientDescent : public LineSearchMethodBase {
 public:
  using Options = LineSearchGradientDescentOptions;

  explicit LineSearchGradientDescent(Options options = {}) : options_(options) { options_.validate(); }

  template <Objective F>
  IterateOutcome iterate(const F& f, SearchState& state) {
    const bool fresh = workspace_.begin(state);
    Vector& d = workspace_.direction;
    d = -state.gradient;
    const double slope = -state.gradient.squaredNorm();
    double initial_step;
    if (options_.initial_step) {
      initial_step = *options_.initial_step;
    } else if (fresh) {
      initial_step = slope < 0 ? 1 / std::sqrt(-slope) : 1;
    } else {
      initial_step = last_step_ * previous_slope_ / slope;
      if (!(initial_step > 0) || !std::isfinite(initial_step)) initial_step = 1;
    }
    const LineSearchResult search = workspace_.search(f, state, initial_step, options_.line_search);
    if (!search.ok) return {false, workspace_.failure_message(search, options_.line_search, "gd")};
    workspace_.commit(state, search);
    last_step_ = search.step;
    previous_slope_ = slope;
    return {};
  }

  void reset() { workspace_.reset(); }

  std::string_view name() const { return "gd"; }
  const Options& options() const { return options_; }
  double last_step() const { return last_step_; }

 private:
  Options options_;
  double last_step_ = 1;
  double previous_slope_ = -1;
};

}  // namespace kobai
