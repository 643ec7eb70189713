// kobai/optim/line_search/search.hpp — picking a line search, and the workspace every
// line-search method (Newton, BFGS, L-BFGS, CG, steepest descent) shares.
//
// A method computes a direction d, asks `LineSearchWorkspace::search` for a step along it, updates
// its own memory from s = x_{t+1} − x_t and y = ∇f_{t+1} − ∇f_t, and `commit`s the new iterate into
// the loop's SearchState. The workspace owns the trial buffers, so an iteration allocates nothing
// once the first one has sized them. It also notices when a call does not continue the previous
// one, so quasi-Newton memory from another run is never used: the first call, a different
// dimension, iteration 0 of a run (minimize says which iteration it is, SearchState::iteration),
// or — for a caller that steps by hand and does not say — an x other than the one it left.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
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

// One search as an observer sees it: where it started, every trial in order with the tests it
// passed or failed, and the outcome. For teaching pages (the playground's state panel) and
// diagnostics; a method calls the observer after each search only when one is set.
struct LineSearchTrace {
  std::int64_t iteration = 0;  // the method's iteration since its run began (1: the first search)
  LineSearchKind kind = LineSearchKind::strong_wolfe;
  double c1 = 0;
  double c2 = std::numeric_limits<double>::quiet_NaN();  // strong Wolfe only
  double value0 = 0, slope0 = 0;                          // φ(0), φ'(0)
  double initial_step = 0;                                // the first trial α₀
  Vector x, direction;                                    // the ray x + α d
  std::vector<LineSearchTrial> trials;
  bool ok = false;
  double step = 0;       // the accepted α (ok), else the last step the search held
  std::string message;   // on failure: what the search could not find
};

using LineSearchObserver = std::function<void(const LineSearchTrace&)>;

class LineSearchWorkspace {
 public:
  // Sizes the buffers; returns true when this call starts a new run (see the file comment).
  bool begin(const SearchState& state) {
    const Eigen::Index n = state.x.size();
    const bool sized = direction.size() == n;
    bool fresh = iteration_ == 0 || !sized;
    if (state.iteration >= 0) fresh = fresh || state.iteration == 0;
    else fresh = fresh || !last_x_known_ || last_x_ != state.x;
    if (!sized) {
      last_x_known_ = false;
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
    return search(f, state, initial_step, options, state.gradient.dot(direction));
  }
  // The same, for a method that already has φ'(0) = ∇f(x)ᵀd from forming d.
  template <Objective F>
  LineSearchResult search(const F& f, SearchState& state, double initial_step, const LineSearchOptions& options,
                          double slope0) {
    Ray<F> ray(f, state.x, direction, x_trial_, g_trial_, state.function_evaluations,
               state.gradient_evaluations);
    // the observed search is out of line: the ordinary path stays as it was
    if (observer_) [[unlikely]] return observed_search(ray, state, slope0, initial_step, options);
    return options.kind == LineSearchKind::armijo
               ? armijo_search(ray, state.value, slope0, initial_step, options.armijo)
               : strong_wolfe_search(ray, state.value, slope0, initial_step, options.wolfe);
  }

  // Calls `observer` after every search from now on (an empty one stops it). Costs nothing
  // while unset: the searches record their trials only for an observer.
  void observe(LineSearchObserver observer) { observer_ = std::move(observer); }

  // Moves the accepted point into the state. Afterwards previous_x() and previous_gradient()
  // hold the iterate the step started from, so s = state.x − previous_x().
  void commit(SearchState& state, const LineSearchResult& result) {
    std::swap(state.x, x_trial_);
    std::swap(state.gradient, g_trial_);
    state.value = result.value;
    // Only a caller that does not count iterations needs x kept for begin()'s comparison.
    last_x_known_ = state.iteration < 0;
    if (last_x_known_) last_x_ = state.x;
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
    last_x_known_ = false;
  }

  Vector direction;  // d: the method writes its search direction here

 private:
  template <Objective F>
  LineSearchResult observed_search(Ray<F>& ray, const SearchState& state, double slope0, double initial_step,
                                   const LineSearchOptions& options) {
    trace_.trials.clear();
    ray.record_into(&trace_.trials);
    const LineSearchResult result =
        options.kind == LineSearchKind::armijo
            ? armijo_search(ray, state.value, slope0, initial_step, options.armijo)
            : strong_wolfe_search(ray, state.value, slope0, initial_step, options.wolfe);
    describe(state, slope0, initial_step, options, result);
    observer_(trace_);
    return result;
  }

  void describe(const SearchState& state, double slope0, double initial_step,
                const LineSearchOptions& options, const LineSearchResult& result) {
    const bool wolfe = options.kind == LineSearchKind::strong_wolfe;
    trace_.iteration = iteration_;
    trace_.kind = options.kind;
    trace_.c1 = options.c1();
    trace_.c2 = wolfe ? options.wolfe.c2 : std::numeric_limits<double>::quiet_NaN();
    trace_.value0 = state.value;
    trace_.slope0 = slope0;
    trace_.initial_step = initial_step;
    trace_.x = state.x;
    trace_.direction = direction;
    for (LineSearchTrial& t : trace_.trials) {
      t.sufficient_decrease = std::isfinite(t.value) && t.value <= state.value + trace_.c1 * t.step * slope0;
      t.curvature = wolfe && std::abs(t.slope) <= trace_.c2 * std::abs(slope0);
    }
    trace_.ok = result.ok;
    trace_.step = result.step;
    trace_.message = result.message;
  }

  LineSearchObserver observer_;
  LineSearchTrace trace_;
  Vector x_trial_, g_trial_, last_x_;
  bool last_x_known_ = false;  // last_x_ holds where the last call left x
  std::int64_t iteration_ = 0;
};

// What every line-search method has: its workspace, the observer hook, and the point its last
// iterate() started from. minimize hands a method its own x and gradient to update in place and,
// should the new iterate not be finite, puts these back (instead of copying x and ∇f before every
// iteration, two passes over n-vectors that cost ~7% of an L-BFGS iteration at n = 10⁴).
class LineSearchMethodBase {
 public:
  // Calls `observer` with the trace of every line search from now on (empty: off).
  void observe_line_search(LineSearchObserver observer) { workspace_.observe(std::move(observer)); }
  // The iterate and its gradient that the last successful iterate() started from; valid until the
  // next call.
  const Vector& previous_x() const { return workspace_.previous_x(); }
  const Vector& previous_gradient() const { return workspace_.previous_gradient(); }

 protected:
  LineSearchWorkspace workspace_;
};

}  // namespace kobai
