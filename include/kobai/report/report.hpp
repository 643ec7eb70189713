// kobai/report/report.hpp — runs as one self-contained, interactive HTML page.
//
//   kobai::report::RunRecord run{.label = "adam", .problem = beale, .optimizer = "adam",
//                                .hyperparameters = {{"lr", "0.001"}}, .result = r,
//                                .command = "kobai run --function beale --optimizer adam"};
//   kobai::report::write_report("beale.html", "Adam on Beale",
//                               {{.title = "Adam on Beale", .text = "…", .runs = {run}}});
//
// What a section draws depends on the problem's dimension and the section's layout:
//   1-D        the curve, the iterates on it and the tangent line f(x_k) + f'(x_k)(x − x_k) at the
//              current iterate (seed 002's animation), with a play/pause/step slider
//   2-D        a contour map (levels on a log scale when the function spans decades, as seed 003's
//              LogNorm plot of Beale) with the path as arrows and the known minima marked, a 3-D
//              surface with the path lying on it, and on request the field of −∇f arrows (seed 003,
//              figure 2-9); the same slider
//   any        value and gradient norm against iteration (log scale), the final numbers, the
//              status, the message and the exact command that reproduces the run
//   compare    every run's path on one map with one shared slider, and a table of how each ended
//   sweep      one panel per run, each labelled by its verdict (converged / oscillating / …;
//              kobai/minimize/verdict.hpp)
//
// Live: the page embeds kobai's engine compiled to WebAssembly (bindings/wasm/); a section whose runs
// carry `rerun` settings has controls for the start, each run's hyperparameters and the iteration
// limit, and recomputes its runs in the page (the numbers shown first are the command's own).
//
// Why one file: a learner opens it offline, mails it, keeps it next to the command that made it.
// Plotly (its cartesian and, for pages with a 3-D surface, gl3d bundles, pinned in
// web/package-lock.json) is embedded inline, found by `find_plotly_js` / `find_plotly_3d_js`
// (see plotly_asset.hpp). Grids of function values are computed here in C++, so
// the page only draws. Long runs are thinned for drawing to at most `max_drawn_points` iterates
// per run (the history is already strided by the loop), and the page says so next to the plot.
// The file is written to a temporary name and renamed into place: nothing half-written on error.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kobai/minimize/options.hpp"
#include "kobai/minimize/result.hpp"
#include "kobai/problems/problem.hpp"

namespace kobai::report {

// How to run it again with kobai's WebAssembly engine, for the live page (the engine's request,
// bindings/wasm/request.hpp): the problem as the engine names it, the start and the stopping rules.
// The optimizer and its hyperparameters are the record's own.
struct Rerun {
  std::string function{};    // a built-in problem (problems::make(function, dimension)), or
  std::string expression{};  // a typed function (expr::make_problem)
  int dimension = 0;         // 0: the problem's default
  Vector start{};
  MinimizeOptions options{};  // max_iterations, the tolerances, divergence_bound, history_max_rows
};

// One run as a report shows it.
struct RunRecord {
  std::string label{};      // legend / panel title, e.g. "adam" or "lr = 0.9"
  problems::Problem problem{};
  std::string optimizer{};  // e.g. "adam"
  // Every hyperparameter in effect, as display text ({"lr", "0.001"}, {"nesterov", "true"}).
  std::vector<std::pair<std::string, std::string>> hyperparameters{};
  MinimizeResult result{};  // run with options.record_history = true, or the page has no path
  std::string command{};    // the exact command line that reproduces the run
  // Set: the page can run it again in the browser with changed settings (a schedule, which the
  // engine does not take, leaves it unset). Unset: the page shows the run as computed, not live.
  std::optional<Rerun> rerun{};
};

enum class Layout {
  single,   // one run (several runs: drawn one after another, each as its own single section)
  compare,  // all runs on one map, one shared slider, a table of how each ended
  sweep,    // one panel per run (typically one hyperparameter varied), each labelled by its verdict
};

struct Section {
  std::string title{};
  std::string text{};  // a sentence on what the section shows
  Layout layout = Layout::single;
  std::vector<RunRecord> runs{};
  bool gradient_field = false;  // 2-D: draw the field of −∇f arrows on the contour map
  bool surface = true;          // 2-D: draw the 3-D surface with the path on it
};

struct ReportOptions {
  std::size_t max_drawn_points = 2000;  // per run; longer paths are thinned for drawing
  int grid_resolution = 100;            // 2-D: the contour/surface grid is N×N values of f
  int curve_resolution = 400;           // 1-D: points on the curve
  // Plotly's source for the flat plots. Empty: find_plotly_js() reads plotly-cartesian.min.js
  // (see plotly_asset.hpp). Tests may pass a stub here to check the page without the library.
  std::optional<std::string> plotly_js{};
  // Plotly's source for the 3-D surfaces, embedded only when a section draws one. Empty:
  // find_plotly_3d_js() reads plotly-gl3d.min.js.
  std::optional<std::string> plotly_3d_js{};
  // The page's script, styles and kobai's WebAssembly engine. Empty: read from the built web files
  // (web_assets.hpp: report.js, report.css, kobai_engine.js). Tests may pass stubs here.
  struct Assets {
    std::string script, style, engine;
  };
  std::optional<Assets> assets{};
};

// The page as a string (what write_report writes).
std::string render_report(std::string_view title, const std::vector<Section>& sections,
                          const ReportOptions& options = {});

// Writes the page atomically (temporary file + rename). Throws FileWriteError
// (history_writer.hpp) when the file cannot be written, InvalidArgument for a section without runs
// or problems of different dimensions in one compare/sweep section.
void write_report(const std::filesystem::path& path, std::string_view title,
                  const std::vector<Section>& sections, const ReportOptions& options = {});

}  // namespace kobai::report

#include "kobai/report/run_classification.hpp"
#include "kobai/report/html_writer.hpp"
