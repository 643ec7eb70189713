// kobai/report/playground_page.hpp — writes the browser playground: one self-contained HTML page.
//
//   kobai::report::write_playground("playground.html");
//
// The page runs kobai's own engine, compiled to WebAssembly (bindings/wasm/), so it computes with
// the same code as the command line; it opens from disk with no network. It is assembled from
// files the build makes (the CMake target kobai_playground, when Emscripten is present) and
// Plotly (web/node_modules, as for reports):
//   kobai_engine.js   the engine (Emscripten output, the WebAssembly inside: SINGLE_FILE)
//   playground.js     the page's modules (web/src/), linted and bundled
//   playground.css    its styles
// found, in order, in: the directory named by the environment variable KOBAI_PLAYGROUND_DIR, the
// directory compiled in as the macro KOBAI_PLAYGROUND_DIR (the build's <build>/web). Reading them
// at run time keeps the library header-only, like Plotly for reports (plotly_asset.hpp).
//
// Every piece is embedded as the text of a <script>/<style> element; "</script" inside the text is
// escaped so it cannot end the element early. The page is written to a temporary file and renamed
// (nothing half-written is left on error).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "kobai/report/history_writer.hpp"  // FileWriteError
#include "kobai/report/plotly_asset.hpp"

namespace kobai::report {

namespace detail {

inline std::vector<std::filesystem::path> playground_directories() {
  std::vector<std::filesystem::path> out;
  if (const char* env = std::getenv("KOBAI_PLAYGROUND_DIR"); env != nullptr && *env != '\0') out.emplace_back(env);
#ifdef KOBAI_PLAYGROUND_DIR
  out.emplace_back(KOBAI_PLAYGROUND_DIR);
#endif
  return out;
}

inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

// The directory holding all three built files, or an error naming where it looked and why.
inline std::filesystem::path find_playground_directory() {
  std::string looked;
  for (const auto& dir : playground_directories()) {
    bool complete = true;
    for (const char* file : {"kobai_engine.js", "playground.js", "playground.css"})
      complete = complete && std::filesystem::exists(dir / file);
    if (complete) return dir;
    looked += (looked.empty() ? "" : ", ") + dir.string();
  }
  throw std::runtime_error(
      "the playground's files (kobai_engine.js, playground.js, playground.css) were not found" +
      (looked.empty() ? std::string(" (this kobai was built without them)") : " in " + looked) +
      ": build the CMake target kobai_playground, which needs Emscripten (em++) and web/node_modules "
      "(scripts/install-deps.sh), or set KOBAI_PLAYGROUND_DIR to the directory that has them");
}

// "</script" (any case) inside embedded text would end the element: write "<\/script" instead,
// which JavaScript reads as the same string and CSS never contains.
inline std::string escape_script_end(std::string_view text) {
  std::string out;
  out.reserve(text.size());
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
  return out;
}

}  // namespace detail

struct PlaygroundOptions {
  std::string title = "kobai playground";
  // The page's state on opening, as the URL fragment the page itself writes ("" = its defaults).
  std::string initial_state{};
};

// The page's HTML (see the header comment for where its parts come from).
inline std::string playground_html(const PlaygroundOptions& options = {}) {
  const std::filesystem::path dir = detail::find_playground_directory();
  const std::string engine = detail::read_text_file(dir / "kobai_engine.js");
  const std::string script = detail::read_text_file(dir / "playground.js");
  const std::string style = detail::read_text_file(dir / "playground.css");
  const std::string plotly = find_plotly_js();
  const std::string plotly_3d = find_plotly_3d_js();

  std::string html;
  html.reserve(engine.size() + script.size() + plotly.size() + plotly_3d.size() + 4096);
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  for (char c : options.title) html += c == '<' ? std::string("&lt;") : c == '&' ? std::string("&amp;") : std::string(1, c);
  html += "</title>\n<style>\n" + detail::escape_script_end(style) + "\n</style>\n</head>\n<body>\n";
  html += "<div id=\"app\"></div>\n";
  // The initial state travels as inert JSON text; the page prefers the URL's when it has one.
  html += "<script type=\"application/json\" id=\"kobai-initial-state\">" +
          detail::escape_script_end(options.initial_state) + "</script>\n";
  html += "<script>\n" + detail::escape_script_end(plotly) + "\n</script>\n";
  // Plotly's 3-D bundle and the engine are also needed as text: the first for drawing the surface
  // only when asked (it costs ~0.5 s to run), the second to start Web Workers from a Blob.
  html += "<script type=\"text/plain\" id=\"kobai-plotly-3d\">\n" + detail::escape_script_end(plotly_3d) +
          "\n</script>\n";
  html += "<script id=\"kobai-engine\">\n" + detail::escape_script_end(engine) + "\n</script>\n";
  html += "<script>\n" + detail::escape_script_end(script) + "\n</script>\n</body>\n</html>\n";
  return html;
}

// Writes the page to `path` (atomically: a temporary file renamed into place).
inline void write_playground(const std::filesystem::path& path, const PlaygroundOptions& options = {}) {
  const std::string html = playground_html(options);
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw FileWriteError("cannot write '" + path.string() + "'");
    out << html;
    out.close();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw FileWriteError("cannot write '" + path.string() + "'");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw FileWriteError("cannot write '" + path.string() + "'");
  }
}

}  // namespace kobai::report
