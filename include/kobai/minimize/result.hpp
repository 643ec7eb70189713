// kobai/minimize/result.hpp — what a run returns: final point, status, counts and history.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kobai/core/reductions.hpp"
#include "kobai/core/types.hpp"
#include "kobai/minimize/status.hpp"

namespace kobai {

// Thinned record of a run: row k holds iteration iterations[k] (0 = the start point).
struct History {
  std::int64_t stride = 1;
  std::vector<std::int64_t> iterations;
  std::vector<Vector> points;
  std::vector<double> values;
  std::vector<double> gradient_max_abs;  // max_i |∂f/∂x_i|, the seeds' stopping quantity
  std::vector<double> gradient_norm;     // Euclidean norm ‖∇f‖₂
  std::vector<double> learning_rates;    // the lr used for the step that produced the row

  std::size_t size() const { return iterations.size(); }
  bool empty() const { return iterations.empty(); }

  void append(std::int64_t iteration, const Vector& x, double value, const Vector& g, double lr) {
    points.push_back(x);
    append_scalars(iteration, value, g, lr);
  }

  // A row without its point (the Python module's history for large n keeps no iterates).
  void append_scalars(std::int64_t iteration, double value, const Vector& g, double lr) {
    iterations.push_back(iteration);
    values.push_back(value);
    const auto n = static_cast<std::size_t>(g.size());
    double max_abs = 0, sum_of_squares = 0;
    if (n >= reductions::long_vector) {  // a plain loop would be a chain of dependent additions
      max_abs = reductions::max_abs(g.data(), n);
      sum_of_squares = reductions::dot(g.data(), g.data(), n);
    } else {  // a handful of numbers: the plain loop, no set-up
      for (std::size_t i = 0; i < n; ++i) {
        max_abs = std::max(max_abs, std::abs(g[static_cast<Eigen::Index>(i)]));
        sum_of_squares += g[static_cast<Eigen::Index>(i)] * g[static_cast<Eigen::Index>(i)];
      }
    }
    gradient_max_abs.push_back(max_abs);
    gradient_norm.push_back(std::sqrt(sum_of_squares));
    learning_rates.push_back(lr);
  }
};

struct MinimizeResult {
  Vector x;                      // final iterate (the last finite one when diverged)
  double value = 0;              // f(x)
  Vector gradient;               // ∇f(x)
  double gradient_max_abs = 0;   // max_i |∂f/∂x_i|
  std::int64_t iterations = 0;   // steps taken
  Status status = Status::iteration_limit;
  std::string message;           // one sentence on why the run ended
  std::optional<std::int64_t> diverged_at;  // the iteration whose iterate blew up
  std::int64_t function_evaluations = 0;
  std::int64_t gradient_evaluations = 0;
  History history;               // empty unless options.record_history

  bool converged() const { return status == Status::converged; }
};

}  // namespace kobai
