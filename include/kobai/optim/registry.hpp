// kobai/optim/registry.hpp — the first-order optimizers by name, for programs that choose one at
// run time (the `kobai` command, the tour, reports).
//
//   kobai::OptimizerSettings s{.lr = 1e-3, .beta1 = 0.9, .beta2 = 0.8};
//   kobai::AnyFirstOrder adam = kobai::make_first_order("adam", s);   // kobai::Adam underneath
//   kobai::minimize(problem, x0, adam, options);
//
// Names: gd momentum nesterov adagrad adadelta rmsprop adam adamw amsgrad adamax nadam.
// An unset setting takes the optimizer's PyTorch default (gd: lr 0.01, since torch.optim.SGD has
// none; momentum and nesterov: momentum 0.9). `initial_accumulator` is AdaGrad's
// initial_accumulator_value, Adadelta's initial_accumulator_value and RMSprop's
// initial_square_avg. A setting the optimizer does not use is an error ("rho does not apply to
// adam"), so a typo on the command line is never silently ignored.
//
// AnyFirstOrder is a std::variant of the double-precision optimizers: copyable, no allocation per
// step beyond the optimizer's own, and it satisfies FirstOrderOptimizer. state()/load_state()
// forward to the optimizer's (a state loads into an optimizer made with the same name and settings).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/optim/adadelta.hpp"
#include "kobai/optim/adagrad.hpp"
#include "kobai/optim/adam.hpp"
#include "kobai/optim/adamax.hpp"
#include "kobai/optim/adamw.hpp"
#include "kobai/optim/gradient_descent.hpp"
#include "kobai/optim/nadam.hpp"
#include "kobai/optim/rmsprop.hpp"
#include "kobai/optim/state.hpp"

namespace kobai {

struct OptimizerSettings {  // values from the command line; unset = the optimizer's PyTorch default
  std::optional<double> lr{}, momentum{}, dampening{}, beta1{}, beta2{}, eps{}, rho{}, alpha{},
      weight_decay{}, initial_accumulator{}, lr_decay{}, momentum_decay{};
  std::optional<bool> nesterov{}, amsgrad{}, centered{};
};

class AnyFirstOrder {
 public:
  using Scalar = double;
  using Variant = std::variant<GradientDescent<double>, Adagrad<double>, Adadelta<double>,
                               RmsProp<double>, Adam<double>, AdamW<double>, Adamax<double>,
                               NAdam<double>>;

  AnyFirstOrder(std::string name, Variant optimizer)
      : name_(std::move(name)), optimizer_(std::move(optimizer)) {}

  void step(std::span<double> params, std::span<const double> grads) {
    std::visit([&](auto& o) { o.step(params, grads); }, optimizer_);
  }
  void step(Vector& params, const Vector& grads) { step(as_span(params), as_span(grads)); }
  void reset() {
    std::visit([](auto& o) { o.reset(); }, optimizer_);
  }
  double lr() const {
    return std::visit([](const auto& o) { return o.lr(); }, optimizer_);
  }
  void set_lr(double lr) {
    std::visit([&](auto& o) { o.set_lr(lr); }, optimizer_);
  }
  const std::string& name() const { return name_; }
  std::int64_t steps() const {
    return std::visit([](const auto& o) { return o.steps(); }, optimizer_);
  }
  // The state by torch.optim's names (optim/state.hpp), and the names these options keep.
  OptimizerState<double> state() const {
    return std::visit([](const auto& o) { return o.state(); }, optimizer_);
  }
  void load_state(const OptimizerState<double>& state) {
    std::visit([&](auto& o) { o.load_state(state); }, optimizer_);
  }
  std::vector<std::string> state_names() const {
    return std::visit([](const auto& o) { return o.state_names(); }, optimizer_);
  }
  // Every hyperparameter in use, defaults included (bools as 0/1), in PyTorch's names.
  std::vector<std::pair<std::string, double>> hyperparameters() const {
    return std::visit([](const auto& o) { return describe(o.options()); }, optimizer_);
  }
  const Variant& variant() const { return optimizer_; }
  Variant& variant() { return optimizer_; }

 private:
  using List = std::vector<std::pair<std::string, double>>;
  static List describe(const GradientDescentOptions& o) {
    return {{"lr", o.lr},
            {"momentum", o.momentum},
            {"dampening", o.dampening},
            {"nesterov", o.nesterov ? 1 : 0},
            {"weight_decay", o.weight_decay}};
  }
  static List describe(const AdagradOptions& o) {
    return {{"lr", o.lr},
            {"lr_decay", o.lr_decay},
            {"weight_decay", o.weight_decay},
            {"initial_accumulator_value", o.initial_accumulator_value},
            {"eps", o.eps}};
  }
  static List describe(const AdadeltaOptions& o) {
    return {{"lr", o.lr},
            {"rho", o.rho},
            {"eps", o.eps},
            {"weight_decay", o.weight_decay},
            {"initial_accumulator_value", o.initial_accumulator_value}};
  }
  static List describe(const RmsPropOptions& o) {
    return {{"lr", o.lr},
            {"alpha", o.alpha},
            {"eps", o.eps},
            {"weight_decay", o.weight_decay},
            {"momentum", o.momentum},
            {"centered", o.centered ? 1 : 0},
            {"initial_square_avg", o.initial_square_avg}};
  }
  template <class O>
    requires std::same_as<O, AdamOptions> || std::same_as<O, AdamWOptions>
  static List describe(const O& o) {
    return {{"lr", o.lr},        {"beta1", o.beta1},
            {"beta2", o.beta2},  {"eps", o.eps},
            {"weight_decay", o.weight_decay}, {"amsgrad", o.amsgrad ? 1 : 0}};
  }
  static List describe(const AdamaxOptions& o) {
    return {{"lr", o.lr},
            {"beta1", o.beta1},
            {"beta2", o.beta2},
            {"eps", o.eps},
            {"weight_decay", o.weight_decay}};
  }
  static List describe(const NAdamOptions& o) {
    return {{"lr", o.lr},   {"beta1", o.beta1},
            {"beta2", o.beta2}, {"eps", o.eps},
            {"weight_decay", o.weight_decay}, {"momentum_decay", o.momentum_decay}};
  }

  std::string name_;
  Variant optimizer_;
};

inline std::vector<std::string> first_order_names() {
  return {"gd",   "momentum", "nesterov", "adagrad", "adadelta", "rmsprop",
          "adam", "adamw",    "amsgrad",  "adamax",  "nadam"};
}

inline bool is_first_order(std::string_view name) {
  const std::vector<std::string> names = first_order_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

namespace detail {

// The settings each optimizer reads; any other set value is an error naming it.
inline std::vector<std::string_view> applicable_settings(std::string_view name) {
  if (name == "gd" || name == "momentum" || name == "nesterov")
    return {"lr", "momentum", "dampening", "weight_decay", "nesterov"};
  if (name == "adagrad") return {"lr", "lr_decay", "weight_decay", "initial_accumulator", "eps"};
  if (name == "adadelta") return {"lr", "rho", "eps", "weight_decay", "initial_accumulator"};
  if (name == "rmsprop")
    return {"lr", "alpha", "eps", "weight_decay", "momentum", "centered", "initial_accumulator"};
  if (name == "adam" || name == "adamw" || name == "amsgrad")
    return {"lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad"};
  if (name == "adamax") return {"lr", "beta1", "beta2", "eps", "weight_decay"};
  if (name == "nadam") return {"lr", "beta1", "beta2", "eps", "weight_decay", "momentum_decay"};
  return {};
}

inline void check_applicable(std::string_view name, const OptimizerSettings& s) {
  const std::vector<std::string_view> allowed = applicable_settings(name);
  const std::pair<std::string_view, bool> given[] = {
      {"lr", s.lr.has_value()},
      {"momentum", s.momentum.has_value()},
      {"dampening", s.dampening.has_value()},
      {"beta1", s.beta1.has_value()},
      {"beta2", s.beta2.has_value()},
      {"eps", s.eps.has_value()},
      {"rho", s.rho.has_value()},
      {"alpha", s.alpha.has_value()},
      {"weight_decay", s.weight_decay.has_value()},
      {"initial_accumulator", s.initial_accumulator.has_value()},
      {"lr_decay", s.lr_decay.has_value()},
      {"momentum_decay", s.momentum_decay.has_value()},
      {"nesterov", s.nesterov.has_value()},
      {"amsgrad", s.amsgrad.has_value()},
      {"centered", s.centered.has_value()}};
  for (const auto& [setting, is_set] : given)
    if (is_set && std::find(allowed.begin(), allowed.end(), setting) == allowed.end())
      throw InvalidArgument(std::string(setting) + " does not apply to " + std::string(name));
}

inline std::string joined_first_order_names() {
  std::string out;
  for (const std::string& n : first_order_names()) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace detail

inline AnyFirstOrder make_first_order(std::string_view name, const OptimizerSettings& s) {
  if (!is_first_order(name))
    throw InvalidArgument("unknown optimizer '" + std::string(name) + "'; choose one of " +
                          detail::joined_first_order_names());
  detail::check_applicable(name, s);
  const std::string n(name);
  if (name == "gd" || name == "momentum" || name == "nesterov") {
    const double default_momentum = name == "gd" ? 0.0 : 0.9;
    const bool nesterov = s.nesterov.value_or(name == "nesterov");
    if (name == "nesterov" && !nesterov)
      throw InvalidArgument("nesterov must be true for optimizer nesterov, got false");
    return {n, GradientDescent<double>({.lr = s.lr.value_or(0.01),
                                        .momentum = s.momentum.value_or(default_momentum),
                                        .dampening = s.dampening.value_or(0.0),
                                        .nesterov = nesterov,
                                        .weight_decay = s.weight_decay.value_or(0.0)})};
  }
  if (name == "adagrad")
    return {n, Adagrad<double>({.lr = s.lr.value_or(1e-2),
                                .lr_decay = s.lr_decay.value_or(0.0),
                                .weight_decay = s.weight_decay.value_or(0.0),
                                .initial_accumulator_value = s.initial_accumulator.value_or(0.0),
                                .eps = s.eps.value_or(1e-10)})};
  if (name == "adadelta")
    return {n, Adadelta<double>({.lr = s.lr.value_or(1.0),
                                 .rho = s.rho.value_or(0.9),
                                 .eps = s.eps.value_or(1e-6),
                                 .weight_decay = s.weight_decay.value_or(0.0),
                                 .initial_accumulator_value = s.initial_accumulator.value_or(0.0)})};
  if (name == "rmsprop")
    return {n, RmsProp<double>({.lr = s.lr.value_or(1e-2),
                                .alpha = s.alpha.value_or(0.99),
                                .eps = s.eps.value_or(1e-8),
                                .weight_decay = s.weight_decay.value_or(0.0),
                                .momentum = s.momentum.value_or(0.0),
                                .centered = s.centered.value_or(false),
                                .initial_square_avg = s.initial_accumulator.value_or(0.0)})};
  if (name == "adam" || name == "amsgrad") {
    const bool amsgrad = s.amsgrad.value_or(name == "amsgrad");
    if (name == "amsgrad" && !amsgrad)
      throw InvalidArgument("amsgrad must be true for optimizer amsgrad, got false");
    return {n, Adam<double>({.lr = s.lr.value_or(1e-3),
                             .beta1 = s.beta1.value_or(0.9),
                             .beta2 = s.beta2.value_or(0.999),
                             .eps = s.eps.value_or(1e-8),
                             .weight_decay = s.weight_decay.value_or(0.0),
                             .amsgrad = amsgrad})};
  }
  if (name == "adamw")
    return {n, AdamW<double>({.lr = s.lr.value_or(1e-3),
                              .beta1 = s.beta1.value_or(0.9),
                              .beta2 = s.beta2.value_or(0.999),
                              .eps = s.eps.value_or(1e-8),
                              .weight_decay = s.weight_decay.value_or(1e-2),
                              .amsgrad = s.amsgrad.value_or(false)})};
  if (name == "adamax")
    return {n, Adamax<double>({.lr = s.lr.value_or(2e-3),
                               .beta1 = s.beta1.value_or(0.9),
                               .beta2 = s.beta2.value_or(0.999),
                               .eps = s.eps.value_or(1e-8),
                               .weight_decay = s.weight_decay.value_or(0.0)})};
  return {n, NAdam<double>({.lr = s.lr.value_or(2e-3),
                            .beta1 = s.beta1.value_or(0.9),
                            .beta2 = s.beta2.value_or(0.999),
                            .eps = s.eps.value_or(1e-8),
                            .weight_decay = s.weight_decay.value_or(0.0),
                            .momentum_decay = s.momentum_decay.value_or(4e-3)})};
}

}  // namespace kobai
