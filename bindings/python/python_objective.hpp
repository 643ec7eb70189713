// bindings/python/python_objective.hpp — a Python function as a kobai Objective, SciPy's way.
//
//   fun(x, *args) -> f                 with jac(x, *args) -> ∇f          (jac a callable)
//   fun(x, *args) -> (f, ∇f)                                             (jac=True)
//   fun(x, *args) -> f                 ∇f by kobai's central difference  (jac="numerical")
//   hess(x, *args) -> ∇²f              optional, for Newton
// Every call gets a fresh float64 copy of the iterate (as SciPy does), so a function that keeps x
// keeps what it saw. The calls are counted the way SciPy counts them (nfev: calls of fun, including
// those of a numerical gradient; njev: gradients; nhev: Hessians).
//
// The GIL stays held while such an objective runs (each evaluation is Python code anyway), and an
// exception raised in fun, jac or hess leaves through kobai's loop as pybind11's error_already_set,
// which pybind11 turns back into the original exception with its traceback.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <string>
#include <utility>

#include "kobai/core/types.hpp"
#include "kobai/diff/numerical_gradient.hpp"
#include "numpy_arrays.hpp"

namespace kobai::python {

class PythonObjective {
 public:
  enum class Gradient { callable, returned_with_value, numerical };

  PythonObjective(py::object fun, py::object jac, Gradient gradient, py::object hess, py::tuple args,
                  Eigen::Index dimension)
      : fun_(std::move(fun)), jac_(std::move(jac)), hess_(std::move(hess)), args_(std::move(args)),
        gradient_(gradient), dimension_(dimension) {}

  int dimension() const { return static_cast<int>(dimension_); }

  double value(const Vector& x) const {
    const py::object point = to_numpy(x);
    if (gradient_ == Gradient::returned_with_value) {
      Vector ignored(x.size());
      return value_and_gradient_returned(point, ignored);
    }
    return call_value(point);
  }

  double value_and_gradient(const Vector& x, Vector& g) const {
    const py::object point = to_numpy(x);
    switch (gradient_) {
      case Gradient::returned_with_value: return value_and_gradient_returned(point, g);
      case Gradient::callable: {
        const double f = call_value(point);
        ++gradient_calls_;
        copy_into(call(jac_, point), "jac", g);
        return f;
      }
      case Gradient::numerical: {
        const double f = call_value(point);
        ++gradient_calls_;
        g = numerical_gradient([this](const Vector& y) { return call_value(to_numpy(y)); }, x);
        return f;
      }
    }
    return 0;
  }

  bool has_hessian() const { return !hess_.is_none(); }
  void hessian(const Vector& x, Matrix& h) const {
    ++hessian_calls_;
    copy_into(call(hess_, to_numpy(x)), "hess", h);
  }

  std::int64_t function_calls() const { return function_calls_; }
  std::int64_t gradient_calls() const { return gradient_calls_; }
  std::int64_t hessian_calls() const { return hessian_calls_; }

 private:
  // f(point, *args), one C call without building a tuple when there are no extra arguments.
  py::object call(const py::object& f, const py::object& point) const {
    PyObject* result = args_.empty() ? PyObject_CallOneArg(f.ptr(), point.ptr()) : call_with_args(f, point);
    if (result == nullptr) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(result);
  }
  PyObject* call_with_args(const py::object& f, const py::object& point) const {
    py::tuple all(args_.size() + 1);
    all[0] = point;
    for (std::size_t i = 0; i < args_.size(); ++i) all[i + 1] = args_[i];
    return PyObject_Call(f.ptr(), all.ptr(), nullptr);
  }
  double call_value(const py::object& point) const {
    ++function_calls_;
    return to_double(call(fun_, point), "fun");
  }
  double value_and_gradient_returned(const py::object& point, Vector& g) const {
    ++function_calls_;
    ++gradient_calls_;
    const py::object result = call(fun_, point);
    if (!py::isinstance<py::tuple>(result) || py::len(result) != 2)
      throw py::type_error("with jac=True, fun must return a tuple (value, gradient), got " +
                           std::string(py::str(py::type::of(result).attr("__name__"))));
    copy_into(result[py::int_(1)], "the gradient fun returned", g);
    return to_double(result[py::int_(0)], "the value fun returned");
  }

  py::object fun_, jac_, hess_;
  py::tuple args_;
  Gradient gradient_;
  Eigen::Index dimension_;
  mutable std::int64_t function_calls_ = 0, gradient_calls_ = 0, hessian_calls_ = 0;
};

}  // namespace kobai::python
