// kobai/report/plotly_asset.hpp — where the Plotly libraries that reports embed come from.
//
// A report must open offline, so Plotly's minified source is copied into each page. It comes from
// the npm registry as two of Plotly's official partial bundles (versions pinned by
// web/package-lock.json; scripts/install-deps.sh runs `npm ci` in web/):
//   plotly.js-cartesian-dist-min  plotly-cartesian.min.js (1.4 MB): scatter and contour, which draw
//                                 everything on a page's first screen;
//   plotly.js-gl3d-dist-min       plotly-gl3d.min.js (1.7 MB): the 3-D surface and path, embedded
//                                 only in pages that have a surface, and run only when one is
//                                 scrolled into view.
// Why not the full bundle (plotly.js-dist-min, 4.6 MB): a browser runs a bundle's top-level code
// when the page loads, and the full one sets up every trace type kobai never draws (maps, finance,
// …): 0.85–1.5 s on a shared 2-core machine, against 0.2–0.4 s for the cartesian bundle.
//
// find_plotly_js() / find_plotly_3d_js() look, in order, at:
//   1. the environment variable KOBAI_PLOTLY_JS / KOBAI_PLOTLY_3D_JS (a path to the .min.js), for
//      installed copies of kobai or a library kept elsewhere;
//   2. the macro of the same name, if a build defines it (a path baked in at compile time);
//   3. web/node_modules/<package>/<file> in the source tree this header lives in (found from
//      __FILE__: the build uses absolute include paths), so any build of a clone works once
//      scripts/install-deps.sh has run, whatever its build directory.
// Why read at run time rather than compile megabytes into the program: the library stays
// header-only and every build (sanitizers, tests) stays fast; the cost is a file read per report.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kobai::report {

namespace detail {

struct PlotlyBundle {
  const char* environment_variable;
  const char* compiled_in_path;  // nullptr when the build defines no such macro
  std::string_view package;
  std::string_view file;
};

inline PlotlyBundle cartesian_bundle() {
#ifdef KOBAI_PLOTLY_JS
  return {"KOBAI_PLOTLY_JS", KOBAI_PLOTLY_JS, "plotly.js-cartesian-dist-min", "plotly-cartesian.min.js"};
#else
  return {"KOBAI_PLOTLY_JS", nullptr, "plotly.js-cartesian-dist-min", "plotly-cartesian.min.js"};
#endif
}

inline PlotlyBundle gl3d_bundle() {
#ifdef KOBAI_PLOTLY_3D_JS
  return {"KOBAI_PLOTLY_3D_JS", KOBAI_PLOTLY_3D_JS, "plotly.js-gl3d-dist-min", "plotly-gl3d.min.js"};
#else
  return {"KOBAI_PLOTLY_3D_JS", nullptr, "plotly.js-gl3d-dist-min", "plotly-gl3d.min.js"};
#endif
}

inline std::vector<std::filesystem::path> bundle_candidates(const PlotlyBundle& bundle) {
  std::vector<std::filesystem::path> candidates;
  if (const char* env = std::getenv(bundle.environment_variable); env != nullptr && *env != '\0')
    candidates.emplace_back(env);
  if (bundle.compiled_in_path != nullptr) candidates.emplace_back(bundle.compiled_in_path);
  // include/kobai/report/plotly_asset.hpp → the source root is three directories up.
  // (A relative __FILE__ — a build with relative include paths — is tried from the current
  // directory, which is right when the program runs where it was compiled.)
  const std::filesystem::path here(__FILE__);
  if (here.has_parent_path())
    candidates.push_back(here.parent_path().parent_path().parent_path().parent_path() / "web" /
                         "node_modules" / bundle.package / bundle.file);
  return candidates;
}

// The bundle's source text; throws std::runtime_error naming every place it looked.
inline std::string read_bundle(const PlotlyBundle& bundle) {
  std::string looked;
  for (const auto& path : bundle_candidates(bundle)) {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream text;
      text << in.rdbuf();
      if (in.good() || in.eof()) return std::move(text).str();
    }
    looked += (looked.empty() ? "" : ", ") + path.string();
  }
  throw std::runtime_error("cannot find " + std::string(bundle.file) + " for the report (looked at: " +
                           (looked.empty() ? std::string("nowhere") : looked) +
                           "); run scripts/install-deps.sh or set " + bundle.environment_variable +
                           " to its path");
}

}  // namespace detail

// Where find_plotly_js() looks, in order (the last is the source tree's web/node_modules).
inline std::vector<std::filesystem::path> plotly_js_candidates() {
  return detail::bundle_candidates(detail::cartesian_bundle());
}
inline std::vector<std::filesystem::path> plotly_3d_js_candidates() {
  return detail::bundle_candidates(detail::gl3d_bundle());
}

// Plotly for the flat plots (scatter, contour): plotly-cartesian.min.js.
inline std::string find_plotly_js() { return detail::read_bundle(detail::cartesian_bundle()); }
// Plotly for the 3-D surface (surface, scatter3d): plotly-gl3d.min.js.
inline std::string find_plotly_3d_js() { return detail::read_bundle(detail::gl3d_bundle()); }

}  // namespace kobai::report
