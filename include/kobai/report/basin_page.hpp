// kobai/report/basin_page.hpp — a basin map (basin.hpp) as CSV and as a self-contained HTML page.
//
//   kobai::report::write_basin_csv("basins.csv", map);
//   kobai::report::write_basin_report("basins.html", map, {.title = …, .problem = beale, …});
//
// CSV: one row per start, in grid order (iy, then ix):
//   ix,iy,x[,y],end,minimum,iterations,status,value,end_x[,end_y]
// with `end` one of minimum / diverged / "not converged" and `minimum` the index into the list of
// minima (known global, known local, then found; -1 when the run ended at none). Numbers are
// written shortest-round-trip, so the file reads back to the bits kobai computed. A "# minimum k"
// comment line per minimum heads the file (where it is, its value, its kind).
//
// The page: Plotly (the same embedded cartesian bundle as every report, plotly_asset.hpp) draws two
// heatmaps over the box — where each start ends (one colour per minimum, black for diverged, grey
// for not converged; the minima marked) and log₁₀ of the iterations each run took — and a table
// of how many starts end where. Hovering a start shows its run. Everything drawn is computed here;
// the page's script (web/src/basin/basin.mjs, bundled into basin.js with basin.css and read at run
// time: web_assets.hpp) only draws it. Both files are written atomically.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "kobai/report/basin.hpp"
#include "kobai/report/history_writer.hpp"
#include "kobai/report/html_writer.hpp"
#include "kobai/report/plotly_asset.hpp"
#include "kobai/report/web_assets.hpp"

namespace kobai::report {

struct BasinPageText {
  std::string title;        // page title, e.g. "kobai basin: adam on himmelblau"
  std::string text;         // a sentence under the title
  std::string problem;      // e.g. "himmelblau ((x² + y − 11)² + (x + y² − 7)²)"
  std::string optimizer;    // e.g. "adam (lr 0.1)"
  std::string command;      // the command that makes this page again
  std::optional<std::string> plotly_js{};  // tests may pass a stub; else find_plotly_js()
  // The page's script and style sheet; tests may pass stand-ins; else basin.js and basin.css from
  // the built web files (web/src/basin, web_assets.hpp).
  std::optional<PageAssets> assets{};
};

namespace detail {

inline std::string shortest(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, end);
}

inline std::string minimum_label(const BasinMinimum& m, std::size_t index) {
  std::string point = "(";
  for (Eigen::Index i = 0; i < m.x.size(); ++i) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.4g", m.x[i]);
    point += (i ? ", " : "") + std::string(buffer);
  }
  return "#" + std::to_string(index) + " " + std::string(to_string(m.kind)) + " " + point + ")";
}

inline std::string basin_data(const BasinMap& map) {
  const BasinGrid& grid = map.grid;
  const int m = static_cast<int>(map.minima.size());
  auto category = [&](const BasinCell& c) {
    return c.end == BasinEnd::minimum ? c.minimum : c.end == BasinEnd::diverged ? m : m + 1;
  };
  Json j;
  j.begin_object();
  j.key("x").begin_array();
  for (int ix = 0; ix < grid.nx; ++ix) j.number(grid.x(ix));
  j.end_array();
  j.key("y").begin_array();
  if (grid.dimension() == 2)
    for (int iy = 0; iy < grid.ny; ++iy) j.number(grid.y(iy));
  else
    j.number(0);
  j.end_array();
  j.key("minima").begin_array();
  for (std::size_t k = 0; k < map.minima.size(); ++k) {
    j.begin_object();
    j.key("label").string(minimum_label(map.minima[k], k));
    j.key("x").vector(map.minima[k].x);
    j.key("value").number(map.minima[k].value);
    j.end_object();
  }
  j.end_array();
  auto rows = [&](const char* key, auto&& cell_value) {
    j.key(key).begin_array();
    for (int iy = 0; iy < grid.ny; ++iy) {
      j.begin_array();
      for (int ix = 0; ix < grid.nx; ++ix) cell_value(map.cells[static_cast<std::size_t>(iy) * static_cast<std::size_t>(grid.nx) + static_cast<std::size_t>(ix)]);
      j.end_array();
    }
    j.end_array();
  };
  rows("category", [&](const BasinCell& c) { j.integer(category(c)); });
  rows("iterations", [&](const BasinCell& c) { j.integer(c.iterations); });
  rows("ends", [&](const BasinCell& c) {
    char buffer[64];
    if (grid.dimension() == 2)
      std::snprintf(buffer, sizeof buffer, "(%.4g, %.4g)", c.end_point[0], c.end_point[1]);
    else
      std::snprintf(buffer, sizeof buffer, "%.4g", c.end_point[0]);
    j.string(buffer);
  });
  std::vector<std::vector<std::int64_t>> iterations(static_cast<std::size_t>(m + 2));
  for (const BasinCell& c : map.cells) iterations[static_cast<std::size_t>(category(c))].push_back(c.iterations);
  j.key("counts").begin_array();
  for (const auto& list : iterations) j.integer(static_cast<std::int64_t>(list.size()));
  j.end_array();
  j.key("median_iterations").begin_array();
  for (auto& list : iterations) {
    if (list.empty()) {
      j.null();
      continue;
    }
    std::nth_element(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(list.size() / 2), list.end());
    j.integer(list[list.size() / 2]);
  }
  j.end_array();
  j.end_object();
  return j.text();
}

}  // namespace detail

inline void write_basin_csv(std::ostream& out, const BasinMap& map) {
  using detail::shortest;
  const bool two = map.grid.dimension() == 2;
  for (std::size_t k = 0; k < map.minima.size(); ++k) {
    out << "# minimum " << k << ": " << to_string(map.minima[k].kind) << " at";
    for (Eigen::Index i = 0; i < map.minima[k].x.size(); ++i) out << (i ? "," : " ") << shortest(map.minima[k].x[i]);
    out << " value " << shortest(map.minima[k].value) << "\n";
  }
  out << (two ? "ix,iy,x,y,end,minimum,iterations,status,value,end_x,end_y\n"
              : "ix,iy,x,end,minimum,iterations,status,value,end_x\n");
  for (std::size_t i = 0; i < map.cells.size(); ++i) {
    const BasinCell& c = map.cells[i];
    const int ix = static_cast<int>(i % static_cast<std::size_t>(map.grid.nx));
    const int iy = static_cast<int>(i / static_cast<std::size_t>(map.grid.nx));
    out << ix << ',' << iy << ',' << shortest(map.grid.x(ix)) << ',';
    if (two) out << shortest(map.grid.y(iy)) << ',';
    out << to_string(c.end) << ',' << c.minimum << ',' << c.iterations << ',' << to_string(c.status) << ','
        << shortest(c.value) << ',' << shortest(c.end_point[0]);
    if (two) out << ',' << shortest(c.end_point[1]);
    out << '\n';
  }
}

inline void write_basin_csv(const std::filesystem::path& path, const BasinMap& map) {
  write_file_atomically(path, [&](std::ostream& out) { write_basin_csv(out, map); });
}

inline std::string render_basin_report(const BasinMap& map, const BasinPageText& text) {
  const std::string data = detail::basin_data(map);
  const std::string plotly = text.plotly_js ? *text.plotly_js : find_plotly_js();
  const PageAssets assets = text.assets ? *text.assets : read_page_assets("basin", "the basin page");
  using detail::html_escape;
  std::string page;
  page.reserve(plotly.size() + data.size() + assets.script.size() + assets.style.size() + 4096);
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += "<meta name=\"generator\" content=\"kobai\">\n<title>" + html_escape(text.title) + "</title>\n<style>\n";
  page += detail::escape_script_end(assets.style);
  page += "</style>\n<script>\n";
  detail::append_script(page, plotly);
  page += "\n</script>\n</head>\n<body>\n<div id=\"kobai-report\">\n<h1>" + html_escape(text.title) + "</h1>\n";
  page += "<p>" + html_escape(text.text) + "</p>\n";
  page += "<p>Problem: " + html_escape(text.problem) + ". Optimizer: " + html_escape(text.optimizer) + ". " +
          std::to_string(map.grid.nx) + (map.grid.dimension() == 2 ? " × " + std::to_string(map.grid.ny) : "") +
          " starts; a run ends at a minimum when it stops within " + detail::shortest(map.radius) + " of it.</p>\n";
  page += "<div id=\"kobai-basin-ends\"></div>\n<div id=\"kobai-basin-iterations\"></div>\n";
  page += "<table id=\"kobai-basin-table\"><tr><th></th><th>where the run ends</th><th>f there</th>"
          "<th>starts</th><th>median iterations</th></tr></table>\n";
  page += "<p>The same map again: <code>" + html_escape(text.command) + "</code></p>\n</div>\n";
  page += "<script type=\"application/json\" id=\"kobai-basin-data\">";
  page += data;  // Json escapes '<'
  page += "</script>\n<script>\n";
  detail::append_script(page, assets.script);
  page += "\n</script>\n</body>\n</html>\n";
  return page;
}

inline void write_basin_report(const std::filesystem::path& path, const BasinMap& map, const BasinPageText& text) {
  const std::string page = render_basin_report(map, text);  // every error before any file
  write_file_atomically(path, [&](std::ostream& out) { out.write(page.data(), static_cast<std::streamsize>(page.size())); });
}

}  // namespace kobai::report
