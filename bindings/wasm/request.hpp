// bindings/wasm/request.hpp — what the page asks the engine for, read from JavaScript objects.
//
// The page passes plain objects (no JSON text): a problem spec, a start point, an optimizer with
// its hyperparameters and the stopping rules, all under the `kobai run` option names with '_' for
// '-' ("lr", "beta1", "weight_decay", "line_search"), so "copy as command" is a rename. Every value
// is checked by the library itself (make_first_order, make_line_search_method,
// MinimizeOptions::validate); what this file adds is only the reading, with errors that name the
// key ("hyperparameter 'lr' must be a number, got string").
#pragma once

#include <emscripten/val.h>

#include <cmath>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/core/types.hpp"
#include "kobai/minimize/options.hpp"
#include "kobai/optim/line_search_registry.hpp"
#include "kobai/optim/registry.hpp"

namespace kobai::wasm {

using emscripten::val;

inline bool has(const val& object, const char* key) {
  return !object.isUndefined() && !object.isNull() && object.hasOwnProperty(key) &&
         !object[key].isUndefined() && !object[key].isNull();
}

inline double number_at(const val& object, const char* key, const char* what) {
  const val v = object[key];
  if (!v.isNumber())
    throw InvalidArgument(std::string(what) + " '" + key + "' must be a number, got " +
                          v.typeOf().as<std::string>());
  return v.as<double>();
}

inline std::optional<double> optional_number(const val& object, const char* key, const char* what) {
  if (!has(object, key)) return std::nullopt;
  return number_at(object, key, what);
}

inline std::optional<bool> optional_bool(const val& object, const char* key) {
  if (!has(object, key)) return std::nullopt;
  const val v = object[key];
  if (v.isTrue() || v.isFalse()) return v.as<bool>();
  if (v.isNumber()) return v.as<double>() != 0;
  throw InvalidArgument(std::string("hyperparameter '") + key + "' must be true or false");
}

inline std::string string_at(const val& object, const char* key, std::string fallback = "") {
  if (!has(object, key)) return fallback;
  const val v = object[key];
  if (!v.isString()) throw InvalidArgument(std::string("'") + key + "' must be a string");
  return v.as<std::string>();
}

// A JS array of numbers (or a Float64Array) as a Vector.
inline Vector vector_from(const val& array, const char* what) {
  if (array.isUndefined() || array.isNull()) throw InvalidArgument(std::string(what) + " is missing");
  const auto n = array["length"].as<int>();
  Vector v(n);
  for (int i = 0; i < n; ++i) {
    const val e = array[i];
    if (!e.isNumber()) throw InvalidArgument(std::string(what) + ": element " + std::to_string(i) + " is not a number");
    v[i] = e.as<double>();
  }
  return v;
}

// The stopping rules: max_iterations, gradient_tolerance (--tolerance), value_tolerance,
// step_tolerance, divergence_bound; unset keys keep `kobai run`'s defaults.
inline MinimizeOptions options_from(const val& stopping) {
  MinimizeOptions o;
  if (stopping.isUndefined() || stopping.isNull()) return o;
  if (auto v = optional_number(stopping, "max_iterations", "stopping rule")) {
    if (!(*v >= 0 && *v <= 1e9 && std::floor(*v) == *v))
      throw InvalidArgument("max_iterations must be a whole number in [0, 1e9], got " + std::to_string(*v));
    o.max_iterations = static_cast<std::int64_t>(*v);
  }
  if (auto v = optional_number(stopping, "gradient_tolerance", "stopping rule")) o.gradient_tolerance = *v;
  if (auto v = optional_number(stopping, "value_tolerance", "stopping rule")) o.value_tolerance = *v;
  if (auto v = optional_number(stopping, "step_tolerance", "stopping rule")) o.step_tolerance = *v;
  if (auto v = optional_number(stopping, "divergence_bound", "stopping rule")) o.divergence_bound = *v;
  o.validate();
  return o;
}

// A first-order optimizer or a line-search method, as `kobai run --optimizer NAME` builds it.
using Method = std::variant<AnyFirstOrder, AnyLineSearchMethod>;

inline bool uses_line_search(const std::string& name, const val& hyper) {
  return name == "newton" || name == "bfgs" || name == "lbfgs" || name == "cg" ||
         (name == "gd" && !string_at(hyper, "line_search").empty());
}

inline OptimizerSettings first_order_settings(const val& hyper) {
  const char* what = "hyperparameter";
  OptimizerSettings s;
  s.lr = optional_number(hyper, "lr", what);
  s.momentum = optional_number(hyper, "momentum", what);
  s.dampening = optional_number(hyper, "dampening", what);
  s.beta1 = optional_number(hyper, "beta1", what);
  s.beta2 = optional_number(hyper, "beta2", what);
  s.eps = optional_number(hyper, "eps", what);
  s.rho = optional_number(hyper, "rho", what);
  s.alpha = optional_number(hyper, "alpha", what);
  s.weight_decay = optional_number(hyper, "weight_decay", what);
  s.initial_accumulator = optional_number(hyper, "initial_accumulator", what);
  s.lr_decay = optional_number(hyper, "lr_decay", what);
  s.momentum_decay = optional_number(hyper, "momentum_decay", what);
  s.nesterov = optional_bool(hyper, "nesterov");
  s.amsgrad = optional_bool(hyper, "amsgrad");
  s.centered = optional_bool(hyper, "centered");
  return s;
}

inline Method method_from(const std::string& name, const val& hyper) {
  if (uses_line_search(name, hyper)) {
    LineSearchSettings s{.line_search = string_at(hyper, "line_search"),
                         .memory = std::nullopt,
                         .lr = std::nullopt,
                         .hessian = string_at(hyper, "hessian")};
    if (auto m = optional_number(hyper, "memory", "hyperparameter")) {
      if (std::floor(*m) != *m || *m < 1 || *m > 1000)
        throw InvalidArgument("memory must be a whole number in [1, 1000], got " + std::to_string(*m));
      s.memory = static_cast<int>(*m);
    }
    if (name == "gd") s.lr = optional_number(hyper, "lr", "hyperparameter");
    return make_line_search_method(name, s);
  }
  return make_first_order(name, first_order_settings(hyper));
}

}  // namespace kobai::wasm
