// kobai/optim/newton.hpp — Newton's method, modified so that it descends from any start.
//
// Seed 004: the direction d = −(∇²f(x))⁻¹ ∇f(x) minimizes the second-order Taylor model
//   f(x + d) ≈ f(x) + ∇f(x)ᵀd + ½ dᵀ∇²f(x) d,
// and x_{t+1} = x_t + d with step α = 1. On f = x² the model is exact, so one step lands on the
// minimum (seed 004's example); near a minimizer with a positive definite Hessian the error
// squares at every step (quadratic convergence).
//
// Far from a minimizer the Hessian may be indefinite and d may point uphill or to a saddle, so
// kobai modifies it (Nocedal & Wright §3.4):
//   eigenvalue (default): H = V Λ Vᵀ, replace each λᵢ by max(|λᵢ|, δ) with
//     δ = min_curvature · max(1, maxᵢ |λᵢ|); directions of negative curvature are followed
//     downhill instead of uphill, which also escapes saddle points and maxima.
//   levenberg: add τI, τ doubling from max(0, β − minᵢ Hᵢᵢ) (β = 1e-3) until the Cholesky
//     factorization of H + τI succeeds (N&W Algorithm 3.3, Levenberg-style damping).
// When the Hessian is already positive definite (its LDLᵀ factorization has D > 0) the plain
// Newton step is used. The step length comes from a line search that tries α = 1 first: Armijo
// backtracking by default (c1 = 1e-4), or the strong Wolfe search (c2 = 0.9).
//
// The Hessian comes from the objective's `hessian(x, H)` when it has one (ObjectiveWithHessian,
// or a problems::Problem with has_hessian()), from a user function given in the options, or from
// central differences of the gradient,
//   ∇²f(x) e_j ≈ (∇f(x + h e_j) − ∇f(x − h e_j)) / 2h,  h = ∛ε · max(1, |x_j|) ≈ 6e-6·max(1,|x_j|),
// symmetrized: 2n gradient evaluations per iteration, counted in the run's evaluation counts.
#pragma once

#include <Eigen/Cholesky>
#include <Eigen/SVD>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "kobai/core/validate.hpp"
#include "kobai/optim/line_search/search.hpp"
#include "kobai/optim/optimizer.hpp"

namespace kobai {

enum class HessianSource {
  automatic,  // the objective's Hessian when it has one, else numerical
  objective,  // the objective's hessian(x, H); InvalidArgument if it has none
  numerical,  // central differences of the gradient
};

enum class HessianModification { eigenvalue, levenberg };

struct NewtonOptions {
  HessianSource hessian = HessianSource::automatic;
  // A user-supplied Hessian; when set it is used whatever `hessian` says.
  std::function<void(const Vector&, Matrix&)> hessian_function{};
  HessianModification modification = HessianModification::eigenvalue;
  // Relative floor δ on the modified eigenvalues, see the file comment.
  double min_curvature = 1e-8;
  // Armijo backtracking from α = 1 by default.
  LineSearchOptions line_search{.kind = LineSearchKind::armijo};

  void validate() const {
    validate::positive("min_curvature", min_curvature);
    line_search.validate();
  }
};

class Newton : public LineSearchMethodBase {
 public:
  using Options = NewtonOptions;

  explicit Newton(Options options = {}) : options_(std::move(options)) { options_.validate(); }

  template <Objective F>
  IterateOutcome iterate(const F& f, SearchState& state) {
    const Eigen::Index n = state.x.size();
    workspace_.begin(state);
    if (h_.rows() != n) {
      h_.resize(n, n);
      work_.resize(n);
      g_plus_.resize(n);
      g_minus_.resize(n);
      llt_.reset();
      ldlt_.reset();
      svd_ = Eigen::JacobiSVD<Matrix, Eigen::NoQRPreconditioner>(n, n, Eigen::ComputeFullV);
    }
    evaluate_hessian(f, state);
    if (!h_.allFinite())
      return {false, "the Hessian is not finite at iteration " +
                         std::to_string(workspace_.iteration()) +
                         " of newton; check the Hessian, or use hessian numerical"};
    Vector& d = workspace_.direction;
    const Vector& g = state.gradient;
    last_modified_ = false;
    // H = LDLᵀ with D > 0 exactly when H is positive definite; LDLᵀ (no square roots) also makes
    // the step on f = x² exact: d = −2x/2.
    // Eigen's LLT/LDLT leave their status uninitialized until compute(), so copying a
    // never-computed one reads an indeterminate value (UBSan reports it): they are created
    // right before their first compute().
    if (!ldlt_) ldlt_.emplace(n);
    ldlt_->compute(h_);
    const bool positive_definite =
        ldlt_->info() == Eigen::Success && (ldlt_->vectorD().array() > 0).all();
    if (positive_definite) {
      d = ldlt_->solve(g);
      d = -d;
    }
    if (!positive_definite || !(g.dot(d) < 0) || !d.allFinite()) {
      modified_direction(g, d);
      last_modified_ = true;
      ++modified_steps_;
    }
    if (!(g.dot(d) < 0) || !d.allFinite()) d = -g;  // a degenerate Hessian: steepest descent

    const LineSearchResult search = workspace_.search(f, state, 1.0, options_.line_search);
    if (!search.ok)
      return {false, workspace_.failure_message(search, options_.line_search, "newton")};
    workspace_.commit(state, search);
    last_step_ = search.step;
    return {};
  }

  void reset() {
    workspace_.reset();
    modified_steps_ = 0;
  }

  std::string_view name() const { return "newton"; }
  const Options& options() const { return options_; }
  double last_step() const { return last_step_; }
  // Whether the last step modified the Hessian, and how many steps did since reset().
  bool last_step_modified() const { return last_modified_; }
  long modified_steps() const { return modified_steps_; }
  // The Hessian evaluated at the last iteration's start point.
  const Matrix& hessian() const { return h_; }

 private:
  template <Objective F>
  void evaluate_hessian(const F& f, SearchState& state) {
    if (options_.hessian_function) {
      options_.hessian_function(state.x, h_);
      return;
    }
    if (options_.hessian != HessianSource::numerical) {
      if constexpr (ObjectiveWithHessian<F>) {
        bool available = true;
        if constexpr (requires { f.has_hessian(); }) available = f.has_hessian();
        if (available) {
          f.hessian(state.x, h_);
          return;
        }
      }
      if (options_.hessian == HessianSource::objective)
        throw InvalidArgument(
            "hessian must be numerical for an objective without a Hessian, got objective "
            "(choose hessian numerical, or give the objective a hessian(x, H))");
    }
    numerical_hessian(f, state);
  }

  template <Objective F>
  void numerical_hessian(const F& f, SearchState& state) {
    const double root = std::cbrt(std::numeric_limits<double>::epsilon());
    work_ = state.x;
    for (Eigen::Index j = 0; j < state.x.size(); ++j) {
      const double xj = state.x[j];
      const double h = root * std::max(1.0, std::abs(xj));
      work_[j] = xj + h;
      const double step_plus = work_[j] - xj;  // the step actually taken, after rounding
      f.value_and_gradient(work_, g_plus_);
      work_[j] = xj - h;
      const double step_minus = xj - work_[j];
      f.value_and_gradient(work_, g_minus_);
      work_[j] = xj;
      h_.col(j) = (g_plus_ - g_minus_) / (step_plus + step_minus);
      state.function_evaluations += 2;
      state.gradient_evaluations += 2;
    }
    for (Eigen::Index j = 0; j < h_.cols(); ++j)
      for (Eigen::Index i = j + 1; i < h_.rows(); ++i) h_(i, j) = h_(j, i) = 0.5 * (h_(i, j) + h_(j, i));
  }

  void modified_direction(const Vector& g, Vector& d) {
    const Eigen::Index n = g.size();
    if (options_.modification == HessianModification::eigenvalue) {
      svd_.compute(h_, Eigen::ComputeFullV);
      const auto& lambda = svd_.singularValues();  // |λᵢ| of the symmetric H
      const auto& v = svd_.matrixV();               // its eigenvectors
      const double floor = options_.min_curvature * std::max(1.0, lambda.cwiseAbs().maxCoeff());
      work_.noalias() = v.transpose() * g;
      for (Eigen::Index i = 0; i < n; ++i) work_[i] /= std::max(std::abs(lambda[i]), floor);
      d.noalias() = v * work_;
      d = -d;
      return;
    }
    constexpr double beta = 1e-3;
    const double min_diagonal = h_.diagonal().minCoeff();
    double tau = min_diagonal > 0 ? 0 : beta - min_diagonal;
    for (int attempt = 0; attempt < 100; ++attempt) {
      if (!llt_) llt_.emplace(n);
      h_.diagonal().array() += tau;
      llt_->compute(h_);
      h_.diagonal().array() -= tau;
      if (llt_->info() == Eigen::Success) {
        d = llt_->solve(g);
        d = -d;
        return;
      }
      tau = std::max(2 * tau, beta);
    }
    d = -g;
  }

  Options options_;
  Matrix h_;
  Vector work_, g_plus_, g_minus_;
  std::optional<Eigen::LLT<Matrix>> llt_;
  std::optional<Eigen::LDLT<Matrix>> ldlt_;
  // For a symmetric H = V Λ Vᵀ the singular values are |λᵢ| with right singular vectors V, so the
  // SVD gives |H| = V|Λ|Vᵀ directly. (Eigen's SelfAdjointEigenSolver would do as well, but GCC 12
  // reports false maybe-uninitialized warnings inside it, which -Werror turns into errors.)
  Eigen::JacobiSVD<Matrix, Eigen::NoQRPreconditioner> svd_;
  bool last_modified_ = false;
  long modified_steps_ = 0;
  double last_step_ = 0;
};

}  // namespace kobai
