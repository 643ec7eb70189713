// kobai/optim/bfgs.hpp — BFGS with a dense inverse-Hessian approximation and the Wolfe search.
//
// BFGS keeps H ≈ (∇²f)⁻¹ and moves along d = −H∇f. After a step s = x_{t+1} − x_t with gradient
// change y = ∇f(x_{t+1}) − ∇f(x_t) it applies the update (Nocedal & Wright eq. 6.17)
//   H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ,   ρ = 1 / yᵀs
// which, expanded with u = H y, is the O(n²) rank-two correction
//   H ← H − ρ (u sᵀ + s uᵀ) + (ρ² yᵀu + ρ) s sᵀ.
// H starts as the identity. The first iteration is a steepest-descent step whose first trial has
// unit length (α = 1/‖∇f‖); before the first update H is rescaled to γI with γ = yᵀs / yᵀy
// (N&W eq. 6.20), so the quasi-Newton steps are well scaled from the start and the unit step α = 1
// is tried first afterwards. The update is skipped when yᵀs ≤ ε·yᵀy (ε = machine epsilon): it would
// make H indefinite (the strong Wolfe search, c1 = 1e-4, c2 = 0.9, guarantees yᵀs > 0; Armijo
// does not). Memory is n², so use L-BFGS beyond a few thousand variables.
#pragma once

#include <cmath>
#include <limits>
#include <string_view>

#include "kobai/optim/line_search/search.hpp"
#include "kobai/optim/optimizer.hpp"

namespace kobai {

struct BfgsOptions {
  // Strong Wolfe (c1 = 1e-4, c2 = 0.9) by default.
  LineSearchOptions line_search{};

  void validate() const { line_search.validate(); }
};

class Bfgs : public LineSearchMethodBase {
 public:
  using Options = BfgsOptions;

  explicit Bfgs(Options options = {}) : options_(options) { options_.validate(); }

  template <Objective F>
  IterateOutcome iterate(const F& f, SearchState& state) {
    const Eigen::Index n = state.x.size();
    if (workspace_.begin(state)) {
      if (h_.rows() != n) {
        h_.resize(n, n);
        u_.resize(n);
        s_.resize(n);
        y_.resize(n);
      }
      updates_ = 0;
    }
    Vector& d = workspace_.direction;
    const Vector& g = state.gradient;
    double initial_step = 1;
    if (updates_ > 0) {
      d.noalias() = h_ * g;
      d = -d;
      if (!(g.dot(d) < 0)) updates_ = 0;  // rounding broke descent: restart from steepest descent
    }
    if (updates_ == 0) {
      d = -g;
      const double norm = g.norm();
      initial_step = norm > 0 ? 1 / norm : 1;
    }

    const LineSearchResult search = workspace_.search(f, state, initial_step, options_.line_search);
    if (!search.ok) return {false, workspace_.failure_message(search, options_.line_search, "bfgs")};
    workspace_.commit(state, search);
    last_step_ = search.step;

    s_ = state.x - workspace_.previous_x();
    y_ = state.gradient - workspace_.previous_gradient();
    const double ys = y_.dot(s_);
    const double yy = y_.squaredNorm();
    if (ys > std::numeric_limits<double>::epsilon() * yy) {
      if (updates_ == 0) h_ = Matrix::Identity(n, n) * (ys / yy);
      const double rho = 1 / ys;
      u_.noalias() = h_ * y_;
      const double ss_coefficient = rho * rho * y_.dot(u_) + rho;
      for (Eigen::Index j = 0; j < n; ++j)
        h_.col(j) += (ss_coefficient * s_[j] - rho * u_[j]) * s_ - (rho * s_[j]) * u_;
      ++updates_;
    }
    return {};
  }

  void reset() {
    workspace_.reset();
    updates_ = 0;
  }

  std::string_view name() const { return "bfgs"; }
  const Options& options() const { return options_; }
  double last_step() const { return last_step_; }
  // The current inverse-Hessian approximation (meaningful once updates() > 0).
  const Matrix& inverse_hessian() const { return h_; }
  long updates() const { return updates_; }

 private:
  Options options_;
  Matrix h_;           // H ≈ (∇²f)⁻¹
  Vector u_, s_, y_;   // u = H y, and the last step's s and y
  long updates_ = 0;
  double last_step_ = 0;
};

}  // namespace kobai
