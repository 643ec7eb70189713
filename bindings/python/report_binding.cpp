// bindings/python/report_binding.cpp — the command line's HTML pages, written from Python.
//
// Runs are made here exactly as `kobai run` and `kobai compare` make them (the same method
// registry, the same loop with the history on) and handed to the same writer
// (kobai::report::write_report), so a page from Python is the page the command line writes for the
// same run; only the "command that reproduces it" differs — the Python call, which the Python
// layer passes in.

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "kobai/problems/registry.hpp"
#include "kobai/report/report.hpp"
#include "numpy_arrays.hpp"

namespace kobai::python {

namespace {

using problems::Problem;

// A hyperparameter as the command line shows it (apps/kobai/multi_run.cpp): the shortest text that
// reads back to the same double ("0.1", "1e-08", "0"), true/false, or the text.
std::string display(const py::handle& value) {
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>() ? "true" : "false";
  if (py::isinstance<py::float_>(value) || py::isinstance<py::int_>(value)) {
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.cast<double>());
    if (ec == std::errc()) return std::string(buffer, end);
  }
  return py::str(value).cast<std::string>();
}

// How the live page names the problem to kobai's engine (as `kobai run --function/--expr` would):
// a built-in problem by its name, a function from kobai.expr by its text.
report::Rerun rerun_settings(const Problem& f, const Vector& start, const MinimizeOptions& options) {
  report::Rerun rerun{.start = start, .options = options};
  const std::vector<std::string> known = problems::names();
  if (std::find(known.begin(), known.end(), f.name) != known.end()) {
    rerun.function = f.name;
    rerun.dimension = problems::make(f.name).dimension() == f.dimension() ? 0 : static_cast<int>(f.dimension());
  } else {
    rerun.expression = f.formula;
    rerun.dimension = static_cast<int>(f.dimension());
  }
  return rerun;
}

// One run: its label, method name, settings and the Python call that reproduces it.
struct RunSpec {
  std::string label, method;
  Settings settings;
  std::string command;
};

report::RunRecord make_run(const Problem& f, const Vector& start, const RunSpec& spec,
                           const MinimizeOptions& options) {
  Method method = make_method(spec.method, spec.settings);
  MinimizeResult result;
  {
    py::gil_scoped_release release;
    result = std::visit([&](auto& m) { return kobai::minimize(f, start, m, options); }, method);
  }
  report::RunRecord record{.label = spec.label, .problem = f, .optimizer = method_name(method)};
  for (const auto& [name, value] : method_hyperparameters(method))
    record.hyperparameters.emplace_back(py::str(name).cast<std::string>(), display(value));
  // In name order, as the command line lists them (its JSON object is a sorted map).
  std::sort(record.hyperparameters.begin(), record.hyperparameters.end());
  record.result = std::move(result);
  record.command = spec.command;
  record.rerun = rerun_settings(f, start, options);
  return record;
}

report::ReportOptions report_options(const py::object& plotly_js, const py::object& plotly_3d_js) {
  report::ReportOptions o;
  if (!plotly_js.is_none()) o.plotly_js = plotly_js.cast<std::string>();
  if (!plotly_3d_js.is_none()) o.plotly_3d_js = plotly_3d_js.cast<std::string>();
  return o;
}

// Writes the page; returns the runs' results (as minimize's dicts), in order.
py::list write(const std::string& path, const std::string& title, const Problem& f, const py::object& x0,
               const std::vector<RunSpec>& specs, const py::dict& stopping, report::Layout layout,
               const std::string& text, bool gradient_field, bool surface, const py::object& plotly_js,
               const py::object& plotly_3d_js) {
  const Vector start = to_vector(x0, "x0", f.dimension());
  MinimizeOptions options = make_minimize_options(stopping);
  options.record_history = true;
  std::vector<report::RunRecord> runs;
  for (const RunSpec& spec : specs) runs.push_back(make_run(f, start, spec, options));
  // One run: the command line's sentence (kobai run --report).
  const std::string sentence = layout == report::Layout::single && text.empty() && runs.size() == 1
                                   ? report::one_run_sentence(runs[0].result, f)
                                   : text;
  report::Section section{.title = title, .text = sentence, .layout = layout, .runs = runs,
                          .gradient_field = gradient_field, .surface = surface};
  report::write_report(path, title, {section}, report_options(plotly_js, plotly_3d_js));
  py::list results;
  for (const report::RunRecord& r : runs) {
    py::dict d = result_to_dict(r.result);
    d["method"] = r.optimizer;
    results.append(d);
  }
  return results;
}

}  // namespace

void bind_report(py::module_& m) {
  m.def(
      "write_report",
      [](const std::string& path, const std::string& title, const Problem& f, const py::object& x0,
         const std::vector<std::tuple<std::string, std::string, Settings, std::string>>& runs,
         const py::dict& stopping, const std::string& layout, const std::string& text, bool gradient_field,
         bool surface, const py::object& plotly_js, const py::object& plotly_3d_js) {
        std::vector<RunSpec> specs;
        for (const auto& [label, method, settings, command] : runs) specs.push_back({label, method, settings, command});
        const report::Layout l = layout == "compare" ? report::Layout::compare
                                 : layout == "sweep" ? report::Layout::sweep
                                                     : report::Layout::single;
        return write(path, title, f, x0, specs, stopping, l, text, gradient_field, surface, plotly_js, plotly_3d_js);
      },
      py::arg("path"), py::arg("title"), py::arg("function"), py::arg("x0"), py::arg("runs"), py::arg("stopping"),
      py::arg("layout"), py::arg("text"), py::arg("gradient_field"), py::arg("surface"), py::arg("plotly_js"),
      py::arg("plotly_3d_js"), "Runs each (label, method, settings, command) and writes one HTML page.");
}

}  // namespace kobai::python
