// kobai/multi_run.cpp — see multi_run.hpp.
#include "kobai/multi_run.hpp"

#include <algorithm>
#include <iostream>
#include <system_error>

#include "kobai/distribute.hpp"
#include "kobai/interrupt.hpp"
#include "kobai/report/web_assets.hpp"
#include "kobai/world.hpp"

namespace kobai::cli {

const std::vector<ValueOption>& value_options() {
  static const std::vector<ValueOption> options = {
      {"--lr", &OptimizerArguments::lr},
      {"--momentum", &OptimizerArguments::momentum},
      {"--dampening", &OptimizerArguments::dampening},
      {"--beta1", &OptimizerArguments::beta1},
      {"--beta2", &OptimizerArguments::beta2},
      {"--eps", &OptimizerArguments::eps},
      {"--rho", &OptimizerArguments::rho},
      {"--alpha", &OptimizerArguments::alpha},
      {"--weight-decay", &OptimizerArguments::weight_decay},
      {"--initial-accumulator", &OptimizerArguments::initial_accumulator},
      {"--lr-decay", &OptimizerArguments::lr_decay},
      {"--momentum-decay", &OptimizerArguments::momentum_decay},
  };
  return options;
}

void add_hyperparameter_texts(CLI::App& command, HyperparameterTexts& t, bool flags_take_names) {
  const std::string per = flags_take_names ? " (VALUE for every optimizer, or NAME=VALUE,NAME=VALUE)"
                                           : " (one option may be a list VALUE,VALUE,…: one run per value)";
  const auto& options = value_options();
  for (std::size_t i = 0; i < options.size(); ++i)
    command.add_option(options[i].flag, t.values[i], std::string("hyperparameter, as in kobai run") + per);
  if (flags_take_names) {
    command.add_option("--nesterov", t.nesterov, "optimizers (comma-separated) that use Nesterov momentum");
    command.add_option("--amsgrad", t.amsgrad, "optimizers (comma-separated) that use AMSGrad");
    command.add_option("--centered", t.centered, "optimizers (comma-separated) that use centered RMSprop");
  } else {
    command.add_flag("--nesterov", t.nesterov_flag, "Nesterov momentum (gd)");
    command.add_flag("--amsgrad", t.amsgrad_flag, "AMSGrad variant (adam, adamw)");
    command.add_flag("--centered", t.centered_flag, "centered RMSprop");
  }
  command.add_option("--line-search", t.line_search, "armijo or wolfe (gd, newton, bfgs, lbfgs, cg)");
  command.add_option("--memory", t.memory, "pairs kept by lbfgs");
  command.add_option("--hessian", t.hessian, "newton: 'problem' or 'numerical'");
}

void check_report_path(const std::filesystem::path& path, bool runs_page) {
  const std::string ext = path.extension().string();
  if (ext != ".html" && ext != ".htm")
    throw InvalidArgument("--report file must end in .html, got '" + path.string() + "'");
  const std::filesystem::path directory = path.has_parent_path() ? path.parent_path() : ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec))
    throw InvalidArgument("--report: directory '" + directory.string() + "' does not exist");
  // The page's built script, styles and engine (web_assets.hpp): missing, say so before any run.
  if (runs_page)
    report::find_web_asset_directory({"report.js", "report.css", "kobai_engine.js"}, "--report");
  else
    report::find_web_asset_directory({"report.css"}, "--report");
}

report::Rerun rerun_settings(const ProblemChoice& problem, const Vector& start, const MinimizeOptions& options) {
  return {.function = problem.expr ? std::string() : problem.function,
          .expression = problem.expr.value_or(""),
          .dimension = problem.dimension,
          .start = start,
          .options = options};
}

std::string number_text(double v) { return format_number(v); }


std::string reproducing_command(const ProblemChoice& problem, const Vector& start,
                                const StoppingArguments& stopping, const OptimizerArguments& optimizer) {
  std::string c = "kobai run " + problem.as_options();
  std::string point;
  for (Eigen::Index i = 0; i < start.size(); ++i) point += (i ? "," : "") + format_number(start[i]);
  // a negative first coordinate would read as an option: --start=-1,2
  c += (point.rfind('-', 0) == 0 ? " --start=" : " --start ") + point;
  c += " --iterations " + std::to_string(stopping.iterations);
  const StoppingArguments defaults;
  auto text_option = [&](const char* flag, const std::string& value, const std::string& default_value) {
    if (value != default_value) c += std::string(" ") + flag + (value.rfind('-', 0) == 0 ? "=" : " ") + shell_word(value);
  };
  text_option("--tolerance", stopping.tolerance, defaults.tolerance);
  text_option("--value-tolerance", stopping.value_tolerance, defaults.value_tolerance);
  text_option("--step-tolerance", stopping.step_tolerance, defaults.step_tolerance);
  text_option("--divergence-bound", stopping.divergence_bound, defaults.divergence_bound);
  text_option("--schedule", stopping.schedule, defaults.schedule);
  c += " --optimizer " + shell_word(optimizer.name);
  for (const ValueOption& option : value_options())
    if (const auto& text = optimizer.*(option.member); text)
      c += std::string(" ") + option.flag + (text->rfind('-', 0) == 0 ? "=" : " ") + shell_word(*text);
  if (optimizer.nesterov) c += " --nesterov";
  if (optimizer.amsgrad) c += " --amsgrad";
  if (optimizer.centered) c += " --centered";
  if (!optimizer.line_search.empty()) c += " --line-search " + shell_word(optimizer.line_search);
  if (optimizer.memory) c += " --memory " + std::to_string(*optimizer.memory);
  if (!optimizer.hessian.empty()) c += " --hessian " + shell_word(optimizer.hessian);
  return c;
}

report::RunRecord make_record(std::string label, const problems::Problem& problem, const Method& method,
                              MinimizeResult result, std::string command) {
  report::RunRecord record{.label = std::move(label),
                           .problem = problem,
                           .optimizer = method.name(),
                           .hyperparameters = {},
                           .result = std::move(result),
                           .command = std::move(command)};
  for (const auto& [name, value] : method.hyperparameters().items())
    record.hyperparameters.emplace_back(
        name, value.is_number() ? format_number(value.get<double>())
                                : value.is_boolean() ? (value.get<bool>() ? "true" : "false")
                                : value.is_string()  ? value.get<std::string>()
                                                     : value.dump());
  return record;
}

std::vector<std::string> split_list(const std::string& text, const std::string& what) {
  std::vector<std::string> items;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t comma = text.find(',', begin);
    std::string item = text.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
    if (item.empty())
      throw InvalidArgument(what + ": element " + std::to_string(items.size() + 1) + " of '" + text + "' is empty");
    items.push_back(std::move(item));
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  return items;
}

void print_runs_table(const std::string& heading, const std::string& label_header,
                      const std::vector<report::RunRecord>& runs) {
  std::size_t width = label_header.size();
  for (const auto& run : runs) width = std::max(width, run.label.size());
  std::cout << heading << "\n";
  auto pad = [](const std::string& s, std::size_t w) { return s + std::string(w > s.size() ? w - s.size() : 1, ' '); };
  std::cout << "  " << pad(label_header, width + 2) << pad("verdict", 13) << pad("status", 20)
            << pad("iterations", 12) << pad("f(x)", 24) << "x\n";
  std::vector<std::string> reasons;
  for (const auto& run : runs) {
    const MinimizeResult& r = run.result;
    const RunVerdict verdict = report::judge(r, run.problem);
    std::cout << "  " << pad(run.label, width + 2) << pad(std::string(to_string(verdict.verdict)), 13)
              << pad(std::string(to_string(r.status)), 20) << pad(std::to_string(r.iterations), 12)
              << pad(format_number(r.value), 24) << format_point(r.x) << "\n";
    reasons.push_back(run.label + ": " + verdict.reason);
  }
  // Why each verdict: the numbers that decided it, one line per run.
  std::cout << "\n";
  for (const std::string& reason : reasons) std::cout << "  " << reason << "\n";
}

std::vector<std::string> labels_not_run(const std::vector<std::string>& labels, std::size_t done) {
  return {labels.begin() + static_cast<std::ptrdiff_t>(std::min(done, labels.size())), labels.end()};
}

void print_not_run(const std::vector<std::string>& not_run) {
  if (not_run.empty()) return;
  std::string names;
  for (const auto& label : not_run) names += (names.empty() ? "" : ", ") + label;
  std::cout << "  interrupted: not run: " << names << "\n";
}

nlohmann::json runs_to_json(const std::vector<report::RunRecord>& runs) {
  nlohmann::json all = nlohmann::json::array();
  for (const auto& run : runs) {
    nlohmann::json j = result_to_json(run.result, run.problem);
    j["label"] = run.label;
    j["optimizer"] = run.optimizer;
    nlohmann::json hyper = nlohmann::json::object();
    for (const auto& [name, value] : run.hyperparameters) hyper[name] = value;
    j["hyperparameters"] = hyper;
    j["command"] = run.command;
    all.push_back(std::move(j));
  }
  return all;
}

std::optional<RecordedRuns> run_and_record(const std::vector<std::string>& labels, std::vector<Method>& methods,
                                           const std::vector<OptimizerArguments>& arguments,
                                           const ProblemChoice& choice, const problems::Problem& problem,
                                           const Vector& start, const StoppingArguments& stopping,
                                           const MinimizeOptions& options) {
  std::vector<MinimizeResult> results = run_on_ranks(
      methods.size(), [&](std::size_t r) { return methods[r].minimize(problem, start, options); },
      [] { return interrupted(); });
  if (!is_output_rank()) return std::nullopt;
  RecordedRuns recorded;
  for (std::size_t r = 0; r < results.size(); ++r) {
    recorded.runs.push_back(make_record(labels[r], problem, methods[r], std::move(results[r]),
                                        reproducing_command(choice, start, stopping, arguments[r])));
    recorded.runs.back().rerun = rerun_settings(choice, start, options);
  }
  recorded.not_run = labels_not_run(labels, recorded.runs.size());
  return recorded;
}

void print_runs(bool json, const std::string& heading, const std::string& label_header,
                const problems::Problem& problem, const Vector& start, const RecordedRuns& recorded,
                const std::string& report_path, const nlohmann::json& extra) {
  const bool wrote_report = !report_path.empty() && !recorded.runs.empty();
  if (json) {
    nlohmann::json j = extra;
    j["problem"] = problem_to_json(problem);
    j["start"] = to_json(start);
    j["runs"] = runs_to_json(recorded.runs);
    j["not_run"] = recorded.not_run;
    if (wrote_report) j["report"] = report_path;
    std::cout << j.dump() << std::endl;
    return;
  }
  print_runs_table(heading, label_header, recorded.runs);
  print_not_run(recorded.not_run);
  if (wrote_report) std::cout << "  report     " << report_path << "\n";
}

}  // namespace kobai::cli
