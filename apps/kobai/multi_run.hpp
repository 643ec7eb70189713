// kobai/multi_run.hpp — what `kobai compare` and `kobai sweep` share: several runs of one problem,
// their reproducing commands, their records for a report, and the --report option.
//
// Both commands take the hyperparameter options of `kobai run` (--lr, --momentum, --beta1, …) as
// text and decide per run what each means:
//   compare  "--lr 0.01" gives every optimizer lr 0.01; "--lr adam=0.01,rmsprop=0.001" gives each
//            named optimizer its own (the others keep their defaults). Flags take optimizer names:
//            "--nesterov gd", "--amsgrad adam".
//   sweep    exactly one option is a list ("--lr 0.1,0.9,1.0"): one run per value.
// Every run is then built with cli::make_method (common.hpp), so an option that an optimizer does
// not use is an error naming both, exactly as in `kobai run`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "kobai/common.hpp"
#include "kobai/report/report.hpp"

namespace kobai::cli {

// The value options of OptimizerArguments with the flag that sets them (--lr → &OptimizerArguments::lr).
struct ValueOption {
  const char* flag;
  std::optional<std::string> OptimizerArguments::*member;
};
const std::vector<ValueOption>& value_options();

// Hyperparameter options as typed, for compare and sweep (text; interpreted per command).
struct HyperparameterTexts {
  std::vector<std::optional<std::string>> values = std::vector<std::optional<std::string>>(12);  // by value_options()
  std::string nesterov, amsgrad, centered;  // compare: optimizer names; sweep: "" (use the flags)
  bool nesterov_flag = false, amsgrad_flag = false, centered_flag = false;
  std::string line_search, hessian;
  std::optional<int> memory;
};
// Registers --lr … --momentum-decay (text) and --line-search, --memory, --hessian; for compare
// (`flags_take_names`) --nesterov/--amsgrad/--centered take optimizer names, for sweep they are flags.
void add_hyperparameter_texts(CLI::App& command, HyperparameterTexts& texts, bool flags_take_names);

// The --report file: must end in .html and sit in an existing directory, and the page's built web
// files must be there (report.css; for a page of runs, `runs_page`, also report.js and the engine);
// all checked before any run.
void check_report_path(const std::filesystem::path& path, bool runs_page = false);

// What a report needs to run it again in the browser (report::Rerun).
report::Rerun rerun_settings(const ProblemChoice& problem, const Vector& start, const MinimizeOptions& options);

// "kobai run --function NAME [--dimension N] --start a,b --iterations N … --optimizer NAME …"
// (or --expr TEXT): the one command that repeats this run exactly (every non-default option
// spelled out).
std::string reproducing_command(const ProblemChoice& problem, const Vector& start,
                                const StoppingArguments& stopping, const OptimizerArguments& optimizer);

// A run as a report shows it (hyperparameters in effect, defaults included, as display text).
report::RunRecord make_record(std::string label, const problems::Problem& problem, const Method& method,
                              MinimizeResult result, std::string command);

// The text of a double as the user would type it ("0.1", "1e-08").
std::string number_text(double v);

// Prints one line per run: label, verdict (report::judge), status, iterations, f(x), x; then the
// reason for each verdict.
void print_runs_table(const std::string& heading, const std::string& label_header,
                      const std::vector<report::RunRecord>& runs);
// After Ctrl-C (interrupt.hpp) a command starts no further runs: the labels of those it did not
// run (`done` of them were run), and a line that names them (nothing when every run was made).
std::vector<std::string> labels_not_run(const std::vector<std::string>& labels, std::size_t done);
void print_not_run(const std::vector<std::string>& not_run);
// One JSON object per run: label, optimizer, hyperparameters, command and the result (with its
// verdict and the verdict's reason).
nlohmann::json runs_to_json(const std::vector<report::RunRecord>& runs);

// The runs of a compare or a sweep, as a report shows them, and the labels of those Ctrl-C left
// unmade.
struct RecordedRuns {
  std::vector<report::RunRecord> runs;
  std::vector<std::string> not_run;
};
// Runs methods[r] from `start` (Ctrl-C ends the current one at its iterate and starts no more;
// under mpirun split across the ranks and gathered on rank 0) and records each as labels[r], with
// the command that repeats it (arguments[r]) and what the page needs to rerun it. Nothing on the
// ranks other than rank 0, which alone reports.
std::optional<RecordedRuns> run_and_record(const std::vector<std::string>& labels, std::vector<Method>& methods,
                                           const std::vector<OptimizerArguments>& arguments,
                                           const ProblemChoice& choice, const problems::Problem& problem,
                                           const Vector& start, const StoppingArguments& stopping,
                                           const MinimizeOptions& options);
// What compare and sweep print: the table (heading, a row per run, the runs not made, the report's
// path) or, with --json, one object: problem, start, runs, not_run, report and the `extra` fields.
void print_runs(bool json, const std::string& heading, const std::string& label_header,
                const problems::Problem& problem, const Vector& start, const RecordedRuns& recorded,
                const std::string& report_path, const nlohmann::json& extra = nlohmann::json::object());
// Splits "a,b,c" into its items (no empty items; `what` names the option in the error).
std::vector<std::string> split_list(const std::string& text, const std::string& what);

}  // namespace kobai::cli
