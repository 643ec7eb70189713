// kobai/basin.cpp — `kobai basin`: where an optimizer ends from every start of a grid.
//
//   kobai basin --function himmelblau --optimizer gd --lr 0.01 --resolution 128
//               --csv basins.csv --report basins.html
//   mpirun -np 4 kobai basin …            (the grid split across the ranks; the same files)
//
// Each start of an N×N grid over the problem's box (--box to choose another; 1-D problems: N
// starts on a line) runs the optimizer with the stopping options of `kobai run` and is classified
// by report::classify_basin_end: the known minimum it ends at, diverged, or not converged (the
// rules are in include/kobai/report/basin.hpp, shared with the playground). Prints a table of how
// many starts end where; --csv writes every start, --report the map as a page.
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kobai/commands.hpp"
#include "kobai/common.hpp"
#include "kobai/distribute.hpp"
#include "kobai/multi_run.hpp"
#include "kobai/report/basin.hpp"
#include "kobai/report/basin_page.hpp"
#include "kobai/world.hpp"

namespace kobai::cli {

namespace {

struct BasinArguments {
  ProblemChoice problem;
  OptimizerArguments optimizer;
  StoppingArguments stopping;
  int resolution = 64;
  std::string box;
  std::string radius;
  std::string csv;
  std::string report;
  std::string title;
  bool json = false;
};

report::BasinGrid make_grid(const problems::Problem& problem, const BasinArguments& a) {
  report::BasinGrid grid{.lower = problem.box_lower, .upper = problem.box_upper, .nx = a.resolution,
                         .ny = problem.dimension() == 2 ? a.resolution : 1};
  if (problem.dimension() != 1 && problem.dimension() != 2)
    throw InvalidArgument("a basin map needs a 1-D or 2-D problem; '" + a.problem.label() + "' has dimension " +
                          std::to_string(problem.dimension()));
  if (a.resolution < 2 || a.resolution > report::BasinGrid::max_resolution)
    throw InvalidArgument("--resolution must be in [2, " + std::to_string(report::BasinGrid::max_resolution) +
                          "], got " + std::to_string(a.resolution));
  if (!a.box.empty()) {
    const std::vector<double> v = parse_number_list(a.box, "--box");
    if (v.size() != 2 * static_cast<std::size_t>(problem.dimension()))
      throw InvalidArgument("--box: expected " + std::string(problem.dimension() == 2 ? "xmin,xmax,ymin,ymax" : "xmin,xmax") +
                            " (" + std::to_string(2 * problem.dimension()) + " numbers), got '" + a.box + "'");
    for (int i = 0; i < problem.dimension(); ++i) {
      grid.lower[i] = v[2 * static_cast<std::size_t>(i)];
      grid.upper[i] = v[2 * static_cast<std::size_t>(i) + 1];
      if (!(grid.lower[i] < grid.upper[i]))
        throw InvalidArgument("--box: the lower end must be below the upper, got " + format_number(grid.lower[i]) +
                              " and " + format_number(grid.upper[i]));
    }
  }
  grid.validate();
  return grid;
}

std::string command_line(const BasinArguments& a, const report::BasinGrid& grid, double radius) {
  std::string c = "kobai basin " + a.problem.as_options();
  c += " --resolution " + std::to_string(a.resolution);
  std::string box;
  for (Eigen::Index i = 0; i < grid.lower.size(); ++i)
    box += (i ? "," : "") + format_number(grid.lower[i]) + "," + format_number(grid.upper[i]);
  c += (box.rfind('-', 0) == 0 ? " --box=" : " --box ") + box;
  c += " --radius " + format_number(radius);
  // reproducing_command spells out the run options; everything after its start point is ours too
  const std::string run = reproducing_command(a.problem, grid.start(0), a.stopping, a.optimizer);
  c += run.substr(run.find(" --iterations"));
  return c;
}

void basin(const BasinArguments& a) {
  // 1. everything validated before the first run
  const problems::Problem problem = a.problem.make();
  const report::BasinGrid grid = make_grid(problem, a);
  const MinimizeOptions options = make_minimize_options(a.stopping);
  const Method described = make_method(a.optimizer, options.schedule.has_value());
  double radius = report::default_basin_radius(grid);
  if (!a.radius.empty()) {
    radius = parse_number(a.radius, "--radius");
    if (!(radius > 0)) throw InvalidArgument("--radius must be > 0, got " + a.radius);
  }
  if (!a.report.empty()) check_report_path(a.report);
  if (!a.csv.empty()) {
    if (std::filesystem::path(a.csv).extension() != ".csv")
      throw InvalidArgument("--csv file must end in .csv, got '" + a.csv + "'");
    const std::filesystem::path p(a.csv);
    std::error_code ec;
    if (p.has_parent_path() && !std::filesystem::is_directory(p.parent_path(), ec))
      throw InvalidArgument("--csv: directory '" + p.parent_path().string() + "' does not exist");
  }

  // 2. the runs: start i on rank i mod K, each with a fresh optimizer; rank 0 gathers the cells
  report::BasinMap map{.grid = grid, .radius = radius, .minima = report::known_minima(problem), .cells = {}};
  map.cells.resize(is_output_rank() ? grid.size() : 0);
  compute_on_ranks(
      grid.size(),
      [&](std::size_t i, train::ByteWriter& out) {
        Method method = make_method(a.optimizer, options.schedule.has_value());
        out.put(report::classify_basin_end(map.minima, method.minimize(problem, grid.start(i), options), radius));
      },
      [&](std::size_t i, train::ByteReader& in) { map.cells[i] = in.get<report::BasinCell>(); });
  if (!is_output_rank()) return;
  report::add_found_points(map);

  // 3. what they got
  const std::string command = command_line(a, grid, radius);
  std::vector<std::size_t> counts(map.minima.size() + 2, 0);
  for (const report::BasinCell& c : map.cells)
    ++counts[c.end == report::BasinEnd::minimum ? static_cast<std::size_t>(c.minimum)
             : c.end == report::BasinEnd::diverged ? map.minima.size()
                                                   : map.minima.size() + 1];
  if (!a.csv.empty()) report::write_basin_csv(a.csv, map);
  if (!a.report.empty()) {
    const std::string title = a.title.empty() ? "kobai basin: " + described.name() + " on " + a.problem.label() : a.title;
    std::string hyper;
    for (const auto& [name, value] : described.hyperparameters().items())
      hyper += (hyper.empty() ? "" : ", ") + name + " " + (value.is_number() ? format_number(value.get<double>()) : value.dump());
    try {
      report::write_basin_report(
          a.report, map,
          {.title = title,
           .text = "Every start of the grid runs " + described.name() + " for at most " +
                   std::to_string(options.max_iterations) + " iterations; its colour says where the run ended, "
                   "the second map how many iterations it took. Hover a start for its run.",
           .problem = problem.name + " (" + problem.formula + ")",
           .optimizer = described.name() + " (" + hyper + ")",
           .command = command});
    } catch (...) {
      std::error_code ignored;  // all or nothing: no CSV from a command that failed
      if (!a.csv.empty()) std::filesystem::remove(a.csv, ignored);
      throw;
    }
  }
  if (a.json) {
    nlohmann::json j;
    j["problem"] = problem_to_json(problem);
    j["optimizer"] = described.name();
    j["hyperparameters"] = described.hyperparameters();
    j["grid"] = {{"nx", grid.nx}, {"ny", grid.ny}, {"lower", to_json(grid.lower)}, {"upper", to_json(grid.upper)}};
    j["radius"] = radius;
    nlohmann::json ends = nlohmann::json::array();
    for (std::size_t k = 0; k < map.minima.size(); ++k)
      ends.push_back({{"end", "minimum"}, {"kind", std::string(report::to_string(map.minima[k].kind))},
                      {"x", to_json(map.minima[k].x)}, {"value", map.minima[k].value}, {"starts", counts[k]}});
    ends.push_back({{"end", "diverged"}, {"starts", counts[map.minima.size()]}});
    ends.push_back({{"end", "not converged"}, {"starts", counts[map.minima.size() + 1]}});
    j["ends"] = ends;
    j["command"] = command;
    if (!a.csv.empty()) j["csv"] = a.csv;
    if (!a.report.empty()) j["report"] = a.report;
    std::cout << j.dump() << std::endl;
    return;
  }
  std::cout << problem.name << " (" << problem.formula << "), " << described.name() << ", " << grid.size()
            << " starts, at most " << options.max_iterations << " iterations each\n";
  const double total = static_cast<double>(grid.size());
  auto short_point = [](const Vector& x) {  // 6 digits for the table; --json and --csv keep every bit
    std::string text = "[";
    for (Eigen::Index i = 0; i < x.size(); ++i) {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.6g", x[i]);
      text += (i ? ", " : "") + std::string(buffer);
    }
    return text + "]";
  };
  for (std::size_t k = 0; k < counts.size(); ++k) {
    if (k >= map.minima.size() && counts[k] == 0) continue;
    std::string where = k < map.minima.size() ? std::string(report::to_string(map.minima[k].kind)) + " " +
                                                    short_point(map.minima[k].x)
                        : k == map.minima.size() ? "diverged"
                                                 : "not converged";
    char share[32];
    std::snprintf(share, sizeof share, "%6.2f%%", 100.0 * static_cast<double>(counts[k]) / total);
    std::cout << "  " << where << std::string(where.size() < 44 ? 44 - where.size() : 1, ' ') << counts[k] << " starts "
              << share << "\n";
  }
  if (!a.csv.empty()) std::cout << "  csv        " << a.csv << "\n";
  if (!a.report.empty()) std::cout << "  report     " << a.report << "\n";
}

}  // namespace

void add_basin_command(CLI::App& app) {
  auto arguments = std::make_shared<BasinArguments>();
  BasinArguments& a = *arguments;
  auto* command = app.add_subcommand("basin", "basins of attraction: where an optimizer ends from every start of a grid");
  add_problem_options(*command, a.problem);
  add_optimizer_options(*command, a.optimizer);
  add_stopping_options(*command, a.stopping);
  command->add_option("--resolution", a.resolution, "N×N starts (1-D: N), N in [2, 256]")->capture_default_str();
  command->add_option("--box", a.box, "the starts' box xmin,xmax[,ymin,ymax] (default: the problem's)");
  command->add_option("--radius", a.radius, "a run ends at a minimum within this distance (default: 1e-3 of the box diagonal)");
  command->add_option("--csv", a.csv, "write one row per start to FILE.csv");
  command->add_option("--report", a.report, "write the map as an interactive HTML page FILE.html");
  command->add_option("--title", a.title, "the report's title");
  command->add_flag("--json", a.json, "print one JSON object instead of the table");
  command->callback([arguments] { basin(*arguments); });
}

}  // namespace kobai::cli
