// kobai/optim/line_search/search.hpp — picking a line search, and the workspace every
// line-search method (Newton, BFGS, L-BFGS, CG, steepest descent) shares.
//
// A method computes a direction d, asks `LineSearchWorkspace::search` for a step along it, updates
// its own memory from s = x_{t+1} − x_t and y = ∇f_{t+1} − ∇f_t, and `commit`s the new iterate into
// the loop's SearchState. The workspace owns the trial buffers, so an iteration allocates nothing
// once the first one has sized them. It also notices when a call does not continue the previous
// one — the first call, a different dimension, or an x other than the one it left (a new run of
// `minimize` with the same method object) — so quasi-Newton memory from another run is never used.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "kobai/core/objective.hpp"
#include "kobai/optim/line_search/armijo.hpp"
#include "kobai/optim/line_search/line_search.hpp"
#include "kobai/optim/line_search/strong_wolfe.hpp"
#include "kobai/optim/optimizer.hpp"

namespace kobai {

struct LineSearchOptions {
  LineSearchKind kind = LineSearchKind::strong_wolfe;
  ArmijoOptions armijo{};
  StrongWolfeOptions wolfe{};

  void validate() const {
    if (kind == LineSearchKind::armijo) armijo.validate();
    else wolfe.validate();
  }
  // The sufficient-decrease constant of the selected search.
  double c1() const { return kind == LineSearchKind::armijo ? armijo.c1 : wolfe.c1; }
};

// Parses "armijo" or "wolfe" (also "strong_wolfe"); throws InvalidArgument naming the bad value.
inline LineSearchKind parse_line_search_kind(std::string_view name) {
  if (name == "armijo") return LineSearchKind::armijo;
  if (name == "wolfe" || name == "strong_wolfe" || name == "strong-wolfe")
    return LineSearchKind::strong_wolfe;
  throw InvalidArgument("line search must be armijo or wolfe, got '" + std::string(name) + "'");
}

class LineSearchWorkspace {
 public:
  // Sizes the buffers; returns true when this call starts a new run (see the file comment).
  bool begin(const SearchState& state) {
    const Eigen::Index n = state.x.size();
    const bool fresh = iteration_ == 0 || last_x_.size() != n || last_x_ != state.x;
    if (direction.size() != n) {
      direction.resize(n);
      x_trial_.resize(n);
      g_trial_.resize(n);
    }
    if (fresh) iteration_ = 0;
    ++iteration_;
    return fresh;
  }

  template <Objective F>
  LineSearchResult search(const F& f, SearchState& state, double initial_step,
                          const LineSearchOptions& options) {
    Ray<F> ray(f, state.x, direction, x_trial_, g_trial_, state.function_evaluations,
               state.gradient_evaluations);
    const double slope0 = state.gradient.dot(direction);
    return options.kind == LineSearchKind::armijo
               ? armijo_search(ray, state.value, slope0, initial_step, options.armijo)
               : strong_wolfe_search(ray, state.value, slope0, initial_step, options.wolfe);
  }

  // Moves the accepted point into the state. Afterwards previous_x() and previous_gradient()
  // hold the iterate the step started from, so s = state.x − previous_x().
  void commit(SearchState& state, const LineSearchResult& result) {
    std::swap(state.x, x_trial_);
    std::swap(state.gradient, g_trial_);
    state.value = result.value;
    last_x_ = state.x;
  }
  const Vector& previous_x() const { return x_trial_; }
  const Vector& previous_gradient() const { return g_trial_; }

  // Iterations since this run began (1 during the first).
  std::int64_t iteration() const { return iteration_; }

  // "strong Wolfe search found no step ... at iteration 37 of lbfgs; <what to change>".
  std::string failure_message(const LineSearchResult& result, const LineSearchOptions& options,
                              std::string_view method) const {
    const bool armijo = options.kind == LineSearchKind::armijo;
    std::string m = std::string(armijo ? "Armijo backtracking search " : "strong Wolfe search ") +
                    result.message + " at iteration " + std::to_string(iteration_) + " of " +
                    std::string(method) +
                    "; the gradient may be wrong (check it with kobai check), the function not "
                    "differentiable there, or too flat or noisy at this precision (a looser "
                    "gradient tolerance stops earlier)";
    m += armijo ? "; try --line-search wolfe" : "; try --line-search armijo";
    return m;
  }

  void reset() {
    iteration_ = 0;
    last_x_.resize(0);
  }

  Vector direction;  // d: the method writes its search direction here

 private:
  Vector x_trial_, g_trial_, last_x_;
  std::int64_t iteration_ = 0;
};

}  // namespace kobai
