// kobai/optimizer_registry.hpp — TEMPORARY: the optimizer registry (include/kobai/optim/registry.hpp,
// being written by another engineer) when present, else a stand-in with gd and momentum only, so the
// shared tree keeps building. Removed once the registry lands.
#pragma once
#if __has_include("kobai/optim/registry.hpp")
#include "kobai/optim/registry.hpp"
#else
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "kobai/optim/gradient_descent.hpp"
namespace kobai {
struct OptimizerSettings {
  std::optional<double> lr{}, momentum{}, dampening{}, beta1{}, beta2{}, eps{}, rho{}, alpha{}, weight_decay{},
      initial_accumulator{}, lr_decay{}, momentum_decay{};
  std::optional<bool> nesterov{}, amsgrad{}, centered{};
};
class AnyFirstOrder {
 public:
  using Scalar = double;
  AnyFirstOrder(std::string name, GradientDescent<double> gd) : name_(std::move(name)), gd_(gd) {}
  void step(std::span<double> x, std::span<const double> g) { gd_.step(x, g); }
  void reset() { gd_.reset(); }
  double lr() const { return gd_.lr(); }
  void set_lr(double lr) { gd_.set_lr(lr); }
  std::string name() const { return name_; }
  std::vector<std::pair<std::string, double>> hyperparameters() const {
    return {{"lr", gd_.options().lr}, {"momentum", gd_.options().momentum}};
  }
 private:
  std::string name_;
  GradientDescent<double> gd_;
};
inline std::vector<std::string> first_order_names() { return {"gd", "momentum"}; }
inline bool is_first_order(std::string_view n) { return n == "gd" || n == "momentum"; }
inline AnyFirstOrder make_first_order(std::string_view name, const OptimizerSettings& s) {
  GradientDescentOptions o{.lr = s.lr.value_or(name == "gd" ? 0.01 : 0.01), .momentum = s.momentum.value_or(name == "momentum" ? 0.9 : 0.0)};
  return AnyFirstOrder(std::string(name), GradientDescent<double>(o));
}
}
#endif
