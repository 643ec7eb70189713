// kobai/check.cpp — `kobai check`: the gradient check of seed 003 §2.4 on a built-in problem.
//
//   kobai check --function beale --at 3,4
//
// Prints, per component, the analytic derivative, the numerical one (central difference), their
// absolute and relative error, and whether the worst component is within the tolerance.
// Exit status 0 when the check passes, 1 when it fails (so a script can use it as an assertion).
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "kobai/commands.hpp"
#include "kobai/common.hpp"
#include "kobai/diff/check_gradient.hpp"

namespace kobai::cli {

namespace {

struct CheckArguments {
  std::string function;
  std::optional<std::string> expr;
  int dimension = 0;
  std::optional<std::string> at;
  std::string tolerance = "1e-6";
  std::optional<std::string> step;
  bool forward = false;
  bool json = false;
};

void check(const CheckArguments& a) {
  const problems::Problem problem = make_problem(a.function, a.expr, a.dimension);
  const Vector x = start_point(problem, a.at, "--at");
  GradientCheckOptions options;
  options.tolerance = parse_number(a.tolerance, "--tolerance");
  if (!(options.tolerance > 0)) throw InvalidArgument("--tolerance must be > 0, got " + a.tolerance);
  if (a.step) {
    options.numerical.step = parse_number(*a.step, "--step");
    if (!(*options.numerical.step > 0)) throw InvalidArgument("--step must be > 0, got " + *a.step);
  }
  if (a.forward) options.numerical.scheme = DifferenceScheme::forward;

  const auto f = [&](const Vector& v) { return problem.value(v); };
  const auto grad = [&](const Vector& v) { return problem.gradient(v); };
  const GradientCheck c = check_gradient(f, grad, x, options);

  if (a.json) {
    nlohmann::json j;
    j["problem"] = problem.name;
    j["at"] = to_json(x);
    j["scheme"] = a.forward ? "forward" : "central";
    j["step"] = a.step ? nlohmann::json(*options.numerical.step) : nlohmann::json("auto");
    j["analytic"] = to_json(c.analytic);
    j["numerical"] = to_json(c.numerical);
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
    std::printf("%9s  %22s  %22s  %10s  %10s\n", "component", "analytic", "numerical",
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
      "check", "compare a problem's analytic gradient with a numerical one (exit 1 if they differ)");
  command->add_option("--function,-f", a.function, "problem name (see `kobai functions`)");
  command->add_option("--expr", a.expr, "a function typed as text");
  command->add_option("--dimension,-d", a.dimension, "dimension, for problems of any dimension");
  command->add_option("--at", a.at, "point a,b,... (default: the problem's standard start)");
  command->add_option("--tolerance", a.tolerance, "largest relative error that passes")->capture_default_str();
  command->add_option("--step", a.step, "fixed difference step h (default: cbrt(eps)*max(1,|x_i|))");
  command->add_flag("--forward", a.forward, "forward instead of central differences");
  command->add_flag("--json", a.json, "print one JSON object");
  command->callback([arguments] { check(*arguments); });
}

}  // namespace kobai::cli
