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
// The pairs live in two rings of m vectors, allocated on the first iteration; a new pair is
// computed into a spare pair of vectors and swapped into the ring when accepted, so later
// iterations allocate and copy nothing. Below vector_free_from variables the recursion runs as
// 2m + 1 fused passes (lbfgs_kernels.hpp); from it on, on the pairs' inner products instead
// (lbfgs_gram.hpp), with two passes over the pairs an iteration, which threads may share: at
// n = 10⁴ forming the direction was most of an iteration's time (bench/lbfgs_passes_bench.cpp).
// Both give the textbook recursion's direction to rounding (tests/lbfgs_kernels_test.cpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string_view>

#include <utility>
#include <vector>

#include "kobai/core/reductions.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/optim/lbfgs_gram.hpp"
#include "kobai/optim/lbfgs_kernels.hpp"
#include "kobai/optim/lbfgs_vector_free_kernels.hpp"
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

class Lbfgs : public LineSearchMethodBase {
 public:
  using Options = LbfgsOptions;

  explicit Lbfgs(Options options = {}) : options_(options) { options_.validate(); }

  template <Objective F>
  IterateOutcome iterate(const F& f, SearchState& state) {
    const Eigen::Index n = state.x.size();
    if (workspace_.begin(state)) {
      const int m = options_.memory;
      if (s_.size() != static_cast<std::size_t>(m) || new_y_.size() != n) {
        // Sized, not filled: assign(m, Vector(n)) would copy an n-vector 2m times (1.6 MB at
        // n = 10⁴, m = 10: ~5% of a whole run); every slot is written before it is read.
        s_.resize(static_cast<std::size_t>(m));
        y_.resize(static_cast<std::size_t>(m));
        for (std::size_t i = 0; i < s_.size(); ++i) {
          s_[i].resize(n);
          y_[i].resize(n);
        }
        new_s_.resize(n);
        new_y_.resize(n);
        rho_.resize(m);
        alpha_.resize(m);
        gram_.resize(m);
        order_.resize(static_cast<std::size_t>(m));
        stored_.resize(2 * static_cast<std::size_t>(m));
        coefficients_.resize(2 * static_cast<std::size_t>(m));
        block_sums_.resize(lbfgs_kernels::gradient_products_scratch(static_cast<std::size_t>(n), 2 * static_cast<std::size_t>(m)));
      }
      count_ = 0;
      head_ = 0;
    }
    step_scan_.reset();
    return n >= vector_free_from ? vector_free_iterate(f, state) : two_loop_iterate(f, state);
  }

  // From this many variables on, the direction comes from the vector-free form (lbfgs_gram.hpp):
  // two passes over the pairs instead of 2m + 1. Below it the pairs sit in L1 and the two-loop
  // recursion's O(m·n) costs less than the O(m²) bookkeeping on inner products.
  static constexpr Eigen::Index vector_free_from = 1024;

  void reset() {
    workspace_.reset();
    count_ = 0;
    head_ = 0;
  }

  std::string_view name() const { return "lbfgs"; }
  const Options& options() const { return options_; }
  // The step α accepted by the last line search.
  double last_step() const { return last_step_; }
  // Number of (s, y) pairs currently stored.
  int stored_pairs() const { return count_; }
  // The after-step check of the iterate the last iterate() moved to (x and ∇f finite, max |∂f/∂x_i|),
  // when its passes computed it: the vector-free form does, in the pass that reads the new gradient
  // anyway, and minimize then skips a pass of its own over x and ∇f.
  const std::optional<reductions::StepScan>& step_scan() const { return step_scan_; }

 private:
  template <Objective F>
  IterateOutcome two_loop_iterate(const F& f, SearchState& state) {
    const Eigen::Index n = state.x.size();
    Vector& d = workspace_.direction;
    const Vector& g = state.gradient;
    double initial_step = 1;
    if (count_ > 0) {
      if (!(two_loop(g, d) < 0)) count_ = 0;  // rounding broke descent: restart from steepest descent
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
    const auto [ys, yy] = lbfgs_kernels::difference_pair(new_s_.data(), new_y_.data(), state.x.data(),
                                                         x_old.data(), state.gradient.data(), g_old.data(),
                                                         static_cast<std::size_t>(n));
    if (ys > std::numeric_limits<double>::epsilon() * yy) {
      std::swap(s_[static_cast<std::size_t>(head_)], new_s_);
      std::swap(y_[static_cast<std::size_t>(head_)], new_y_);
      rho_[head_] = 1 / ys;
      gamma_ = ys / yy;
      store_pair();
    }
    return {};
  }

  // The same iteration with the vector-free form: the pairs' inner products are kept
  // (lbfgs_gram.hpp), d is formed in one pass (combine) and the new gradient's products with the
  // pairs come from another (gradient_products). The ring's s vectors are the directions
  // themselves (s = α d, α kept as the slot's scale): the direction buffer is swapped into the ring.
  template <Objective F>
  IterateOutcome vector_free_iterate(const F& f, SearchState& state) {
    namespace k = lbfgs_kernels;
    const auto n = static_cast<std::size_t>(state.x.size());
    Vector& d = workspace_.direction;
    int pairs = live_slots();  // the pairs d is formed from
    k::DirectionProducts products{};
    if (pairs > 0) {
      gram_.direction(order_.data(), pairs, gamma_);
      products = form_direction(state.gradient, pairs);
      if (!(products.dg < 0)) count_ = pairs = 0;  // rounding broke descent: restart from steepest descent
    }
    if (pairs == 0) {
      gram_.steepest_descent(order_.data(), 0);
      products = form_direction(state.gradient, 0);
    }
    const double initial_step = pairs > 0 ? 1.0 : products.dd > 0 ? 1 / std::sqrt(products.dd) : 1.0;

    // φ'(0) = gᵀd came out of the pass that formed d.
    const LineSearchResult search = workspace_.search(f, state, initial_step, options_.line_search, products.dg);
    if (!search.ok) return {false, workspace_.failure_message(search, options_.line_search, "lbfgs")};
    workspace_.commit(state, search);
    last_step_ = search.step;

    // g⁺'s products with the vectors d was formed from (stored_ as form_direction left it: the
    // pairs' s, then their y), into coefficients_ in the same order.
    const k::NewGradientProducts fresh = k::gradient_products(
        new_y_.data(), state.x.data(), state.gradient.data(), workspace_.previous_gradient().data(), d.data(),
        stored_.data(), 2 * static_cast<std::size_t>(pairs), coefficients_.data(), block_sums_.data(), n,
        &products_split_);
    step_scan_ = reductions::StepScan{fresh.finite, fresh.g_max_abs};
    const LbfgsGram::Step step{search.step,          products.dd, products.dg, coefficients_.data(),
                               coefficients_.data() + pairs, fresh.dg, fresh.yy, fresh.yg};
    const double ys = LbfgsGram::pair_ys(step);
    const bool keep = ys > std::numeric_limits<double>::epsilon() * fresh.yy;
    gram_.advance(order_.data(), pairs, step, keep ? head_ : -1);
    if (keep) {
      std::swap(s_[static_cast<std::size_t>(head_)], d);
      std::swap(y_[static_cast<std::size_t>(head_)], new_y_);
      gamma_ = ys / fresh.yy;
      store_pair();
    }
    return {};
  }

  // The slots in use, oldest first, into order_; returns how many.
  int live_slots() {
    const int m = options_.memory;
    for (int t = 0; t < count_; ++t) order_[static_cast<std::size_t>(t)] = (head_ + m - count_ + t) % m;
    return count_;
  }

  void store_pair() {
    head_ = (head_ + 1) % options_.memory;
    count_ = std::min(count_ + 1, options_.memory);
  }

  // d from the coefficients gram_ holds, over the first `pairs` slots of order_.
  lbfgs_kernels::DirectionProducts form_direction(const Vector& g, int pairs) {
    for (int t = 0; t < pairs; ++t) {
      const int i = order_[static_cast<std::size_t>(t)];
      stored_[static_cast<std::size_t>(t)] = s_[static_cast<std::size_t>(i)].data();
      stored_[static_cast<std::size_t>(pairs + t)] = y_[static_cast<std::size_t>(i)].data();
      coefficients_[static_cast<std::size_t>(t)] = gram_.stored_s_coefficient(i);
      coefficients_[static_cast<std::size_t>(pairs + t)] = gram_.y_coefficient(i);
    }
    return lbfgs_kernels::combine(workspace_.direction.data(), gram_.g_coefficient(), g.data(), stored_.data(),
                                  coefficients_.data(), 2 * static_cast<std::size_t>(pairs), block_sums_.data(),
                                  static_cast<std::size_t>(g.size()), &combine_split_);
  }

  // d = −H g by the two-loop recursion, as 2·count + 1 fused passes (lbfgs_kernels.hpp); returns
  // gᵀd, the slope along d (negative unless rounding broke the descent).
  double two_loop(const Vector& g, Vector& d) {
    namespace k = lbfgs_kernels;
    const auto n = static_cast<std::size_t>(g.size());
    const int m = options_.memory;
    auto s = [&](int i) { return s_[static_cast<std::size_t>(i)].data(); };
    auto y = [&](int i) { return y_[static_cast<std::size_t>(i)].data(); };
    const int newest = (head_ + m - 1) % m, oldest = (head_ + m - count_) % m;
    // Newest to oldest: α_i = ρ_i s_iᵀ q, q = q − α_i y_i (q starts as g); then q ×= γ.
    int i = newest;
    alpha_[i] = rho_[i] * k::dot(s(i), g.data(), n);
    const double* q = g.data();
    for (int step = 0; step < count_; ++step) {
      const int older = (i + m - 1) % m;
      if (step + 1 < count_) {
        alpha_[older] = rho_[older] * k::subtract_then_dot<false>(d.data(), q, alpha_[i], y(i), 1.0, s(older), n);
      } else {  // the last update scales by γ and starts the second loop: β for the oldest pair
        beta_ = rho_[oldest] * k::subtract_then_dot<true>(d.data(), q, alpha_[i], y(i), gamma_, y(oldest), n);
      }
      q = d.data();
      i = older;
    }
    // Oldest to newest: β_i = ρ_i y_iᵀ r, r = r + (α_i − β_i) s_i; finally d = −r.
    i = oldest;
    double slope = 0;
    for (int step = 0; step < count_; ++step) {
      const double c = alpha_[i] - beta_;
      const int newer = (i + 1) % m;
      if (step + 1 < count_) beta_ = rho_[newer] * k::add_then_dot(d.data(), c, s(i), y(newer), n);
      else slope = k::add_negate_then_dot(d.data(), c, s(i), g.data(), n);
      i = newer;
    }
    return slope;
  }

  Options options_;
  std::vector<Vector> s_, y_;  // rings of pairs: s_[i], y_[i] = pair i (vector-free: s_[i] = d, scaled in gram_)
  Vector new_s_, new_y_;       // the next pair, swapped into the ring when accepted
  Vector rho_, alpha_;         // ρ_i and the two-loop's α_i
  double beta_ = 0;            // the second loop's β_i
  LbfgsGram gram_;             // the vector-free form's inner products and coefficients
  std::vector<int> order_;     // slots in use, oldest first
  std::vector<const double*> stored_;                // the vectors a pass reads
  std::vector<double> coefficients_;                 // their coefficients, or their products with g⁺
  std::optional<reductions::StepScan> step_scan_;
  // Where the passes' blocks are cut between threads, each pass its own (their threads' speeds
  // differ: the new-gradient pass reads what the line search's thread just wrote).
  BlockSplit products_split_, combine_split_;
  std::vector<double> block_sums_;                   // the passes' sums, block by block
  int count_ = 0;       // pairs stored
  int head_ = 0;        // column the next pair goes to
  double gamma_ = 1;    // H0 = γI
  double last_step_ = 0;
};

}  // namespace kobai
