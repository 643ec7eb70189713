// bindings/python/minimize_binding.cpp — kobai::minimize over a Python function or a Function.
//
// Two entry points, one loop:
//   minimize_python    fun/jac/hess are Python callables (PythonObjective). The GIL stays held:
//                      every evaluation is Python anyway, and releasing and taking it back around
//                      each one would only add to the per-iteration overhead.
//   minimize_function  a Function (a built-in problem or an expression typed as text): the whole
//                      run is native, so the GIL is released for it and other Python threads run;
//                      a Python callback takes the GIL back for its call only.
// Python's callback(xk) is SciPy's: returning True, or raising StopIteration, ends the run with
// status "stopped"; any other exception propagates unchanged.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "bindings.hpp"
#include "kobai/core/error.hpp"
#include "kobai/problems/problem.hpp"
#include "numpy_arrays.hpp"
#include "python_objective.hpp"

namespace kobai::python {

namespace {

std::int64_t to_count(const py::handle& value, const std::string& what) {
  if (py::isinstance<py::bool_>(value) || !py::isinstance<py::int_>(value)) {
    const double v = to_double(value, what);
    if (v != static_cast<double>(static_cast<std::int64_t>(v)))
      throw py::type_error(what + " must be a whole number, got " + std::string(py::repr(value)));
    return static_cast<std::int64_t>(v);
  }
  return value.cast<std::int64_t>();
}

// True/False (or NumPy's bools); anything else is a TypeError naming the option.
bool to_bool(const py::handle& value, const std::string& what) {
  if (py::isinstance<py::bool_>(value) || py::str(py::type::of(value).attr("__name__")).cast<std::string>() == "bool_")
    return value.cast<bool>();
  throw py::type_error(what + " must be True or False, got " + std::string(py::repr(value)));
}

Schedule make_schedule(const py::dict& spec) {
  const std::string kind = py::str(spec["kind"]).cast<std::string>();
  auto number = [&](const char* key, double fallback) {
    return spec.contains(key) ? to_double(spec[key], std::string("schedule ") + key) : fallback;
  };
  auto count = [&](const char* key, std::int64_t fallback) {
    return spec.contains(key) ? to_count(spec[key], std::string("schedule ") + key) : fallback;
  };
  Schedule s;
  if (kind == "constant") s = Schedule::constant();
  else if (kind == "step") s = Schedule::step(count("step_size", 100), number("gamma", 0.1));
  else if (kind == "exponential") s = Schedule::exponential(number("gamma", 0.1));
  else if (kind == "inverse_time") s = Schedule::inverse_time(number("decay", 0.01));
  else if (kind == "cosine") s = Schedule::cosine(count("period", 1000), number("min_lr", 0.0));
  else
    throw py::value_error("unknown schedule '" + kind + "'; choose constant, step, exponential, inverse_time or cosine");
  return s;
}

// The history's iterates: rows of n doubles each. At n = 10⁴ they were ~40% of an L-BFGS run's time
// (36 rows of 80 kB, fresh pages from the system every run), so by default they are kept only up
// to this dimension, where one can plot them; options={"history_x": True} (or SciPy's
// return_all) keeps them at any n, False drops them at any n.
constexpr Eigen::Index history_x_default_max_n = 1000;

bool history_keeps_x(const py::dict& stopping, Eigen::Index n) {
  if (stopping.contains("history_x") && !stopping["history_x"].is_none())
    return to_bool(stopping["history_x"], "history_x");
  return n <= history_x_default_max_n;
}

// The history without the iterates: every stride-th iteration's scalars, recorded by a callback
// with History::append_scalars (the numbers kobai::minimize's own rows have). kobai::minimize
// itself then records only the first and the last rows (its stride set beyond any run), which
// have what no callback sees: the start point's value and the final row.
struct ScalarRecorder {
  std::int64_t stride;
  History rows;
  bool operator()(const IterationInfo& info) {
    if (info.iteration % stride == 0) rows.append_scalars(info.iteration, info.value, info.gradient, info.lr);
    return true;
  }
};

// kobai::minimize's first and last rows around the recorder's, without points: the rows
// kobai::minimize would have recorded with the stride. One case differs: a run that diverges at
// iteration k ends with a row for k holding the last finite point, which kobai::minimize leaves
// out when it has just recorded that point as row k − 1.
History merge_scalar_history(const History& ends, const History& middle, bool diverged) {
  History h;
  h.stride = middle.stride;
  auto copy_row = [&h](const History& from, std::size_t k) {
    h.iterations.push_back(from.iterations[k]);
    h.values.push_back(from.values[k]);
    h.gradient_max_abs.push_back(from.gradient_max_abs[k]);
    h.gradient_norm.push_back(from.gradient_norm[k]);
    h.learning_rates.push_back(from.learning_rates[k]);
  };
  if (ends.empty()) return h;
  copy_row(ends, 0);
  const std::int64_t last = ends.iterations.back();
  for (std::size_t k = 0; k < middle.size(); ++k)
    if (middle.iterations[k] > 0 && (ends.size() == 1 || middle.iterations[k] < last)) copy_row(middle, k);
  const bool repeats_last_finite = diverged && !h.iterations.empty() && h.iterations.back() == last - 1;
  if (ends.size() > 1 && !repeats_last_finite) copy_row(ends, ends.size() - 1);
  return h;
}

template <class F>
MinimizeResult run(const F& objective, const Vector& x0, Method& method, MinimizeOptions options,
                   const py::object& callback, bool gil_released, bool keep_x) {
  auto python_callback = [&](const IterationInfo& info) -> bool {
    std::optional<py::gil_scoped_acquire> gil;
    if (gil_released) gil.emplace();
    try {
      const py::object stop = callback(to_numpy(info.x));
      return stop.is_none() || !stop.cast<bool>();  // True (or numpy.True_) stops the run
    } catch (py::error_already_set& e) {
      if (e.matches(PyExc_StopIteration)) return false;
      throw;
    }
  };
  const bool scalars_only = options.record_history && !keep_x;
  ScalarRecorder recorder{options.effective_history_stride(), {}};
  recorder.rows.stride = recorder.stride;
  if (scalars_only) options.history_stride = std::numeric_limits<std::int64_t>::max();
  MinimizeResult r = std::visit(
      [&](auto& m) {
        if (scalars_only) {
          if (callback.is_none()) return kobai::minimize(objective, x0, m, options, recorder);
          return kobai::minimize(objective, x0, m, options, recorder, python_callback);
        }
        if (callback.is_none()) return kobai::minimize(objective, x0, m, options);
        return kobai::minimize(objective, x0, m, options, python_callback);
      },
      method);
  if (scalars_only) r.history = merge_scalar_history(r.history, recorder.rows, r.diverged_at.has_value());
  return r;
}

py::dict minimize_python(py::object fun, py::object jac, const std::string& gradient, py::object hess,
                         py::tuple args, py::object x0, const std::string& method_name_, const Settings& settings,
                         const py::dict& stopping, py::object callback) {
  const Vector start = to_vector(x0, "x0");
  PythonObjective::Gradient mode = PythonObjective::Gradient::callable;
  if (gradient == "with_value") mode = PythonObjective::Gradient::returned_with_value;
  else if (gradient == "numerical") mode = PythonObjective::Gradient::numerical;
  Method method = make_method(method_name_, settings);
  const MinimizeOptions options = make_minimize_options(stopping);
  const PythonObjective objective(std::move(fun), std::move(jac), mode, std::move(hess), std::move(args),
                                  start.size());
  const MinimizeResult r =
      run(objective, start, method, options, callback, false, history_keeps_x(stopping, start.size()));
  py::dict out = result_to_dict(r);
  // SciPy counts calls of the user's functions.
  out["nfev"] = objective.function_calls();
  out["njev"] = objective.gradient_calls();
  out["nhev"] = objective.hessian_calls();
  out["method"] = method_name(method);
  out["hyperparameters"] = method_hyperparameters(method);
  return out;
}

py::dict minimize_function(const problems::Problem& f, py::object x0, const std::string& method_name_,
                           const Settings& settings, const py::dict& stopping, py::object callback) {
  const Vector start = to_vector(x0, "x0", f.dimension());
  Method method = make_method(method_name_, settings);
  const MinimizeOptions options = make_minimize_options(stopping);
  const bool keep_x = history_keeps_x(stopping, start.size());  // reads Python objects: before the release
  MinimizeResult r;
  {
    py::gil_scoped_release release;
    r = run(f, start, method, options, callback, true, keep_x);
  }
  py::dict out = result_to_dict(r);
  out["method"] = method_name(method);
  out["hyperparameters"] = method_hyperparameters(method);
  return out;
}

}  // namespace

MinimizeOptions make_minimize_options(const py::dict& stopping) {
  MinimizeOptions o;
  o.record_history = true;
  for (const auto& [key_handle, value] : stopping) {
    const std::string key = py::str(key_handle);
    if (key == "max_iterations") o.max_iterations = to_count(value, key);
    else if (key == "gradient_tolerance") o.gradient_tolerance = to_double(value, key);
    else if (key == "value_tolerance") o.value_tolerance = to_double(value, key);
    else if (key == "step_tolerance") o.step_tolerance = to_double(value, key);
    else if (key == "divergence_bound") o.divergence_bound = to_double(value, key);
    else if (key == "record_history") o.record_history = to_bool(value, "history");
    else if (key == "history_x") {
      if (!value.is_none()) (void)to_bool(value, key);  // used by the caller (history_keeps_x)
    }
    else if (key == "history_stride") o.history_stride = to_count(value, key);
    else if (key == "history_max_rows") o.history_max_rows = to_count(value, key);
    else if (key == "schedule") {
      if (!value.is_none()) o.schedule = make_schedule(py::reinterpret_borrow<py::dict>(value));
    } else
      throw py::value_error("unknown option '" + key + "'");
  }
  try {
    o.validate();
  } catch (const InvalidArgument& e) {
    throw py::value_error(e.what());
  }
  return o;
}

py::dict result_to_dict(const MinimizeResult& r) {
  py::dict out;
  out["x"] = to_numpy(r.x);
  out["fun"] = r.value;
  out["jac"] = to_numpy(r.gradient);
  out["nit"] = r.iterations;
  out["nfev"] = r.function_evaluations;
  out["njev"] = r.gradient_evaluations;
  out["status_name"] = std::string(to_string(r.status));
  out["message"] = r.message;
  out["diverged_at"] = r.diverged_at ? py::object(py::int_(*r.diverged_at)) : py::object(py::none());
  out["gradient_max_abs"] = r.gradient_max_abs;

  const History& h = r.history;
  const auto rows = static_cast<py::ssize_t>(h.size());
  const auto n = static_cast<py::ssize_t>(r.x.size());
  py::dict history;
  if (h.points.size() == h.size() && rows > 0) {  // the iterates, when kept
    py::array_t<double> points({rows, n});
    double* rows_out = points.mutable_data();
    for (py::ssize_t i = 0; i < rows; ++i)
      std::memcpy(rows_out + i * n, h.points[static_cast<std::size_t>(i)].data(),
                  static_cast<std::size_t>(n) * sizeof(double));
    history["x"] = points;
  }
  auto vector_of = [](const auto& v) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
  };
  history["iteration"] = vector_of(h.iterations);
  history["fun"] = vector_of(h.values);
  history["gradient_max_abs"] = vector_of(h.gradient_max_abs);
  history["gradient_norm"] = vector_of(h.gradient_norm);
  history["lr"] = vector_of(h.learning_rates);
  history["stride"] = h.stride;
  out["history"] = history;
  return out;
}

void bind_minimize(py::module_& m) {
  m.def("minimize_python", &minimize_python, py::arg("fun"), py::arg("jac"), py::arg("gradient"),
        py::arg("hess"), py::arg("args"), py::arg("x0"), py::arg("method"), py::arg("settings"),
        py::arg("stopping"), py::arg("callback"),
        "kobai::minimize over Python callables (the GIL stays held). Use kobai.minimize.");
  m.def("minimize_function", &minimize_function, py::arg("function"), py::arg("x0"), py::arg("method"),
        py::arg("settings"), py::arg("stopping"), py::arg("callback"),
        "kobai::minimize over a Function, natively (the GIL is released). Use kobai.minimize.");
  m.def("method_names", &method_names, "Every method name kobai.minimize accepts.");
}

}  // namespace kobai::python
