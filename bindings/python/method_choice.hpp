// bindings/python/method_choice.hpp — a kobai method from its name and Python keyword settings.
//
//   make_method("adam", {"lr": 1e-3, "beta2": 0.8})         → a first-order optimizer
//   make_method("lbfgs", {"memory": 5, "line_search": "wolfe"}) → a line-search method
//
// The names and the rules are the command line's (optim/registry.hpp, line_search_registry.hpp):
// a setting the method does not use is an error naming it, and a value out of range gets the
// library's message with the value as Python prints it ("lr must be > 0, got -0.1", the command
// line's message without its "--"). The Python layer has already split SciPy's stopping options
// (maxiter, gtol, …) from these.
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>  // in every file: type casters must be the same in all of them

#include <map>
#include <string>
#include <variant>
#include <vector>

#include "kobai/minimize/minimize.hpp"
#include "kobai/optim/line_search_registry.hpp"
#include "kobai/optim/registry.hpp"

namespace kobai::python {

namespace py = pybind11;

using Method = std::variant<AnyFirstOrder, AnyLineSearchMethod>;

// Every method name minimize accepts, first-order ones first.
std::vector<std::string> method_names();

// Settings as Python gave them: name → value (float, int or bool; str for line_search/hessian).
using Settings = std::map<std::string, py::object>;

AnyFirstOrder make_first_order_method(const std::string& name, const Settings& settings);
Method make_method(const std::string& name, const Settings& settings);

// The method's name ("adam", "lbfgs") and every hyperparameter in effect, defaults included.
std::string method_name(const Method& method);
py::dict method_hyperparameters(const Method& method);

}  // namespace kobai::python
