// kobai/optim/lbfgs.hpp — limited-memory BFGS (L-BFGS), with the strong Wolfe line search.
//
// BFGS keeps an n×n approximation of the inverse Hessian; L-BFGS keeps only the last m pairs
//   s_i = x_{i+1} − x_i,   y_i = ∇f(x_{i+1}) − ∇f(x_i),   ρ_i = 1 / (y_iᵀ s_i)
// and applies the matrix they define to the gradient by the two-loop recursion
// (Nocedal & Wright, Algorithm 7.4), O(m·n) work and memory:
//   q = ∇f
//   for i = newest … oldest:  α_i = ρ_i s_iᵀ q;  q = q − α_i y_i
//   r = γ q,  γ = s_kᵀ y_k / y_kᵀ y_k         (H0 = γI: the scale of the newest pair, N&W eq. 7.20)
//   for i = oldest … newest:  β = ρ_i y_iᵀ r;   r = r + s_i (α_i − β)
//   d = −r
// The step along d comes from the strong Wolfe search (c1 = 1e-4, c2 = 0.9), trying α = 1 first —
// the quasi-Newton step is well scaled, so it is usually accepted at once. On the first iteration
// (no pairs yet) d = −∇f and the first trial is α = 1/‖∇f‖, a step of unit length.
// A pair is stored only when y_iᵀ s_i > ε·y_iᵀ y_i (ε = machine epsilon); otherwise the update
// is skipped, which keeps the implied matrix positive definite (the Wolfe search guarantees
// yᵀs > 0, the Armijo search does not).
//
// The pairs live in two n×m column-major matrices used as ring buffers, allocated on the first
// iteration; later iterations allocate nothing.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>

#include "kobai/core/validate.hpp"
#include "kobai/optim/line_search/search.hpp"
#include "kobai/optim/optimizer.hpp"

namespace kobai {

struct LbfgsOptions {
  // Number of (s, y) pairs kept.
  int memory = 10;
  // Strong Wolfe (c1 = 1e-4, c2 = 0.9) by default.
  LineSearchOptions line_search{};

  void validate() const {
    validate::positive_count("memory", memory);
    line_search.validate();
  }
};

class Lbfgs {
 public:
  using Options = LbfgsOptions;

  explicit Lbfgs(Options options = {}) : options_(options) { options_.validate(); }

  template <Objective F>
  IterateOutcome iterate(const F& f, SearchState& state) {
    const Eigen::Index n = state.x.size();
    if (workspace_.begin(state)) {
      const int m = options_.memory;
      if (s_.rows() != n || s_.cols() != m) {
        s_.resize(n, m);
        y_.resize(n, m);
        rho_.resize(m);
        alpha_.resize(m);
      }
      count_ = 0;
      head_ = 0;
    }
    Vector& d = workspace_.direction;
    const Vector& g = state.gradient;
    double initial_step = 1;
    if (count_ > 0) {
      two_loop(g, d);
      if (!(g.dot(d) < 0)) count_ = 0;  // rounding broke descent: restart from steepest descent
    }
    if (count_ == 0) {
      d = -g;
      const double norm = g.norm();
      initial_step = norm > 0 ? 1 / norm : 1;
    }

    const LineSearchResult search = workspace_.search(f, state, initial_step, options_.line_search);
    if (!search.ok) return {false, workspace_.failure_message(search, options_.line_search, "lbfgs")};
    workspace_.commit(state, search);
    last_step_ = search.step;

    const Vector& x_old = workspace_.previous_x();
    const Vector& g_old = workspace_.previous_gradient();
    const double ys = (state.x - x_old).dot(state.gradient - g_old);
    const double yy = (state.gradient - g_old).squaredNorm();
    if (ys > std::numeric_limits<double>::epsilon() * yy) {
      s_.col(head_) = state.x - x_old;
      y_.col(head_) = state.gradient - g_old;
      rho_[head_] = 1 / ys;
      gamma_ = ys / yy;
      head_ = (head_ + 1) % options_.memory;
      count_ = std::min(count_ + 1, options_.memory);
    }
    return {};
  }

  void reset() {
    workspace_.reset();
    count_ = 0;
    head_ = 0;
  }

  std::string_view name() const { return "lbfgs"; }
  // Calls `observer` with the trace of every line search from now on (empty: off).
  void observe_line_search(LineSearchObserver observer) { workspace_.observe(std::move(observer)); }
  const Options& options() const { return options_; }
  // The step α accepted by the last line search.
  double last_step() const { return last_step_; }
  // Number of (s, y) pairs currently stored.
  int stored_pairs() const { return count_; }

 private:
  // d = −H g by the two-loop recursion.
  void two_loop(const Vector& g, Vector& d) {
    const int m = options_.memory;
    d = g;
    int i = head_;
    for (int k = 0; k < count_; ++k) {
      i = (i + m - 1) % m;
      alpha_[i] = rho_[i] * s_.col(i).dot(d);
      d -= alpha_[i] * y_.col(i);
    }
    d *= gamma_;
    for (int k = 0; k < count_; ++k) {
      const double beta = rho_[i] * y_.col(i).dot(d);
      d += (alpha_[i] - beta) * s_.col(i);
      i = (i + 1) % m;
    }
    d = -d;
  }

  Options options_;
  LineSearchWorkspace workspace_;
  Matrix s_, y_;        // ring buffers of pairs, column i = pair i
  Vector rho_, alpha_;  // ρ_i and the two-loop's α_i
  int count_ = 0;       // pairs stored
  int head_ = 0;        // column the next pair goes to
  double gamma_ = 1;    // H0 = γI
  double last_step_ = 0;
};

}  // namespace kobai
