// bindings/python/bindings.hpp — the parts of the _kobai module, one file each, and what they share.
#pragma once

#include <pybind11/pybind11.h>

#include "kobai/minimize/options.hpp"
#include "kobai/minimize/result.hpp"
#include "method_choice.hpp"

namespace kobai::python {

namespace py = pybind11;

void bind_functions(py::module_& m);   // Function (problems, expressions), check_gradient
void bind_minimize(py::module_& m);    // minimize over a Python function or a Function
void bind_optimizers(py::module_& m);  // ArrayOptimizer: PyTorch-style steps on NumPy arrays
void bind_report(py::module_& m);      // HTML reports of runs

// MinimizeOptions from the Python layer's dict (kobai's names; SciPy's are mapped in Python).
MinimizeOptions make_minimize_options(const py::dict& stopping);
// A result as the dict the Python layer turns into an OptimizeResult (SciPy's fields + kobai's).
py::dict result_to_dict(const MinimizeResult& r);

}  // namespace kobai::python
