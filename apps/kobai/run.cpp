// kobai/run.cpp — `kobai run`: one minimization run of a built-in problem.
//
//   kobai run --function beale --optimizer adam --lr 1e-3 --beta2 0.8 --start 3,4 --iterations 100000
//
// Everything is parsed and validated before the run starts (a bad option costs nothing and leaves
// no file); the history file is written only after the run, all-or-nothing. Ctrl-C ends the run at
// its current iterate (status interrupted): the summary and the files follow as usual, then exit
// code 130 (interrupt.hpp).
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "kobai/commands.hpp"
#include "kobai/common.hpp"
#include "kobai/minimize/minimize.hpp"
#include "kobai/multi_run.hpp"
#include "kobai/report/report.hpp"
#include "kobai/report/history_writer.hpp"
#include "kobai/report/progress_bar.hpp"

namespace kobai::cli {

namespace {

struct RunArguments {
  ProblemChoice problem;
  std::string report;
  std::optional<std::string> start;
  OptimizerArguments optimizer;
  StoppingArguments stopping;
  std::string history;
  std::int64_t history_stride = 0;
  std::int64_t log_every = 0;
  bool json = false;
  bool progress = false;
};

void check_history_path(const std::filesystem::path& path) {
  report::history_format_for(path);  // throws on a bad extension
  const std::filesystem::path directory = path.has_parent_path() ? path.parent_path() : ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec))
    throw InvalidArgument("--history: directory '" + directory.string() + "' does not exist");
}

void print_summary(const problems::Problem& problem, const Method& method, const Vector& start,
                   const MinimizeResult& r) {
  std::cout << problem.name << " (" << problem.formula << "), " << method.name();
  bool first = true;
  const nlohmann::json hyperparameters = method.hyperparameters();
  for (const auto& [name, value] : hyperparameters.items()) {
    std::cout << (first ? " (" : ", ") << name << " "
              << (value.is_number()    ? format_number(value.get<double>())
                  : value.is_boolean() ? (value.get<bool>() ? "true" : "false")
                                       : value.get<std::string>());
    first = false;
  }
  if (!first) std::cout << ")";
  std::cout << "\n  start      " << format_point(start) << "\n";
  std::cout << "  status     " << to_string(r.status) << " after " << r.iterations << " iterations\n";
  std::cout << "  x          " << format_point(r.x) << "\n";
  std::cout << "  f(x)       " << format_number(r.value) << "\n";
  std::cout << "  max|grad|  " << format_number(r.gradient_max_abs) << "\n";
  std::cout << "  message    " << r.message << "\n";
  const RunVerdict verdict = report::judge(r, problem);
  std::cout << "  verdict    " << to_string(verdict.verdict) << ": " << verdict.reason << "\n";
}

// The verdict reads the run's history (kobai/minimize/verdict.hpp). Without --history or --report
// the run records one anyway, capped at about 32 MB of iterates for large dimensions.
std::int64_t verdict_history_rows(Eigen::Index dimension) {
  const std::int64_t budget = 4'000'000 / std::max<std::int64_t>(1, dimension);  // doubles
  return std::clamp<std::int64_t>(budget, 16, 10'000);
}

void run(const RunArguments& a) {
  // 1. everything the run needs, validated up front
  const ProblemAndStart chosen = make_problem_and_start(a.problem, a.start, "--start");
  const ProblemChoice& choice = chosen.choice;  // with the dimension a start point set
  const problems::Problem& problem = chosen.problem;
  const Vector& start = chosen.start;
  MinimizeOptions options = make_minimize_options(a.stopping);
  Method method = make_method(a.optimizer, options.schedule.has_value());
  if (a.history_stride < 0)
    throw InvalidArgument("--history-stride must be >= 0, got " + std::to_string(a.history_stride));
  if (a.log_every < 0)
    throw InvalidArgument("--log-every must be >= 0, got " + std::to_string(a.log_every));
  if (!a.history.empty()) check_history_path(a.history);
  if (!a.report.empty()) check_report_path(a.report, /*runs_page=*/true);
  options.record_history = true;
  if (!a.history.empty() || !a.report.empty())
    options.history_stride = a.history_stride;
  else
    options.history_max_rows = verdict_history_rows(problem.dimension());

  // 2. the run
  report::ProgressBar bar(problem.name + " " + method.name(), a.progress && report::stderr_is_terminal());
  report::PeriodicLogger logger(a.log_every);
  const MinimizeResult r = method.minimize(problem, start, options, bar, logger);
  bar.finish();

  // 3. what it got
  if (!a.history.empty()) report::save_history(a.history, r.history);
  if (!a.report.empty()) {
    const std::string title = method.name() + " on " + a.problem.label();
    const std::string command = reproducing_command(choice, start, a.stopping, a.optimizer);
    try {
      report::RunRecord record = make_record(method.name(), problem, method, r, command);
      record.rerun = rerun_settings(choice, start, options);
      report::write_report(a.report, title,
                           {{.title = title, .text = report::one_run_sentence(r, problem), .runs = {record}}});
    } catch (...) {
      // All or nothing: no history file from a command that failed.
      std::error_code ignored;
      if (!a.history.empty()) std::filesystem::remove(a.history, ignored);
      throw;
    }
  }
  if (a.json) {
    nlohmann::json j = result_to_json(r, problem);
    j["problem"] = problem_to_json(problem);
    j["optimizer"] = method.name();
    j["hyperparameters"] = method.hyperparameters();
    j["start"] = to_json(start);
    j["options"] = {{"max_iterations", options.max_iterations},
                    {"gradient_tolerance", options.gradient_tolerance},
                    {"value_tolerance", options.value_tolerance},
                    {"step_tolerance", options.step_tolerance},
                    {"divergence_bound", std::isfinite(options.divergence_bound)
                                             ? nlohmann::json(options.divergence_bound)
                                             : nlohmann::json("inf")},
                    {"schedule", a.stopping.schedule.empty() ? nlohmann::json(nullptr)
                                                             : nlohmann::json(a.stopping.schedule)}};
    if (!a.history.empty())
      j["history"] = {{"path", a.history}, {"rows", r.history.size()}, {"stride", r.history.stride}};
    std::cout << j.dump() << std::endl;
  } else {
    print_summary(problem, method, start, r);
    if (!a.history.empty())
      std::cout << "  history    " << a.history << " (" << r.history.size() << " rows, every "
                << r.history.stride << " iterations)\n";
  }
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto arguments = std::make_shared<RunArguments>();
  RunArguments& a = *arguments;
  auto* command = app.add_subcommand("run", "minimize a built-in problem with one optimizer");
  add_problem_options(*command, a.problem);
  command->add_option("--start,-s", a.start, "start point a,b,... (default: the problem's standard start)");
  add_optimizer_options(*command, a.optimizer);
  add_stopping_options(*command, a.stopping);
  command->add_option("--history", a.history, "write the iterates to FILE.csv or FILE.json");
  command->add_option("--history-stride", a.history_stride,
                      "keep every N-th iteration in the history (0 = at most 10000 rows)");
  command->add_option("--report", a.report, "write an interactive HTML page of the run to FILE.html");
  command->add_option("--log-every", a.log_every, "print a progress line to stderr every N iterations");
  command->add_flag("--json", a.json, "print one JSON object instead of a summary");
  command->add_flag("--progress", a.progress, "show a progress bar (only on a terminal)");
  command->callback([arguments] { run(*arguments); });
}

}  // namespace kobai::cli
