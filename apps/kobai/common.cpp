// kobai/common.cpp — shared helpers of the subcommands (see common.hpp).
#include "kobai/common.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <system_error>

#include "kobai/core/validate.hpp"
#include "kobai/expr/make_problem.hpp"
#include "kobai/interrupt.hpp"
#include "kobai/problems/registry.hpp"
#include "kobai/report/run_classification.hpp"

namespace kobai::cli {

namespace {
int g_exit_status = exit_ok;

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }
}  // namespace

int exit_status() { return g_exit_status; }
void set_exit_status(int code) { g_exit_status = code; }

int report_error(std::string_view message, int code, bool keep_lines) {
  std::string line(message);
  if (!keep_lines) {
    std::string flat;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\n') {
        if (i + 1 < line.size()) flat += "; ";
      } else {
        flat += line[i];
      }
    }
    line = flat;
  }
  // One write of the whole line: std::cerr is unit-buffered, so `<<` piece by piece would be
  // several writes, and under mpirun another process's output could land between them.
  std::cerr << ("kobai: error: " + line + '\n') << std::flush;
  return code;
}

double parse_number(std::string_view text, std::string_view what) {
  std::string_view t = text;
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  if (t.empty())
    throw InvalidArgument(std::string(what) + ": expected a number, got an empty value" +
                          (text.empty() ? "" : " " + quoted(text)));
  // from_chars rejects a leading '+'; accept it as people write it.
  std::string_view digits = t;
  if (digits.front() == '+') digits.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value,
                                         std::chars_format::general);
  if (ec == std::errc::result_out_of_range)
    throw InvalidArgument(std::string(what) + ": " + quoted(t) + " is out of the range of a double");
  if (ec != std::errc() || end != digits.data() + digits.size())
    throw InvalidArgument(std::string(what) + ": cannot read " + quoted(t) + " as a number");
  if (!std::isfinite(value))
    throw InvalidArgument(std::string(what) + " must be a finite number, got " + quoted(t));
  return value;
}

std::vector<double> parse_number_list(std::string_view text, std::string_view what) {
  std::vector<double> values;
  if (text.empty()) throw InvalidArgument(std::string(what) + ": expected a list of numbers like 1,2, got ''");
  std::size_t begin = 0;
  for (;;) {
    const std::size_t comma = text.find(',', begin);
    const std::string_view item = text.substr(begin, comma == std::string_view::npos ? std::string_view::npos : comma - begin);
    const std::string label = std::string(what) + " element " + std::to_string(values.size() + 1);
    if (item.find_first_not_of(" \t") == std::string_view::npos)
      throw InvalidArgument(std::string(what) + ": element " + std::to_string(values.size() + 1) +
                            " of " + quoted(text) + " is empty");
    values.push_back(parse_number(item, std::string(what) + " (in " + quoted(text) + ")"));
    if (comma == std::string_view::npos) break;
    begin = comma + 1;
  }
  return values;
}

Vector parse_point(std::string_view text, std::string_view what) {
  const std::vector<double> values = parse_number_list(text, what);
  return Eigen::Map<const Vector>(values.data(), static_cast<Eigen::Index>(values.size()));
}

// ---- stopping rules ----------------------------------------------------------------------------

void add_stopping_options(CLI::App& command, StoppingArguments& a) {
  command.add_option("--iterations,-n", a.iterations, "maximum number of steps")->capture_default_str();
  command.add_option("--tolerance", a.tolerance,
                     "converged when max |gradient| < EPS (the seeds' rule); 0 disables")
      ->capture_default_str();
  command.add_option("--value-tolerance", a.value_tolerance,
                     "converged when |f change| <= EPS * max(1, |f|); 0 disables")
      ->capture_default_str();
  command.add_option("--step-tolerance", a.step_tolerance,
                     "converged when max |x change| <= EPS; 0 disables")
      ->capture_default_str();
  command.add_option("--divergence-bound", a.divergence_bound,
                     "diverged when f exceeds this (or f or x is not finite); 'inf' disables the bound")
      ->capture_default_str();
  command.add_option("--schedule", a.schedule,
                     "learning-rate schedule: step:SIZE:GAMMA | exponential:GAMMA | "
                     "inverse-time:DECAY | cosine:PERIOD[:MIN]");
}

Schedule parse_schedule(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t colon = text.find(':', begin);
    parts.push_back(text.substr(begin, colon == std::string_view::npos ? std::string_view::npos : colon - begin));
    if (colon == std::string_view::npos) break;
    begin = colon + 1;
  }
  const std::string_view kind = parts[0];
  const std::string what = "--schedule " + quoted(text);
  auto count = [&](std::string_view t) {
    const double v = parse_number(t, what);
    if (v != std::floor(v) || v < 1 || v > 1e15)
      throw InvalidArgument(what + ": expected a whole number >= 1, got " + quoted(t));
    return static_cast<std::int64_t>(v);
  };
  auto arity = [&](std::size_t lo, std::size_t hi, std::string_view form) {
    if (parts.size() - 1 < lo || parts.size() - 1 > hi)
      throw InvalidArgument(what + ": expected " + std::string(form));
  };
  Schedule s;
  if (kind == "constant") {
    arity(0, 0, "constant");
  } else if (kind == "step") {
    arity(2, 2, "step:SIZE:GAMMA, e.g. step:100:0.5");
    s = Schedule::step(count(parts[1]), parse_number(parts[2], what));
  } else if (kind == "exponential") {
    arity(1, 1, "exponential:GAMMA, e.g. exponential:0.99");
    s = Schedule::exponential(parse_number(parts[1], what));
  } else if (kind == "inverse-time" || kind == "inverse_time") {
    arity(1, 1, "inverse-time:DECAY, e.g. inverse-time:0.01");
    s = Schedule::inverse_time(parse_number(parts[1], what));
  } else if (kind == "cosine") {
    arity(1, 2, "cosine:PERIOD[:MIN], e.g. cosine:1000:0.0001");
    s = Schedule::cosine(count(parts[1]), parts.size() > 2 ? parse_number(parts[2], what) : 0.0);
  } else {
    throw InvalidArgument("--schedule: unknown schedule " + quoted(kind) +
                          "; expected step, exponential, inverse-time, cosine or constant");
  }
  try {
    s.validate();
  } catch (const InvalidArgument& e) {
    throw InvalidArgument("--schedule " + quoted(text) + ": " + e.what());
  }
  return s;
}

MinimizeOptions make_minimize_options(const StoppingArguments& a) {
  MinimizeOptions o;
  if (a.iterations < 0)
    throw InvalidArgument("--iterations must be >= 0, got " + std::to_string(a.iterations));
  o.max_iterations = a.iterations;
  auto tolerance = [](const std::string& text, std::string_view name) {
    const double v = parse_number(text, name);
    if (v < 0) throw InvalidArgument(std::string(name) + " must be >= 0, got " + text);
    return v;
  };
  o.gradient_tolerance = tolerance(a.tolerance, "--tolerance");
  o.value_tolerance = tolerance(a.value_tolerance, "--value-tolerance");
  o.step_tolerance = tolerance(a.step_tolerance, "--step-tolerance");
  if (a.divergence_bound == "inf" || a.divergence_bound == "infinity" || a.divergence_bound == "none") {
    o.divergence_bound = std::numeric_limits<double>::infinity();
  } else {
    o.divergence_bound = parse_number(a.divergence_bound, "--divergence-bound");
    if (!(o.divergence_bound > 0))
      throw InvalidArgument("--divergence-bound must be > 0, got " + a.divergence_bound);
  }
  if (!a.schedule.empty()) o.schedule = parse_schedule(a.schedule);
  o.interrupt = &interrupt_flag();  // Ctrl-C ends the run at its current iterate (interrupt.hpp)
  o.validate();
  return o;
}

// ---- optimizers --------------------------------------------------------------------------------

namespace {
struct HyperOption {
  const char* flag;                                   // "--weight-decay"
  const char* library_name;                           // "weight_decay", as the library names it
  std::optional<std::string> OptimizerArguments::*text;
  std::optional<double> OptimizerSettings::*value;
};
constexpr HyperOption hyper_options[] = {
    {"--lr", "lr", &OptimizerArguments::lr, &OptimizerSettings::lr},
    {"--momentum", "momentum", &OptimizerArguments::momentum, &OptimizerSettings::momentum},
    {"--dampening", "dampening", &OptimizerArguments::dampening, &OptimizerSettings::dampening},
    {"--beta1", "beta1", &OptimizerArguments::beta1, &OptimizerSettings::beta1},
    {"--beta2", "beta2", &OptimizerArguments::beta2, &OptimizerSettings::beta2},
    {"--eps", "eps", &OptimizerArguments::eps, &OptimizerSettings::eps},
    {"--rho", "rho", &OptimizerArguments::rho, &OptimizerSettings::rho},
    {"--alpha", "alpha", &OptimizerArguments::alpha, &OptimizerSettings::alpha},
    {"--weight-decay", "weight_decay", &OptimizerArguments::weight_decay, &OptimizerSettings::weight_decay},
    {"--initial-accumulator", "initial_accumulator", &OptimizerArguments::initial_accumulator,
     &OptimizerSettings::initial_accumulator},
    {"--lr-decay", "lr_decay", &OptimizerArguments::lr_decay, &OptimizerSettings::lr_decay},
    {"--momentum-decay", "momentum_decay", &OptimizerArguments::momentum_decay,
     &OptimizerSettings::momentum_decay},
};

std::string join(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& item : items) s += (s.empty() ? "" : ", ") + item;
  return s;
}
}  // namespace

std::vector<std::string> optimizer_names() {
  std::vector<std::string> names = first_order_names();
  for (const std::string& name : line_search_method_names())
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  return names;
}

void add_optimizer_options(CLI::App& command, OptimizerArguments& a) {
  command.add_option("--optimizer,-o", a.name, "optimizer: " + join(optimizer_names()))
      ->capture_default_str();
  command.add_option("--line-search", a.line_search,
                     "armijo or wolfe: gd with a line search; the line search of newton/bfgs/lbfgs/cg");
  command.add_option("--memory", a.memory, "pairs kept by lbfgs (default 10)");
  command.add_option("--hessian", a.hessian, "newton: 'problem' (analytic, default) or 'numerical'");
  command.add_option("--lr", a.lr, "learning rate (> 0)");
  command.add_option("--momentum", a.momentum, "momentum factor in [0, 1) (gd, momentum, nesterov)");
  command.add_option("--dampening", a.dampening, "dampening of the momentum buffer in [0, 1]");
  command.add_flag("--nesterov", a.nesterov, "Nesterov momentum (gd)");
  command.add_option("--beta1", a.beta1, "first-moment decay in [0, 1) (adam family)");
  command.add_option("--beta2", a.beta2, "second-moment decay in [0, 1) (adam family)");
  command.add_option("--eps", a.eps, "term added to the denominator (> 0)");
  command.add_option("--rho", a.rho, "running-average decay in [0, 1) (adadelta)");
  command.add_option("--alpha", a.alpha, "smoothing constant in [0, 1) (rmsprop)");
  command.add_option("--weight-decay", a.weight_decay, "L2 penalty (>= 0; decoupled for adamw)");
  command.add_flag("--amsgrad", a.amsgrad, "AMSGrad variant (adam, adamw)");
  command.add_option("--initial-accumulator", a.initial_accumulator,
                     "initial value of the squared-gradient accumulators (adagrad, rmsprop, adadelta); "
                     "seed 003 starts them at 1");
  command.add_flag("--centered", a.centered, "centered RMSprop");
  command.add_option("--lr-decay", a.lr_decay, "AdaGrad's learning-rate decay (>= 0)");
  command.add_option("--momentum-decay", a.momentum_decay, "NAdam's momentum decay (>= 0)");
}

OptimizerSettings make_optimizer_settings(const OptimizerArguments& a) {
  OptimizerSettings s;
  for (const HyperOption& option : hyper_options)
    if (const auto& text = a.*(option.text); text) s.*(option.value) = parse_number(*text, option.flag);
  if (a.nesterov) s.nesterov = true;
  if (a.amsgrad) s.amsgrad = true;
  if (a.centered) s.centered = true;
  return s;
}

AnyFirstOrder make_optimizer(const OptimizerArguments& a) {
  if (!is_first_order(a.name))
    throw InvalidArgument("--optimizer: unknown optimizer '" + a.name + "'; choose one of " +
                          join(optimizer_names()));
  const OptimizerSettings settings = make_optimizer_settings(a);
  try {
    return make_first_order(a.name, settings);
  } catch (const InvalidArgument& e) {
    // "lr must be > 0, got -0.10000000000000001" → "--lr must be > 0, got -0.1": the option the
    // user typed and the text they typed.
    const std::string message = e.what();
    // The library's names for the accumulator start differ per optimizer (PyTorch's names).
    for (const auto& [alias, flag] : {std::pair{"initial_accumulator_value", "--initial-accumulator"},
                                      std::pair{"initial_square_avg", "--initial-accumulator"},
                                      std::pair{"nesterov", "--nesterov"}, std::pair{"amsgrad", "--amsgrad"},
                                      std::pair{"centered", "--centered"}}) {
      const std::string name = alias;
      if (message.rfind(name + " ", 0) != 0) continue;
      std::string rewritten = flag + message.substr(name.size());
      const std::size_t got = rewritten.rfind(", got ");
      if (std::string(flag) == "--initial-accumulator" && a.initial_accumulator && got != std::string::npos)
        rewritten = rewritten.substr(0, got) + ", got " + *a.initial_accumulator;
      throw InvalidArgument(rewritten);
    }
    for (const HyperOption& option : hyper_options) {
      const std::string name = option.library_name;
      if (message.rfind(name + " ", 0) != 0) continue;
      std::string rewritten = option.flag + message.substr(name.size());
      const std::size_t got = rewritten.rfind(", got ");
      if (const auto& text = a.*(option.text); text && got != std::string::npos)
        rewritten = rewritten.substr(0, got) + ", got " + *text;
      throw InvalidArgument(rewritten);
    }
    throw;
  }
}

namespace {

// "memory applies only to lbfgs, got ..." → "--memory applies only to lbfgs, got ...".
[[noreturn]] void rethrow_as_option(const InvalidArgument& e) {
  const std::string message = e.what();
  for (const char* name : {"memory", "lr", "hessian", "line search", "line_search"}) {
    const std::string prefix = std::string(name) + " ";
    if (message.rfind(prefix, 0) == 0) {
      std::string flag = std::string("--") + name;
      std::replace(flag.begin(), flag.end(), ' ', '-');
      std::replace(flag.begin(), flag.end(), '_', '-');
      throw InvalidArgument(flag + message.substr(std::string(name).size()));
    }
  }
  throw InvalidArgument("--optimizer " + std::string(message));
}

}  // namespace

Method make_method(const OptimizerArguments& a, bool schedule_given) {
  const LineSearchSettings settings{.line_search = a.line_search,
                                    .memory = a.memory,
                                    .lr = a.lr ? std::optional<double>(parse_number(*a.lr, "--lr")) : std::nullopt,
                                    .hessian = a.hessian};
  const std::vector<std::string> line_search_names = line_search_method_names();
  const bool line_search_only = a.name != "gd" && std::find(line_search_names.begin(), line_search_names.end(),
                                                            a.name) != line_search_names.end();
  if (line_search_only || is_line_search_method(a.name, settings)) {
    for (const HyperOption& option : hyper_options)
      if (a.*(option.text) && std::string(option.flag) != "--lr")
        throw InvalidArgument(std::string(option.flag) + " does not apply to " + a.name +
                              (a.name == "gd" ? " with a line search" : "") + ", got " + *(a.*(option.text)));
    for (const auto& [given, flag] : {std::pair{a.nesterov, "--nesterov"}, std::pair{a.amsgrad, "--amsgrad"},
                                      std::pair{a.centered, "--centered"}})
      if (given) throw InvalidArgument(std::string(flag) + " does not apply to " + a.name);
    if (schedule_given)
      throw InvalidArgument("--schedule applies only to first-order optimizers, got --optimizer " + a.name);
    try {
      return Method(make_line_search_method(a.name, settings));
    } catch (const InvalidArgument& e) {
      rethrow_as_option(e);
    }
  }
  if (!a.line_search.empty())
    throw InvalidArgument("--line-search applies to gd, newton, bfgs, lbfgs and cg, got --optimizer " + a.name);
  if (a.memory) throw InvalidArgument("--memory applies only to lbfgs, got --optimizer " + a.name);
  if (!a.hessian.empty()) throw InvalidArgument("--hessian applies only to newton, got --optimizer " + a.name);
  return Method(make_optimizer(a));
}

std::string Method::name() const {
  return std::visit([](const auto& m) { return std::string(m.name()); }, method_);
}

void Method::describe() {
  if (const auto* m = std::get_if<AnyLineSearchMethod>(&method_)) {
    hyperparameters_ = nlohmann::json::object();
    for (const auto& [name, value] : m->hyperparameters()) hyperparameters_[name] = value;
    hyperparameters_["line_search"] = m->line_search();
  } else {
    hyperparameters_ = hyperparameters_to_json(std::get<AnyFirstOrder>(method_));
  }
}

nlohmann::json hyperparameters_to_json(const AnyFirstOrder& optimizer) {
  nlohmann::json j = nlohmann::json::object();
  // The library reports every hyperparameter as a number; the on/off ones (the command's flags)
  // read better as JSON booleans.
  for (const auto& [name, value] : optimizer.hyperparameters()) {
    if (name == "nesterov" || name == "amsgrad" || name == "centered") j[name] = value != 0;
    else j[name] = value;
  }
  return j;
}

// ---- problems ----------------------------------------------------------------------------------

problems::Problem make_problem(std::string_view name, int dimension) {
  if (name.empty()) throw InvalidArgument("--function: expected a problem name (see `kobai functions`)");
  const std::vector<std::string> known = problems::names();
  if (std::find(known.begin(), known.end(), name) == known.end())
    throw InvalidArgument("--function: unknown function '" + std::string(name) + "'; choose one of " +
                          join(known));
  if (dimension < 0)
    throw InvalidArgument("--dimension must be >= 0, got " + std::to_string(dimension));
  try {
    return problems::make(name, dimension);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(std::string("--dimension: ") + e.what());
  }
}

problems::Problem make_problem(const std::string& function, const std::optional<std::string>& expr,
                               int dimension) {
  if (expr && !function.empty())
    throw InvalidArgument("give either --function or --expr, got both ('" + function + "' and '" + *expr + "')");
  if (!expr) {
    if (function.empty()) throw InvalidArgument("--function NAME or --expr TEXT is required");
    return make_problem(function, dimension);
  }
  if (dimension < 0) throw InvalidArgument("--dimension must be >= 0, got " + std::to_string(dimension));
  return expr::make_problem(*expr, {.dimension = dimension});
}

std::string ProblemChoice::as_options() const {
  std::string options = expr ? "--expr " + shell_word(*expr) : "--function " + shell_word(function);
  if (dimension != 0) options += " --dimension " + std::to_string(dimension);
  return options;
}

std::string ProblemChoice::label() const { return expr ? "f = " + *expr : function; }

void add_problem_options(CLI::App& command, ProblemChoice& choice) {
  command.add_option("--function,-f", choice.function, "problem name (see `kobai functions`)");
  command.add_option("--expr", choice.expr,
                     "a function typed as text, e.g. '(x^2 + y - 11)^2 + (x + y^2 - 7)^2'");
  command.add_option("--dimension,-d", choice.dimension,
                     "dimension, for problems of any dimension (0 = the problem's default)");
}

namespace {
std::string& recorded_command_line() {
  static std::string text = "kobai";
  return text;
}
}  // namespace

void set_command_line(int argc, const char* const* argv) {
  std::string text = "kobai";
  for (int i = 1; i < argc; ++i) {
    text += ' ';  // two appends: g++ 12 warns (-Wrestrict, falsely) on text += " " + word
    text += shell_word(argv[i]);
  }
  recorded_command_line() = std::move(text);
}

const std::string& command_line() { return recorded_command_line(); }

std::string shell_word(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789-_.,:=+/") == std::string::npos)
    return word;
  std::string quoted = "'";
  for (const char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

Vector start_point(const problems::Problem& problem, const std::optional<std::string>& given,
                   std::string_view option) {
  if (!given) return problem.start;
  const std::string& text = *given;
  const Vector x = parse_point(text, option);
  if (problem.dimension() > 0 && x.size() != problem.dimension())
    throw InvalidArgument(std::string(option) + " must have " + std::to_string(problem.dimension()) +
                          " numbers for " + problem.name + ", got " + std::to_string(x.size()) +
                          " ('" + text + "')");
  return x;
}

namespace {
// "any" or "any even" for a built-in problem of any dimension; "" for a fixed one or an unknown name.
std::string dimension_rule(std::string_view name) {
  for (const problems::ProblemInfo& info : problems::catalog())
    if (info.name == name) return info.dimension_rule;
  return "";
}
}  // namespace

ProblemAndStart make_problem_and_start(const ProblemChoice& choice, const std::optional<std::string>& start,
                                       std::string_view option) {
  ProblemAndStart chosen{choice, {}, {}};
  bool made = false;
  std::optional<Vector> x;
  if (start) x = parse_point(*start, option);
  const bool any_dimension = !choice.expr && dimension_rule(choice.function).rfind("any", 0) == 0;
  if (x && any_dimension) {
    const int n = static_cast<int>(x->size());
    if (choice.dimension == 0) {
      chosen.choice.dimension = n;
      try {
        chosen.problem = make_problem(choice.function, n);
        made = true;
      } catch (const InvalidArgument& e) {
        // "--dimension: rosenbrock needs an even dimension, got 3": the user typed no --dimension.
        std::string why = e.what();
        if (why.rfind("--dimension: ", 0) == 0) why = why.substr(13);
        throw InvalidArgument(std::string(option) + " '" + *start + "' has " + std::to_string(n) +
                              " numbers, which sets the dimension: " + why);
      }
    } else if (choice.dimension != n) {
      throw InvalidArgument(std::string(option) + " has " + std::to_string(n) + " numbers ('" + *start +
                            "') but --dimension is " + std::to_string(choice.dimension) +
                            "; give one of them, or make them agree");
    }
  }
  if (!made) chosen.problem = chosen.choice.make();
  chosen.start = start_point(chosen.problem, start, option);
  return chosen;
}

nlohmann::json problem_to_json(const problems::Problem& p) {
  nlohmann::json minimizers = nlohmann::json::array();
  for (const Vector& m : p.global_minimizers) minimizers.push_back(to_json(m));
  nlohmann::json local = nlohmann::json::array();
  for (const Vector& m : p.local_minimizers) local.push_back(to_json(m));
  return {{"name", p.name},
          {"formula", p.formula},
          {"dimension", p.dimension()},
          {"global_minimizers", minimizers},
          {"local_minimizers", local},
          {"minimum_value", p.minimum_value},
          {"start", to_json(p.start)},
          {"box_lower", to_json(p.box_lower)},
          {"box_upper", to_json(p.box_upper)}};
}

// ---- JSON and text -----------------------------------------------------------------------------

nlohmann::json to_json(const Vector& v) {
  nlohmann::json array = nlohmann::json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    if (std::isfinite(v[i])) {
      array.push_back(v[i]);
    } else {
      array.push_back(nullptr);  // JSON has no NaN/inf
    }
  }
  return array;
}

static nlohmann::json finite_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::json result_to_json(const MinimizeResult& r, const problems::Problem& problem) {
  nlohmann::json j;
  j["x"] = to_json(r.x);
  j["value"] = finite_or_null(r.value);
  j["gradient"] = to_json(r.gradient);
  j["gradient_max_abs"] = finite_or_null(r.gradient_max_abs);
  j["iterations"] = r.iterations;
  j["status"] = std::string(to_string(r.status));
  j["message"] = r.message;
  const RunVerdict verdict = report::judge(r, problem);
  j["verdict"] = std::string(to_string(verdict.verdict));
  j["verdict_reason"] = verdict.reason;
  j["diverged_at"] = r.diverged_at ? nlohmann::json(*r.diverged_at) : nlohmann::json(nullptr);
  j["function_evaluations"] = r.function_evaluations;
  j["gradient_evaluations"] = r.gradient_evaluations;
  return j;
}

std::string format_number(double v) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  if (ec != std::errc()) return validate::format_number(v);
  return std::string(buffer, end);
}

std::string format_point(const Vector& v) {
  std::string s = "[";
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    s += format_number(v[i]);
  }
  return s + "]";
}

}  // namespace kobai::cli
