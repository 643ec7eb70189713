// kobai/train/optimizer.hpp — any first-order optimizer, in the network's precision.
//
// The registry (optim/registry.hpp) builds optimizers by name with PyTorch's defaults and the
// library's validation, as double-precision AnyFirstOrder. Training in float32 needs the same
// optimizer over floats: `TypedOptimizer<float>::from(any)` builds the float optimizer with the
// same options (every optimizer class is a template over its scalar), so names, defaults and
// error messages stay those of the registry.
//
//   auto adam = kobai::train::TypedOptimizer<float>::from(kobai::make_first_order("adam", {}));
//   adam.step(params.span(), grads.cspan());
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>
#include <string>
#include <utility>
#include <variant>

#include "kobai/optim/registry.hpp"

namespace kobai::train {

// An optimizer's state in a form a checkpoint can hold: torch.optim's names (optim/state.hpp's
// OptimizerState, copied field by field so this header builds with or without it).
template <class T>
struct SavedOptimizerState {
  std::int64_t step = 0;
  std::map<std::string, std::vector<T>, std::less<>> buffers;
  std::map<std::string, double, std::less<>> scalars;
};

template <class T>
class TypedOptimizer {
 public:
  using Scalar = T;
  using Variant = std::variant<GradientDescent<T>, Adagrad<T>, Adadelta<T>, RmsProp<T>, Adam<T>,
                               AdamW<T>, Adamax<T>, NAdam<T>>;

  TypedOptimizer(std::string name, Variant optimizer)
      : name_(std::move(name)), optimizer_(std::move(optimizer)) {}

  // The same optimizer and options as `any`, over T.
  static TypedOptimizer from(const AnyFirstOrder& any) {
    return {any.name(), std::visit(
                            [](const auto& o) -> Variant {
                              using O = std::decay_t<decltype(o)>;
                              return rebind<O>(o.options());
                            },
                            any.variant())};
  }
  static TypedOptimizer make(std::string_view name, const OptimizerSettings& settings) {
    return from(make_first_order(name, settings));
  }

  void step(std::span<T> params, std::span<const T> grads) {
    std::visit([&](auto& o) { o.step(params, grads); }, optimizer_);
  }
  void reset() {
    std::visit([](auto& o) { o.reset(); }, optimizer_);
  }
  double lr() const {
    return std::visit([](const auto& o) { return o.lr(); }, optimizer_);
  }
  void set_lr(double lr) {
    std::visit([&](auto& o) { o.set_lr(lr); }, optimizer_);
  }
  std::int64_t steps() const {
    return std::visit([](const auto& o) { return o.steps(); }, optimizer_);
  }
  const std::string& name() const { return name_; }

  // Copies the optimizer's state into `out`; false when it cannot be saved. Optimizers with the
  // named-state API (state()/load_state(), optim/state.hpp) always can; without it, only plain
  // gradient descent (no momentum), whose step depends on nothing but lr.
  bool save_state(SavedOptimizerState<T>& out) const {
    return std::visit(
        [&](const auto& o) {
          if constexpr (requires { o.state(); }) {
            const auto s = o.state();
            out.step = s.step;
            out.buffers.clear();
            for (const auto& [k, v] : s.buffers) out.buffers.emplace(k, std::vector<T>(v.begin(), v.end()));
            out.scalars.clear();
            for (const auto& [k, v] : s.scalars) out.scalars.emplace(k, v);
            return true;
          } else if constexpr (std::is_same_v<std::decay_t<decltype(o)>, GradientDescent<T>>) {
            out = {o.steps(), {}, {}};
            return o.options().momentum == 0;
          } else {
            return false;
          }
        },
        optimizer_);
  }
  void load_state(const SavedOptimizerState<T>& saved) {
    std::visit(
        [&](auto& o) {
          if constexpr (requires { o.state(); }) {
            auto s = o.state();
            s.step = saved.step;
            s.buffers.clear();
            for (const auto& [k, v] : saved.buffers) s.buffers.emplace(k, v);
            s.scalars.clear();
            for (const auto& [k, v] : saved.scalars) s.scalars.emplace(k, v);
            o.load_state(s);
          } else if constexpr (std::is_same_v<std::decay_t<decltype(o)>, GradientDescent<T>>) {
            if (o.options().momentum != 0 || !saved.buffers.empty())
              throw InvalidArgument("this build of kobai cannot restore " + name_ + "'s state");
          } else {
            throw InvalidArgument("this build of kobai cannot restore " + name_ + "'s state");
          }
        },
        optimizer_);
  }

  const Variant& variant() const { return optimizer_; }
  Variant& variant() { return optimizer_; }

 private:
  template <class O, class Options>
  static Variant rebind(const Options& options) {
    if constexpr (std::is_same_v<O, GradientDescent<double>>) return GradientDescent<T>(options);
    else if constexpr (std::is_same_v<O, Adagrad<double>>) return Adagrad<T>(options);
    else if constexpr (std::is_same_v<O, Adadelta<double>>) return Adadelta<T>(options);
    else if constexpr (std::is_same_v<O, RmsProp<double>>) return RmsProp<T>(options);
    else if constexpr (std::is_same_v<O, Adam<double>>) return Adam<T>(options);
    else if constexpr (std::is_same_v<O, AdamW<double>>) return AdamW<T>(options);
    else if constexpr (std::is_same_v<O, Adamax<double>>) return Adamax<T>(options);
    else return NAdam<T>(options);
  }

  std::string name_;
  Variant optimizer_;
};

}  // namespace kobai::train
