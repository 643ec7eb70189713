// kobai/optim/lbfgs_gram.hpp — L-BFGS's two-loop recursion run on inner products: the
// "vector-free" form (W. Chen, Z. Wang, J. Zhou, "Large-scale L-BFGS using MapReduce", NIPS 2014).
//
// Every vector the two-loop recursion (lbfgs.hpp) forms is a combination of the same 2m + 1
// vectors, the pairs s_i, y_i and the gradient g. So the recursion can run on the coefficients of
// that combination, O(m²) arithmetic on the inner products among the vectors, and the direction
// is formed at the end in one pass over them:  d = Σ cs_i s_i + Σ cy_i y_i + c_g g.
// The inner products are kept from one iteration to the next; an iteration adds those of the new
// gradient g⁺ and the new pair (s = α d, y = g⁺ − g), and almost all of them follow from ones
// already known:
//   s·b     = α Σ_j c_j (b_j·b)          (d's coefficients, for every stored b)
//   y·s_j   = g⁺·s_j − g·s_j,  y·y_j = g⁺·y_j − g·y_j
//   s·y     = α (d·g⁺ − d·g)             (the Wolfe search keeps d·g⁺ ≥ 0.9 d·g: no cancellation)
// so that only g⁺·b for the stored vectors, d·g⁺, y·y and y·g⁺ need a pass over memory
// (lbfgs_kernels::gradient_products), and d·d and d·g come out of the pass that forms d
// (lbfgs_kernels::combine). Two passes over the pairs an iteration, where the two-loop recursion
// makes 2m + 1, each also writing: at n = 10⁴, m = 10 the pairs (1.6 MB) are read from L2 twice
// instead of ~4m times.
//
// Rounding: the products from differences carry an error of ε·|g|·|b| rather than ε·|y|·|b|,
// relative error ε·|g|/|y| — small unless the gradient hardly changed over the step, and then the
// pair is nearly dropped by the curvature test anyway. tests/lbfgs_kernels_test.cpp checks the
// directions against the textbook recursion.
#pragma once

#include <cstddef>
#include <vector>

namespace kobai {

class LbfgsGram {
 public:
  // For up to m pairs, in slots 0 … m−1 (the caller's ring).
  void resize(int m) {
    m_ = m;
    const auto mm = static_cast<std::size_t>(m) * static_cast<std::size_t>(m);
    ss_.assign(mm, 0);
    sy_.assign(mm, 0);
    yy_.assign(mm, 0);
    for (std::vector<double>* v : {&sg_, &yg_, &rho_, &scale_, &cs_, &cy_, &alpha_, &new_sg_, &new_yg_, &s_dot_s_,
                                   &s_dot_y_})
      v->assign(static_cast<std::size_t>(m), 0);
  }

  // d = −H g by the two-loop recursion, H the inverse-Hessian approximation of the pairs in
  // `order` (slots, oldest first) with H0 = γI: sets the coefficients cs, cy, c_g of d.
  void direction(const int* order, int count, double gamma) {
    for (int t = 0; t < count; ++t) cs(order[t]) = cy(order[t]) = 0;
    c_g_ = 1;
    // Newest to oldest: α_i = ρ_i s_iᵀq, q −= α_i y_i (q = c_g g + Σ cy y: no s terms yet).
    for (int t = count - 1; t >= 0; --t) {
      const int i = order[t];
      double sq = c_g_ * sg(i);
      for (int u = 0; u < count; ++u) sq += cy(order[u]) * sy(i, order[u]);
      alpha(i) = rho(i) * sq;
      cy(i) -= alpha(i);
    }
    c_g_ *= gamma;
    for (int t = 0; t < count; ++t) cy(order[t]) *= gamma;
    // Oldest to newest: β_i = ρ_i y_iᵀr, r += (α_i − β_i) s_i.
    for (int t = 0; t < count; ++t) {
      const int i = order[t];
      double yr = c_g_ * yg(i);
      for (int u = 0; u < count; ++u) {
        const int l = order[u];
        yr += cs(l) * sy(l, i) + cy(l) * yy(i, l);
      }
      cs(i) += alpha(i) - rho(i) * yr;
    }
    // d = −r
    c_g_ = -c_g_;
    for (int t = 0; t < count; ++t) {
      cs(order[t]) = -cs(order[t]);
      cy(order[t]) = -cy(order[t]);
    }
  }

  // d = −g.
  void steepest_descent(const int* order, int count) {
    for (int t = 0; t < count; ++t) cs(order[t]) = cy(order[t]) = 0;
    c_g_ = -1;
  }

  // Coefficients of d, for lbfgs_kernels::combine: of s_i as stored (s_i = scale_i · stored_i),
  // of y_i, of g.
  double stored_s_coefficient(int i) const { return cs(i) * scale(i); }
  double y_coefficient(int i) const { return cy(i); }
  double g_coefficient() const { return c_g_; }

  // What the step found, from the two passes around the line search.
  struct Step {
    double alpha;             // the accepted step: s = α d
    double dd, dg;            // d·d, d·g (g: the gradient the step started from)
    const double* stored_s;   // stored_s[t] = stored s_i · g⁺, i = order[t]
    const double* y;          // y[t] = y_i · g⁺
    double dg_new, yy, yg;    // d·g⁺; for y = g⁺ − g: y·y, y·g⁺
  };

  // s·y and y·y of the new pair, to decide whether to keep it.
  static double pair_ys(const Step& step) { return step.alpha * (step.dg_new - step.dg); }

  // Moves to the new gradient g⁺; stores the new pair in `slot` when slot ≥ 0 (a free slot, or the
  // oldest of `order`, which it replaces). `order` is the slots in use before this step.
  void advance(const int* order, int count, const Step& step, int slot) {
    for (int t = 0; t < count; ++t) {
      const int j = order[t];
      new_sg_[j] = scale(j) * step.stored_s[t];
      new_yg_[j] = step.y[t];
    }
    if (slot >= 0) {
      // Products of the new pair with the pairs that stay, from the products known before the step
      // (computed for all first: the slot may be one of the pairs they are summed over).
      for (int t = 0; t < count; ++t) {
        const int j = order[t];
        if (j == slot) continue;
        double s_s = c_g_ * sg(j), s_y = c_g_ * yg(j);
        for (int u = 0; u < count; ++u) {
          const int l = order[u];
          s_s += cs(l) * ss(l, j) + cy(l) * sy(j, l);
          s_y += cs(l) * sy(l, j) + cy(l) * yy(l, j);
        }
        s_dot_s_[j] = step.alpha * s_s;
        s_dot_y_[j] = step.alpha * s_y;
      }
      for (int t = 0; t < count; ++t) {
        const int j = order[t];
        if (j == slot) continue;
        ss(slot, j) = ss(j, slot) = s_dot_s_[j];
        sy(slot, j) = s_dot_y_[j];
        sy(j, slot) = new_sg_[j] - sg(j);
        yy(slot, j) = yy(j, slot) = new_yg_[j] - yg(j);
      }
      const double ys = pair_ys(step);
      ss(slot, slot) = step.alpha * step.alpha * step.dd;
      sy(slot, slot) = ys;
      yy(slot, slot) = step.yy;
      rho(slot) = 1 / ys;
      scale(slot) = step.alpha;
      new_sg_[slot] = step.alpha * step.dg_new;
      new_yg_[slot] = step.yg;
      sg(slot) = new_sg_[slot];
      yg(slot) = new_yg_[slot];
    }
    for (int t = 0; t < count; ++t) {
      const int j = order[t];
      if (j == slot) continue;
      sg(j) = new_sg_[j];
      yg(j) = new_yg_[j];
    }
  }

 private:
  double& ss(int i, int j) { return ss_[index(i, j)]; }
  double& sy(int i, int j) { return sy_[index(i, j)]; }  // s_i · y_j
  double& yy(int i, int j) { return yy_[index(i, j)]; }
  double& sg(int i) { return sg_[static_cast<std::size_t>(i)]; }
  double& yg(int i) { return yg_[static_cast<std::size_t>(i)]; }
  double& rho(int i) { return rho_[static_cast<std::size_t>(i)]; }
  double& scale(int i) { return scale_[static_cast<std::size_t>(i)]; }
  double scale(int i) const { return scale_[static_cast<std::size_t>(i)]; }
  double& cs(int i) { return cs_[static_cast<std::size_t>(i)]; }
  double cs(int i) const { return cs_[static_cast<std::size_t>(i)]; }
  double& cy(int i) { return cy_[static_cast<std::size_t>(i)]; }
  double cy(int i) const { return cy_[static_cast<std::size_t>(i)]; }
  double& alpha(int i) { return alpha_[static_cast<std::size_t>(i)]; }
  std::size_t index(int i, int j) const {
    return static_cast<std::size_t>(i) * static_cast<std::size_t>(m_) + static_cast<std::size_t>(j);
  }

  int m_ = 0;
  std::vector<double> ss_, sy_, yy_;  // m × m: s_i·s_j, s_i·y_j, y_i·y_j
  std::vector<double> sg_, yg_;       // s_i·g, y_i·g for the current gradient
  std::vector<double> rho_, scale_;   // ρ_i = 1 / s_iᵀy_i; s_i = scale_i · (the stored vector)
  std::vector<double> cs_, cy_;       // the last direction's coefficients
  double c_g_ = -1;
  std::vector<double> alpha_, new_sg_, new_yg_, s_dot_s_, s_dot_y_;  // scratch
};

}  // namespace kobai
