// kobai/report/basin.hpp — basins of attraction: where an optimizer ends, start by start, on a grid.
//
// Seed 002 shows that gradient descent on sin(x) + 0.05(5 − x)² ends in a different minimum
// depending on where it starts and on its learning rate; seed 003 shows paths on Beale. A basin map
// asks that question for every start of a grid over the problem's box: run the optimizer from each,
// and colour the start by the known minimum its run ends at, or as diverged, or as not converged;
// beside it, how many iterations the run needed. Momentum and Adam carry a run over ridges, so
// their basins are not the function's catchment areas: the map shows it.
//
// The rules for one run (classify_basin_end):
//   diverged       the loop said so (a non-finite value or one past the divergence bound)
//   minimum k      otherwise, the end point lies within `radius` (Euclidean) of the known minimum k
//                  (the problem's global minimizers, then its local ones), whatever the status: a run
//                  that sits on the minimum at the iteration cap ended there, the iteration count
//                  says how long it took
//   not converged  otherwise
// and for the whole map (add_found_points): a run that stopped by a tolerance (status converged)
// away from every known minimum found a stationary point kobai did not know: a saddle, or a minimum
// of a typed function (--expr knows none). Such end points are grouped, in start order, into
// "found" points (one per cluster of ends within `radius`) and the runs are coloured by them.
//
// The map is computed by whoever has the runs: the kobai command (start by start, split across
// mpirun ranks, gathered and finished on rank 0) or the playground in the browser (one start at a
// time); both classify with the functions here, so their pictures agree. basin_map() is the whole
// map in one process.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/core/types.hpp"
#include "kobai/minimize/result.hpp"
#include "kobai/problems/problem.hpp"

namespace kobai::report {

// The starts: an nx × ny grid of points spanning [lower, upper] edge to edge (1-D problems: ny = 1).
struct BasinGrid {
  static constexpr int max_resolution = 256;

  Vector lower, upper;  // the box (dimension 1 or 2)
  int nx = 64, ny = 64;

  int dimension() const { return static_cast<int>(lower.size()); }
  std::size_t size() const { return static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny); }
  // Start `index` = iy·nx + ix (rows of constant y, as a heatmap's z).
  double x(int ix) const { return coordinate(0, ix, nx); }
  double y(int iy) const { return coordinate(1, iy, ny); }
  Vector start(std::size_t index) const {
    const int ix = static_cast<int>(index % static_cast<std::size_t>(nx));
    const int iy = static_cast<int>(index / static_cast<std::size_t>(nx));
    Vector s(dimension());
    s[0] = x(ix);
    if (dimension() == 2) s[1] = y(iy);
    return s;
  }

  void validate() const {
    if (dimension() != 1 && dimension() != 2)
      throw InvalidArgument("a basin map needs a 1-D or 2-D problem, got dimension " + std::to_string(dimension()));
    if (upper.size() != lower.size()) throw InvalidArgument("basin grid: lower and upper corners differ in dimension");
    for (Eigen::Index i = 0; i < lower.size(); ++i)
      if (!std::isfinite(lower[i]) || !std::isfinite(upper[i]) || !(lower[i] < upper[i]))
        throw InvalidArgument("basin grid: the box needs lower < upper in every coordinate, got [" +
                              std::to_string(lower[i]) + ", " + std::to_string(upper[i]) + "]");
    auto check = [](const char* what, int n, int low) {
      if (n < low || n > max_resolution)
        throw InvalidArgument(std::string("basin grid: ") + what + " must be in [" + std::to_string(low) + ", " +
                              std::to_string(max_resolution) + "], got " + std::to_string(n));
    };
    check("nx", nx, 2);
    if (dimension() == 2) check("ny", ny, 2);
    else if (ny != 1) throw InvalidArgument("basin grid: a 1-D problem has ny = 1, got " + std::to_string(ny));
  }

 private:
  double coordinate(Eigen::Index axis, int i, int n) const {
    if (n == 1) return 0.5 * (lower[axis] + upper[axis]);
    // lower + t·(upper − lower) with t = i/(n − 1): both edges exact.
    const double t = static_cast<double>(i) / static_cast<double>(n - 1);
    return i == n - 1 ? upper[axis] : lower[axis] + t * (upper[axis] - lower[axis]);
  }
};

// A point runs can end at.
struct BasinMinimum {
  enum class Kind : std::uint8_t { global, local, found };
  Vector x;
  double value = 0;
  Kind kind = Kind::global;
};

inline std::string_view to_string(BasinMinimum::Kind kind) {
  switch (kind) {
    case BasinMinimum::Kind::global: return "global minimum";
    case BasinMinimum::Kind::local: return "local minimum";
    case BasinMinimum::Kind::found: return "stationary point found";
  }
  return "unknown";
}

// The problem's known minima: its global minimizers, then its local ones.
inline std::vector<BasinMinimum> known_minima(const problems::Problem& problem) {
  std::vector<BasinMinimum> minima;
  for (const Vector& x : problem.global_minimizers)
    minima.push_back({x, problem.value(x), BasinMinimum::Kind::global});
  for (const Vector& x : problem.local_minimizers)
    minima.push_back({x, problem.value(x), BasinMinimum::Kind::local});
  return minima;
}

enum class BasinEnd : std::uint8_t { minimum, diverged, not_converged };

inline std::string_view to_string(BasinEnd end) {
  switch (end) {
    case BasinEnd::minimum: return "minimum";
    case BasinEnd::diverged: return "diverged";
    case BasinEnd::not_converged: return "not converged";
  }
  return "unknown";
}

// How the run from one start ended.
struct BasinCell {
  BasinEnd end = BasinEnd::not_converged;
  int minimum = -1;              // index into the map's minima when end == minimum
  std::int64_t iterations = 0;   // steps the run took
  Status status = Status::iteration_limit;
  double value = 0;              // f where it stopped (the last finite iterate when diverged)
  std::array<double, 2> end_point{0, 0};  // where it stopped (1-D: the second is 0)
};

// The rules above for one run; `radius` > 0 is the Euclidean distance within which the end point
// counts as the minimum. The nearest minimum wins when several are within reach.
inline BasinCell classify_basin_end(const std::vector<BasinMinimum>& minima, const MinimizeResult& result,
                                    double radius) {
  BasinCell cell;
  cell.iterations = result.iterations;
  cell.status = result.status;
  cell.value = result.value;
  for (Eigen::Index i = 0; i < std::min<Eigen::Index>(result.x.size(), 2); ++i)
    cell.end_point[static_cast<std::size_t>(i)] = result.x[i];
  if (result.status == Status::diverged) {
    cell.end = BasinEnd::diverged;
    return cell;
  }
  double nearest = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < minima.size(); ++k) {
    if (minima[k].x.size() != result.x.size()) continue;
    const double distance = (minima[k].x - result.x).norm();
    if (distance <= radius && distance < nearest) {
      nearest = distance;
      cell.end = BasinEnd::minimum;
      cell.minimum = static_cast<int>(k);
    }
  }
  return cell;
}

struct BasinMap {
  BasinGrid grid;
  double radius = 0;
  std::vector<BasinMinimum> minima;  // known ones first, then found ones (add_found_points)
  std::vector<BasinCell> cells;      // one per start, in grid order
};

// Default radius: 10⁻³ of the box's diagonal (a run stopped by a gradient tolerance of 10⁻⁸ sits
// far closer; distinct minima of the test problems lie far further apart).
inline double default_basin_radius(const BasinGrid& grid) { return 1e-3 * (grid.upper - grid.lower).norm(); }

// Runs that stopped by a tolerance away from every known minimum: grouped, in start order, into
// found points within `radius` of the first end of each group, appended to map.minima.
inline void add_found_points(BasinMap& map) {
  const std::size_t known = map.minima.size();
  const int dimension = map.grid.dimension();
  for (BasinCell& cell : map.cells) {
    if (cell.end != BasinEnd::not_converged || cell.status != Status::converged) continue;
    Vector x(dimension);
    for (int i = 0; i < dimension; ++i) x[i] = cell.end_point[static_cast<std::size_t>(i)];
    for (std::size_t k = known; k < map.minima.size(); ++k)
      if ((map.minima[k].x - x).norm() <= map.radius) {
        cell.end = BasinEnd::minimum;
        cell.minimum = static_cast<int>(k);
        break;
      }
    if (cell.end == BasinEnd::minimum) continue;
    map.minima.push_back({x, cell.value, BasinMinimum::Kind::found});
    cell.end = BasinEnd::minimum;
    cell.minimum = static_cast<int>(map.minima.size() - 1);
  }
}

// The whole map in one process: `run_from(start)` returns the MinimizeResult of the run from a start.
template <class RunFrom>
BasinMap basin_map(const problems::Problem& problem, const BasinGrid& grid, RunFrom&& run_from, double radius = 0) {
  grid.validate();
  if (grid.dimension() != problem.dimension())
    throw InvalidArgument("basin grid of dimension " + std::to_string(grid.dimension()) + " for a problem of dimension " +
                          std::to_string(problem.dimension()));
  BasinMap map{.grid = grid, .radius = radius > 0 ? radius : default_basin_radius(grid), .minima = known_minima(problem), .cells = {}};
  map.cells.reserve(grid.size());
  for (std::size_t i = 0; i < grid.size(); ++i)
    map.cells.push_back(classify_basin_end(map.minima, run_from(grid.start(i)), map.radius));
  add_found_points(map);
  return map;
}

}  // namespace kobai::report
