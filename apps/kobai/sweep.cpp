// kobai/sweep.cpp — `kobai sweep`: one optimizer, one hyperparameter varied, one run per value.
//
//   kobai sweep --function quadratic1d --optimizer gd --lr 0.1,0.9,1.0,1.1 --iterations 30
//               --report lr.html
//
// The learning-rate story of seeds 000 and 002: a small step converges, a larger one oscillates
// around the minimum, a too-large one diverges. Exactly one hyperparameter option is a list; every
// other option is as in `kobai run`. Each run is labelled with its verdict (report::judge, from its
// numbers: converged / descending / oscillating / stalled / diverged); the report draws one panel
// per value. Ctrl-C ends the current run and starts no more (interrupt.hpp).
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

struct SweepArguments {
  ProblemChoice problem;
  std::optional<std::string> start;
  std::string optimizer = "gd";
  HyperparameterTexts hyper;
  StoppingArguments stopping;
  std::string report;
  std::string title;
  bool gradient_field = false;
  bool json = false;
};

void sweep(const SweepArguments& a) {
  // 1. everything validated before the first run
  const ProblemAndStart chosen = make_problem_and_start(a.problem, a.start, "--start");
  const ProblemChoice& choice = chosen.choice;  // with the dimension a start point set
  const problems::Problem& problem = chosen.problem;
  const Vector& start = chosen.start;
  MinimizeOptions options = make_minimize_options(a.stopping);
  options.record_history = true;
  if (!a.report.empty()) check_report_path(a.report, /*runs_page=*/true);

  OptimizerArguments base;
  base.name = a.optimizer;
  base.nesterov = a.hyper.nesterov_flag;
  base.amsgrad = a.hyper.amsgrad_flag;
  base.centered = a.hyper.centered_flag;
  base.line_search = a.hyper.line_search;
  base.memory = a.hyper.memory;
  base.hessian = a.hyper.hessian;
  const auto& value_flags = value_options();
  std::optional<std::size_t> swept;
  std::vector<std::string> values;
  for (std::size_t i = 0; i < value_flags.size(); ++i) {
    if (!a.hyper.values[i]) continue;
    const std::string& text = *a.hyper.values[i];
    if (text.find(',') == std::string::npos) {
      base.*(value_flags[i].member) = text;
      continue;
    }
    if (swept)
      throw InvalidArgument(std::string("only one option can be a list: ") + value_flags[*swept].flag + " and " +
                            value_flags[i].flag + " both are");
    swept = i;
    values = split_list(text, value_flags[i].flag);
    for (const std::string& v : values) parse_number(v, value_flags[i].flag);  // strict, names the bad text
  }
  if (!swept)
    throw InvalidArgument("give one hyperparameter as a list of values to sweep, e.g. --lr 0.1,0.9,1.0");
  const std::string flag = value_flags[*swept].flag;
  const std::string name = flag.substr(2);

  std::vector<OptimizerArguments> arguments;
  std::vector<Method> methods;
  for (const std::string& v : values) {
    OptimizerArguments arg = base;
    arg.*(value_flags[*swept].member) = v;
    try {
      methods.push_back(make_method(arg, options.schedule.has_value()));
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string(e.what()) + " (sweeping " + flag + ")");
    }
    arguments.push_back(std::move(arg));
  }

  // 2. the runs (on rank 0 only, under mpirun, the records come back)
  std::vector<std::string> labels;
  for (const std::string& v : values) labels.push_back(name + " = " + v);
  const std::optional<RecordedRuns> recorded =
      run_and_record(labels, methods, arguments, choice, problem, start, a.stopping, options);
  if (!recorded) return;
  const std::vector<report::RunRecord>& runs = recorded->runs;
  const std::vector<std::string>& not_run = recorded->not_run;

  // 3. what they got
  const std::string heading = problem.name + " (" + problem.formula + "), " + methods.front().name() + " from " +
                              format_point(start) + ", at most " + std::to_string(options.max_iterations) +
                              " iterations, " + flag + " swept";
  if (!a.report.empty() && !runs.empty()) {
    const std::string title =
        a.title.empty() ? "kobai sweep: " + methods.front().name() + " on " + a.problem.label() + ", " + name + " = " + *a.hyper.values[*swept]
                        : a.title;
    report::Section section{
        .title = title,
        .text = "One panel per value of " + name + ", every run from " + format_point(start) +
                ". Each panel is labelled with its verdict, read off its numbers: converged (a tolerance met, "
                "or the gradient and f − f* small), descending (still going down when the run ended), "
                "oscillating (the step reverses direction in at least half of the iterations), stalled "
                "(no progress left, away from the minimum) or diverged (blew up, or ended higher than it "
                "started)." +
                (not_run.empty() ? std::string() : " Interrupted (Ctrl-C): not run: " + [&] {
                  std::string s;
                  for (const auto& l : not_run) s += (s.empty() ? "" : ", ") + l;
                  return s;
                }() + "."),
        .layout = report::Layout::sweep,
        .runs = runs,
        .gradient_field = a.gradient_field,
        .surface = false};
    report::write_report(a.report, title, {section});
  }
  print_runs(a.json, heading, "run", problem, start, *recorded, a.report, {{"swept", name}});
}

}  // namespace

void add_sweep_command(CLI::App& app) {
  auto arguments = std::make_shared<SweepArguments>();
  SweepArguments& a = *arguments;
  auto* command = app.add_subcommand("sweep", "one optimizer, one hyperparameter varied: converged, oscillating or diverged");
  add_problem_options(*command, a.problem);
  command->add_option("--start,-s", a.start, "start point a,b,... (default: the problem's standard start)");
  command->add_option("--optimizer,-o", a.optimizer, "the optimizer")->capture_default_str();
  add_hyperparameter_texts(*command, a.hyper, /*flags_take_names=*/false);
  add_stopping_options(*command, a.stopping);
  command->add_option("--report", a.report, "write an interactive HTML report to FILE.html");
  command->add_option("--title", a.title, "the report's title");
  command->add_flag("--gradient-field", a.gradient_field, "2-D: draw the arrows of -grad f on the maps");
  command->add_flag("--json", a.json, "print one JSON object instead of the table");
  command->callback([arguments] { sweep(*arguments); });
}

}  // namespace kobai::cli
