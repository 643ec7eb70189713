// kobai/common.hpp — what the subcommands share: exit codes, strict number parsing, the stopping
// options of a run, and the JSON form of a result.
//
// Exit codes (documented in docs/cli.md):
//   0  the command did its work — including a run that ended `diverged` or at the iteration limit:
//      how a run ends is a result (reported in `status`), not a failure of the command
//   1  `kobai check`: the gradient check failed
//   2  bad input: unknown name or option, unreadable number, a hyperparameter out of range, a start
//      point of the wrong dimension or with NaN. One line on stderr names the bad value.
//   3  a file could not be written (the partial file is removed)
//   130  interrupted by Ctrl-C: the run stopped at its current iterate (status `interrupted`), the
//      summary was printed and the files asked for were written (interrupt.hpp)
//
// Numbers are parsed strictly: the whole text must be one finite decimal number ("1e-3", "-2.5");
// "1,x", "1,,2", "nan", "inf" and "" are errors naming the bad text.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <utility>
#include <variant>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "kobai/core/error.hpp"
#include "kobai/core/types.hpp"
#include "kobai/minimize/minimize.hpp"
#include "kobai/minimize/options.hpp"
#include "kobai/minimize/result.hpp"
#include "kobai/optim/line_search_registry.hpp"
#include "kobai/optim/registry.hpp"
#include "kobai/problems/problem.hpp"

namespace kobai::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_check_failed = 1;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_file_error = 3;
inline constexpr int exit_interrupted = 130;  // stopped by Ctrl-C, after the summary and files (interrupt.hpp)

// The status main() returns when no exception escaped (a command sets it, e.g. check → 1).
int exit_status();
void set_exit_status(int code);

// Prints "kobai: error: <message>" on stderr (newlines inside the message become "; " unless
// keep_lines) and returns `code`, for `return report_error(...)` in main.
int report_error(std::string_view message, int code, bool keep_lines = false);

// A file could not be written: exit code 3.
class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One finite number; `what` names the option in the error ("--start: cannot read 'x' as a number").
double parse_number(std::string_view text, std::string_view what);
// "a,b,c" → {a, b, c}; every element strict as above, no empty elements.
std::vector<double> parse_number_list(std::string_view text, std::string_view what);
Vector parse_point(std::string_view text, std::string_view what);

// ---- stopping rules and history of a run ------------------------------------------------------
struct StoppingArguments {
  std::int64_t iterations = 1000;
  std::string tolerance = "1e-8";  // strings so the strict parser reports bad text
  std::string value_tolerance = "0";
  std::string step_tolerance = "0";
  std::string divergence_bound = "1e20";
  std::string schedule;             // step:SIZE:GAMMA | exponential:GAMMA | inverse-time:DECAY | cosine:PERIOD[:MIN]
};
// Registers --iterations --tolerance --value-tolerance --step-tolerance --divergence-bound --schedule.
void add_stopping_options(CLI::App& command, StoppingArguments& arguments);
// Parses and validates them (throws InvalidArgument naming the option and the value).
MinimizeOptions make_minimize_options(const StoppingArguments& arguments);
Schedule parse_schedule(std::string_view text);

// ---- optimizers --------------------------------------------------------------------------------
// The hyperparameter options as the user typed them (strings: the strict parser names bad text).
struct OptimizerArguments {
  std::string name = "gd";
  std::optional<std::string> lr, momentum, dampening, beta1, beta2, eps, rho, alpha, weight_decay,
      initial_accumulator, lr_decay, momentum_decay;
  bool nesterov = false, amsgrad = false, centered = false;
  // Line-search methods (newton, bfgs, lbfgs, cg; gd with --line-search).
  std::string line_search;      // "", "armijo", "wolfe"
  std::optional<int> memory;    // lbfgs
  std::string hessian;          // newton: "", "problem", "numerical"
};

// A first-order optimizer or a line-search method, chosen at run time.
class Method {
 public:
  explicit Method(AnyFirstOrder optimizer) : method_(std::move(optimizer)) { describe(); }
  explicit Method(AnyLineSearchMethod method) : method_(std::move(method)) { describe(); }

  std::string name() const;
  bool is_line_search() const { return std::holds_alternative<AnyLineSearchMethod>(method_); }
  // Every hyperparameter in effect, defaults included ({"line_search": "wolfe"} too for
  // line-search methods). A reference to a member, so `hyperparameters().items()` in a range-for
  // is safe (on a returned temporary it would dangle).
  const nlohmann::json& hyperparameters() const { return hyperparameters_; }

  template <class... Callbacks>
  MinimizeResult minimize(const problems::Problem& problem, const Vector& x0,
                          const MinimizeOptions& options, Callbacks&&... callbacks) {
    return std::visit(
        [&](auto& method) {
          return kobai::minimize(problem, x0, method, options, std::forward<Callbacks>(callbacks)...);
        },
        method_);
  }

 private:
  void describe();
  std::variant<AnyFirstOrder, AnyLineSearchMethod> method_;
  nlohmann::json hyperparameters_;
};
// Registers --optimizer and --lr --momentum --nesterov --dampening --beta1 --beta2 --eps --rho
// --alpha --weight-decay --amsgrad --initial-accumulator --centered --lr-decay --momentum-decay.
void add_optimizer_options(CLI::App& command, OptimizerArguments& arguments);
// Parses the numbers; an option the chosen optimizer does not use is an error naming it.
OptimizerSettings make_optimizer_settings(const OptimizerArguments& arguments);
// make_first_order with the library's messages rewritten in the command's terms
// ("lr must be > 0, got -0.10000000000000001" → "--lr must be > 0, got -0.1").
AnyFirstOrder make_optimizer(const OptimizerArguments& arguments);
nlohmann::json hyperparameters_to_json(const AnyFirstOrder& optimizer);
// The optimizer the arguments name: a line-search method when --optimizer is newton/bfgs/lbfgs/cg
// or gd with --line-search, else a first-order optimizer. Options the method does not use are
// errors naming them. `schedule_given`: a schedule applies to first-order optimizers only.
Method make_method(const OptimizerArguments& arguments, bool schedule_given = false);
// Every optimizer name --optimizer accepts.
std::vector<std::string> optimizer_names();

// ---- problems ----------------------------------------------------------------------------------
// A built-in problem by name (dimension 0 = its default), with "--function" in the error.
problems::Problem make_problem(std::string_view name, int dimension);
// --function NAME or --expr TEXT (exactly one of them): a built-in problem or one typed as text
// (kobai::expr::make_problem; its ParseError quotes the text with a caret).
problems::Problem make_problem(const std::string& function, const std::optional<std::string>& expr,
                               int dimension);
// The problem a command runs on: --function NAME [--dimension N] or --expr TEXT.
struct ProblemChoice {
  std::string function;
  std::optional<std::string> expr;
  int dimension = 0;

  problems::Problem make() const { return make_problem(function, expr, dimension); }
  // The options that choose it again: "--function beale", "--expr '(x - 1)^2' --dimension 3".
  std::string as_options() const;
  // For titles: "beale", or "f = (x - 1)^2".
  std::string label() const;
};
// Registers --function/-f, --expr and --dimension/-d.
void add_problem_options(CLI::App& command, ProblemChoice& choice);

// The problem a command runs on and its start point (--start; --at for check), made together:
// for a problem of any dimension (sphere, rosenbrock, rastrigin, …) a start point given without
// --dimension sets the dimension, as x0 does in SciPy; --dimension with a start point of another
// size is an error naming both. The returned choice has the dimension filled in, so its
// as_options() repeats the run. Without a start point: the problem's standard start.
struct ProblemAndStart {
  ProblemChoice choice;
  problems::Problem problem;
  Vector start;
};
ProblemAndStart make_problem_and_start(const ProblemChoice& choice, const std::optional<std::string>& start,
                                       std::string_view option);

// Single quotes around anything a shell would read differently.
std::string shell_word(const std::string& word);

// The command line as typed ("kobai train --optimizers sgd,adam …", each word shell-quoted), for
// pages that show the command that makes them again. main() records it before parsing.
void set_command_line(int argc, const char* const* argv);
const std::string& command_line();

// The start point: `text` parsed, or the problem's standard start when not given; checked against
// the problem's dimension with an error naming `option`.
Vector start_point(const problems::Problem& problem, const std::optional<std::string>& text,
                   std::string_view option);
nlohmann::json problem_to_json(const problems::Problem& problem);

// ---- JSON ---------------------------------------------------------------------------------------
nlohmann::json to_json(const Vector& v);
// x, value, gradient, gradient_max_abs, iterations, status, message, verdict, verdict_reason
// (kobai/minimize/verdict.hpp, with the problem's f*), diverged_at (or null),
// function_evaluations, gradient_evaluations. The caller adds problem/optimizer/hyperparameters.
nlohmann::json result_to_json(const MinimizeResult& result, const problems::Problem& problem);
// Numbers for humans: shortest text that reads back to the same double ("0.1", "2.999999999256501").
std::string format_number(double v);
std::string format_point(const Vector& v);  // "[a, b]"

}  // namespace kobai::cli
