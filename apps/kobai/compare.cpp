// kobai/compare.cpp — `kobai compare`: several optimizers on one problem from one start.
//
//   kobai compare --function beale --optimizers gd,momentum,adagrad,rmsprop,adam --start 1,1.5
//                 --iterations 300 --lr gd=0.005,momentum=0.005,adagrad=0.5,rmsprop=0.05,adam=0.1
//                 --report beale.html
//
// Seed 003's comparison: one path per optimizer on the same contour map, one shared slider, and a
// table of how each ended. Hyperparameters: "--lr 0.01" gives every optimizer lr 0.01;
// "--lr adam=0.01,rmsprop=0.001" gives the named ones their own (the rest keep their defaults);
// flags take names ("--nesterov momentum"). Without --report it prints the table (or --json).
// Ctrl-C ends the current run at its iterate and starts no more; the table and the report show
// the runs made, and the program exits with 130 (interrupt.hpp).
#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kobai/commands.hpp"
#include "kobai/common.hpp"
#include "kobai/multi_run.hpp"
#include "kobai/report/report.hpp"

namespace kobai::cli {

namespace {

struct CompareArguments {
  ProblemChoice problem;
  std::optional<std::string> start;
  std::string optimizers;
  HyperparameterTexts hyper;
  StoppingArguments stopping;
  std::string report;
  std::string title;
  bool gradient_field = false;
  bool no_surface = false;
  bool json = false;
};

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

std::string joined(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& item : items) s += (s.empty() ? "" : ",") + item;
  return s;
}

// "0.01" → every optimizer; "adam=0.01,rmsprop=0.001" → those named. Returns per optimizer the
// text it gets (or nothing).
std::vector<std::optional<std::string>> distribute(const std::string& flag, const std::string& text,
                                                   const std::vector<std::string>& names) {
  std::vector<std::optional<std::string>> given(names.size());
  if (text.find('=') == std::string::npos) {
    if (text.find(',') != std::string::npos)
      throw InvalidArgument(flag + ": give one value for every optimizer or NAME=VALUE pairs, got '" + text + "'");
    std::fill(given.begin(), given.end(), text);
    return given;
  }
  for (const std::string& pair : split_list(text, flag)) {
    const std::size_t equals = pair.find('=');
    if (equals == std::string::npos || equals == 0)
      throw InvalidArgument(flag + ": expected NAME=VALUE, got '" + pair + "'");
    const std::string name = pair.substr(0, equals);
    const auto at = std::find(names.begin(), names.end(), name);
    if (at == names.end())
      throw InvalidArgument(flag + ": '" + name + "' is not one of --optimizers " + joined(names));
    given[static_cast<std::size_t>(at - names.begin())] = pair.substr(equals + 1);
  }
  return given;
}

void compare(const CompareArguments& a) {
  // 1. everything validated before the first run
  const ProblemAndStart chosen = make_problem_and_start(a.problem, a.start, "--start");
  const ProblemChoice& choice = chosen.choice;  // with the dimension a start point set
  const problems::Problem& problem = chosen.problem;
  const Vector& start = chosen.start;
  MinimizeOptions options = make_minimize_options(a.stopping);
  options.record_history = true;
  if (!a.report.empty()) check_report_path(a.report, /*runs_page=*/true);
  const std::vector<std::string> names = split_list(a.optimizers, "--optimizers");
  for (std::size_t i = 0; i < names.size(); ++i)
    if (std::find(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(i), names[i]) != names.begin() + static_cast<std::ptrdiff_t>(i))
      throw InvalidArgument("--optimizers: '" + names[i] + "' is listed twice (to vary one optimizer's "
                            "hyperparameter, use kobai sweep)");

  std::vector<OptimizerArguments> arguments(names.size());
  for (std::size_t r = 0; r < names.size(); ++r) arguments[r].name = names[r];
  const auto& value_flags = value_options();
  for (std::size_t i = 0; i < value_flags.size(); ++i) {
    if (!a.hyper.values[i]) continue;
    const auto given = distribute(value_flags[i].flag, *a.hyper.values[i], names);
    for (std::size_t r = 0; r < names.size(); ++r) arguments[r].*(value_flags[i].member) = given[r];
  }
  auto flag_for = [&](const std::string& flag, const std::string& text, bool OptimizerArguments::*member) {
    if (text.empty()) return;
    for (const std::string& name : split_list(text, flag)) {
      if (!contains(names, name))
        throw InvalidArgument(flag + ": '" + name + "' is not one of --optimizers " + joined(names));
      arguments[static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin())].*member = true;
    }
  };
  flag_for("--nesterov", a.hyper.nesterov, &OptimizerArguments::nesterov);
  flag_for("--amsgrad", a.hyper.amsgrad, &OptimizerArguments::amsgrad);
  flag_for("--centered", a.hyper.centered, &OptimizerArguments::centered);
  if (!a.hyper.line_search.empty()) {
    const auto given = distribute("--line-search", a.hyper.line_search, names);
    for (std::size_t r = 0; r < names.size(); ++r)
      if (given[r]) arguments[r].line_search = *given[r];
  }
  if (a.hyper.memory) {
    if (!contains(names, "lbfgs")) throw InvalidArgument("--memory applies only to lbfgs, which is not in --optimizers");
    for (auto& arg : arguments)
      if (arg.name == "lbfgs") arg.memory = a.hyper.memory;
  }
  if (!a.hyper.hessian.empty()) {
    if (!contains(names, "newton")) throw InvalidArgument("--hessian applies only to newton, which is not in --optimizers");
    for (auto& arg : arguments)
      if (arg.name == "newton") arg.hessian = a.hyper.hessian;
  }
  std::vector<Method> methods;
  for (const auto& arg : arguments) {
    try {
      methods.push_back(make_method(arg, options.schedule.has_value()));
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(arg.name + ": " + e.what());
    }
  }

  // 2. the runs (on rank 0 only, under mpirun, the records come back)
  const std::optional<RecordedRuns> recorded =
      run_and_record(names, methods, arguments, choice, problem, start, a.stopping, options);
  if (!recorded) return;
  const std::vector<report::RunRecord>& runs = recorded->runs;
  const std::vector<std::string>& not_run = recorded->not_run;

  // 3. what they got
  const std::string heading = problem.name + " (" + problem.formula + ") from " + format_point(start) + ", at most " +
                              std::to_string(options.max_iterations) + " iterations";
  if (!a.report.empty() && !runs.empty()) {
    const std::string title = a.title.empty() ? "kobai compare: " + joined(names) + " on " + a.problem.label() : a.title;
    report::Section section{
        .title = title,
        .text = "Every optimizer starts at " + format_point(start) +
                " and runs with the same stopping rules; the slider moves all of them through the same "
                "iterations, and the table says how each ended." +
                (not_run.empty() ? std::string() : " Interrupted (Ctrl-C): " + joined(not_run) + " not run."),
        .layout = report::Layout::compare,
        .runs = runs,
        .gradient_field = a.gradient_field,
        .surface = !a.no_surface};
    report::write_report(a.report, title, {section});
  }
  print_runs(a.json, heading, "optimizer", problem, start, *recorded, a.report);
}

}  // namespace

void add_compare_command(CLI::App& app) {
  auto arguments = std::make_shared<CompareArguments>();
  CompareArguments& a = *arguments;
  auto* command = app.add_subcommand("compare", "several optimizers on one problem, one path each on the same map");
  add_problem_options(*command, a.problem);
  command->add_option("--start,-s", a.start, "start point a,b,... (default: the problem's standard start)");
  command->add_option("--optimizers", a.optimizers, "optimizers to compare, e.g. gd,momentum,adam")->required();
  add_hyperparameter_texts(*command, a.hyper, /*flags_take_names=*/true);
  add_stopping_options(*command, a.stopping);
  command->add_option("--report", a.report, "write an interactive HTML report to FILE.html");
  command->add_option("--title", a.title, "the report's title");
  command->add_flag("--gradient-field", a.gradient_field, "2-D: draw the arrows of -grad f on the map");
  command->add_flag("--no-surface", a.no_surface, "2-D: leave out the 3-D surface");
  command->add_flag("--json", a.json, "print one JSON object instead of the table");
  command->callback([arguments] { compare(*arguments); });
}

}  // namespace kobai::cli
