// kobai/check.cpp — `kobai check`: the gradient check of seed 003 §2.4.
//
//   kobai check --function beale --at 3,4                      analytic vs central differences
//   kobai check --expr "x^2*y" --grad "2*x*y, x^2" --at 1,2    a hand-derived gradient vs the exact one
//
// Prints, per component, the gradient under test, the reference (numerical, or exact when --grad
// is given), their absolute and relative error, and whether the worst component is within the
// tolerance (default 1e-6 against differences; 1e-9 against the exact gradient, which leaves
// room only for the rounding of two different formulas).
// Exit status 0 when the check passes, 1 when it fails (so a script can use it as an assertion).
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "kobai/commands.hpp"
#include "kobai/common.hpp"
#include "kobai/diff/check_gradient.hpp"
#include "kobai/expr/expression.hpp"

namespace kobai::cli {

namespace {

struct CheckArguments {
  ProblemChoice problem;
  std::optional<std::string> at;
  std::optional<std::string> grad;
  std::optional<std::string> tolerance;
  std::optional<std::string> step;
  bool forward = false;
  bool json = false;
};

void check(const CheckArguments& a) {
  const ProblemAndStart chosen = make_problem_and_start(a.problem, a.at, "--at");
  const problems::Problem& problem = chosen.problem;
  const Vector& x = chosen.start;
  GradientCheckOptions options;
  options.tolerance = a.grad ? 1e-9 : 1e-6;
  if (a.tolerance) {
    options.tolerance = parse_number(*a.tolerance, "--tolerance");
    if (!(options.tolerance > 0)) throw InvalidArgument("--tolerance must be > 0, got " + *a.tolerance);
  }
  if (a.grad && (a.step || a.forward))
    throw InvalidArgument("--step and --forward set the numerical difference; with --grad the "
                          "reference is the exact gradient");
  if (a.step) {
    options.numerical.step = parse_number(*a.step, "--step");
    if (!(*options.numerical.step > 0)) throw InvalidArgument("--step must be > 0, got " + *a.step);
  }
  if (a.forward) options.numerical.scheme = DifferenceScheme::forward;

  GradientCheck c;
  if (a.grad) {
    // Compiled before anything is evaluated, so a typo is reported with its caret and nothing else.
    const expr::GradientExpression hand = expr::compile_gradient(*a.grad, problem.dimension());
    c = compare_gradients(hand(x), problem.gradient(x), options.tolerance, options.absolute_floor);
    c.reference_name = "exact";
  } else {
    const auto f = [&](const Vector& v) { return problem.value(v); };
    const auto grad = [&](const Vector& v) { return problem.gradient(v); };
    c = check_gradient(f, grad, x, options);
  }
  const char* tested = a.grad ? "hand" : "analytic";

  if (a.json) {
    nlohmann::json j;
    j["problem"] = problem.name;
    j["at"] = to_json(x);
    if (a.grad) {
      j["grad"] = *a.grad;
      j["hand"] = to_json(c.analytic);
      j["exact"] = to_json(c.numerical);
    } else {
      j["scheme"] = a.forward ? "forward" : "central";
      j["step"] = a.step ? nlohmann::json(*options.numerical.step) : nlohmann::json("auto");
      j["analytic"] = to_json(c.analytic);
      j["numerical"] = to_json(c.numerical);
    }
    j["absolute_error"] = to_json(c.absolute_error);
    j["relative_error"] = to_json(c.relative_error);
    j["worst_component"] = c.worst_component;
    j["max_absolute_error"] = std::isfinite(c.max_absolute_error) ? nlohmann::json(c.max_absolute_error) : nlohmann::json(nullptr);
    j["max_relative_error"] = std::isfinite(c.max_relative_error) ? nlohmann::json(c.max_relative_error) : nlohmann::json(nullptr);
    j["tolerance"] = c.tolerance;
    j["passed"] = c.passed;
    std::cout << j.dump() << std::endl;
  } else {
    std::cout << "gradient check of " << problem.name << " (" << problem.formula << ") at "
              << format_point(x) << "\n";
    std::printf("%9s  %22s  %22s  %10s  %10s\n", "component", tested, c.reference_name.c_str(),
                "abs error", "rel error");
    for (Eigen::Index i = 0; i < x.size(); ++i)
      std::printf("%9lld  %22.15g  %22.15g  %10.3g  %10.3g%s\n", static_cast<long long>(i),
                  c.analytic[i], c.numerical[i], c.absolute_error[i], c.relative_error[i],
                  i == c.worst_component ? "  <- worst" : "");
    std::fflush(stdout);
    std::cout << c.summary() << "\n";
  }
  set_exit_status(c.passed ? exit_ok : exit_check_failed);
}

}  // namespace

void add_check_command(CLI::App& app) {
  auto arguments = std::make_shared<CheckArguments>();
  CheckArguments& a = *arguments;
  auto* command = app.add_subcommand(
      "check",
      "compare a problem's gradient with a numerical one, or a hand-derived gradient (--grad) with "
      "the exact one (exit 1 if they differ)");
  add_problem_options(*command, a.problem);
  command->add_option("--at", a.at, "point a,b,... (default: the problem's standard start)");
  command->add_option("--grad", a.grad,
                      "a hand-derived gradient typed as text, one expression per variable, "
                      "comma-separated (\"2*x*y, x^2\"); checked against the exact gradient");
  command->add_option("--tolerance", a.tolerance,
                      "largest relative error that passes (default 1e-6; 1e-9 with --grad)");
  command->add_option("--step", a.step, "fixed difference step h (default: cbrt(eps)*max(1,|x_i|))");
  command->add_flag("--forward", a.forward, "forward instead of central differences");
  command->add_flag("--json", a.json, "print one JSON object");
  command->callback([arguments] { check(*arguments); });
}

}  // namespace kobai::cli
