// bindings/python/numpy_arrays.hpp — NumPy arrays in and out of the module, and the errors for the
// wrong ones.
//
// Two kinds of arrays cross the boundary:
//   - points, gradients, Hessians (minimize, expr, problems): small or copied anyway, so anything
//     NumPy can read as float64 is accepted and copied into an Eigen vector;
//   - parameters and gradients of the optimizer objects: stepped in place, so they must already be
//     float32 or float64, C-contiguous and (parameters) writeable. Anything else is a TypeError
//     naming the argument and what it needs — never a silent copy, which would leave the user's
//     array unchanged (pybind11's forcecast and Eigen pass-by-value both copy quietly).
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <string>

#include "kobai/core/types.hpp"

namespace kobai::python {

namespace py = pybind11;

// "(3, 2)" for an array's shape, as NumPy prints it ("(3,)" for a vector).
inline std::string shape_text(const py::array& a) {
  std::string s = "(";
  for (py::ssize_t i = 0; i < a.ndim(); ++i) s += (i ? ", " : "") + std::to_string(a.shape(i));
  return s + (a.ndim() == 1 ? ",)" : ")");
}

// A copy of x as a new float64 NumPy vector (what a Python objective receives, as with SciPy).
inline py::array_t<double> to_numpy(const Vector& x) {
  return py::array_t<double>(static_cast<py::ssize_t>(x.size()), x.data());
}

inline py::array_t<double> to_numpy(const Matrix& m) {
  py::array_t<double> out({static_cast<py::ssize_t>(m.rows()), static_cast<py::ssize_t>(m.cols())});
  auto view = out.mutable_unchecked<2>();
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) view(i, j) = m(i, j);
  return out;
}

// Anything NumPy reads as a float64 array (a list, a tuple, an array of any real dtype), or a
// TypeError naming `what`.
inline py::array_t<double, py::array::c_style> as_float64(const py::handle& value, const std::string& what) {
  auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(value);
  if (!a) {
    PyErr_Clear();
    throw py::type_error(what + " must be an array of real numbers, got " +
                         std::string(py::str(py::type::of(value).attr("__name__"))));
  }
  return a;
}

// A point or gradient of dimension n (n < 0: any) as an Eigen vector: shape (n,), or a scalar when
// n is 1. ValueError for the wrong shape, naming `what`.
inline Vector to_vector(const py::handle& value, const std::string& what, Eigen::Index n = -1) {
  const auto a = as_float64(value, what);
  const bool scalar_for_one = a.ndim() == 0 && (n == 1 || n < 0);
  if (!(a.ndim() == 1 || scalar_for_one) || (n >= 0 && a.size() != n))
    throw py::value_error(what + " must have shape (" + (n >= 0 ? std::to_string(n) : "n") + ",), got shape " +
                          shape_text(a));
  Vector out(a.size());
  std::copy_n(a.data(), a.size(), out.data());
  return out;
}

// Like to_vector, into an already sized vector (an objective's gradient: no allocation).
inline void copy_into(const py::handle& value, const std::string& what, Vector& out) {
  const auto a = as_float64(value, what);
  const Eigen::Index n = out.size();
  if (!(a.ndim() == 1 || (a.ndim() == 0 && n == 1)) || a.size() != n)
    throw py::value_error(what + " must have shape (" + std::to_string(n) + ",), got shape " + shape_text(a));
  std::copy_n(a.data(), n, out.data());
}

// An n×n matrix (a Hessian), into an already sized Eigen matrix.
inline void copy_into(const py::handle& value, const std::string& what, Matrix& out) {
  const auto a = as_float64(value, what);
  const Eigen::Index n = out.rows();
  if (a.ndim() != 2 || a.shape(0) != n || a.shape(1) != out.cols())
    throw py::value_error(what + " must have shape (" + std::to_string(n) + ", " + std::to_string(out.cols()) +
                          "), got shape " + shape_text(a));
  const double* data = a.data();
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < out.cols(); ++j) out(i, j) = data[i * out.cols() + j];
}

// A real number returned by the user's function (a float, a NumPy scalar, a 0-d array).
inline double to_double(const py::handle& value, const std::string& what) {
  const double v = PyFloat_AsDouble(value.ptr());
  if (v == -1.0 && PyErr_Occurred()) {
    PyErr_Clear();
    throw py::type_error(what + " must be a real number, got " +
                         std::string(py::str(py::type::of(value).attr("__name__"))));
  }
  return v;
}

}  // namespace kobai::python
