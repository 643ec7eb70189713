// kobai/problems/models/linear_regression.hpp — least squares fitted by gradient descent (seed 004).
//
//   auto data = kobai::problems::seed004_data();                 // X = [1..5]ᵀ, y = 3x + noise
//   auto p = kobai::problems::linear_regression(data.X, data.y); // a Problem over the weights w
//   auto r = kobai::minimize(p, Vector::Constant(1, kobai::problems::seed004_initial_weight()),
//                            gd, {...});
//
// The loss is the mean of seed 004's per-sample loss ½(y_i − ŷ_i)², which is what its printout
// calls "MSE":
//   L(w)   = (1/2n) ‖y − Xw‖²
//   ∇L(w)  = (1/n) Xᵀ(Xw − y)
//   ∇²L(w) = (1/n) XᵀX                      (constant: L is a quadratic)
// Its minimizer solves the normal equations XᵀX w = Xᵀy; kobai computes it with a complete
// orthogonal decomposition of X (the minimum-norm solution when X is rank deficient), without
// forming XᵀX, and lists it as the known global minimizer.
//
// Seed 004 updates w ← w + η·Σ_i (y_i − ŷ_i), leaving out the factor x_i of the true gradient
// −Σ_i x_i (y_i − ŷ_i) of ½Σ(y − ŷ)². On its data (x = 1…5) that is still a descent direction
// (every x_i > 0), which is why its run works, but it is not the gradient: its fixed point is
// Σy/Σx = 3.04667, not the least-squares w* = Σxy/Σx² = 3.04182. kobai uses the true gradient.
// (Its 5-step printout — MSE 88.846, 22.375, 5.516, 1.422, 0.338, final w = 3.17241493 — is
// reproduced in tests/models_test.cpp by running the seed's update on these data.)
#pragma once

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <string>

#include "kobai/core/error.hpp"
#include "kobai/core/types.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/problems/problem.hpp"

namespace kobai::problems {

struct RegressionData {
  Matrix X;  // n × d design matrix, one sample per row
  Vector y;  // n targets
};

// Seed 004's data: np.random.seed(0); e = normal(scale=0.1, size=5).round(1) = [0.2, 0, 0.1,
// 0.2, 0.2]; X = [1, 2, 3, 4, 5]ᵀ; y = 3X + e = [3.2, 6.0, 9.1, 12.2, 15.2] (as printed there).
inline RegressionData seed004_data() {
  RegressionData data;
  data.X = Matrix{{1.0}, {2.0}, {3.0}, {4.0}, {5.0}};
  data.y = Vector{{3.2, 6.0, 9.1, 12.2, 15.2}};
  return data;
}

// Seed 004's initial weight: the next draw, np.random.normal(size=1) after the noise above
// (NumPy 1.24, legacy Gaussian generator) = −0.977277879876411.
inline double seed004_initial_weight() { return -0.977277879876411; }

// Least-squares minimizer of ‖y − Xw‖² (minimum-norm when X is rank deficient).
inline Vector least_squares(const Matrix& X, const Vector& y) {
  return X.completeOrthogonalDecomposition().solve(y);
}

// (1/2n)‖y − Xw‖² over w ∈ R^d. Start 0, box w* ± max(1, 1.5·max|w*|).
inline Problem linear_regression(Matrix X, Vector y) {
  if (X.rows() < 1 || X.cols() < 1)
    throw InvalidArgument("X must have at least one row and one column, got " +
                          std::to_string(X.rows()) + "x" + std::to_string(X.cols()));
  if (y.size() != X.rows())
    throw InvalidArgument("y must have one entry per row of X (" + std::to_string(X.rows()) +
                          "), got " + std::to_string(y.size()));
  if (!X.allFinite()) throw InvalidArgument("X must have finite entries");
  if (!y.allFinite()) throw InvalidArgument("y must have finite entries");
  const int d = static_cast<int>(X.cols());
  const double n = static_cast<double>(X.rows());
  const Vector w_star = least_squares(X, y);
  const Matrix hessian = X.transpose() * X / n;

  Problem p;
  p.name = "linear_regression";
  p.formula = "(1/2n) sum_i (y_i - x_i . w)^2";
  p.description =
      "Least squares (seed 004) over the weights w: mean of 1/2 squared residuals, minimizer "
      "from the normal equations.";
  p.dimension_ = d;
  p.value_fn = [X, y, n](const Vector& w) { return (y - X * w).squaredNorm() / (2 * n); };
  p.value_and_gradient_fn = [X, y, n](const Vector& w, Vector& g) {
    const Vector residual = X * w - y;
    g.noalias() = X.transpose() * residual / n;
    return residual.squaredNorm() / (2 * n);
  };
  p.hessian_fn = [hessian](const Vector&, Matrix& h) { h = hessian; };
  p.global_minimizers = {w_star};
  p.minimum_value = (y - X * w_star).squaredNorm() / (2 * n);
  p.start = Vector::Zero(d);
  const double radius = std::max(1.0, 1.5 * w_star.cwiseAbs().maxCoeff());
  p.box_lower = w_star.array() - radius;
  p.box_upper = w_star.array() + radius;
  return p;
}

inline Problem linear_regression(const RegressionData& data) {
  return linear_regression(data.X, data.y);
}

}  // namespace kobai::problems
