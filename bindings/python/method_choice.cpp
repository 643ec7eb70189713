// bindings/python/method_choice.cpp — see method_choice.hpp.
#include "method_choice.hpp"

#include <algorithm>
#include <optional>

#include "kobai/core/error.hpp"
#include "numpy_arrays.hpp"

namespace kobai::python {

namespace {

struct NumberSetting {
  const char* name;
  std::optional<double> OptimizerSettings::*member;
};
constexpr NumberSetting number_settings[] = {
    {"lr", &OptimizerSettings::lr},
    {"momentum", &OptimizerSettings::momentum},
    {"dampening", &OptimizerSettings::dampening},
    {"beta1", &OptimizerSettings::beta1},
    {"beta2", &OptimizerSettings::beta2},
    {"eps", &OptimizerSettings::eps},
    {"rho", &OptimizerSettings::rho},
    {"alpha", &OptimizerSettings::alpha},
    {"weight_decay", &OptimizerSettings::weight_decay},
    {"initial_accumulator", &OptimizerSettings::initial_accumulator},
    // PyTorch's names for the same setting (Adagrad's; kobai's RMSprop option).
    {"initial_accumulator_value", &OptimizerSettings::initial_accumulator},
    {"initial_square_avg", &OptimizerSettings::initial_accumulator},
    {"lr_decay", &OptimizerSettings::lr_decay},
    {"momentum_decay", &OptimizerSettings::momentum_decay},
};
struct FlagSetting {
  const char* name;
  std::optional<bool> OptimizerSettings::*member;
};
constexpr FlagSetting flag_settings[] = {{"nesterov", &OptimizerSettings::nesterov},
                                         {"amsgrad", &OptimizerSettings::amsgrad},
                                         {"centered", &OptimizerSettings::centered}};

std::string joined(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& item : items) s += (s.empty() ? "" : ", ") + item;
  return s;
}

bool to_flag(const std::string& name, const py::object& value) {
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>();
  if (py::isinstance<py::int_>(value)) {
    const long v = value.cast<long>();
    if (v == 0 || v == 1) return v == 1;
  }
  if (py::hasattr(value, "dtype") && py::str(value.attr("dtype").attr("kind")).cast<std::string>() == "b")
    return value.attr("__bool__")().cast<bool>();
  throw py::type_error(name + " must be True or False, got " + std::string(py::repr(value)));
}

// The settings a method takes, in the user's spelling, for "unknown option" messages.
std::vector<std::string> options_of(const std::string& name) {
  if (is_first_order(name)) {
    std::vector<std::string> out;
    for (std::string_view s : detail::applicable_settings(name)) out.emplace_back(s);
    return out;
  }
  if (name == "lbfgs") return {"memory", "line_search"};
  if (name == "newton") return {"hessian", "line_search"};
  if (name == "gd") return {"line_search", "lr"};
  return {"line_search"};
}

// "lr must be > 0, got -0.10000000000000001" → "lr must be > 0, got -0.1": the user's name for the
// setting (PyTorch's initial_accumulator_value, say) and the value as Python prints it.
[[noreturn]] void rethrow_in_user_terms(const InvalidArgument& error, const Settings& settings) {
  const std::string message = error.what();
  for (const auto& [key, value] : settings) {
    std::vector<std::string> library_names = {key};
    if (key.rfind("initial_", 0) == 0)
      library_names = {"initial_accumulator_value", "initial_square_avg", "initial_accumulator"};
    for (const std::string& library_name : library_names) {
      if (message.rfind(library_name + " ", 0) != 0) continue;
      std::string rewritten = key + message.substr(library_name.size());
      const std::size_t got = rewritten.rfind(", got ");
      if (got != std::string::npos) rewritten = rewritten.substr(0, got) + ", got " + std::string(py::repr(value));
      throw py::value_error(rewritten);
    }
  }
  throw py::value_error(message);
}

}  // namespace

std::vector<std::string> method_names() {
  std::vector<std::string> names = first_order_names();
  for (const char* name : {"newton", "bfgs", "lbfgs", "cg"}) names.emplace_back(name);
  return names;
}

AnyFirstOrder make_first_order_method(const std::string& name, const Settings& settings) {
  if (!is_first_order(name))
    throw py::value_error("unknown optimizer '" + name + "'; choose one of " + joined(first_order_names()));
  OptimizerSettings s;
  for (const auto& [key, value] : settings) {
    bool known = false;
    for (const NumberSetting& n : number_settings)
      if (key == n.name) {
        known = true;
        if (!value.is_none()) s.*(n.member) = to_double(value, key);
      }
    for (const FlagSetting& f : flag_settings)
      if (key == f.name) {
        known = true;
        if (!value.is_none()) s.*(f.member) = to_flag(key, value);
      }
    if (!known)
      throw py::value_error("unknown option '" + key + "' for " + name + "; it takes " + joined(options_of(name)));
  }
  try {
    return make_first_order(name, s);
  } catch (const InvalidArgument& e) {
    rethrow_in_user_terms(e, settings);
  }
}

Method make_method(const std::string& name, const Settings& settings) {
  const auto line_search_setting = settings.find("line_search");
  const bool gd_with_search = name == "gd" && line_search_setting != settings.end() &&
                              !line_search_setting->second.is_none();
  if (is_first_order(name) && !gd_with_search) return make_first_order_method(name, settings);
  const std::vector<std::string> all = method_names();
  if (std::find(all.begin(), all.end(), name) == all.end() && name != "gd")
    throw py::value_error("unknown method '" + name + "'; choose one of " + joined(all));

  LineSearchSettings s;
  for (const auto& [key, value] : settings) {
    if (value.is_none()) continue;
    if (key == "line_search") {
      s.line_search = py::str(value).cast<std::string>();
    } else if (key == "memory" && name == "lbfgs") {
      if (!py::isinstance<py::int_>(value) || py::isinstance<py::bool_>(value))
        throw py::type_error("memory must be a whole number, got " + std::string(py::repr(value)));
      s.memory = value.cast<int>();
    } else if (key == "lr" && name == "gd") {
      s.lr = to_double(value, key);
    } else if (key == "hessian" && name == "newton") {
      s.hessian = py::str(value).cast<std::string>();
    } else {
      throw py::value_error("unknown option '" + key + "' for " + name + "; it takes " + joined(options_of(name)));
    }
  }
  try {
    return make_line_search_method(name, s);
  } catch (const InvalidArgument& e) {
    rethrow_in_user_terms(e, settings);
  }
}

std::string method_name(const Method& method) {
  return std::visit([](const auto& m) { return std::string(m.name()); }, method);
}

py::dict method_hyperparameters(const Method& method) {
  py::dict out;
  if (const auto* m = std::get_if<AnyLineSearchMethod>(&method)) {
    for (const auto& [name, value] : m->hyperparameters()) {
      if (name == "memory") out[py::str(name)] = static_cast<int>(value);
      else out[py::str(name)] = value;
    }
    out["line_search"] = m->line_search();
    return out;
  }
  for (const auto& [name, value] : std::get<AnyFirstOrder>(method).hyperparameters()) {
    if (name == "nesterov" || name == "amsgrad" || name == "centered") out[py::str(name)] = value != 0;
    else out[py::str(name)] = value;
  }
  return out;
}

}  // namespace kobai::python
