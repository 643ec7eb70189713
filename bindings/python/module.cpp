// bindings/python/module.cpp — the _kobai extension module (the Python package kobai wraps it).
//
// Errors: kobai::InvalidArgument (a std::invalid_argument, bad input) becomes ValueError through
// pybind11's standard translation; a report that cannot be written becomes OSError; TypeErrors for
// arrays are raised where they are checked (numpy_arrays.hpp, optimizer_binding.cpp). An exception
// raised by the user's Python function travels through kobai's loop as error_already_set and comes
// out as itself.
#include "bindings.hpp"
#include "kobai/core/parallel.hpp"
#include "kobai/report/history_writer.hpp"

PYBIND11_MODULE(_kobai, m) {
  namespace py = pybind11;
  m.doc() = "kobai's C++ core (use the kobai package)";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const kobai::report::FileWriteError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    }
  });
  kobai::python::bind_functions(m);
  kobai::python::bind_minimize(m);
  kobai::python::bind_optimizers(m);
  kobai::python::bind_report(m);
  m.def("set_num_threads", &kobai::set_num_threads, py::arg("threads"),
        "Threads that large optimizer steps may use (default: the machine's cores).");
  m.def("num_threads", &kobai::num_threads);
}
