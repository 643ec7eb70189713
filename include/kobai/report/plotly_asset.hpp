// kobai/report/plotly_asset.hpp — where the Plotly library that every report embeds comes from.
//
// A report must open offline, so Plotly's 4.5 MB minified source is copied into each page. The
// library comes from the npm registry (plotly.js-dist-min, version pinned by web/package-lock.json;
// scripts/install-deps.sh runs `npm ci` in web/). find_plotly_js() looks, in order, at:
//   1. the environment variable KOBAI_PLOTLY_JS (a path to plotly.min.js), for installed copies of
//      kobai or a library kept elsewhere;
//   2. the macro KOBAI_PLOTLY_JS, if a build defines it (a path baked in at compile time);
//   3. web/node_modules/plotly.js-dist-min/plotly.min.js in the source tree this header lives in
//      (found from __FILE__: the build uses absolute include paths), so any build of a clone works
//      once scripts/install-deps.sh has run, whatever its build directory.
// Why read at run time rather than compile the 4.5 MB into the program: the library stays
// header-only and every build (sanitizers, tests) stays fast; the cost is one file read per report.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <stdexcept>

namespace kobai::report {

inline std::vector<std::filesystem::path> plotly_js_candidates() {
  std::vector<std::filesystem::path> candidates;
  if (const char* env = std::getenv("KOBAI_PLOTLY_JS"); env != nullptr && *env != '\0')
    candidates.emplace_back(env);
#ifdef KOBAI_PLOTLY_JS
  candidates.emplace_back(KOBAI_PLOTLY_JS);
#endif
  // include/kobai/report/plotly_asset.hpp → the source root is three directories up.
  // (A relative __FILE__ — a build with relative include paths — is tried from the current
  // directory, which is right when the program runs where it was compiled.)
  const std::filesystem::path here(__FILE__);
  if (here.has_parent_path())
    candidates.push_back(here.parent_path().parent_path().parent_path().parent_path() / "web" /
                         "node_modules" / "plotly.js-dist-min" / "plotly.min.js");
  return candidates;
}

// Plotly's source text; throws std::runtime_error naming every place it looked.
inline std::string find_plotly_js() {
  std::string looked;
  for (const auto& path : plotly_js_candidates()) {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream text;
      text << in.rdbuf();
      if (in.good() || in.eof()) return std::move(text).str();
    }
    looked += (looked.empty() ? "" : ", ") + path.string();
  }
  throw std::runtime_error("cannot find plotly.min.js for the report (looked at: " +
                        (looked.empty() ? std::string("nowhere") : looked) +
                        "); run scripts/install-deps.sh or set KOBAI_PLOTLY_JS to its path");
}

}  // namespace kobai::report
