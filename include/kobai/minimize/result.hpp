// kobai/minimize/result.hpp — what a run returns: final point, status, counts and history.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
    iterations.push_back(iteration);
    points.push_back(x);
    values.push_back(value);
    // Plain loops, not Eigen's reductions: GCC 12 warns falsely inside their AVX-512 packet code
    // (-Wmaybe-uninitialized under -march=native), and the rows are a handful of numbers.
    double max_abs = 0, sum_of_squares = 0;
    for (Eigen::Index i = 0; i < g.size(); ++i) {
      max_abs = std::max(max_abs, std::abs(g[i]));
      sum_of_squares += g[i] * g[i];
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
