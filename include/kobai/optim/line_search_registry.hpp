// kobai/optim/line_search_registry.hpp — the line-search methods by name, for programs that pick
// one at run time (the `kobai` command line: --optimizer newton|bfgs|lbfgs|cg, or gd with
// --line-search armijo|wolfe; --memory, --lr, --hessian).
//
//   kobai::LineSearchSettings settings{.line_search = "wolfe", .memory = 5};
//   if (kobai::is_line_search_method(name, settings)) {
//     auto method = kobai::make_line_search_method(name, settings);  // InvalidArgument if bad
//     auto r = kobai::minimize(problem, problem.start, method, options);
//   }
//
// AnyLineSearchMethod holds one of the methods (a closed set, so a std::variant: no virtual calls
// and no allocation per iteration) and satisfies LineSearchOptimizer for any Objective, in
// particular kobai::problems::Problem.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/core/validate.hpp"
#include "kobai/optim/bfgs.hpp"
#include "kobai/optim/conjugate_gradient.hpp"
#include "kobai/optim/lbfgs.hpp"
#include "kobai/optim/line_search/search.hpp"
#include "kobai/optim/line_search_gradient_descent.hpp"
#include "kobai/optim/newton.hpp"

namespace kobai {

struct LineSearchSettings {
  std::string line_search{};     // "", "armijo", "wolfe"; "" picks the method's default
  std::optional<int> memory{};   // lbfgs only: pairs kept (default 10)
  std::optional<double> lr{};    // gd only: first trial step of every search
  std::string hessian{};         // newton only: "", "problem", "numerical"
};

// The methods make_line_search_method knows; gd needs a line search to be one of them.
inline std::vector<std::string> line_search_method_names() {
  return {"newton", "bfgs", "lbfgs", "cg", "gd"};
}

inline bool is_line_search_method(std::string_view optimizer_name, const LineSearchSettings& settings) {
  if (optimizer_name == "newton" || optimizer_name == "bfgs" || optimizer_name == "lbfgs" ||
      optimizer_name == "cg")
    return true;
  return optimizer_name == "gd" && !settings.line_search.empty();
}

class AnyLineSearchMethod {
 public:
  using Method = std::variant<Newton, Bfgs, Lbfgs, ConjugateGradient, LineSearchGradientDescent>;

  explicit AnyLineSearchMethod(Method method) : method_(std::move(method)) {}

  template <Objective F>
  IterateOutcome iterate(const F& f, SearchState& state) {
    return std::visit([&](auto& m) { return m.iterate(f, state); }, method_);
  }
  void reset() {
    std::visit([](auto& m) { m.reset(); }, method_);
  }

  // "newton", "bfgs", "lbfgs", "cg" or "gd".
  std::string name() const {
    return std::visit([](const auto& m) { return std::string(m.name()); }, method_);
  }
  // "armijo" or "wolfe".
  std::string line_search() const { return to_string(line_search_options().kind); }
  // The numeric settings in effect, for reports: c1 (and c2 for wolfe), plus memory (lbfgs),
  // min_curvature (newton), restart_threshold (cg), lr (gd, when given).
  std::vector<std::pair<std::string, double>> hyperparameters() const {
    const LineSearchOptions& search = line_search_options();
    std::vector<std::pair<std::string, double>> out;
    if (const auto* m = std::get_if<Lbfgs>(&method_)) out.emplace_back("memory", m->options().memory);
    if (const auto* m = std::get_if<Newton>(&method_))
      out.emplace_back("min_curvature", m->options().min_curvature);
    if (const auto* m = std::get_if<ConjugateGradient>(&method_))
      out.emplace_back("restart_threshold", m->options().restart_threshold);
    if (const auto* m = std::get_if<LineSearchGradientDescent>(&method_))
      if (m->options().initial_step) out.emplace_back("lr", *m->options().initial_step);
    out.emplace_back("c1", search.c1());
    if (search.kind == LineSearchKind::strong_wolfe) out.emplace_back("c2", search.wolfe.c2);
    return out;
  }
  // Calls `observer` with the trace of every line search from now on (empty: off).
  void observe_line_search(const LineSearchObserver& observer) {
    std::visit([&](auto& m) { m.observe_line_search(observer); }, method_);
  }
  // The step α accepted by the last line search.
  double last_step() const {
    return std::visit([](const auto& m) { return m.last_step(); }, method_);
  }
  // Where the last successful iterate() started (LineSearchMethodBase).
  const Vector& previous_x() const {
    return std::visit([](const auto& m) -> const Vector& { return m.previous_x(); }, method_);
  }
  const Vector& previous_gradient() const {
    return std::visit([](const auto& m) -> const Vector& { return m.previous_gradient(); }, method_);
  }

  // The after-step check the last iterate() computed in its own passes, if it did (Lbfgs::step_scan).
  std::optional<reductions::StepScan> step_scan() const {
    if (const auto* m = std::get_if<Lbfgs>(&method_)) return m->step_scan();
    return std::nullopt;
  }

  Method& method() { return method_; }
  const Method& method() const { return method_; }

 private:
  const LineSearchOptions& line_search_options() const {
    return std::visit([](const auto& m) -> const LineSearchOptions& { return m.options().line_search; },
                      method_);
  }

  Method method_;
};

// Builds a method from its name and the command line's settings; throws InvalidArgument naming the
// bad value (an unknown name, gd without a line search, memory <= 0, lr <= 0, an unknown hessian
// source, or a setting the method does not use).
inline AnyLineSearchMethod make_line_search_method(std::string_view name,
                                                   const LineSearchSettings& settings) {
  const std::string method(name);
  if (!is_line_search_method(name, settings)) {
    if (name == "gd")
      throw InvalidArgument("gd is a line-search method only with a line search, got line search "
                            "'' (set it to armijo or wolfe)");
    throw InvalidArgument("optimizer must be one of newton, bfgs, lbfgs, cg, gd (with a line "
                          "search), got '" + method + "'");
  }
  if (settings.memory && name != "lbfgs")
    throw InvalidArgument("memory applies only to lbfgs, got memory " +
                          std::to_string(*settings.memory) + " with optimizer " + method);
  if (settings.lr && name != "gd")
    throw InvalidArgument("lr applies only to gd with a line search (its first trial step), got lr " +
                          validate::format_number(*settings.lr) + " with optimizer " + method +
                          ", which chooses its own steps");
  if (!settings.hessian.empty() && name != "newton")
    throw InvalidArgument("hessian applies only to newton, got hessian '" + settings.hessian +
                          "' with optimizer " + method);

  auto search = [&](LineSearchOptions defaults) {
    if (!settings.line_search.empty()) defaults.kind = parse_line_search_kind(settings.line_search);
    return defaults;
  };
  if (name == "newton") {
    NewtonOptions options{.line_search = search(NewtonOptions{}.line_search)};
    if (settings.hessian == "problem" || settings.hessian == "objective")
      options.hessian = HessianSource::objective;
    else if (settings.hessian == "numerical")
      options.hessian = HessianSource::numerical;
    else if (!settings.hessian.empty())
      throw InvalidArgument("hessian must be problem or numerical, got '" + settings.hessian + "'");
    return AnyLineSearchMethod(Newton(std::move(options)));
  }
  if (name == "bfgs") return AnyLineSearchMethod(Bfgs({.line_search = search(BfgsOptions{}.line_search)}));
  if (name == "lbfgs") {
    if (settings.memory) validate::positive_count("memory", *settings.memory);
    return AnyLineSearchMethod(Lbfgs({.memory = settings.memory.value_or(10),
                                      .line_search = search(LbfgsOptions{}.line_search)}));
  }
  if (name == "cg")
    return AnyLineSearchMethod(
        ConjugateGradient({.line_search = search(ConjugateGradientOptions{}.line_search)}));
  return AnyLineSearchMethod(LineSearchGradientDescent(
      {.line_search = search(LineSearchGradientDescentOptions{}.line_search),
       .initial_step = settings.lr}));
}

}  // namespace kobai
