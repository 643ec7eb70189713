// Basins of attraction (report/basin.hpp, basin_page.hpp): the grid, the per-start rules, the
// found stationary points, and maps whose answer is known in closed form: gradient descent with a
// small step on a 1-D function ends at the minimum on its side of the separating maximum.
#include <cmath>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kobai/minimize/minimize.hpp"
#include "kobai/optim/gradient_descent.hpp"
#include "kobai/problems/registry.hpp"
#include "kobai/report/basin.hpp"
#include "kobai/report/basin_page.hpp"

namespace {

using kobai::MinimizeResult;
using kobai::Status;
using kobai::Vector;
using namespace kobai::report;

MinimizeResult ended(Vector x, Status status, std::int64_t iterations = 10) {
  MinimizeResult r;
  r.x = std::move(x);
  r.status = status;
  r.iterations = iterations;
  return r;
}

auto gd_from(const kobai::problems::Problem& p, double lr, std::int64_t iterations) {
  return [&p, lr, iterations](const Vector& start) {
    kobai::GradientDescent gd({.lr = lr});
    return kobai::minimize(p, start, gd, {.max_iterations = iterations, .gradient_tolerance = 1e-10});
  };
}

TEST(BasinGrid, SpansTheBoxEdgeToEdgeInRowsOfConstantY) {
  const BasinGrid grid{.lower = Vector{{-1.0, 2.0}}, .upper = Vector{{3.0, 5.0}}, .nx = 5, .ny = 4};
  grid.validate();
  EXPECT_EQ(grid.size(), 20u);
  EXPECT_EQ(grid.start(0), (Vector{{-1.0, 2.0}}));
  EXPECT_EQ(grid.start(4), (Vector{{3.0, 2.0}}));   // end of the first row: x at its upper edge
  EXPECT_EQ(grid.start(5), (Vector{{-1.0, 3.0}}));  // the next row: y one step up
  EXPECT_EQ(grid.start(19), (Vector{{3.0, 5.0}}));
  EXPECT_DOUBLE_EQ(grid.x(1), 0.0);
}

TEST(BasinGrid, BadGridsAreErrorsNamingTheValue) {
  BasinGrid grid{.lower = Vector{{0.0, 0.0}}, .upper = Vector{{1.0, 1.0}}, .nx = 257, .ny = 4};
  EXPECT_THROW(
      try { grid.validate(); } catch (const kobai::InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("257"), std::string::npos) << e.what();
        throw;
      },
      kobai::InvalidArgument);
  grid.nx = 4;
  grid.upper[1] = 0.0;  // empty box
  EXPECT_THROW(grid.validate(), kobai::InvalidArgument);
  const BasinGrid three{.lower = Vector::Zero(3), .upper = Vector::Ones(3), .nx = 4, .ny = 4};
  EXPECT_THROW(three.validate(), kobai::InvalidArgument);
}

TEST(BasinClassification, FollowsTheRulesInOrder) {
  const std::vector<BasinMinimum> minima = {{Vector{{0.0, 0.0}}, 0.0, BasinMinimum::Kind::global},
                                            {Vector{{1.0, 0.0}}, 0.5, BasinMinimum::Kind::local}};
  // diverged wins even at a minimum
  EXPECT_EQ(classify_basin_end(minima, ended(Vector{{0.0, 0.0}}, Status::diverged), 0.1).end, BasinEnd::diverged);
  // within the radius: that minimum, whatever the status; the nearest of two in reach
  const BasinCell at_local = classify_basin_end(minima, ended(Vector{{0.95, 0.0}}, Status::iteration_limit, 7), 0.1);
  EXPECT_EQ(at_local.end, BasinEnd::minimum);
  EXPECT_EQ(at_local.minimum, 1);
  EXPECT_EQ(at_local.iterations, 7);
  EXPECT_EQ(classify_basin_end(minima, ended(Vector{{0.6, 0.0}}, Status::converged), 0.7).minimum, 1);
  // outside every radius
  const BasinCell away = classify_basin_end(minima, ended(Vector{{0.5, 0.5}}, Status::iteration_limit), 0.1);
  EXPECT_EQ(away.end, BasinEnd::not_converged);
  EXPECT_EQ(away.minimum, -1);
}

TEST(BasinClassification, ConvergedRunsAwayFromKnownMinimaBecomeFoundPoints) {
  BasinMap map;  // (assigned field by field: GCC 12 warns falsely on the nested designated form)
  map.grid.lower = Vector{{0.0, 0.0}};
  map.grid.upper = Vector{{1.0, 1.0}};
  map.grid.nx = map.grid.ny = 2;
  map.radius = 0.01;
  map.minima.push_back({Vector{{0.0, 0.0}}, 0.0, BasinMinimum::Kind::global});
  const std::vector<MinimizeResult> runs = {ended(Vector{{0.0, 0.0}}, Status::converged),
                                            ended(Vector{{0.5, 0.5}}, Status::converged),      // a saddle, say
                                            ended(Vector{{0.5, 0.505}}, Status::converged),    // the same one
                                            ended(Vector{{0.9, 0.9}}, Status::iteration_limit)};  // not converged
  for (const auto& r : runs) map.cells.push_back(classify_basin_end(map.minima, r, map.radius));
  add_found_points(map);
  ASSERT_EQ(map.minima.size(), 2u);
  EXPECT_EQ(map.minima[1].kind, BasinMinimum::Kind::found);
  EXPECT_EQ(map.cells[1].minimum, 1);
  EXPECT_EQ(map.cells[2].minimum, 1);
  EXPECT_EQ(map.cells[3].end, BasinEnd::not_converged);
}

// sin(x) + 0.05(5 − x)² (seed 002): minima at −0.935, 4.739 (global) and 10.7; between them maxima.
// Gradient descent with a small step never crosses a maximum, so every start ends at the minimum
// of the well it starts in: the map must be the wells, read off the derivative's sign changes.
TEST(BasinMap, SmallStepsEndInTheWellTheyStartIn) {
  const auto p = kobai::problems::sine_bowl();
  const BasinGrid grid{.lower = Vector::Constant(1, -3.0), .upper = Vector::Constant(1, 13.0), .nx = 161, .ny = 1};
  const BasinMap map = basin_map(p, grid, gd_from(p, 0.05, 20000));
  ASSERT_EQ(map.cells.size(), 161u);
  const auto minima = known_minima(p);
  for (std::size_t i = 0; i < map.cells.size(); ++i) {
    const double x0 = grid.start(i)[0];
    // the well: the nearest minimum reached by following −f' from x0 in small steps (here: exactly)
    double x = x0;
    for (int k = 0; k < 20000; ++k) x -= 1e-2 * (std::cos(x) - 0.1 * (5 - x));
    const BasinCell& c = map.cells[i];
    ASSERT_EQ(c.end, BasinEnd::minimum) << "start " << x0;
    EXPECT_NEAR(map.minima[static_cast<std::size_t>(c.minimum)].x[0], x, 1e-6) << "start " << x0;
    EXPECT_EQ(map.minima[static_cast<std::size_t>(c.minimum)].kind == BasinMinimum::Kind::found, false);
  }
}

TEST(BasinMap, HimmelblausFourMinimaEachDrawTheirQuarter) {
  const auto p = kobai::problems::himmelblau();
  const BasinGrid grid{.lower = p.box_lower, .upper = p.box_upper, .nx = 24, .ny = 24};
  const BasinMap map = basin_map(p, grid, gd_from(p, 0.01, 5000));
  std::vector<int> counts(map.minima.size(), 0);
  for (const BasinCell& c : map.cells) {
    ASSERT_EQ(c.end, BasinEnd::minimum);
    ++counts[static_cast<std::size_t>(c.minimum)];
    // the end point is the minimum it is coloured by
    const Vector end{{c.end_point[0], c.end_point[1]}};
    EXPECT_LE((end - map.minima[static_cast<std::size_t>(c.minimum)].x).norm(), map.radius);
  }
  ASSERT_EQ(map.minima.size(), 4u);
  for (int n : counts) EXPECT_GT(n, 24 * 24 / 8) << "every minimum draws a sizeable share of the box";
}

TEST(BasinPage, CsvHasOneRowPerStartAndReadsBackTheBits) {
  const auto p = kobai::problems::himmelblau();
  const BasinGrid grid{.lower = p.box_lower, .upper = p.box_upper, .nx = 3, .ny = 2};
  const BasinMap map = basin_map(p, grid, gd_from(p, 0.01, 5000));
  std::ostringstream out;
  write_basin_csv(out, map);
  std::istringstream in(out.str());
  std::string line;
  int minima_lines = 0, rows = 0;
  while (std::getline(in, line)) {
    if (line.rfind("# minimum", 0) == 0) { ++minima_lines; continue; }
    if (line.rfind("ix,", 0) == 0) { EXPECT_EQ(line, "ix,iy,x,y,end,minimum,iterations,status,value,end_x,end_y"); continue; }
    const BasinCell& c = map.cells[static_cast<std::size_t>(rows)];
    std::vector<std::string> f;
    std::stringstream s(line);
    for (std::string item; std::getline(s, item, ',');) f.push_back(item);
    ASSERT_EQ(f.size(), 11u) << line;
    EXPECT_EQ(std::stoi(f[5]), c.minimum);
    EXPECT_EQ(std::stod(f[9]), c.end_point[0]);  // shortest round-trip text: the same double
    ++rows;
  }
  EXPECT_EQ(minima_lines, 4);
  EXPECT_EQ(rows, 6);
}

TEST(BasinPage, PageCarriesTheMapAsData) {
  const auto p = kobai::problems::himmelblau();
  const BasinGrid grid{.lower = p.box_lower, .upper = p.box_upper, .nx = 4, .ny = 3};
  const BasinMap map = basin_map(p, grid, gd_from(p, 0.01, 5000));
  const std::string page = render_basin_report(
      map, {.title = "t <b>", .text = "x", .problem = "himmelblau", .optimizer = "gd", .command = "kobai basin", .plotly_js = "/*stub*/",
              .assets = kobai::report::PageAssets{"/* basin script stub </script> */", "/*style stub*/"}});
  EXPECT_NE(page.find("t &lt;b&gt;"), std::string::npos);
  // the page's script and style sheet are embedded, a "</script" inside them escaped
  EXPECT_NE(page.find("/* basin script stub <\\/script> */"), std::string::npos);
  EXPECT_NE(page.find("/*style stub*/"), std::string::npos);
  const std::string open = "<script type=\"application/json\" id=\"kobai-basin-data\">";
  const auto begin = page.find(open) + open.size();
  const auto data = nlohmann::json::parse(page.substr(begin, page.find("</script>", begin) - begin));
  ASSERT_EQ(data["category"].size(), 3u);     // rows: y
  ASSERT_EQ(data["category"][0].size(), 4u);  // columns: x
  EXPECT_EQ(data["category"][1][2].get<int>(), map.cells[1 * 4 + 2].minimum);
  int total = 0;
  for (const auto& n : data["counts"]) total += n.get<int>();
  EXPECT_EQ(total, 12);
}

}  // namespace
