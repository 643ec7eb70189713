// kobai/problems/models/simple_net.hpp — seed 000's simpleNet: one weight matrix, softmax,
// cross-entropy; the loss and its gradient with respect to the weights.
//
//   kobai::problems::SimpleNet net;                        // x = (0.6, 0.9), t = (0, 0, 1)
//   Matrix W = kobai::problems::seed000_simple_net_weights();
//   net.predict(W);        // z = xW = (−0.31485453, −0.86886191, 1.10254728)
//   net.loss(W);           // 0.3232446566…  (seed: 0.32324465476914266)
//   net.loss_gradient(W);  // dL/dW = xᵀ(softmax(xW) − t)
//   auto p = net.problem(W);   // the same as a 6-D Problem over vec(W)
//
// The math. z = xW (x is 1×m, W is m×k), y = softmax(z), L = −Σ_k t_k log(y_k + δ).
// With δ = 0 (the exact cross-entropy) the gradient is the familiar
//   ∂L/∂z = y − t  (for Σt = 1),    ∂L/∂W = xᵀ (y − t).
// The book's cross_entropy_error adds δ = 1e-7 inside the log (to avoid log 0). Then, with
// w_k = t_k y_k/(y_k + δ) and S = Σ_k w_k,
//   ∂L/∂z_j = y_j S − w_j
// (which is y − t again when δ = 0), and the Hessian in z, with v_k = t_k δ y_k/(y_k + δ)² and
// V = Σ_k v_k, is
//   ∂²L/∂z_j∂z_l = δ_jl (y_j S − v_j) − y_j y_l (S + V) + y_j v_l + v_j y_l.
// Over vec(W) the Hessian is ∇²_z L ⊗ xxᵀ (a Kronecker product).
//
// Which δ reproduces the seed? Its printed W has 8 decimals, which moves the loss by at most
// Σ|∂L/∂W|·5e-9 ≈ 4e-9. With δ = 0 the printed W gives 0.3232446566220026, 1.9e-9 from the
// seed's 0.32324465476914266; with δ = 1e-7 it gives 0.3232445184616794, 1.4e-7 away. So the
// seed's numbers come from the exact cross-entropy (δ = 0), kobai's default; `log_delta = 1e-7`
// gives the book's variant. Likewise the seed's dW (central differences, h = 1e-4) agrees with
// the δ = 0 analytic gradient to 4.1e-9 and with the δ = 1e-7 one only to 3e-8.
//
// Softmax subtracts max z before exponentiating, and with δ = 0 the loss uses the log-softmax
// z_k − max z − log Σ exp(z − max z), so neither overflows nor takes log 0 for large logits.
// vec(W) is column-major (Eigen's storage order): vec(W) = (W00, W10, W01, W11, W02, W12) for a
// 2×3 W; NumPy's W.flatten() is row-major.
#pragma once

#include <cmath>
#include <string>

#include "kobai/core/error.hpp"
#include "kobai/core/types.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/problems/problem.hpp"

namespace kobai::problems {

// Numerically stable softmax: exp(z − max z) / Σ exp(z − max z).
inline Vector softmax(const Vector& z) {
  if (z.size() == 0) return z;
  const Vector e = (z.array() - z.maxCoeff()).exp().matrix();
  return e / e.sum();
}

// −Σ_k t_k log(y_k + δ) for probabilities y (terms with t_k = 0 are skipped, so 0·log 0 is 0).
inline double cross_entropy(const Vector& y, const Vector& t, double log_delta = 0.0) {
  if (y.size() != t.size())
    throw InvalidArgument("t must have the size of y (" + std::to_string(y.size()) + "), got " +
                          std::to_string(t.size()));
  double loss = 0;
  for (Eigen::Index k = 0; k < y.size(); ++k)
    if (t[k] != 0) loss -= t[k] * std::log(y[k] + log_delta);
  return loss;
}

struct SimpleNet {
  Vector input{{0.6, 0.9}};        // x, seed 000
  Vector target{{0.0, 0.0, 1.0}};  // t, one-hot, seed 000
  double log_delta = 0.0;          // δ in −Σ t log(y + δ); the book's cross_entropy_error: 1e-7

  Eigen::Index rows() const { return input.size(); }
  Eigen::Index cols() const { return target.size(); }

  void validate() const {
    if (input.size() < 1 || target.size() < 1)
      throw InvalidArgument("input and target must not be empty");
    validate::non_negative("log_delta", log_delta);
  }
  void check_weights(const Matrix& W) const {
    if (W.rows() != rows() || W.cols() != cols())
      throw InvalidArgument("W must be " + std::to_string(rows()) + "x" +
                            std::to_string(cols()) + ", got " + std::to_string(W.rows()) + "x" +
                            std::to_string(W.cols()));
  }

  // z = xW, as a vector of length k.
  Vector predict(const Matrix& W) const {
    check_weights(W);
    return W.transpose() * input;
  }

  double loss(const Matrix& W) const { return loss_of_logits(predict(W)); }

  // dL/dW = xᵀ ∂L/∂z, an m×k matrix like W.
  Matrix loss_gradient(const Matrix& W) const {
    return input * logit_gradient(predict(W)).transpose();
  }

  // ∇²L over vec(W) (column-major), (mk)×(mk).
  Matrix loss_hessian(const Matrix& W) const {
    const Vector z = predict(W);
    const Vector y = softmax(z);
    const Eigen::Index k = cols(), m = rows();
    Vector w(k), v(k);
    for (Eigen::Index j = 0; j < k; ++j) {
      const double shifted = y[j] + log_delta;
      w[j] = target[j] == 0 ? 0.0 : target[j] * y[j] / shifted;
      v[j] = target[j] == 0 || log_delta == 0 ? 0.0 : target[j] * log_delta * y[j] / (shifted * shifted);
    }
    const double s = w.sum(), sv = v.sum();
    Matrix hz(k, k);
    for (Eigen::Index l = 0; l < k; ++l)
      for (Eigen::Index j = 0; j <= l; ++j) {
        double h = -y[j] * y[l] * (s + sv) + y[j] * v[l] + v[j] * y[l];
        if (j == l) h += y[j] * s - v[j];
        hz(j, l) = hz(l, j) = h;
      }
    const Matrix xx = input * input.transpose();
    Matrix hessian(m * k, m * k);
    for (Eigen::Index l = 0; l < k; ++l)
      for (Eigen::Index j = 0; j < k; ++j) hessian.block(j * m, l * m, m, m) = hz(j, l) * xx;
    return hessian;
  }

  // The loss as a Problem over vec(W) (column-major), started at `start`.
  Problem problem(const Matrix& start) const;

  // L as a function of the logits z.
  double loss_of_logits(const Vector& z) const {
    if (log_delta != 0) return cross_entropy(softmax(z), target, log_delta);
    // Exact cross-entropy through the log-softmax: log y_k = z_k − max z − log Σ exp(z − max z).
    const double top = z.maxCoeff();
    const double log_sum = std::log((z.array() - top).exp().sum());
    double loss = 0;
    for (Eigen::Index k = 0; k < z.size(); ++k)
      if (target[k] != 0) loss -= target[k] * (z[k] - top - log_sum);
    return loss;
  }

  // ∂L/∂z_j = y_j S − w_j with w_k = t_k y_k/(y_k + δ), S = Σ w_k (= y − t when δ = 0, Σt = 1).
  Vector logit_gradient(const Vector& z) const {
    const Vector y = softmax(z);
    if (log_delta == 0) return y * target.sum() - target;
    Vector w(y.size());
    for (Eigen::Index k = 0; k < y.size(); ++k)
      w[k] = target[k] == 0 ? 0.0 : target[k] * y[k] / (y[k] + log_delta);
    return y * w.sum() - w;
  }
};

inline Problem SimpleNet::problem(const Matrix& start) const {
  validate();
  check_weights(start);
  const SimpleNet net = *this;
  const Eigen::Index m = rows(), k = cols();
  Problem p;
  p.name = "simple_net";
  p.formula = "-sum_k t_k log(softmax(x W)_k + delta), W = reshape(w, " + std::to_string(m) +
              ", " + std::to_string(k) + ") column-major";
  p.description =
      "Seed 000's simpleNet: cross-entropy of a softmax of xW over the weights W; no minimizer "
      "(the loss tends to its infimum as the logits separate).";
  p.dimension_ = static_cast<int>(m * k);
  p.value_fn = [net, m, k](const Vector& w) {
    return net.loss(Eigen::Map<const Matrix>(w.data(), m, k));
  };
  p.value_and_gradient_fn = [net, m, k](const Vector& w, Vector& g) {
    const Eigen::Map<const Matrix> W(w.data(), m, k);
    const Vector z = net.predict(W);
    Eigen::Map<Matrix>(g.data(), m, k) = net.input * net.logit_gradient(z).transpose();
    return net.loss_of_logits(z);
  };
  p.hessian_fn = [net, m, k](const Vector& w, Matrix& h) {
    h = net.loss_hessian(Eigen::Map<const Matrix>(w.data(), m, k));
  };
  // Softmax never reaches a one-hot vector: for one-hot t the infimum −log(1 + δ) is approached
  // as the logits separate, never attained, so no minimizer is listed. (For a soft target with
  // every t_k > 0 and δ = 0 the minimum −Σ t log t is attained where softmax(xW) = t; the value
  // below is that entropy, but the minimizer is left unlisted.)
  p.minimum_value = 0;
  for (Eigen::Index j = 0; j < k; ++j)
    if (target[j] != 0) p.minimum_value -= target[j] * std::log1p((target[j] - 1) + log_delta);
  p.start = Eigen::Map<const Vector>(start.data(), start.size());
  p.box_lower = p.start.array() - 3.0;
  p.box_upper = p.start.array() + 3.0;
  return p;
}

// The weights seed 000 printed (np.random.randn(2, 3), 8 decimals).
inline Matrix seed000_simple_net_weights() {
  return Matrix{{-0.37064593, -0.05938241, 0.70608901}, {-0.10274108, -0.92581385, 0.75432652}};
}

}  // namespace kobai::problems
