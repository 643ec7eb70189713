// kobai/report/html_writer.hpp — the report page: data computed here, drawn by Plotly in the browser.
//
// The page is inline scripts: Plotly for the flat plots, one JSON document (id "kobai-data")
// holding everything to draw, Plotly for the 3-D surface as inert text (id "kobai-plotly-3d", only
// in pages with a surface; see plotly_asset.hpp), kobai's engine compiled to WebAssembly (id
// "kobai-engine", inert text until the page has opened), and the page script (web/src/report/report.mjs, bundled by the build into
// report.js and read with report.css at run time: web_assets.hpp) that turns the JSON into plots,
// the slider, the tables and each section's settings, which rerun the runs with the engine. All the numbers are computed here in C++: the curve (1-D) or the N×N grid
// of f (2-D, for the contour map and the surface), the direction field of −∇f, the slope f'(x_k)
// at every drawn iterate (for the tangent lines), the thinned paths. So the page does no math
// beyond picking an index, and what it shows is exactly what kobai computed.
//
// Size: a 100×100 grid written with 6 significant digits is ~100 KB; a path of 2,000 drawn points
// with 4 numbers each is ~80 KB. Paths are thinned to ReportOptions::max_drawn_points evenly
// spaced rows of the recorded history (the first and the last always kept), so a 10⁶-iteration run
// costs no more than a 2,000-iteration one; the page states how many iterates it draws.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "kobai/core/error.hpp"
#include "kobai/report/history_writer.hpp"
#include "kobai/report/plotly_asset.hpp"
#include "kobai/report/report.hpp"
#include "kobai/report/web_assets.hpp"

namespace kobai::report {

namespace detail {

// ---- a minimal JSON writer (the library has no JSON dependency) ---------------------------------
class Json {
 public:
  // Shortest text that reads back to the same double; null for NaN/inf (JSON has neither).
  Json& number(double v) {
    separate();
    if (!std::isfinite(v)) {
      out_ += "null";
      return *this;
    }
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    out_.append(buffer, end);
    return *this;
  }
  // Six significant digits: for values that are only drawn (grids), a third of the size.
  Json& drawn(double v) {
    separate();
    if (!std::isfinite(v)) {
      out_ += "null";
      return *this;
    }
    char buffer[32];
    const int n = std::snprintf(buffer, sizeof buffer, "%.6g", v);
    out_.append(buffer, static_cast<std::size_t>(n));
    return *this;
  }
  // +infinity as 1e999, which JSON.parse reads back as Infinity (a bound switched off); other
  // values as number().
  Json& number_or_infinity(double v) {
    if (std::isinf(v) && v > 0) {
      separate();
      out_ += "1e999";
      return *this;
    }
    return number(v);
  }
  Json& integer(std::int64_t v) {
    separate();
    out_ += std::to_string(v);
    return *this;
  }
  Json& boolean(bool v) {
    separate();
    out_ += v ? "true" : "false";
    return *this;
  }
  Json& null() {
    separate();
    out_ += "null";
    return *this;
  }
  Json& string(std::string_view s) {
    separate();
    out_ += '"';
    for (const char c : s) {
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        case '<': out_ += "\\u003c"; break;  // never "</script>" inside the page's JSON
        case '>': out_ += "\\u003e"; break;
        case '&': out_ += "\\u0026"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
            out_ += buffer;
          } else {
            out_ += c;
          }
      }
    }
    out_ += '"';
    return *this;
  }
  Json& key(std::string_view k) {
    string(k);
    out_ += ':';
    fresh_ = true;
    return *this;
  }
  Json& begin_object() { return open('{'); }
  Json& end_object() { return close('}'); }
  Json& begin_array() { return open('['); }
  Json& end_array() { return close(']'); }

  template <class Range>
  Json& numbers(const Range& values) {
    begin_array();
    for (const auto v : values) number(static_cast<double>(v));
    return end_array();
  }
  template <class Range>
  Json& drawn_numbers(const Range& values) {
    begin_array();
    for (const auto v : values) drawn(static_cast<double>(v));
    return end_array();
  }
  Json& vector(const Vector& v) {
    begin_array();
    for (Eigen::Index i = 0; i < v.size(); ++i) number(v[i]);
    return end_array();
  }

  const std::string& text() const { return out_; }

 private:
  void separate() {
    if (!fresh_) out_ += ',';
    fresh_ = false;
  }
  Json& open(char c) {
    separate();
    out_ += c;
    fresh_ = true;
    return *this;
  }
  Json& close(char c) {
    out_ += c;
    fresh_ = false;
    return *this;
  }
  std::string out_;
  bool fresh_ = true;
};

// Evenly spaced rows of a history, the first and the last always among them.
inline std::vector<std::size_t> thinned_rows(std::size_t rows, std::size_t max_points) {
  std::vector<std::size_t> picked;
  if (rows == 0) return picked;
  max_points = std::max<std::size_t>(max_points, 2);
  if (rows <= max_points) {
    for (std::size_t k = 0; k < rows; ++k) picked.push_back(k);
    return picked;
  }
  for (std::size_t j = 0; j < max_points; ++j) {
    const std::size_t k = static_cast<std::size_t>(
        std::llround(static_cast<double>(j) * static_cast<double>(rows - 1) /
                     static_cast<double>(max_points - 1)));
    if (picked.empty() || k != picked.back()) picked.push_back(k);
  }
  return picked;
}

// The drawing box: the problem's box, widened to take in the drawn paths, but by no more than half
// the box's width on each side (a diverging path would otherwise shrink the function to a dot; the
// points beyond are off the map, and the table and the convergence plot still show them).
struct Box {
  Vector lower, upper;
};

inline Box drawing_box(const std::vector<const RunRecord*>& runs,
                       const std::vector<std::vector<std::size_t>>& rows) {
  const problems::Problem& p = runs.front()->problem;
  const Eigen::Index n = p.dimension();
  Box box{p.box_lower, p.box_upper};
  if (box.lower.size() != n || box.upper.size() != n) {  // a problem without a box: around the start
    box.lower = Vector::Constant(n, -5.0);
    box.upper = Vector::Constant(n, 5.0);
  }
  const Vector width = box.upper - box.lower;
  Vector lower = box.lower, upper = box.upper;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const History& h = runs[r]->result.history;
    for (const std::size_t k : rows[r]) {
      const Vector& x = h.points[k];
      if (x.size() != n || !x.allFinite()) continue;
      for (Eigen::Index i = 0; i < n; ++i) {
        lower[i] = std::min(lower[i], std::max(x[i], box.lower[i] - 0.5 * width[i]));
        upper[i] = std::max(upper[i], std::min(x[i], box.upper[i] + 0.5 * width[i]));
      }
    }
  }
  // a margin of 3% so points on the edge are not cut in half
  const Vector margin = 0.03 * (upper - lower);
  return {lower - margin, upper + margin};
}

inline std::vector<double> linspace(double a, double b, int n) {
  std::vector<double> v(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = a + (b - a) * i / (n - 1);
  return v;
}

inline void write_problem(Json& j, const problems::Problem& p) {
  j.key("problem").begin_object();
  j.key("name").string(p.name);
  j.key("formula").string(p.formula);
  j.key("description").string(p.description);
  j.key("dimension").integer(p.dimension());
  j.key("minimum_value").number(p.minimum_value);
  j.key("bounded_below").boolean(p.bounded_below);
  // minimizers with f there, for the markers (a 1-D marker sits on the curve)
  auto minimizers = [&](const char* name, const std::vector<Vector>& points) {
    j.key(name).begin_array();
    for (const Vector& x : points) j.vector(x);
    j.end_array();
    j.key(std::string(name) + "_values").begin_array();
    for (const Vector& x : points) j.number(x.size() == p.dimension() ? p.value(x) : NAN);
    j.end_array();
  };
  minimizers("global_minimizers", p.global_minimizers);
  minimizers("local_minimizers", p.local_minimizers);
  j.end_object();
}

// 1-D: the curve over the box.
inline void write_curve(Json& j, const problems::Problem& p, const Box& box, int points) {
  const std::vector<double> xs = linspace(box.lower[0], box.upper[0], std::max(points, 2));
  Vector x(1);
  std::vector<double> fs;
  fs.reserve(xs.size());
  for (const double xi : xs) {
    x[0] = xi;
    fs.push_back(p.value(x));
  }
  j.key("curve").begin_object();
  j.key("x").drawn_numbers(xs);
  j.key("f").drawn_numbers(fs);
  j.end_object();
}

// 2-D: f on an N×N grid (z[row = y][column = x], Plotly's layout), its log-scaled twin where f
// spans decades, and the field of −∇f directions on a coarser grid.
inline void write_grid(Json& j, const problems::Problem& p, const Box& box, int resolution,
                       bool gradient_field) {
  const int n = std::max(resolution, 2);
  const std::vector<double> xs = linspace(box.lower[0], box.upper[0], n);
  const std::vector<double> ys = linspace(box.lower[1], box.upper[1], n);
  std::vector<double> z(static_cast<std::size_t>(n) * static_cast<std::size_t>(n));
  Vector x(2);
  double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      x << xs[static_cast<std::size_t>(c)], ys[static_cast<std::size_t>(r)];
      const double f = p.value(x);
      z[static_cast<std::size_t>(r * n + c)] = f;
      if (std::isfinite(f)) {
        lowest = std::min(lowest, f);
        highest = std::max(highest, f);
      }
    }
  // Log levels when the function spans decades (Beale: 0 … 1.8·10⁵ on its box): most of the
  // range is then far above the median, and linear levels would crowd into one corner.
  std::vector<double> finite;
  for (const double f : z)
    if (std::isfinite(f)) finite.push_back(f);
  bool log_scale = false;
  double floor = lowest, offset = 0;
  if (!finite.empty() && p.bounded_below) {
    if (std::isfinite(p.minimum_value)) floor = std::min(floor, p.minimum_value);
    auto middle = finite.begin() + static_cast<std::ptrdiff_t>(finite.size() / 2);
    std::nth_element(finite.begin(), middle, finite.end());
    const double span = highest - floor;
    const double median_height = *middle - floor;
    log_scale = span > 0 && span > 50 * std::max(median_height, span * 1e-12);
    offset = span * 1e-9;
  }
  auto rows = [&](auto&& transform) {
    j.begin_array();
    for (int r = 0; r < n; ++r) {
      j.begin_array();
      for (int c = 0; c < n; ++c) j.drawn(transform(z[static_cast<std::size_t>(r * n + c)]));
      j.end_array();
    }
    j.end_array();
  };
  j.key("grid").begin_object();
  j.key("x").drawn_numbers(xs);
  j.key("y").drawn_numbers(ys);
  j.key("z");
  rows([](double f) { return f; });
  j.key("log").boolean(log_scale);
  if (log_scale) {
    j.key("log_offset").number(floor - offset);  // zlog = log10(f − log_offset)
    j.key("zlog");
    rows([&](double f) { return std::log10(std::max(f - floor, 0.0) + offset); });
  }
  if (gradient_field) {
    // Seed 003 figure 2-9: arrows of −∇f. Directions only (unit length) plus the magnitude, since
    // ‖∇f‖ spans decades and raw arrows would be invisible near the minimum.
    const int m = 21;
    const std::vector<double> fx = linspace(box.lower[0], box.upper[0], m);
    const std::vector<double> fy = linspace(box.lower[1], box.upper[1], m);
    std::vector<double> px, py, u, v, magnitude;
    for (const double yv : fy)
      for (const double xv : fx) {
        x << xv, yv;
        const Vector g = p.gradient(x);
        const double norm = g.norm();
        if (!std::isfinite(norm) || norm == 0) continue;
        px.push_back(xv);
        py.push_back(yv);
        u.push_back(-g[0] / norm);
        v.push_back(-g[1] / norm);
        magnitude.push_back(norm);
      }
    j.key("field").begin_object();
    j.key("x").drawn_numbers(px);
    j.key("y").drawn_numbers(py);
    j.key("u").drawn_numbers(u);
    j.key("v").drawn_numbers(v);
    j.key("magnitude").drawn_numbers(magnitude);
    j.end_object();
  }
  j.end_object();
}

// What the engine needs to run it again (bindings/wasm/request.hpp's names), or null when the page
// cannot: no settings given, or rules the engine does not take (a schedule, a fixed history stride).
inline void write_rerun(Json& j, const RunRecord& run) {
  j.key("rerun");
  if (!run.rerun || run.rerun->options.schedule || run.rerun->options.history_stride != 0 ||
      run.rerun->start.size() != run.problem.dimension()) {
    j.null();
    return;
  }
  const Rerun& r = *run.rerun;
  j.begin_object();
  j.key("problem").begin_object();
  if (!r.expression.empty())
    j.key("expr").string(r.expression);
  else
    j.key("name").string(r.function.empty() ? run.problem.name : r.function);
  if (r.dimension != 0) j.key("dimension").integer(r.dimension);
  j.end_object();
  j.key("start").vector(r.start);
  j.key("stopping").begin_object();
  j.key("max_iterations").integer(r.options.max_iterations);
  j.key("gradient_tolerance").number(r.options.gradient_tolerance);
  j.key("value_tolerance").number(r.options.value_tolerance);
  j.key("step_tolerance").number(r.options.step_tolerance);
  j.key("divergence_bound").number_or_infinity(r.options.divergence_bound);  // --divergence-bound inf
  j.end_object();
  j.key("history_max_rows").integer(r.options.history_max_rows);
  j.end_object();
}

inline void write_run(Json& j, const RunRecord& run, const std::vector<std::size_t>& rows) {
  const MinimizeResult& r = run.result;
  const History& h = r.history;
  j.begin_object();
  j.key("label").string(run.label.empty() ? run.optimizer : run.label);
  j.key("optimizer").string(run.optimizer);
  j.key("hyperparameters").begin_array();
  for (const auto& [name, value] : run.hyperparameters) j.begin_array().string(name).string(value).end_array();
  j.end_array();
  j.key("command").string(run.command);
  write_rerun(j, run);
  j.key("status").string(to_string(r.status));
  const RunVerdict verdict = judge(r, run.problem);
  j.key("verdict").string(to_string(verdict.verdict));
  j.key("verdict_reason").string(verdict.reason);
  j.key("message").string(r.message);
  j.key("iterations").integer(r.iterations);
  j.key("x").vector(r.x);
  j.key("value").number(r.value);
  j.key("gradient_max_abs").number(r.gradient_max_abs);
  j.key("gradient_norm").number(r.gradient.size() ? r.gradient.norm() : 0.0);
  j.key("function_evaluations").integer(r.function_evaluations);
  j.key("gradient_evaluations").integer(r.gradient_evaluations);
  if (r.diverged_at)
    j.key("diverged_at").integer(*r.diverged_at);
  else
    j.key("diverged_at").null();
  j.key("recorded").integer(static_cast<std::int64_t>(h.size()));
  j.key("stride").integer(h.stride);
  j.key("drawn").integer(static_cast<std::int64_t>(rows.size()));
  // the drawn path, one array per column
  j.key("path").begin_object();
  j.key("iteration").begin_array();
  for (const std::size_t k : rows) j.integer(h.iterations[k]);
  j.end_array();
  const Eigen::Index n = run.problem.dimension();
  j.key("x").begin_array();
  for (Eigen::Index i = 0; i < n; ++i) {
    j.begin_array();
    for (const std::size_t k : rows) j.number(h.points[k].size() > i ? h.points[k][i] : NAN);
    j.end_array();
  }
  j.end_array();
  j.key("value").begin_array();
  for (const std::size_t k : rows) j.number(h.values[k]);
  j.end_array();
  j.key("gradient_norm").begin_array();
  for (const std::size_t k : rows) j.number(h.gradient_norm[k]);
  j.end_array();
  if (n == 1) {  // f'(x_k) for the tangent lines (the history keeps only |f'|)
    j.key("slope").begin_array();
    for (const std::size_t k : rows) {
      const Vector& x = h.points[k];
      j.number(x.size() == 1 && x.allFinite() ? run.problem.gradient(x)[0] : NAN);
    }
    j.end_array();
  }
  j.end_object();
  j.end_object();
}

inline std::string_view layout_name(Layout layout) {
  switch (layout) {
    case Layout::single: return "single";
    case Layout::compare: return "compare";
    case Layout::sweep: return "sweep";
  }
  return "single";
}

// One drawn block: a set of runs sharing one map/curve and one slider.
inline void write_block(Json& j, const Section& section, std::string_view title,
                        const std::vector<const RunRecord*>& runs, const ReportOptions& options) {
  std::vector<std::vector<std::size_t>> rows;
  for (const RunRecord* run : runs) {
    const History& h = run->result.history;
    const bool consistent = h.points.size() == h.size() && h.values.size() == h.size() &&
                            h.gradient_norm.size() == h.size();
    rows.push_back(consistent ? thinned_rows(h.size(), options.max_drawn_points)
                              : std::vector<std::size_t>{});
  }
  const problems::Problem& p = runs.front()->problem;
  j.begin_object();
  j.key("title").string(title);
  j.key("text").string(section.text);
  j.key("layout").string(layout_name(section.layout));
  j.key("surface").boolean(section.surface);
  j.key("dimension").integer(p.dimension());
  write_problem(j, p);
  if (p.dimension() == 1 || p.dimension() == 2) {
    const Box box = drawing_box(runs, rows);
    if (p.dimension() == 1)
      write_curve(j, p, box, options.curve_resolution);
    else
      write_grid(j, p, box, options.grid_resolution, section.gradient_field);
  }
  j.key("max_drawn_points").integer(static_cast<std::int64_t>(options.max_drawn_points));
  j.key("runs").begin_array();
  for (std::size_t r = 0; r < runs.size(); ++r) write_run(j, *runs[r], rows[r]);
  j.end_array();
  j.end_object();
}

inline std::string page_data(std::string_view title, const std::vector<Section>& sections,
                             const ReportOptions& options) {
  Json j;
  j.begin_object();
  j.key("title").string(title);
  j.key("sections").begin_array();
  for (std::size_t s = 0; s < sections.size(); ++s) {
    const Section& section = sections[s];
    if (section.runs.empty())
      throw InvalidArgument("report section " + std::to_string(s + 1) + " ('" + section.title +
                            "') has no runs");
    const int dimension = section.runs.front().problem.dimension();
    for (const RunRecord& run : section.runs)
      if (run.problem.dimension() != dimension && section.layout != Layout::single)
        throw InvalidArgument("report section '" + section.title + "' mixes problems of dimension " +
                              std::to_string(dimension) + " and " +
                              std::to_string(run.problem.dimension()));
    if (section.layout == Layout::single) {
      for (const RunRecord& run : section.runs) {
        const std::string block_title =
            section.runs.size() == 1 ? section.title
                                     : section.title + " — " + (run.label.empty() ? run.optimizer : run.label);
        write_block(j, section, block_title, {&run}, options);
      }
    } else {
      std::vector<const RunRecord*> runs;
      for (const RunRecord& run : section.runs) runs.push_back(&run);
      write_block(j, section, section.title, runs, options);
    }
  }
  j.end_array();
  j.end_object();
  return j.text();
}

// An inline script's text, with "</script" (any case) escaped so that it cannot end the element.
inline void append_script(std::string& page, std::string_view source) { append_escaping_script_end(page, source); }

inline std::string html_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// The report page's built script, styles and engine (web_assets.hpp).
inline ReportOptions::Assets report_assets() {
  const auto dir = find_web_asset_directory({"report.js", "report.css", "kobai_engine.js"}, "the report page");
  return {read_text_file(dir / "report.js"), read_text_file(dir / "report.css"), read_text_file(dir / "kobai_engine.js")};
}

// Whether the page draws a 3-D surface (report.mjs: 2-D sections, not sweeps, surface on).
inline bool draws_surface(const std::vector<Section>& sections) {
  for (const Section& section : sections) {
    if (!section.surface || section.layout == Layout::sweep) continue;
    for (const RunRecord& run : section.runs)
      if (run.problem.dimension() == 2) return true;
  }
  return false;
}

}  // namespace detail

inline std::string render_report(std::string_view title, const std::vector<Section>& sections,
                                 const ReportOptions& options) {
  if (options.max_drawn_points < 2)
    throw InvalidArgument("max_drawn_points must be >= 2, got " + std::to_string(options.max_drawn_points));
  if (options.grid_resolution < 2)
    throw InvalidArgument("grid_resolution must be >= 2, got " + std::to_string(options.grid_resolution));
  const std::string data = detail::page_data(title, sections, options);
  const ReportOptions::Assets assets = options.assets ? *options.assets : detail::report_assets();
  const std::string plotly = options.plotly_js ? *options.plotly_js : find_plotly_js();
  const std::string plotly_3d = !detail::draws_surface(sections) ? std::string()
                                : options.plotly_3d_js          ? *options.plotly_3d_js
                                                                : find_plotly_3d_js();
  std::string page;
  page.reserve(plotly.size() + plotly_3d.size() + data.size() + assets.engine.size() + assets.script.size() +
               assets.style.size() + 4096);
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<meta name=\"generator\" content=\"kobai\">\n<title>";
  page += detail::html_escape(title);
  page += "</title>\n<style>\n";
  page += detail::escape_script_end(assets.style);
  page += "\n</style>\n<script>\n";
  detail::append_script(page, plotly);
  page += "\n</script>\n</head>\n<body>\n<div id=\"kobai-report\"></div>\n";
  page += "<script type=\"application/json\" id=\"kobai-data\">";
  page += data;  // Json escapes '<', so no "</script>" can occur in it
  page += "</script>\n";
  if (!plotly_3d.empty()) {
    // Inert text until the page script runs it, when a surface first comes into view: running
    // it at load would cost as much as the rest of the page's opening (plotly_asset.hpp).
    page += "<script type=\"text/plain\" id=\"kobai-plotly-3d\">\n";
    detail::append_script(page, plotly_3d);
    page += "\n</script>\n";
  }
  // The engine (~0.9 MB, the WebAssembly inside) as inert text: the page script runs it once the
  // first screen is drawn (report/live.mjs), so the opening does not even parse it.
  page += "<script type=\"text/plain\" id=\"kobai-engine\">\n";
  detail::append_script(page, assets.engine);
  page += "\n</script>\n<script>\n";
  detail::append_script(page, assets.script);
  page += "\n</script>\n</body>\n</html>\n";
  return page;
}

inline void write_report(const std::filesystem::path& path, std::string_view title,
                         const std::vector<Section>& sections, const ReportOptions& options) {
  const std::string page = render_report(title, sections, options);  // all errors before any file
  write_file_atomically(path, [&](std::ostream& out) { out.write(page.data(), static_cast<std::streamsize>(page.size())); });
}

}  // namespace kobai::report
