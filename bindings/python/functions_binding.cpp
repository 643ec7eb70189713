// bindings/python/functions_binding.cpp — kobai's functions from Python: the built-in problems and
// expressions typed as text, both as one class (kobai::problems::Problem, exposed as Function),
// and the gradient check.
//
// A Function evaluates natively: kobai.minimize on one runs without calling Python at all (and
// without the GIL), which is where the module's speed over a NumPy objective comes from.

#include <string>
#include <vector>

#include "bindings.hpp"
#include "kobai/diff/check_gradient.hpp"
#include "kobai/expr/make_problem.hpp"
#include "kobai/problems/registry.hpp"
#include "numpy_arrays.hpp"

namespace kobai::python {

namespace {

using problems::Problem;

Vector point_for(const Problem& f, const py::handle& x) { return to_vector(x, "x", f.dimension()); }

py::list vectors(const std::vector<Vector>& points) {
  py::list out;
  for (const Vector& p : points) out.append(to_numpy(p));
  return out;
}

Problem make_expression(const std::string& text, int dimension) {
  if (dimension < 0) throw py::value_error("dimension must be >= 0, got " + std::to_string(dimension));
  return expr::make_problem(text, {.dimension = dimension});
}

// f and grad: Python callables or Functions; x: the point.
py::dict check_gradient_python(py::object f, py::object grad, py::object x, double tolerance,
                               double absolute_floor) {
  const Vector point = to_vector(x, "x");
  auto value = [&](const Vector& y) { return to_double(f(to_numpy(y)), "f"); };
  auto gradient = [&](const Vector& y) { return to_vector(grad(to_numpy(y)), "grad", y.size()); };
  const GradientCheck c =
      check_gradient(value, gradient, point, {.tolerance = tolerance, .absolute_floor = absolute_floor});
  py::dict out;
  out["passed"] = c.passed;
  out["worst_component"] = static_cast<py::ssize_t>(c.worst_component);
  out["max_absolute_error"] = c.max_absolute_error;
  out["max_relative_error"] = c.max_relative_error;
  out["tolerance"] = c.tolerance;
  out["analytic"] = to_numpy(c.analytic);
  out["numerical"] = to_numpy(c.numerical);
  out["absolute_error"] = to_numpy(c.absolute_error);
  out["relative_error"] = to_numpy(c.relative_error);
  out["summary"] = c.summary();
  return out;
}

}  // namespace

void bind_functions(py::module_& m) {
  py::class_<Problem>(m, "Function",
                      "A function with its exact gradient and Hessian: a built-in problem "
                      "(kobai.problems) or an expression typed as text (kobai.expr).")
      .def_readonly("name", &Problem::name)
      .def_readonly("formula", &Problem::formula)
      .def_readonly("description", &Problem::description)
      .def_property_readonly("dimension", &Problem::dimension)
      .def("value", [](const Problem& f, py::object x) { return f.value(point_for(f, x)); }, py::arg("x"),
           "f(x)")
      .def("__call__", [](const Problem& f, py::object x) { return f.value(point_for(f, x)); }, py::arg("x"))
      .def("gradient", [](const Problem& f, py::object x) { return to_numpy(f.gradient(point_for(f, x))); },
           py::arg("x"), "∇f(x), exact")
      .def(
          "value_and_gradient",
          [](const Problem& f, py::object x) {
            const Vector p = point_for(f, x);
            Vector g(p.size());
            const double v = f.value_and_gradient(p, g);
            return py::make_tuple(v, to_numpy(g));
          },
          py::arg("x"), "(f(x), ∇f(x)): usable as SciPy's fun with jac=True")
      .def("hessian", [](const Problem& f, py::object x) { return to_numpy(f.hessian(point_for(f, x))); },
           py::arg("x"), "∇²f(x), exact")
      .def_property_readonly("has_hessian", &Problem::has_hessian)
      .def_property_readonly("minimizers", [](const Problem& f) { return vectors(f.global_minimizers); },
                             "known global minimizers")
      .def_property_readonly("local_minimizers", [](const Problem& f) { return vectors(f.local_minimizers); })
      .def_readonly("minimum_value", &Problem::minimum_value)
      .def_readonly("bounded_below", &Problem::bounded_below)
      .def_property_readonly("start", [](const Problem& f) { return to_numpy(f.start); },
                             "a standard start point")
      .def_property_readonly(
          "box", [](const Problem& f) { return py::make_tuple(to_numpy(f.box_lower), to_numpy(f.box_upper)); },
          "the plotting box (lower, upper)")
      .def("__repr__", [](const Problem& f) {
        return "kobai.Function('" + f.name + "', dimension " + std::to_string(f.dimension()) + ": " + f.formula + ")";
      });

  m.def("expression", &make_expression, py::arg("text"), py::arg("dimension") = 0,
        "A Function from text, e.g. '(1.5 - x + x*y)^2': exact gradient and Hessian.");
  m.def("problem", [](const std::string& name, int dimension) { return problems::make(name, dimension); },
        py::arg("name"), py::arg("dimension") = 0, "A built-in problem by name (dimension 0: its default).");
  m.def("problem_names", &problems::names);
  m.def("check_gradient", &check_gradient_python, py::arg("f"), py::arg("grad"), py::arg("x"),
        py::arg("tolerance") = 1e-6, py::arg("absolute_floor") = 1.0);
}

}  // namespace kobai::python
