// bindings/wasm/engine.cpp — kobai's engine for the browser playground (compiled by Emscripten).
//
// The page computes with this: the same headers, the same `minimize` loop and optimizers as the
// `kobai` command, so a run in the page and `kobai run --json` give the same numbers (bit for bit
// on polynomial problems; libm's sin/exp may differ in the last bits). Everything crosses the
// boundary as plain JS objects and Float64Arrays (embind's val), so doubles travel exactly.
//
//   const kobai = await createKobaiEngine();
//   kobai.run({problem: {name: 'beale'}, start: [1, 1.5], optimizer: 'adam', hyper: {lr: 0.1},
//              stopping: {max_iterations: 300}})
//     → {history: {iterations, x, values, gradients, gradient_norm, ...}, status, message, x, ...}
//
// Errors (a bad hyperparameter, an unreadable function) come back as {error: message} (and for a
// function typed as text, {error, position, reason}), never as exceptions across the boundary.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/expr/make_problem.hpp"
#include "kobai/expr/parse_error.hpp"
#include "kobai/minimize/minimize.hpp"
#include "kobai/problems/registry.hpp"
#include "kobai/report/basin.hpp"
#include "kobai/report/run_classification.hpp"
#include "request.hpp"

namespace kobai::wasm {

namespace {

val array_of(const Vector& v) {
  val out = val::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) out.call<void>("push", v[i]);
  return out;
}

// A Float64Array holding a copy of `values` (one bulk copy, not one call per number).
val float64_array(const std::vector<double>& values) {
  const val view(emscripten::typed_memory_view(values.size(), values.data()));
  return val::global("Float64Array").new_(view);
}

val points_of(const std::vector<Vector>& points) {
  val out = val::array();
  for (const Vector& p : points) out.call<void>("push", array_of(p));
  return out;
}

// ---- problems ------------------------------------------------------------------------------------
// Built-in problems by name and typed functions by text; the last few are kept compiled, as a
// drag reruns the same function many times a second.
struct ProblemCache {
  std::map<std::string, std::shared_ptr<const problems::Problem>> entries;

  std::shared_ptr<const problems::Problem> get(const val& spec) {
    if (spec.isUndefined() || spec.isNull()) throw InvalidArgument("problem is missing");
    const std::string expr = string_at(spec, "expr");
    const std::string name = string_at(spec, "name");
    int dimension = 0;
    if (auto d = optional_number(spec, "dimension", "problem")) dimension = static_cast<int>(*d);
    const std::string key = (expr.empty() ? "name:" + name : "expr:" + expr) + "#" + std::to_string(dimension);
    if (auto it = entries.find(key); it != entries.end()) return it->second;
    if (expr.empty() && name.empty()) throw InvalidArgument("problem needs a name or an expr");
    auto p = std::make_shared<const problems::Problem>(
        expr.empty() ? problems::make(name, dimension) : expr::make_problem(expr, {.dimension = dimension}));
    if (entries.size() >= 16) entries.clear();
    entries.emplace(key, p);
    return p;
  }
};
ProblemCache& cache() {
  static ProblemCache c;
  return c;
}

val error_object(const std::exception& e) {
  val out = val::object();
  out.set("error", std::string(e.what()));
  if (const auto* parse = dynamic_cast<const expr::ParseError*>(&e)) {
    out.set("position", static_cast<double>(parse->position()));
    out.set("reason", parse->reason());
  }
  return out;
}

template <class Body>
val guarded(Body&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return error_object(e);
  }
}

val problem_object(const problems::Problem& p) {
  val out = val::object();
  out.set("name", p.name);
  out.set("formula", p.formula);
  out.set("description", p.description);
  out.set("dimension", p.dimension());
  out.set("minimum_value", p.minimum_value);
  out.set("bounded_below", p.bounded_below);
  out.set("has_hessian", p.has_hessian());
  out.set("global_minimizers", points_of(p.global_minimizers));
  out.set("local_minimizers", points_of(p.local_minimizers));
  out.set("start", array_of(p.start));
  out.set("box_lower", array_of(p.box_lower));
  out.set("box_upper", array_of(p.box_upper));
  return out;
}

// Every built-in problem at its default dimension.
val problem_list() {
  val out = val::array();
  for (const std::string& name : problems::names()) out.call<void>("push", problem_object(problems::make(name)));
  return out;
}

// A problem by spec ({name} or {expr}): its description, or {error, position, reason}.
val describe_problem(val spec) {
  return guarded([&] { return problem_object(*cache().get(spec)); });
}

// ---- optimizers ----------------------------------------------------------------------------------
val hyper_list(const std::vector<std::pair<std::string, double>>& list) {
  val out = val::array();
  for (const auto& [name, value] : list) {
    val pair = val::array();
    pair.call<void>("push", name);
    pair.call<void>("push", value);
    out.call<void>("push", pair);
  }
  return out;
}

// The names `kobai run --optimizer` takes, each with its hyperparameters at their defaults.
val optimizer_list() {
  val out = val::array();
  for (const std::string& name : first_order_names()) {
    val o = val::object();
    o.set("name", name);
    o.set("kind", std::string("first_order"));
    o.set("hyperparameters", hyper_list(make_first_order(name, {}).hyperparameters()));
    out.call<void>("push", o);
  }
  for (const std::string& name : {"newton", "bfgs", "lbfgs", "cg"}) {
    val o = val::object();
    o.set("name", name);
    o.set("kind", std::string("line_search"));
    const AnyLineSearchMethod m = make_line_search_method(name, {});
    o.set("line_search", m.line_search());
    o.set("hyperparameters", hyper_list(m.hyperparameters()));
    out.call<void>("push", o);
  }
  return out;
}

// ---- runs ----------------------------------------------------------------------------------------
// One run, possibly in segments: {at: k, hyper: {...}} goes on from iteration k with new
// hyperparameters, for up to max_iterations more steps. A first-order optimizer keeps its state across a change of lr (set_lr), and
// across any other change when the optimizer can hand its state over (state()/load_state());
// otherwise the state starts afresh at k and the segment says so (`state_kept: false`).
struct Recorded {
  std::vector<double> iterations, values, gradient_norm, gradient_max_abs, learning_rates, x, gradients;
};

// The optimizer's named state (PyTorch's names: exp_avg, exp_avg_sq, momentum_buffer, …, and
// scalars such as NAdam's mu_product) where the optimizer exposes it (state()); null otherwise.
template <class M>
val state_object(const M& method) {
  if constexpr (requires { method.state().buffers; method.state().scalars; method.state().step; }) {
    const auto state = method.state();
    val out = val::object();
    out.set("step", static_cast<double>(state.step));
    val buffers = val::object();
    for (const auto& [name, buffer] : state.buffers)
      buffers.set(std::string(name), float64_array(std::vector<double>(buffer.begin(), buffer.end())));
    out.set("buffers", buffers);
    val scalars = val::object();
    for (const auto& [name, value] : state.scalars) scalars.set(std::string(name), static_cast<double>(value));
    out.set("scalars", scalars);
    return out;
  } else {
    return val::null();
  }
}

template <class O>
bool hand_over_state(const O& from, O& to) {
  if constexpr (requires { to.load_state(from.state()); }) {
    try {
      to.load_state(from.state());
      return true;
    } catch (const InvalidArgument&) {
      // the new settings need state the old ones did not keep (AMSGrad switched on needs
      // max_exp_avg_sq): the optimizer starts afresh, and the segment says so
      return false;
    }
  } else {
    return false;
  }
}

// Continue `previous` (already stepped) under new settings: returns whether its state was kept.
bool carry_state(Method& previous, Method& next) {
  auto* old_first = std::get_if<AnyFirstOrder>(&previous);
  auto* new_first = std::get_if<AnyFirstOrder>(&next);
  if (old_first == nullptr || new_first == nullptr || old_first->name() != new_first->name()) return false;
  // Only lr differs: the same optimizer object goes on with set_lr (its state untouched).
  auto old_h = old_first->hyperparameters();
  auto new_h = new_first->hyperparameters();
  bool only_lr = old_h.size() == new_h.size();
  for (std::size_t i = 0; only_lr && i < old_h.size(); ++i)
    only_lr = old_h[i].first == "lr" || old_h[i] == new_h[i];
  if (only_lr) {
    old_first->set_lr(new_first->lr());
    next = std::move(previous);
    return true;
  }
  return hand_over_state(*old_first, *new_first);
}

// One line search as the state panel shows it (LineSearchTrace): the ray, every trial step with
// φ, φ' and the Armijo / curvature tests it passed or failed, and the outcome. `from` is the
// iterate the search started at (0-based, counted over the whole run).
val trace_object(const LineSearchTrace& t, std::int64_t from) {
  val out = val::object();
  out.set("from", static_cast<double>(from));
  out.set("kind", std::string(to_string(t.kind)));
  out.set("c1", t.c1);
  out.set("c2", std::isnan(t.c2) ? val::null() : val(t.c2));
  out.set("value0", t.value0);
  out.set("slope0", t.slope0);
  out.set("initial_step", t.initial_step);
  out.set("x", array_of(t.x));
  out.set("direction", array_of(t.direction));
  out.set("ok", t.ok);
  out.set("step", t.step);
  out.set("message", t.message);
  val trials = val::array();
  for (const LineSearchTrial& trial : t.trials) {
    val o = val::object();
    o.set("step", trial.step);
    o.set("value", trial.value);
    o.set("slope", trial.slope);
    o.set("sufficient_decrease", trial.sufficient_decrease);
    o.set("curvature", trial.curvature);
    trials.call<void>("push", o);
  }
  out.set("trials", trials);
  return out;
}

val run_request(val request) {
  return guarded([&] {
    const auto problem = cache().get(request["problem"]);
    Vector x = has(request, "start") ? vector_from(request["start"], "start") : problem->start;
    MinimizeOptions options = options_from(request["stopping"]);
    // With segments, each segment may run max_iterations steps: the run ends at the last change
    // plus max_iterations (a change at the end of a run makes it go on).
    std::int64_t total = options.max_iterations;
    options.record_history = true;
    if (auto rows = optional_number(request, "history_max_rows", "request"))
      options.history_max_rows = std::max<std::int64_t>(2, static_cast<std::int64_t>(*rows));
    const bool record_gradients = !has(request, "gradients") || request["gradients"].as<bool>();
    const std::string name = string_at(request, "optimizer", "gd");
    const val hyper = has(request, "hyper") ? request["hyper"] : val::object();
    Method method = method_from(name, hyper);

    // Segments: the first from 0, then one per {at, hyper}, at increasing iterations.
    struct Segment { std::int64_t at; val hyper; };
    std::vector<Segment> segments{{0, hyper}};
    if (has(request, "segments")) {
      const val list = request["segments"];
      const int count = list["length"].as<int>();
      for (int i = 0; i < count; ++i) {
        const double at = number_at(list[i], "at", "segment");
        const double previous = static_cast<double>(segments.back().at);
        if (!(at > previous) || at > previous + static_cast<double>(options.max_iterations) || std::floor(at) != at)
          throw InvalidArgument("segment " + std::to_string(i) + ": 'at' must be a whole number after the previous "
                                "change and within max_iterations of it, got " + std::to_string(at));
        segments.push_back({static_cast<std::int64_t>(at), list[i]["hyper"]});
      }
      total = segments.back().at + options.max_iterations;
    }

    // stop_at: end the run after that many iterations (the state panel asks for the optimizer's
    // state at the slider's iteration this way: a rerun up to it costs milliseconds).
    std::int64_t stop_at = total;
    if (auto k = optional_number(request, "stop_at", "request")) stop_at = std::max<std::int64_t>(0, static_cast<std::int64_t>(*k));

    // line_search_trace_at: k asks for the line search that started at iterate k (the state panel)
    std::optional<std::int64_t> trace_at;
    if (auto k = optional_number(request, "line_search_trace_at", "request")) trace_at = static_cast<std::int64_t>(*k);
    val trace = val::null();

    Recorded rec;
    val segment_info = val::array();
    MinimizeResult r;
    std::int64_t done = 0, function_evaluations = 0, gradient_evaluations = 0;
    std::optional<std::int64_t> diverged_at;
    const Eigen::Index n = x.size();
    for (std::size_t s = 0; s < segments.size(); ++s) {
      if (s > 0) {
        Method next = method_from(name, segments[s].hyper);
        const bool kept = carry_state(method, next);
        method = std::move(next);
        val info = val::object();
        info.set("at", static_cast<double>(segments[s].at));
        info.set("state_kept", kept);
        segment_info.call<void>("push", info);
      }
      if (auto* search = std::get_if<AnyLineSearchMethod>(&method); search != nullptr && trace_at) {
        const Newton* newton = std::get_if<Newton>(&search->method());
        search->observe_line_search([&, newton](const LineSearchTrace& t) {
          const std::int64_t from = done + t.iteration - 1;
          if (from != *trace_at) return;
          trace = trace_object(t, from);
          if (newton != nullptr) {
            // the Hessian Newton's model used at x_k, and whether it had to be modified
            const Matrix& h = newton->hessian();
            trace.set("hessian", float64_array(std::vector<double>(h.data(), h.data() + h.size())));
            trace.set("hessian_modified", newton->last_step_modified());
          }
        });
      }
      const std::int64_t end = std::min(s + 1 < segments.size() ? segments[s + 1].at : total, stop_at);
      MinimizeOptions o = options;
      o.max_iterations = end - done;
      // Gradients at the recorded rows (for tangents and the state panel): the loop calls this
      // after each step; the stride is the history's.
      const std::int64_t stride = o.effective_history_stride();
      std::vector<double> step_gradients;
      std::vector<std::int64_t> step_iterations;
      auto keep_gradient = [&](const IterationInfo& info) {
        if (info.iteration % stride != 0) return;
        step_iterations.push_back(info.iteration);
        step_gradients.insert(step_gradients.end(), info.gradient.data(), info.gradient.data() + n);
      };
      if (record_gradients)
        r = std::visit([&](auto& m) { return minimize(*problem, x, m, o, keep_gradient); }, method);
      else
        r = std::visit([&](auto& m) { return minimize(*problem, x, m, o); }, method);

      // Append this segment's history (its row 0 repeats the previous segment's last row).
      const Vector g0 = problem->gradient(x);
      std::size_t next_step_row = 0;
      for (std::size_t k = (s == 0 ? 0 : 1); k < r.history.size(); ++k) {
        const std::int64_t it = r.history.iterations[k];
        rec.iterations.push_back(static_cast<double>(done + it));
        rec.values.push_back(r.history.values[k]);
        rec.gradient_norm.push_back(r.history.gradient_norm[k]);
        rec.gradient_max_abs.push_back(r.history.gradient_max_abs[k]);
        rec.learning_rates.push_back(r.history.learning_rates[k]);
        const Vector& p = r.history.points[k];
        rec.x.insert(rec.x.end(), p.data(), p.data() + n);
        if (!record_gradients) continue;
        const Vector* g = nullptr;
        while (next_step_row < step_iterations.size() && step_iterations[next_step_row] < it) ++next_step_row;
        if (it == 0) g = &g0;
        else if (k + 1 == r.history.size()) g = &r.gradient;  // the last row: the result's own
        if (g != nullptr) {
          rec.gradients.insert(rec.gradients.end(), g->data(), g->data() + n);
        } else if (next_step_row < step_iterations.size() && step_iterations[next_step_row] == it) {
          const double* q = step_gradients.data() + next_step_row * static_cast<std::size_t>(n);
          rec.gradients.insert(rec.gradients.end(), q, q + n);
        } else {
          const Vector gp = problem->gradient(p);
          rec.gradients.insert(rec.gradients.end(), gp.data(), gp.data() + n);
        }
      }
      function_evaluations += r.function_evaluations;
      gradient_evaluations += r.gradient_evaluations;
      if (r.diverged_at) diverged_at = done + *r.diverged_at;
      done += r.iterations;
      x = r.x;
      if (r.status != Status::iteration_limit || s + 1 == segments.size() || done >= stop_at) break;
    }

    val out = val::object();
    val history = val::object();
    history.set("dimension", static_cast<int>(n));
    history.set("iterations", float64_array(rec.iterations));
    history.set("values", float64_array(rec.values));
    history.set("gradient_norm", float64_array(rec.gradient_norm));
    history.set("gradient_max_abs", float64_array(rec.gradient_max_abs));
    history.set("learning_rates", float64_array(rec.learning_rates));
    history.set("x", float64_array(rec.x));
    if (record_gradients) history.set("gradients", float64_array(rec.gradients));
    out.set("history", history);
    out.set("segments", segment_info);
    out.set("x", array_of(r.x));
    out.set("value", r.value);
    out.set("gradient", array_of(r.gradient));
    out.set("gradient_max_abs", r.gradient_max_abs);
    out.set("iterations", static_cast<double>(done));
    out.set("status", std::string(to_string(r.status)));
    out.set("message", r.message);
    out.set("diverged_at", diverged_at ? val(static_cast<double>(*diverged_at)) : val::null());
    out.set("function_evaluations", static_cast<double>(function_evaluations));
    out.set("gradient_evaluations", static_cast<double>(gradient_evaluations));
    out.set("optimizer", std::visit([](const auto& m) { return m.name(); }, method));
    if (trace_at) out.set("line_search_trace", trace);
    // The verdict (converged / oscillating / …) and its reason, as the command's reports judge a
    // run; only for a run in one piece (a changed run's history is not one loop's).
    if (segments.size() == 1) {
      const RunVerdict verdict = report::judge(r, *problem);
      out.set("verdict", std::string(to_string(verdict.verdict)));
      out.set("verdict_reason", verdict.reason);
    }
    if (has(request, "state") && request["state"].as<bool>())
      out.set("state", std::visit([](const auto& m) { return state_object(m); }, method));
    if (const auto* first = std::get_if<AnyFirstOrder>(&method)) {
      out.set("hyperparameters", hyper_list(first->hyperparameters()));
    } else {
      const auto& search = std::get<AnyLineSearchMethod>(method);
      out.set("hyperparameters", hyper_list(search.hyperparameters()));
      out.set("line_search", search.line_search());
    }
    return out;
  });
}

// ---- fields for the pictures ---------------------------------------------------------------------
// f and ∇f at `count` points stored one after another in `points` (dimension n each).
val evaluate(val spec, val points) {
  return guarded([&] {
    const auto problem = cache().get(spec);
    const int n = problem->dimension();
    const std::vector<double> flat = emscripten::convertJSArrayToNumberVector<double>(points);
    const std::size_t count = flat.size() / static_cast<std::size_t>(n);
    std::vector<double> values(count), gradients(count * static_cast<std::size_t>(n));
    Vector x(n), g(n);
    for (std::size_t k = 0; k < count; ++k) {
      for (int i = 0; i < n; ++i) x[i] = flat[k * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)];
      values[k] = problem->value_and_gradient(x, g);
      for (int i = 0; i < n; ++i) gradients[k * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)] = g[i];
    }
    val out = val::object();
    out.set("values", float64_array(values));
    out.set("gradients", float64_array(gradients));
    return out;
  });
}

// f on the grid xs × ys (row j is y = ys[j]), for contours and surfaces.
val grid(val spec, val xs_array, val ys_array) {
  return guarded([&] {
    const auto problem = cache().get(spec);
    const std::vector<double> xs = emscripten::convertJSArrayToNumberVector<double>(xs_array);
    const std::vector<double> ys = emscripten::convertJSArrayToNumberVector<double>(ys_array);
    std::vector<double> z(xs.size() * ys.size());
    Vector x(2);
    for (std::size_t j = 0; j < ys.size(); ++j)
      for (std::size_t i = 0; i < xs.size(); ++i) {
        x[0] = xs[i];
        x[1] = ys[j];
        z[j * xs.size() + i] = problem->value(x);
      }
    val out = val::object();
    out.set("z", float64_array(z));
    return out;
  });
}

// The Hessian at x and its eigenvalues (ascending): the local curvature that decides whether a
// gradient step of size η is stable (η·λ_max < 2).
val curvature(val spec, val point) {
  return guarded([&] {
    const auto problem = cache().get(spec);
    const Vector x = vector_from(point, "point");
    if (x.size() != problem->dimension()) throw InvalidArgument("point has the wrong dimension");
    if (!problem->has_hessian()) throw InvalidArgument("problem '" + problem->name + "' has no Hessian");
    const Matrix h = problem->hessian(x);
    Eigen::SelfAdjointEigenSolver<Matrix> eigen(h, Eigen::EigenvaluesOnly);
    val out = val::object();
    std::vector<double> flat(h.data(), h.data() + h.size());
    out.set("hessian", float64_array(flat));
    out.set("eigenvalues", array_of(eigen.eigenvalues()));
    return out;
  });
}

// ---- maps ----------------------------------------------------------------------------------------
// A band of the basin map: starts first … first + count − 1 of the grid {lower, upper, nx, ny}
// (report::BasinGrid: the same starts, in the same order, as `kobai basin`), each run to its end
// with no history and classified by report::classify_basin_end against the problem's known minima
// within `radius` (default: report::default_basin_radius) — the command's rule, so the page's map
// and the command's agree start for start. Answers typed arrays only (no per-start objects):
//   end       0 a known minimum, 1 diverged, 2 not converged
//   minimum   the index into `minima` (−1 unless end is 0)
//   status    0 converged, 1 iteration limit, 2 diverged, 3 other
//   iterations, x (two per start: where it stopped, for found points), and the minima and radius.
val basin_cells(val request, val grid_spec, double first, double count) {
  return guarded([&] {
    const auto problem = cache().get(request["problem"]);
    report::BasinGrid grid{.lower = vector_from(grid_spec["lower"], "grid lower"),
                           .upper = vector_from(grid_spec["upper"], "grid upper"),
                           .nx = static_cast<int>(number_at(grid_spec, "nx", "grid")),
                           .ny = static_cast<int>(number_at(grid_spec, "ny", "grid"))};
    grid.validate();
    if (grid.dimension() != problem->dimension()) throw InvalidArgument("basin grid and problem differ in dimension");
    const double radius = has(grid_spec, "radius") ? number_at(grid_spec, "radius", "grid") : report::default_basin_radius(grid);
    if (!(radius > 0)) throw InvalidArgument("basin radius must be > 0");
    if (!(first >= 0 && count >= 0 && first + count <= static_cast<double>(grid.size())))
      throw InvalidArgument("basin band out of the grid");
    const std::vector<report::BasinMinimum> minima = report::known_minima(*problem);
    const MinimizeOptions options = options_from(request["stopping"]);  // no history
    const Method prototype = method_from(string_at(request, "optimizer", "gd"),
                                         has(request, "hyper") ? request["hyper"] : val::object());
    const auto n = static_cast<std::size_t>(count);
    std::vector<double> end(n), minimum(n), status(n), iterations(n), x(2 * n);
    Method method = prototype;
    for (std::size_t k = 0; k < n; ++k) {
      const Vector start = grid.start(static_cast<std::size_t>(first) + k);
      // every run starts from the prototype's state (a line-search method also notices a new start)
      method = prototype;
      const MinimizeResult r = std::visit([&](auto& m) { return minimize(*problem, start, m, options); }, method);
      const report::BasinCell cell = report::classify_basin_end(minima, r, radius);
      end[k] = cell.end == report::BasinEnd::minimum ? 0 : cell.end == report::BasinEnd::diverged ? 1 : 2;
      minimum[k] = cell.minimum;
      status[k] = r.status == Status::converged ? 0 : r.status == Status::iteration_limit ? 1
                  : r.status == Status::diverged ? 2 : 3;
      iterations[k] = static_cast<double>(r.iterations);
      x[2 * k] = cell.end_point[0];
      x[2 * k + 1] = cell.end_point[1];
    }
    val out = val::object();
    out.set("end", float64_array(end));
    out.set("minimum", float64_array(minimum));
    out.set("status", float64_array(status));
    out.set("iterations", float64_array(iterations));
    out.set("x", float64_array(x));
    out.set("radius", radius);
    val known = val::array();
    for (const report::BasinMinimum& m : minima) known.call<void>("push", array_of(m.x));
    out.set("minima", known);
    return out;
  });
}

// Runs the request from each of `count` starts (flattened in `starts`): final points, status codes
// (0 converged, 1 iteration limit, 2 diverged, 3 other), iterations and final values (the
// learning-rate map: one start, one lr per call).
val run_many(val request, val starts) {
  return guarded([&] {
    const auto problem = cache().get(request["problem"]);
    const int n = problem->dimension();
    const MinimizeOptions options = options_from(request["stopping"]);
    const std::string name = string_at(request, "optimizer", "gd");
    const val hyper = has(request, "hyper") ? request["hyper"] : val::object();
    const Method prototype = method_from(name, hyper);
    const std::vector<double> flat = emscripten::convertJSArrayToNumberVector<double>(starts);
    const std::size_t count = flat.size() / static_cast<std::size_t>(n);
    std::vector<double> finals(count * static_cast<std::size_t>(n)), status(count), iterations(count), values(count);
    Vector x0(n);
    for (std::size_t k = 0; k < count; ++k) {
      for (int i = 0; i < n; ++i) x0[i] = flat[k * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)];
      Method method = prototype;
      const MinimizeResult r = std::visit([&](auto& m) { return minimize(*problem, x0, m, options); }, method);
      for (int i = 0; i < n; ++i) finals[k * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)] = r.x[i];
      status[k] = r.status == Status::converged ? 0 : r.status == Status::iteration_limit ? 1
                  : r.status == Status::diverged ? 2 : 3;
      iterations[k] = static_cast<double>(r.iterations);
      values[k] = r.value;
    }
    val out = val::object();
    out.set("x", float64_array(finals));
    out.set("status", float64_array(status));
    out.set("iterations", float64_array(iterations));
    out.set("values", float64_array(values));
    return out;
  });
}

// The speed benchmark's native-side twin: `iterations` steps of the request, no history kept,
// returning the final value and the milliseconds the loop took by the engine's clock.
val time_run(val request) {
  return guarded([&] {
    const auto problem = cache().get(request["problem"]);
    const Vector x0 = has(request, "start") ? vector_from(request["start"], "start") : problem->start;
    const MinimizeOptions options = options_from(request["stopping"]);
    Method method = method_from(string_at(request, "optimizer", "gd"),
                                has(request, "hyper") ? request["hyper"] : val::object());
    const double t0 = emscripten::val::global("performance").call<double>("now");
    const MinimizeResult r = std::visit([&](auto& m) { return minimize(*problem, x0, m, options); }, method);
    const double t1 = emscripten::val::global("performance").call<double>("now");
    val out = val::object();
    out.set("ms", t1 - t0);
    out.set("iterations", static_cast<double>(r.iterations));
    out.set("value", r.value);
    out.set("x", array_of(r.x));
    return out;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(kobai_engine) {
  emscripten::function("problems", &problem_list);
  emscripten::function("describeProblem", &describe_problem);
  emscripten::function("optimizers", &optimizer_list);
  emscripten::function("run", &run_request);
  emscripten::function("evaluate", &evaluate);
  emscripten::function("grid", &grid);
  emscripten::function("curvature", &curvature);
  emscripten::function("runMany", &run_many);
  emscripten::function("basinCells", &basin_cells);
  emscripten::function("timeRun", &time_run);
}

}  // namespace kobai::wasm
