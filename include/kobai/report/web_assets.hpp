// kobai/report/web_assets.hpp — the built web files that kobai's pages embed, read at run time.
//
// The pages' scripts and styles live in web/src/ as JavaScript modules and CSS files (linted by
// eslint); the CMake build (cmake/playground.cmake) bundles them with esbuild and compiles kobai's
// engine to WebAssembly with Emscripten, all into <build>/web:
//   kobai_engine.js   the engine (bindings/wasm/engine.cpp; the WebAssembly inside: SINGLE_FILE)
//   playground.js/.css   the playground (playground_page.hpp)
//   report.js/.css       the report pages (html_writer.hpp)
//   basin.js/.css        the `kobai basin --report` page (basin_page.hpp)
//   training.js/.css     the `kobai train --report` page (training_page.hpp)
// They are found, in order, in: the directory named by the environment variable
// KOBAI_PLAYGROUND_DIR, then the directory compiled in as the macro KOBAI_PLAYGROUND_DIR (the
// build's <build>/web). Reading them at run time keeps the library header-only, as for Plotly
// (plotly_asset.hpp); the cost is a file read per page. When they are missing, the error names the
// files, where it looked, and how to get them.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kobai::report {

// The directories searched, in order.
inline std::vector<std::filesystem::path> web_asset_directories() {
  std::vector<std::filesystem::path> out;
  if (const char* env = std::getenv("KOBAI_PLAYGROUND_DIR"); env != nullptr && *env != '\0') out.emplace_back(env);
#ifdef KOBAI_PLAYGROUND_DIR
  out.emplace_back(KOBAI_PLAYGROUND_DIR);
#endif
  return out;
}

namespace detail {

inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

// "</script" (any case) inside embedded text would end the element: write "<\/script" instead,
// which JavaScript reads as the same string and CSS never contains. Appends to `out` (the pages embed
// megabytes of Plotly: no copy of the text first).
inline void append_escaping_script_end(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/' && i + 7 < text.size()) {
      std::string word(text.substr(i + 2, 6));
      for (char& c : word) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      if (word == "script") {
        out += "<\\/";
        ++i;
        continue;
      }
    }
    out += text[i];
  }
}

inline std::string escape_script_end(std::string_view text) {
  std::string out;
  append_escaping_script_end(out, text);
  return out;
}

}  // namespace detail

// The first directory that holds every one of `files`; throws std::runtime_error naming the files,
// the directories it looked in and how to build them. `what` names the page ("the report page").
inline std::filesystem::path find_web_asset_directory(std::initializer_list<std::string_view> files,
                                                      std::string_view what) {
  std::string looked, names;
  for (const std::string_view file : files) names += (names.empty() ? "" : ", ") + std::string(file);
  for (const auto& dir : web_asset_directories()) {
    bool complete = true;
    for (const std::string_view file : files) complete = complete && std::filesystem::exists(dir / file);
    if (complete) return dir;
    looked += (looked.empty() ? "" : ", ") + dir.string();
  }
  throw std::runtime_error(
      std::string(what) + " needs the built web files (" + names + "), which were not found" +
      (looked.empty() ? std::string(" (this kobai was built without them)") : " in " + looked) +
      ": build the CMake target kobai_playground, which needs Emscripten (em++) and web/node_modules "
      "(scripts/install-deps.sh), or set KOBAI_PLAYGROUND_DIR to the directory that has them");
}

// One built file's text (see find_web_asset_directory for the error when it is missing).
inline std::string read_web_asset(std::string_view file, std::string_view what) {
  return detail::read_text_file(find_web_asset_directory({file}, what) / file);
}

// A page's own script and style sheet (basin.js and basin.css for "basin"). Tests pass stand-ins
// instead (BasinPageText::assets, TrainingPage::assets), so they run in builds without the web files.
struct PageAssets {
  std::string script;
  std::string style;
};

inline PageAssets read_page_assets(std::string_view page, std::string_view what) {
  const std::string script = std::string(page) + ".js", style = std::string(page) + ".css";
  const auto dir = find_web_asset_directory({script, style}, what);
  return {detail::read_text_file(dir / script), detail::read_text_file(dir / style)};
}

}  // namespace kobai::report
